import { Text, View } from '@tarojs/components';
import { useCallback, useEffect } from 'react';
import { AtButton } from 'taro-ui';
import { PageState } from '../../../components/page-state';
import { useRequest } from '../../../hooks/use-request';
import { volunteerApi } from '../../../services/volunteer-api';

/** How often the phone fetches the code again: it rotates every minute and the last one is still taken. */
const REFRESH_MS = 30_000;

/**
 * The resident's screen at the door: the one-time code the volunteer enters to check in, then a new one to
 * check out. It refreshes by itself while shown.
 */
export function DoorCodePanel({ orderId, state }: { orderId: string; state: string }) {
  // The order's state is part of the load: after a check-in the check-out code shows at once.
  const load = useCallback(() => volunteerApi.doorCode(orderId), [orderId, state]); // eslint-disable-line react-hooks/exhaustive-deps
  const code = useRequest(load);
  useEffect(() => {
    const timer = setInterval(() => void code.refresh(), REFRESH_MS);
    return () => clearInterval(timer);
  }, [code.refresh]); // eslint-disable-line react-hooks/exhaustive-deps
  return (
    <View className="card volunteer-order__door">
      <PageState loading={code.loading && !code.data} error={code.data ? undefined : code.error} onRetry={code.reload}>
        {code.data && (
          <>
            <Text className="volunteer-order__door-title">
              {code.data.purpose === 'check_in' ? '上门签到码' : '服务签退码'}
            </Text>
            <Text className="volunteer-order__door-code">{code.data.code}</Text>
            <Text className="volunteer-order__note">
              志愿者{code.data.purpose === 'check_in' ? '到达时' : '服务结束时'}
              请把这组数字告诉他，不要提前发送。每分钟更新，每个码只能用一次。
            </Text>
            <AtButton size="small" onClick={code.refresh}>
              刷新
            </AtButton>
          </>
        )}
      </PageState>
    </View>
  );
}
