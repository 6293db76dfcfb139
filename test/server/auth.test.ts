import type { FastifyInstance } from 'fastify';
import { startWechatStandin, type RunningStandin } from '../../server/wechat-standin';
import { buildTestApp } from '../helpers/app';
import { login, newcomer } from '../helpers/session';
import { mintCode, testWechatCredentials } from '../helpers/wechat';

let app: FastifyInstance;
beforeAll(async () => {
  app = await buildTestApp();
});
afterAll(() => app.close());

const loginWith = (code: string, target = app) =>
  target.inject({ method: 'POST', url: '/api/auth/login', payload: { code } });
const refreshWith = (refreshToken: string) =>
  app.inject({ method: 'POST', url: '/api/auth/refresh', payload: { refreshToken } });
const meWith = (accessToken: string) =>
  app.inject({ url: '/api/me', headers: { authorization: `Bearer ${accessToken}` } });

describe('login with a wx.login code', () => {
  test('a fresh code logs in a new person and never returns the WeChat session key', async () => {
    const res = await loginWith(await mintCode('openid-login-new'));
    expect(res.statusCode).toBe(200);
    const session = res.json();
    expect(session).toMatchObject({
      expiresIn: 900,
      me: { displayName: expect.stringMatching(/^邻居\d{4}$/), roles: [] },
    });
    expect(res.body).not.toMatch(/session_?key/i);
    expect((await meWith(session.accessToken)).json().id).toBe(session.me.id);
  });

  test('the same person logging in again is the same user', async () => {
    const first = (await loginWith(await mintCode('openid-login-twice'))).json();
    const second = (await loginWith(await mintCode('openid-login-twice'))).json();
    expect(second.me.id).toBe(first.me.id);
  });

  test.each([
    ['an unknown code', async () => 'not-a-real-code', 401, 'WECHAT_CODE_INVALID'],
    ['an expired code', async () => mintCode('openid-expired', { expiresInMs: 0 }), 401, 'WECHAT_CODE_INVALID'],
    ['a high-risk account', async () => mintCode('openid-risky', { highRisk: true }), 403, 'WECHAT_USER_BLOCKED'],
  ])('%s is refused with a clear code', async (_name, code, status, errorCode) => {
    const res = await loginWith(await code());
    expect([res.statusCode, res.json().code]).toEqual([status, errorCode]);
  });

  test('a code used once cannot log in again', async () => {
    const code = await mintCode('openid-reuse');
    expect((await loginWith(code)).statusCode).toBe(200);
    const again = await loginWith(code);
    expect([again.statusCode, again.json().code]).toEqual([401, 'WECHAT_CODE_USED']);
  });

  describe('when WeChat limits or fails', () => {
    let strict: RunningStandin;
    let strictApp: FastifyInstance;
    beforeAll(async () => {
      strict = await startWechatStandin({ ...testWechatCredentials, code2SessionPerMinute: 2 });
      strictApp = await buildTestApp({ wechat: { baseUrl: strict.baseUrl, standin: true } });
    });
    afterAll(async () => {
      await strictApp.close();
      await strict.stop();
    });

    test("WeChat's per-minute quota becomes a 429", async () => {
      const codes = await Promise.all([1, 2, 3].map(() => mintCode('openid-hasty', { base: strict.baseUrl })));
      const statuses = [];
      for (const code of codes) statuses.push((await loginWith(code, strictApp)).json().code ?? 'ok');
      expect(statuses).toEqual(['ok', 'ok', 'WECHAT_RATE_LIMITED']);
    });

    test('an unreachable WeChat is a 503, not a 500', async () => {
      const offline = await buildTestApp({ wechat: { baseUrl: 'http://127.0.0.1:9', standin: false } });
      try {
        const res = await loginWith('whatever', offline);
        expect([res.statusCode, res.json().code]).toEqual([503, 'WECHAT_UNAVAILABLE']);
      } finally {
        await offline.close();
      }
    });
  });
});

