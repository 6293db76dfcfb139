import { Text, View } from '@tarojs/components';
import { AtButton, AtIcon } from 'taro-ui';
import type { ReactNode } from 'react';
import { useSession } from '../../hooks/use-session';
import { useWechatLogin } from '../../hooks/use-wechat-login';
import { rememberPageForLogin } from '../../services/auth';
import { inWechat } from '../../utils/platform';
import { openTab, routes } from '../../utils/routes';
import './index.scss';

/**
 * Asks a logged-out user to log in: in WeChat right here, elsewhere on the 我的 tab (demo accounts), which
 * brings them back here once they have.
 */
export function LoginPrompt({ text }: { text: string }) {
  const { login, loggingIn } = useWechatLogin();
  return (
    <View className="login-prompt">
      <AtIcon value="user" size="48" color="#c8161d" />
      <Text className="login-prompt__text">{text}</Text>
      {inWechat() ? (
        <AtButton type="primary" loading={loggingIn} disabled={loggingIn} onClick={login}>
          微信一键登录
        </AtButton>
      ) : (
        <AtButton
          type="primary"
          onClick={() => {
            rememberPageForLogin();
            openTab(routes.me);
          }}
        >
          去登录
        </AtButton>
      )}
    </View>
  );
}

/** Shows `children` (and so mounts them and their requests) only when the user is logged in. */
export function RequireLogin({ text, children }: { text: string; children: ReactNode }) {
  const { loggedIn } = useSession();
  return loggedIn ? <>{children}</> : <LoginPrompt text={text} />;
}
