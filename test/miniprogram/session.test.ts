import { api } from '../../miniprogram/services/api';
import { currentSession, type StoredSession } from '../../miniprogram/services/session';
import { __storage } from './doubles/taro';
import { captain, deferred, fail, logIn, ok, resetApp, serve, session } from './fixtures';

beforeEach(resetApp);

async function failure(promise: Promise<unknown>): Promise<{ code: string; message: string }> {
  return promise.then(
    () => {
      throw new Error('expected the call to fail');
    },
    (err: { code: string; message: string }) => err,
  );
}

test('a logged-in call carries the access token; a logged-out one carries none', async () => {
  const sent = serve({ 'GET /me': ok(captain()), 'GET /dev/demo-users': ok([]) });
  await api.demoUsers();
  logIn(captain());
  await api.me();
  expect(sent.map((r) => r.authorization)).toEqual([undefined, 'Bearer access-1']);
});

test('an expired access token is refreshed once for concurrent calls, and each call is retried with the new one', async () => {
  logIn(captain());
  const refresh = deferred();
  const sent = serve({
    'GET /me': (req) => (req.authorization === 'Bearer access-2' ? ok(captain()) : fail(401, 'TOKEN_EXPIRED')),
    'GET /channels': (req) => (req.authorization === 'Bearer access-2' ? ok([]) : fail(401, 'TOKEN_EXPIRED')),
    'POST /auth/refresh': refresh.route,
  });

  const calls = Promise.all([api.me(), api.channels(), api.me()]);
  await new Promise((resolve) => setTimeout(resolve, 10));
  refresh.release(ok(session(captain({ displayName: '张楼长（新）' }), 2)));
  const [me, channels] = await calls;

  expect(me.displayName).toBe('张楼长');
  expect(channels).toEqual([]);
  const refreshes = sent.filter((r) => r.path === '/auth/refresh');
  expect(refreshes).toHaveLength(1);
  expect(refreshes[0]!.body).toEqual({ refreshToken: 'refresh-token-number-1' });
  // The rotated tokens (and the profile that came with them) are what is stored now.
  expect(currentSession()).toMatchObject({ accessToken: 'access-2', refreshToken: 'refresh-token-number-2' });
  expect(__storage().get('linli.session')).toMatchObject({
    accessToken: 'access-2',
    me: { displayName: '张楼长（新）' },
  });
});

test('a call that expires after another call already refreshed uses the new token without refreshing again', async () => {
  logIn(captain());
  const sent = serve({
    'GET /me': (req) => (req.authorization === 'Bearer access-2' ? ok(captain()) : fail(401, 'TOKEN_EXPIRED')),
    'POST /auth/refresh': ok(session(captain(), 2)),
  });
  await api.me();
  await api.me();
  expect(sent.filter((r) => r.path === '/auth/refresh')).toHaveLength(1);
});

test('a refused refresh (token reused elsewhere) logs out and asks to log in again', async () => {
  logIn(captain());
  serve({
    'GET /me': fail(401, 'TOKEN_EXPIRED'),
    'POST /auth/refresh': fail(401, 'REFRESH_TOKEN_REUSED'),
  });
  const error = await failure(api.me());
  expect(error).toMatchObject({ code: 'LOGIN_REQUIRED', message: '登录已失效，请重新登录' });
  expect(currentSession()).toBeNull();
  expect(__storage().has('linli.session')).toBe(false);
});

test('a revoked session logs out; a refresh that cannot reach the service keeps the session for later', async () => {
  logIn(captain());
  serve({ 'GET /me': fail(401, 'TOKEN_EXPIRED'), 'POST /auth/refresh': 'network-error' });
  expect((await failure(api.me())).message).toBe('网络不给力，请检查网络后重试');
  expect(currentSession()?.accessToken).toBe('access-1');

  serve({ 'GET /me': fail(401, 'SESSION_REVOKED') });
  expect((await failure(api.me())).message).toBe('登录已失效，请重新登录');
  expect(currentSession()).toBeNull();
});

test('a stored session whose refresh token has expired starts logged out', async () => {
  /** The mini-program started afresh with `stored` in its storage. */
  async function restart(stored: unknown) {
    let fresh: StoredSession | null = null;
    await jest.isolateModulesAsync(async () => {
      (await import('./doubles/taro')).__storage().set('linli.session', stored);
      fresh = (await import('../../miniprogram/services/session')).currentSession();
    });
    return fresh as StoredSession | null;
  }
  expect(await restart({ ...session(captain()), refreshExpiresAt: '2020-01-01T00:00:00Z' })).toBeNull();
  expect((await restart(session(captain())))?.me.displayName).toBe('张楼长');
});

test('POSTs without a body still send JSON, so the service accepts them', async () => {
  logIn(captain());
  const sent = serve({ 'POST /join-requests/f00000000000000000000001/approve': ok({}) });
  await api.approveJoin('f00000000000000000000001');
  expect(sent[0]!.body).toEqual({});
});
