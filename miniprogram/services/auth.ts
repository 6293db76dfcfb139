import Taro from '@tarojs/taro';
import type { Me } from '../../shared/schemas/people';
import { api, ApiError } from './api';
import { ClientErrorCode, friendlyMessage } from './error-messages';
import { clearSession, currentSession, saveMe, saveSession } from './session';
import { readStored, writeStored } from './storage';

const RETURN_KEY = 'linli.after-login';
/** A page left for 我的 to log in is returned to only soon after: a login much later is not its answer. */
const RETURN_WITHIN_MS = 30 * 60 * 1000;

interface PageToReturnTo {
  url: string;
  at: number;
}

const isPageToReturnTo = (value: unknown): value is PageToReturnTo =>
  typeof (value as PageToReturnTo)?.url === 'string' && typeof (value as PageToReturnTo).at === 'number';

/**
 * The page asking the user to log in (its path and query), kept while they go to 我的 to do it (a browser may
 * reload on the way); the login brings them back to it.
 */
export function rememberPageForLogin(): void {
  const router = Taro.getCurrentInstance().router;
  if (!router) return;
  // Taro adds its own keys ($taroTimestamp…): only the page's query goes back.
  const query = Object.entries(router.params)
    .filter((entry): entry is [string, string] => !entry[0].startsWith('$') && typeof entry[1] === 'string')
    .map(([key, value]) => `${key}=${encodeURIComponent(value)}`)
    .join('&');
  const path = router.path.split('?')[0]!;
  writeStored(RETURN_KEY, { url: query ? `${path}?${query}` : path, at: Date.now() } satisfies PageToReturnTo);
}

function returnToPage(): void {
  const page = readStored(RETURN_KEY, isPageToReturnTo);
  writeStored(RETURN_KEY, undefined);
  if (page && Date.now() - page.at < RETURN_WITHIN_MS) void Taro.navigateTo({ url: page.url });
}

async function loginWithCode(code: string): Promise<Me> {
  const session = await api.login(code);
  saveSession(session);
  returnToPage();
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