describe('sessions', () => {
  test('calls without a valid access token are 401', async () => {
    expect((await app.inject('/api/me')).json()).toMatchObject({ statusCode: 401, code: 'UNAUTHORIZED' });
    expect((await meWith('garbage')).json().code).toBe('UNAUTHORIZED');
  });

  test('an expired access token is 401 TOKEN_EXPIRED, so the client knows to refresh', async () => {
    const person = await newcomer(app);
    const expired = app.jwt.sign({ sub: person.me.id, sid: 'x'.repeat(24) }, { expiresIn: 1 });
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const res = await meWith(expired);
    expect([res.statusCode, res.json().code]).toEqual([401, 'TOKEN_EXPIRED']);
  });

  test('refreshing rotates the token: the new pair works, the old refresh token does not', async () => {
    const person = await newcomer(app);
    const refreshed = await refreshWith(person.refreshToken);
    expect(refreshed.statusCode).toBe(200);
    const next = refreshed.json();
    expect(next.refreshToken).not.toBe(person.refreshToken);
    expect((await meWith(next.accessToken)).statusCode).toBe(200);
    expect((await refreshWith(next.refreshToken)).statusCode).toBe(200);
  });

  test('presenting a used refresh token again ends the whole session (stolen token)', async () => {
    const person = await newcomer(app);
    const next = (await refreshWith(person.refreshToken)).json();
    const replay = await refreshWith(person.refreshToken);
    expect([replay.statusCode, replay.json().code]).toEqual([401, 'REFRESH_TOKEN_REUSED']);
    expect((await meWith(next.accessToken)).json().code).toBe('SESSION_REVOKED');
    expect((await refreshWith(next.refreshToken)).json().code).toBe('SESSION_REVOKED');
  });

  test('two concurrent refreshes with one token: exactly one wins', async () => {
    const person = await newcomer(app);
    const results = await Promise.all([refreshWith(person.refreshToken), refreshWith(person.refreshToken)]);
    expect(results.map((r) => r.statusCode).sort()).toEqual([200, 401]);
  });

  test('logout revokes the session at once, access token included', async () => {
    const person = await newcomer(app);
    const out = await app.inject({
      method: 'POST',
      url: '/api/auth/logout',
      payload: { refreshToken: person.refreshToken },
    });
    expect(out.statusCode).toBe(204);
    expect((await meWith(person.accessToken)).json().code).toBe('SESSION_REVOKED');
    expect((await refreshWith(person.refreshToken)).statusCode).toBe(401);
  });

  test('logout everywhere ends every device of that person and nobody else', async () => {
    const openid = `openid-devices-${Date.now()}`;
    const phone = await login(app, openid);
    const tablet = await login(app, openid);
    const stranger = await newcomer(app);
    const res = await app.inject({ method: 'DELETE', url: '/api/auth/sessions', headers: phone.headers });
    expect(res.statusCode).toBe(204);
    expect((await meWith(tablet.accessToken)).json().code).toBe('SESSION_REVOKED');
    expect((await meWith(stranger.accessToken)).statusCode).toBe(200);
  });

  test('a refresh token works until the instant it expires, and not from then on', async () => {
    const [early, onTime] = [await newcomer(app), await newcomer(app)];
    const expiresAt = new Date(early.refreshExpiresAt).getTime();
    expect(new Date(onTime.refreshExpiresAt).getTime()).toBeGreaterThanOrEqual(expiresAt);
    // The auth service reads the wall clock (not app.clock), so only Date is faked: the timers the database
    // driver and fastify run on stay real.
    jest.useFakeTimers({
      now: expiresAt - 1,
      doNotFake: [
        'hrtime',
        'nextTick',
        'performance',
        'queueMicrotask',
        'setImmediate',
        'clearImmediate',
        'setTimeout',
        'clearTimeout',
        'setInterval',
        'clearInterval',
      ],
    });
    try {
      expect((await refreshWith(early.refreshToken)).statusCode).toBe(200);
      jest.setSystemTime(new Date(onTime.refreshExpiresAt));
      const late = await refreshWith(onTime.refreshToken);
      expect([late.statusCode, late.json().code]).toEqual([401, 'REFRESH_TOKEN_INVALID']);
    } finally {
      jest.useRealTimers();
    }
  });

  test('logging in keeps the WeChat session key on the user; refreshing stamps the session', async () => {
    const person = await newcomer(app);
    const user = await app.models.User.findById(person.me.id).select('+sessionKey').lean();
    expect(user).toMatchObject({ sessionKey: expect.any(String), lastLoginAt: expect.any(Date) });
    expect(user!.sessionKey).not.toBe('');
    const before = Date.now();
    await refreshWith(person.refreshToken);
    const session = await app.models.Session.findOne({ userId: person.me.id }).lean();
    expect(session!.lastRefreshedAt!.getTime()).toBeGreaterThanOrEqual(before);
  });

  test('logout and a replayed token end their own session only; an unknown token ends nothing', async () => {
    const bystander = await newcomer(app);
    const logout = (refreshToken: string) =>
      app.inject({ method: 'POST', url: '/api/auth/logout', payload: { refreshToken } });
    expect((await logout('y'.repeat(43))).statusCode).toBe(204);
    expect((await meWith(bystander.accessToken)).statusCode).toBe(200);

    const leaving = await newcomer(app);
    expect((await logout(leaving.refreshToken)).statusCode).toBe(204);
    expect((await meWith(leaving.accessToken)).json().code).toBe('SESSION_REVOKED');
    expect((await meWith(bystander.accessToken)).statusCode).toBe(200);

    const robbed = await newcomer(app);
    await refreshWith(robbed.refreshToken);
    expect((await refreshWith(robbed.refreshToken)).json().code).toBe('REFRESH_TOKEN_REUSED');
    expect((await meWith(robbed.accessToken)).json().code).toBe('SESSION_REVOKED');
    expect((await meWith(bystander.accessToken)).statusCode).toBe(200);
  });

  test('an unknown refresh token is 401 REFRESH_TOKEN_INVALID', async () => {
    const res = await refreshWith('x'.repeat(43));
    expect([res.statusCode, res.json().code]).toEqual([401, 'REFRESH_TOKEN_INVALID']);
  });
});

describe('my profile', () => {
  test('display name and phone can be changed; the phone is shown masked', async () => {
    const person = await newcomer(app);
    const res = await app.inject({
      method: 'PATCH',
      url: '/api/me',
      headers: person.headers,
      payload: { displayName: '  林小林 ', phone: '+86 138-1234-5678' },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ displayName: '林小林', phoneMasked: '138****5678' });
    expect(res.body).not.toContain('13812345678');
  });

  test('a phone that is not a mainland mobile number is a 400 naming the field', async () => {
    const person = await newcomer(app);
    const res = await app.inject({
      method: 'PATCH',
      url: '/api/me',
      headers: person.headers,
      payload: { phone: '12345' },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().details).toEqual([{ path: 'body/phone', message: expect.any(String) }]);
  });
});
