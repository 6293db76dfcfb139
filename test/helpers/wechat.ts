/** The app credentials tests configure on both sides (the app and the WeChat stand-in). */
export const testWechatCredentials = { appId: 'wx0000000000linli', secret: 'linli-dev-secret' };

/** Apps that talk to a stand-in of their own (see live.ts) rather than the run's shared one. */
export const ownStandin = new WeakMap<object, string>();

/** The stand-in this jest run started (see global-setup.ts). */
export function testWechatBase(): string {
  const base = process.env.LINLI_TEST_WECHAT_BASE;
  if (!base)
    throw new Error('LINLI_TEST_WECHAT_BASE is unset: run tests through jest (globalSetup starts the stand-in)');
  return base;
}

/** A one-time login code for `openid`, as `wx.login` would give the mini-program on a phone. */
export async function mintCode(
  openid: string,
  options: { highRisk?: boolean; expiresInMs?: number; base?: string } = {},
): Promise<string> {
  const response = await fetch(`${options.base ?? testWechatBase()}/linli-dev/mint-code`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ openid, highRisk: options.highRisk ?? false, expiresInMs: options.expiresInMs }),
  });
  return ((await response.json()) as { code: string }).code;
}
