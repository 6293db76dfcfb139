import { useCallback, useState } from 'react';
import { loginWithWechat } from '../services/auth';
import { toastError, toastSuccess } from '../utils/toast';

/** 微信一键登录 with its progress flag, for the button that starts it. */
export function useWechatLogin(): { login: () => Promise<void>; loggingIn: boolean } {
  const [loggingIn, setLoggingIn] = useState(false);
  const login = useCallback(async () => {
    setLoggingIn(true);
    try {
      await loginWithWechat();
      toastSuccess('登录成功');
    } catch (err) {
      toastError(err);
    } finally {
      setLoggingIn(false);
    }
  }, []);
  return { login, loggingIn };
}
