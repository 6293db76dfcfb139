import Taro from '@tarojs/taro';
import type { Me } from '../../shared/schemas/people';
import { api, ApiError } from './api';
import { ClientErrorCode, friendlyMessage } from './error-messages';
import { clearSession, currentSession, saveMe, saveSession } from './session';

async function loginWithCode(code: string): Promise<Me> {
  const session = await api.login(code);
  saveSession(session);
  return session.me;
}

/** 微信一键登录: wx.login gives a one-time code the service exchanges for the user's session. */
export async function loginWithWechat(): Promise<Me> {
  let code: string;
  try {
    ({ code } = await Taro.login());
  } catch {
    throw new ApiError(ClientErrorCode.WECHAT_LOGIN_FAILED, friendlyMessage(ClientErrorCode.WECHAT_LOGIN_FAILED), 0);
  }
  return loginWithCode(code);
}

/** Development: log in as a demo user through the service's WeChat stand-in. */
export async function loginAsDemoUser(key: string): Promise<Me> {
  const { code } = await api.demoCode(key);
  return loginWithCode(code);
}

export async function reloadMe(): Promise<Me> {
  const me = await api.me();
  saveMe(me);
  return me;
}

/** Forgets the session at once; telling the service is best effort (the user is logged out either way). */
export async function logout(): Promise<void> {
  const session = currentSession();
  clearSession();
  if (session) await api.logout(session.refreshToken).catch(() => undefined);
}
