import { Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { AtButton, AtIcon } from 'taro-ui';
import { useCallback } from 'react';
import { useRefreshOnShow } from '../../hooks/use-refresh-on-show';
import { useRequest } from '../../hooks/use-request';
import { useSession } from '../../hooks/use-session';
import { useWechatLogin } from '../../hooks/use-wechat-login';
import { inWechat } from '../../utils/platform';
import { DemoAccounts } from './demo-accounts';
import { privacyRoutes } from '../../packages/privacy/routes';
import { Entries, LogoutButton, PrivacyEntries } from './entries';
import { MyHouseholds, MyRoles, ProfileCard } from './profile';
import './index.scss';

function LoggedOut() {
  const { login, loggingIn } = useWechatLogin();
  const wechat = inWechat();
  return (
    <View className="me">
      <View className="me__hero">
        <AtIcon value="user" size="56" color="#fff" />
        <Text className="me__hero-title">登录邻里</Text>
        <Text className="me__hero-text">登录后可查看我的家庭、角色与消息</Text>
      </View>
      {wechat && (
        <View className="me__actions">
          <AtButton type="primary" loading={loggingIn} disabled={loggingIn} onClick={login}>
            微信一键登录
          </AtButton>
        </View>
      )}
      <DemoAccounts fallback={wechat ? null : <Text className="me__hint">请在微信中打开「邻里」小程序登录</Text>} />
      <Text className="me__policy-link" onClick={() => void Taro.navigateTo({ url: privacyRoutes.policy })}>
        《隐私政策》
      </Text>
    </View>
  );
}

function LoggedIn() {
  const { me, reloadMe } = useSession();
  // The stored profile shows at once; this brings it up to date (new roles, an approved household…).
  const { error, refresh } = useRequest(reloadMe);
  useRefreshOnShow(refresh);
  const retry = useCallback(() => void refresh(), [refresh]);
  if (!me) return null;
  return (
    <View className="me">
      <ProfileCard me={me} />
      {error && (
        <View className="me__stale" onClick={retry}>
          <Text>{error.message}</Text>
          <Text className="me__stale-retry">重试</Text>
        </View>
      )}
      <Entries me={me} />
      <MyHouseholds me={me} />
      <MyRoles me={me} />
      <PrivacyEntries />
      <View className="me__actions">
        <LogoutButton />
      </View>
    </View>
  );
}

export default function MePage() {
  const { loggedIn } = useSession();
  return loggedIn ? <LoggedIn /> : <LoggedOut />;
}
