import type { FastifyInstance } from 'fastify';
import { seedDemo } from '../../server/modules/demo/seed';
import { placeId } from '../helpers/demo';
import { liveApp, type LiveApp } from '../helpers/live';
import { loginDemo, newcomer, type LoggedIn } from '../helpers/session';

let live: LiveApp;
let app: FastifyInstance;
let captain: LoggedIn;
let unit: string;

beforeAll(async () => {
  live = await liveApp();
  app = live.app;
  await seedDemo(app.db.connection, app.models);
  captain = await loginDemo(app, 'captain');
  unit = await placeId(app, ['幸福里社区', '阳光花园', '1栋', '1单元']);
});
afterAll(() => live.close());

async function apply(person: LoggedIn, room: string): Promise<string> {
  const code = (
    await app.inject({ method: 'POST', url: `/api/nodes/${unit}/invites`, headers: captain.headers, payload: {} })
  ).json().code;
  return (
    await app.inject({
      method: 'POST',
      url: '/api/join-requests',
      headers: person.headers,
      payload: { code, room, relation: 'tenant' },
    })
  ).json().id;
}
const decide = (id: string, action: 'approve' | 'reject') =>
  app.inject({
    method: 'POST',
    url: `/api/join-requests/${id}/${action}`,
    headers: captain.headers,
    ...(action === 'reject' ? { payload: { reason: '房号不符' } } : {}),
  });
const inbox = async (who: LoggedIn) => (await app.inject({ url: '/api/inbox', headers: who.headers })).json();
/** What the WeChat stand-in actually delivered to this person. */
const delivered = async (who: LoggedIn) => {
  const user = await app.models.User.findById(who.me.id).lean();
  return (await (await fetch(`${live.standin.baseUrl}/linli-dev/sent?openid=${user!.openid}`)).json()) as {
    template_id: string;
    data: Record<string, { value: string }>;
  }[];
};
/** The user's tap on 允许 in wx.requestSubscribeMessage: WeChat learns it, and the mini-program tells us. */
async function consent(who: LoggedIn, kind: string) {
  const templates = (await app.inject({ url: '/api/subscriptions/templates', headers: who.headers })).json();
  const user = await app.models.User.findById(who.me.id).lean();
  await fetch(`${live.standin.baseUrl}/linli-dev/subscribe`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ openid: user!.openid, templateId: templates[kind] }),
  });
  return app.inject({ method: 'POST', url: '/api/subscriptions', headers: who.headers, payload: { accepted: [kind] } });
}

test('the reviewers hear of a new request and the applicant of the decision, in their inboxes', async () => {
  const person = await newcomer(app);
  const id = await apply(person, '601');
  const captainInbox = await inbox(captain);
  expect(captainInbox.items[0]).toMatchObject({
    kind: 'join.requested',
    title: '新的入户申请',
    read: false,
    link: 'packages/community/approvals/index',
  });

  await decide(id, 'approve');
  const mine = await inbox(person);
  expect(mine).toMatchObject({
    unread: 1,
    items: [{ kind: 'join.decided', title: '入户申请已通过', body: expect.stringContaining('阳光花园1栋1单元601室') }],
  });
  const read = await app.inject({
    method: 'POST',
    url: `/api/inbox/${mine.items[0].id}/read`,
    headers: person.headers,
  });
  expect(read.json()).toEqual({ unread: 0 });
  expect((await inbox(person)).items[0].read).toBe(true);
});

test('one consent sends one subscribe message; the next event reaches the inbox only', async () => {
  const person = await newcomer(app);
  expect((await consent(person, 'join.decided')).json()).toEqual({ remaining: { 'join.decided': 1 } });
  await decide(await apply(person, '602'), 'reject');
  const sent = await delivered(person);
  expect(sent).toEqual([
    expect.objectContaining({
      template_id: 'standin-tmpl-join-decided',
      data: expect.objectContaining({ phrase2: { value: '未通过' } }),
    }),
  ]);

  await decide(await apply(person, '602'), 'reject');
  expect(await delivered(person)).toHaveLength(1);
  expect((await inbox(person)).items).toHaveLength(2);
  const results = (await app.models.Delivery.find({ userId: person.me.id }).sort({ createdAt: 1 }).lean()).map(
    (d) => d.result,
  );
  expect(results).toEqual(['sent', 'no-consent']);
});

test('a refusal from WeChat is recorded and the approval still succeeds', async () => {
  const person = await newcomer(app);
  // Our record says yes, but the user withdrew the consent in WeChat's settings.
  await app.inject({
    method: 'POST',
    url: '/api/subscriptions',
    headers: person.headers,
    payload: { accepted: ['join.decided'] },
  });
  const res = await decide(await apply(person, '502'), 'approve');
  expect(res.json().status).toBe('approved');
  expect((await app.models.Delivery.findOne({ userId: person.me.id }).lean())!).toMatchObject({
    result: 'refused',
    errcode: 43101,
  });
});

test('unknown kinds are not recorded as consents; mark-all-read clears the count', async () => {
  const person = await newcomer(app);
  const res = await app.inject({
    method: 'POST',
    url: '/api/subscriptions',
    headers: person.headers,
    payload: { accepted: ['no.such.kind'] },
  });
  expect(res.json()).toEqual({ remaining: {} });
  await decide(await apply(person, '402'), 'reject');
  await decide(await apply(person, '402'), 'reject');
  expect((await inbox(person)).unread).toBe(2);
  expect((await app.inject({ method: 'POST', url: '/api/inbox/read-all', headers: person.headers })).json()).toEqual({
    unread: 0,
  });
});

describe('when the daily quota is spent', () => {
  let strict: LiveApp;
  beforeAll(async () => {
    strict = await liveApp({ subscribeSendQuota: 0 });
    await seedDemo(strict.app.db.connection, strict.app.models);
  });
  afterAll(() => strict.close());

  test('the message is recorded as quota and nothing fails', async () => {
    const person = await newcomer(strict.app);
    await strict.app.inject({
      method: 'POST',
      url: '/api/subscriptions',
      headers: person.headers,
      payload: { accepted: ['join.decided'] },
    });
    const boss = await loginDemo(strict.app, 'captain');
    const target = await placeId(strict.app, ['幸福里社区', '阳光花园', '1栋', '1单元']);
    const code = (
      await strict.app.inject({
        method: 'POST',
        url: `/api/nodes/${target}/invites`,
        headers: boss.headers,
        payload: {},
      })
    ).json().code;
    const id = (
      await strict.app.inject({
        method: 'POST',
        url: '/api/join-requests',
        headers: person.headers,
        payload: { code, room: '102', relation: 'tenant' },
      })
    ).json().id;
    const res = await strict.app.inject({
      method: 'POST',
      url: `/api/join-requests/${id}/approve`,
      headers: boss.headers,
    });
    expect(res.statusCode).toBe(200);
    expect((await strict.app.models.Delivery.findOne({ userId: person.me.id }).lean())!).toMatchObject({
      result: 'quota',
      errcode: 45009,
    });
  });
});
