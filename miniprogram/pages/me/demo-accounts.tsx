import { Text, View } from '@tarojs/components';
import { AtList, AtListItem } from 'taro-ui';
import { useCallback, useState, type ReactNode } from 'react';
import { useRequest } from '../../hooks/use-request';
import { api } from '../../services/api';
import { loginAsDemoUser } from '../../services/auth';
import { toastError, toastSuccess } from '../../utils/toast';

/**
 * Development only: the service lists demo users when it runs with its WeChat stand-in (404 otherwise).
 * Shows `fallback` when there is no such list.
 */
export function DemoAccounts({ fallback }: { fallback: ReactNode }) {
  const { data, error } = useRequest(api.demoUsers);
  const [pendingKey, setPendingKey] = useState<string>();

  const login = useCallback(
    async (key: string) => {
      if (pendingKey) return;
      setPendingKey(key);
      try {
        await loginAsDemoUser(key);
        toastSuccess('登录成功');
      } catch (err) {
        toastError(err);
        setPendingKey(undefined);
      }
    },
    [pendingKey],
  );

  if (error) return <>{fallback}</>;
  if (!data || data.length === 0) return null;
  return (
    <View className="me__demo">
      <Text className="section-title">演示账号</Text>
      <Text className="me__demo-hint">开发环境：选择一个身份体验邻里</Text>
      <AtList>
        {data.map((user) => (
          <AtListItem
            key={user.key}
            title={user.displayName}
            note={user.description}
            extraText={pendingKey === user.key ? '登录中…' : ''}
            arrow="right"
            disabled={pendingKey !== undefined && pendingKey !== user.key}
            onClick={() => login(user.key)}
          />
        ))}
      </AtList>
    </View>
  );
}
