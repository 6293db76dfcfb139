import type { FastifyInstance } from 'fastify';
import { manualClock } from '../../server/clock';
import type { TopicView } from '../../shared/schemas/deliberation';
import { demoTopics } from '../../server/modules/demo/data';
import { DAY_MS } from '../../shared/votes';
import { buildDemoApp, placeId } from '../helpers/demo';
import { raise, resident, SUNSHINE_1 } from '../helpers/deliberation';
import { loginDemo, type LoggedIn } from '../helpers/session';

const start = new Date('2026-06-01T02:00:00.000Z');
const clock = manualClock(start);
const HOUR = 3600_000;
let app: FastifyInstance;
let building: string;
let captain: LoggedIn;
let staff: LoggedIn;
let owner: LoggedIn;

beforeAll(async () => {
  app = await buildDemoApp({ clock });
  building = await placeId(app, SUNSHINE_1);
  [captain, staff, owner] = await Promise.all([
    loginDemo(app, 'captain'),
    loginDemo(app, 'staff'),
    loginDemo(app, 'owner'),
  ]);
}, 30_000);
afterAll(() => app.close());
beforeEach(() => clock.set(start));

function call(who: LoggedIn, method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, payload?: object) {
  return app.inject({ method, url: `/api${url}`, headers: who.headers, ...(payload ? { payload } : {}) });
}

async function ok<T = TopicView>(who: LoggedIn, method: 'GET' | 'POST', url: string, payload?: object): Promise<T> {
  const res = await call(who, method, url, payload);
  if (res.statusCode >= 300) throw new Error(`${method} ${url}: ${res.statusCode} ${res.body}`);
  return res.json<T>();
}

/** A topic on 1栋 made an agenda item by the captain, with a ballot closing in a day. */
async function ballotOn(kind: TopicView['kind'], body: object = {}): Promise<TopicView> {
  const topic = await raise(app, owner, building, kind);
  await ok(captain, 'POST', `/topics/${topic.id}/adopt`);
  return ok(captain, 'POST', `/topics/${topic.id}/ballot`, {
    closesAt: new Date(start.getTime() + DAY_MS).toISOString(),
    ...body,
  });
}

async function closeAt(topic: TopicView): Promise<TopicView> {
  clock.set(new Date(topic.ballot!.closesAt));
  await app.jobs.runDue();
  return ok(owner, 'GET', `/topics/${topic.id}`);
}

describe('raise and co-sign', () => {
  test('distinct households co-sign once each; the threshold makes an agenda item', async () => {
    const topic = await raise(app, owner, building);
    expect(topic).toMatchObject({ status: 'proposed', cosign: { households: 1, threshold: 3, mine: true } });
    expect(topic.actions).not.toContain('cosign');
    // A second member of the proposer's household (302) adds nothing.
    const spouse = await resident(app, [...SUNSHINE_1, '1单元'], '302', 'family');
    expect((await ok(spouse, 'POST', `/topics/${topic.id}/cosign`)).cosign.households).toBe(1);
    // Co-signing twice counts once.
    await ok(captain, 'POST', `/topics/${topic.id}/cosign`);
    expect((await ok(captain, 'POST', `/topics/${topic.id}/cosign`)).cosign.households).toBe(2);
    const neighbour = await resident(app, [...SUNSHINE_1, '2单元'], '502');
    const done = await ok(neighbour, 'POST', `/topics/${topic.id}/cosign`);
    expect(done).toMatchObject({ status: 'agenda', cosign: { households: 3 } });
  });

  test('a proposal without support lapses after 14 days, not a moment before', async () => {
    const topic = await raise(app, owner, building);
    clock.set(new Date(start.getTime() + 14 * DAY_MS - 1));
    await app.jobs.runDue();
    expect((await ok(owner, 'GET', `/topics/${topic.id}`)).status).toBe('proposed');
    clock.set(new Date(start.getTime() + 14 * DAY_MS));
    await app.jobs.runDue();
    expect((await ok(owner, 'GET', `/topics/${topic.id}`)).status).toBe('lapsed');
    expect((await call(owner, 'POST', `/topics/${topic.id}/cosign`)).json().code).toBe('TOPIC_STATE');
  });

  test('an adopted topic never lapses', async () => {
    const topic = await raise(app, owner, building);
    await ok(captain, 'POST', `/topics/${topic.id}/adopt`);
    clock.set(new Date(start.getTime() + 15 * DAY_MS));
    await app.jobs.runDue();
    expect((await ok(owner, 'GET', `/topics/${topic.id}`)).status).toBe('agenda');
  });

  test('residents may not adopt; people outside the building may not co-sign', async () => {
    const topic = await raise(app, owner, building);
    expect((await call(owner, 'POST', `/topics/${topic.id}/adopt`)).statusCode).toBe(403);
    const tenant = await loginDemo(app, 'tenant'); // lives in 2栋
    expect((await call(tenant, 'POST', `/topics/${topic.id}/cosign`)).statusCode).toBe(404);
  });
});

describe('四议两公开 stages', () => {
  test('recorded in order with who and when; skipping or repeating one is refused', async () => {
    const topic = await raise(app, owner, building);
    await ok(captain, 'POST', `/topics/${topic.id}/adopt`);
    const skip = await call(staff, 'POST', `/topics/${topic.id}/stages`, { stage: '两委会商议' });
    expect(skip.statusCode).toBe(409);
    expect(skip.json().code).toBe('STAGE_ORDER');
    expect((await call(captain, 'POST', `/topics/${topic.id}/stages`, { stage: '党组织提议' })).statusCode).toBe(403);
    const first = await ok(staff, 'POST', `/topics/${topic.id}/stages`, { stage: '党组织提议', note: '支部会议' });
    expect(first.stages[0]).toMatchObject({
      name: '党组织提议',
      at: start.toISOString(),
      by: '李**',
      note: '支部会议',
    });
    expect((await call(staff, 'POST', `/topics/${topic.id}/stages`, { stage: '党组织提议' })).statusCode).toBe(409);
    const second = await ok(staff, 'POST', `/topics/${topic.id}/stages`, { stage: '两委会商议' });
    expect(second.stages.filter((s) => s.at)).toHaveLength(2);
  });

  test('a community configures its own stages (staff only)', async () => {
    const community = await placeId(app, ['幸福里社区']);
    const body = { stages: ['提议', '决议公开'], cosignThresholds: [{ nodeId: building, households: 2 }] };
    expect((await call(owner, 'PUT', `/communities/${community}/deliberation-settings`, body)).statusCode).toBe(403);
    await ok(staff, 'PUT' as 'POST', `/communities/${community}/deliberation-settings`, body);
    const topic = await raise(app, owner, building);
    expect(topic.stages.map((s) => s.name)).toEqual(['提议', '决议公开']);
    expect(topic.cosign.threshold).toBe(2);
    await ok(staff, 'PUT' as 'POST', `/communities/${community}/deliberation-settings`, {
      stages: ['党组织提议', '两委会商议', '党员大会审议', '居民代表会议决议', '决议公开', '实施结果公开'],
      cosignThresholds: [],
    });
  });
});

describe('ballots', () => {
  test('secret until close: no response carries counts by option; turnout only', async () => {
    const topic = await ballotOn('public');
    await ok(owner, 'POST', `/topics/${topic.id}/ballot/vote`, { choice: 'yes' });
    await ok(captain, 'POST', `/topics/${topic.id}/ballot/vote`, { choice: 'no' });
    const answers = [
      await call(owner, 'GET', `/topics/${topic.id}`),
      await call(captain, 'GET', `/topics/${topic.id}`),
      await call(staff, 'GET', `/topics/${topic.id}`),
      await call(owner, 'GET', `/topics?nodeId=${building}`),
      await call(staff, 'GET', '/topics?limit=50'),
      await call(captain, 'GET', `/topics/${topic.id}/ballot/non-voters`),
      await call(captain, 'GET', `/topics/${topic.id}/timeline`),
    ];
    for (const res of answers) {
      expect(res.statusCode).toBe(200);
      // Lists also hold the demo's closed ballots, whose results are public: look at this topic only.
      const body = res.json<{ items?: TopicView[] }>();
      const mine = body.items ? body.items.filter((t) => t.id === topic.id) : body;
      if (body.items) expect(mine).toHaveLength(1);
      expect(JSON.stringify(mine)).not.toMatch(/"counts"|"art278"|"leading"|"yesHeads"/);
    }
    const seen = answers[0]!.json<TopicView>().ballot!;
    expect(seen).toMatchObject({ state: 'open', result: null, turnout: { votedHouseholds: 2 } });
    expect(seen.mine).toMatchObject({ choice: 'yes', proxy: false });
    expect((await call(owner, 'GET', `/topics/${topic.id}/ballot/receipts/${seen.mine!.receipt}`)).json().code).toBe(
      'BALLOT_NOT_CLOSED',
    );
  });

  test('200 concurrent casts by members of the same households leave one ballot per household', async () => {
    const topic = await ballotOn('public');
    const rooms = ['101', '102', '201', '202', '401'];
    const members: LoggedIn[] = [];
    for (const room of rooms)
      for (let i = 0; i < 4; i++) members.push(await resident(app, [...SUNSHINE_1, '2单元'], room, 'family'));
    const casts = Array.from({ length: 200 }, (_, i) =>
      call(members[i % members.length]!, 'POST', `/topics/${topic.id}/ballot/vote`, {
        choice: ['yes', 'no', 'abstain'][i % 3],
      }),
    );
    const answers = await Promise.all(casts);
    expect(answers.filter((r) => r.statusCode !== 200).map((r) => r.body)).toEqual([]);
    const votes = await app.models.TopicVote.find({ communityId: { $exists: true }, topicId: topic.id }).lean();
    expect(votes).toHaveLength(rooms.length);
    // One receipt per household, whatever member asked.
    const byHousehold = new Map<string, Set<string>>();
    for (const res of answers) {
      const { householdId, receipt } = res.json<{ householdId: string; receipt: string }>();
      byHousehold.set(householdId, (byHousehold.get(householdId) ?? new Set()).add(receipt));
    }
    expect([...byHousehold.values()].every((r) => r.size === 1)).toBe(true);
  }, 60_000);

  test('a ballot changes until close; a household overrules a proxy; a proxy never replaces own ballots', async () => {
    const topic = await ballotOn('public');
    const elder = await resident(app, [...SUNSHINE_1, '1单元'], '601');
    const household = (await app.models.Household.findOne({
      communityId: { $exists: true },
      'members.userId': elder.me.id,
    }).lean())!;
    const proxied = await ok<{ receipt: string; proxy: boolean }>(captain, 'POST', `/topics/${topic.id}/ballot/proxy`, {
      householdId: String(household._id),
      choice: 'yes',
      note: '12月2日电话确认',
    });
    expect(proxied.proxy).toBe(true);
    const nonVoters = await ok<{ householdId: string }[]>(captain, 'GET', `/topics/${topic.id}/ballot/non-voters`);
    expect(nonVoters.map((h) => h.householdId)).not.toContain(String(household._id));
    expect((await call(owner, 'GET', `/topics/${topic.id}/ballot/non-voters`)).statusCode).toBe(403);
    expect((await call(owner, 'POST', `/topics/${topic.id}/ballot/remind`)).statusCode).toBe(403);
    const reminded = await ok<{ households: number }>(captain, 'POST', `/topics/${topic.id}/ballot/remind`);
    expect(reminded.households).toBe(nonVoters.length);
    const told = await app.models.Notification.find({ userId: { $in: [owner.me.id] }, title: '请参与投票' }).lean();
    expect(told).toHaveLength(1); // 王阿姨 (302) has not voted yet; the elder's household (proxied) is not told
    const own = await ok<{ receipt: string; proxy: boolean }>(elder, 'POST', `/topics/${topic.id}/ballot/vote`, {
      choice: 'no',
    });
    expect(own).toMatchObject({ receipt: proxied.receipt, proxy: false });
    const again = await call(captain, 'POST', `/topics/${topic.id}/ballot/proxy`, {
      householdId: String(household._id),
      choice: 'yes',
      note: '再次代投',
    });
    expect(again.statusCode).toBe(409);
    expect(again.json().code).toBe('ALREADY_VOTED');
    await ok(elder, 'POST', `/topics/${topic.id}/ballot/vote`, { choice: 'abstain' });
    const timeline = await ok<{ action: string; note: string | null }[]>(
      captain,
      'GET',
      `/topics/${topic.id}/timeline`,
    );
    expect(timeline.map((e) => e.action)).toEqual(expect.arrayContaining(['proxy-ballot', 'proxy-overruled']));
    expect(timeline.find((e) => e.action === 'proxy-ballot')!.note).toBe('12月2日电话确认');

    const closed = await closeAt(topic);
    const receipt = await ok<{ choice: string; proxy: boolean }>(
      owner,
      'GET',
      `/topics/${topic.id}/ballot/receipts/${own.receipt}`,
    );
    expect(receipt).toMatchObject({ choice: 'abstain', proxy: false });
    expect(closed.ballot!.result!.counts.find((c) => c.key === 'abstain')!.households).toBe(1);
  });

  test('at close the result is frozen, published in the channel and never changes', async () => {
    const topic = await ballotOn('public', { rule: 'simple' });
    await ok(owner, 'POST', `/topics/${topic.id}/ballot/vote`, { choice: 'yes' });
    await ok(captain, 'POST', `/topics/${topic.id}/ballot/vote`, { choice: 'yes' });
    clock.set(new Date(new Date(topic.ballot!.closesAt).getTime() - 1));
    await app.jobs.runDue();
    expect((await ok(owner, 'GET', `/topics/${topic.id}`)).ballot!.result).toBeNull();
    const closed = await closeAt(topic);
    expect(closed.status).toBe('decided');
    const result = closed.ballot!.result!;
    expect(result).toMatchObject({
      passed: true,
      counts: [{ key: 'yes', households: 2 }, { key: 'no' }, { key: 'abstain' }],
    });
    const late = await call(owner, 'POST', `/topics/${topic.id}/ballot/vote`, { choice: 'no' });
    expect(late.json().code).toBe('BALLOT_CLOSED');
    await app.deliberation.ballots.close(topic.id);
    expect((await ok(owner, 'GET', `/topics/${topic.id}`)).ballot!.result).toEqual(result);
    const notices = await ok<{ items: { title: string; body: string }[] }>(
      owner,
      'GET',
      `/channels/${building}/notices`,
    );
    const published = notices.items.find((n) => n.title === `决议公开：${topic.title}`)!;
    expect(published.body).toContain('赞成：2户');
    const inbox = await ok<{ items: { title: string }[] }>(owner, 'GET', '/inbox');
    expect(inbox.items.some((n) => n.title === `决议公开：${topic.title}`)).toBe(true);
  });

  test("opening an owners' ballot tells the owners who may vote, by subscribe message for those who asked", async () => {
    const tenant = await resident(app, [...SUNSHINE_1, '1单元'], '602', 'tenant');
    await ok(owner, 'POST', '/subscriptions', { accepted: ['topic.updated'] });
    const topic = await ballotOn('owners_ordinary');
    const link = `packages/deliberation/ballot/index?id=${topic.id}`;
    const told = (who: LoggedIn) => app.models.Notification.find({ userId: who.me.id, link }).lean();
    expect(await told(owner)).toEqual([
      expect.objectContaining({ kind: 'topic.updated', title: `开始投票：${topic.title}` }),
    ]);
    expect(await told(tenant)).toEqual([]);
    // The subscribe message goes out after the inbox entry: its template is found and the consent spent. (The
    // WeChat stand-in here holds no consent from a phone's dialog, so WeChat's own answer is 43101, refused.)
    let delivery = null;
    for (let i = 0; i < 50 && !delivery; i++) {
      delivery = await app.models.Delivery.findOne({ userId: owner.me.id, kind: 'topic.updated' }).lean();
      if (!delivery) await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(delivery).toMatchObject({ result: 'refused', errcode: 43101 });
    expect(
      await app.models.SubscribeConsent.findOne({ userId: owner.me.id, kind: 'topic.updated' }).lean(),
    ).toMatchObject({ remaining: 0 });
  });

  test("an owners' major matter is decided by Art. 278 with every figure", async () => {
    const topic = await ballotOn('owners_major');
    expect(topic.ballot).toMatchObject({ rule: 'art278_major', ownersOnly: true });
    expect(topic.ballot!.turnout.totalAreaHundredths).toBeGreaterThan(0);
    const tenantOf1 = await resident(app, [...SUNSHINE_1, '1单元'], '502', 'tenant');
    expect((await call(tenantOf1, 'POST', `/topics/${topic.id}/ballot/vote`, { choice: 'yes' })).statusCode).toBe(403);
    await ok(owner, 'POST', `/topics/${topic.id}/ballot/vote`, { choice: 'yes' });
    const closed = await closeAt(topic);
    const figures = closed.ballot!.result!.art278!;
    expect(figures).toMatchObject({ matter: 'major', quorum: false, passed: false, yesHeads: 1 });
    expect(figures.totalHeads).toBeGreaterThan(1);
    expect(closed.status).toBe('rejected');
  });

  test('bad input gets a clear 4xx', async () => {
    const topic = await raise(app, owner, building, 'owners_ordinary');
    await ok(captain, 'POST', `/topics/${topic.id}/adopt`);
    const closesAt = new Date(start.getTime() + DAY_MS).toISOString();
    const cases: [string, object, number][] = [
      ['/ballot', { closesAt: start.toISOString() }, 400],
      ['/ballot', { closesAt, opensAt: new Date(start.getTime() - DAY_MS).toISOString() }, 400],
      ['/ballot', { closesAt: new Date(start.getTime() + 90 * DAY_MS).toISOString() }, 400],
      ['/ballot', { closesAt, choices: ['甲', '乙'] }, 400],
      ['/ballot', { closesAt, extra: 1 }, 400],
      ['/ballot', { closesAt: 'tomorrow' }, 400],
      ['/ballot/vote', { choice: 'yes' }, 409],
      ['/cosign', {}, 409],
    ];
    for (const [path, body, status] of cases) {
      const res = await call(captain, 'POST', `/topics/${topic.id}${path}`, body);
      expect([path, res.statusCode]).toEqual([path, status]);
      expect(res.json().code).toEqual(expect.any(String));
    }
    await ok(captain, 'POST', `/topics/${topic.id}/ballot`, { closesAt });
    expect((await call(owner, 'POST', `/topics/${topic.id}/ballot/vote`, { choice: 'c3' })).statusCode).toBe(400);
    expect((await call(owner, 'GET', `/topics/${topic.id}/ballot/receipts/abc`)).statusCode).toBe(400);
    expect(
      (await call(owner, 'POST', '/topics', { nodeId: building, title: '短', text: '短', kind: 'x' })).statusCode,
    ).toBe(400);
    expect((await call(owner, 'GET', '/topics?cursor=bm90LWEtY3Vyc29y')).statusCode).toBe(400);
  });
});

describe('discussion', () => {
  test('comments, replies and likes; the captain pins and folds; residents cannot', async () => {
    const topic = await raise(app, owner, building);
    const first = await ok<{ id: string }>(owner, 'POST', `/topics/${topic.id}/comments`, { text: '支持加装扶手' });
    const reply = await ok<{ parentId: string }>(captain, 'POST', `/topics/${topic.id}/comments`, {
      text: '同意，下周统计意见',
      parentId: first.id,
    });
    expect(reply.parentId).toBe(first.id);
    expect((await ok<{ likes: number }>(captain, 'POST', `/topic-comments/${first.id}/like`)).likes).toBe(1);
    expect((await ok<{ likes: number }>(captain, 'POST', `/topic-comments/${first.id}/like`)).likes).toBe(1);
    expect((await call(owner, 'POST', `/topic-comments/${first.id}/fold`, { reason: '跑题' })).statusCode).toBe(403);
    const folded = await ok<{ folded: { reason: string } }>(captain, 'POST', `/topic-comments/${first.id}/fold`, {
      reason: '与议题无关',
    });
    expect(folded.folded.reason).toBe('与议题无关');
    await ok(captain, 'POST', `/topic-comments/${first.id}/pin`, { pinned: true });
    const page = await ok<{ items: { id: string; author: { displayName: string } }[] }>(
      owner,
      'GET',
      `/topics/${topic.id}/comments`,
    );
    expect(page.items[0]!.id).toBe(first.id);
    expect(page.items[1]!.author.displayName).toBe('张**');
    await ok(captain, 'POST', `/topics/${topic.id}/summary`, { note: '多数邻居支持，进入表决' });
    const closed = await ok(captain, 'POST', `/topics/${topic.id}/close-discussion`);
    expect(closed.discussion).toMatchObject({ closed: true, summary: '多数邻居支持，进入表决' });
    expect((await call(owner, 'POST', `/topics/${topic.id}/comments`, { text: '还有话说' })).json().code).toBe(
      'DISCUSSION_CLOSED',
    );
  });

  test('three flags hide a comment until staff look', async () => {
    const topic = await raise(app, owner, building);
    const comment = await ok<{ id: string }>(owner, 'POST', `/topics/${topic.id}/comments`, { text: '广告内容' });
    const flaggers = [
      captain,
      await resident(app, [...SUNSHINE_1, '2单元'], '302'),
      await resident(app, [...SUNSHINE_1, '2单元'], '301'),
    ];
    for (const who of flaggers)
      await ok<object>(who, 'POST', '/flags', { kind: 'topic_comment', id: comment.id, reason: '广告' });
    const seen = await ok<{ items: { id: string }[] }>(flaggers[1]!, 'GET', `/topics/${topic.id}/comments`);
    expect(seen.items.map((c) => c.id)).not.toContain(comment.id);
    const staffSees = await ok<{ items: { id: string; moderation: string }[] }>(
      staff,
      'GET',
      `/topics/${topic.id}/comments`,
    );
    expect(staffSees.items.find((c) => c.id === comment.id)!.moderation).toBe('hidden');
  });
});

describe('carry out and evaluate', () => {
  test('owner and plan, progress, done, 14 days of rating, then the result is published', async () => {
    const topic = await ballotOn('public');
    await ok(owner, 'POST', `/topics/${topic.id}/ballot/vote`, { choice: 'yes' });
    await closeAt(topic);
    clock.set(new Date(new Date(topic.ballot!.closesAt).getTime() + HOUR));
    expect(
      (await call(owner, 'POST', `/topics/${topic.id}/implementation`, { owner: '王师傅', plan: '三周内完成' }))
        .statusCode,
    ).toBe(403);
    await ok(captain, 'POST', `/topics/${topic.id}/implementation`, { owner: '王师傅', plan: '三周内完成安装' });
    await ok(captain, 'POST', `/topics/${topic.id}/progress`, { note: '扶手已到货' });
    const done = await ok(captain, 'POST', `/topics/${topic.id}/done`, { note: '全部安装完成' });
    expect(done.status).toBe('rating');
    await ok(owner, 'POST', `/topics/${topic.id}/rating`, { score: 5 });
    await ok(captain, 'POST', `/topics/${topic.id}/rating`, { score: 4 });
    const rated = await ok(owner, 'POST', `/topics/${topic.id}/rating`, { score: 4 });
    expect(rated.rating).toMatchObject({ mine: 4, published: null });
    clock.set(new Date(done.rating!.closesAt));
    await app.jobs.runDue();
    const completed = await ok(owner, 'GET', `/topics/${topic.id}`);
    expect(completed).toMatchObject({
      status: 'completed',
      rating: { published: { averageTenths: 40, households: 2 } },
    });
    expect(completed.implementation!.updates.map((u) => u.note)).toEqual(['扶手已到货', '全部安装完成']);
    const notices = await ok<{ items: { title: string }[] }>(owner, 'GET', `/channels/${building}/notices`);
    expect(notices.items.some((n) => n.title === `实施结果公开：${topic.title}`)).toBe(true);
    const timeline = await ok<{ action: string }[]>(owner, 'GET', `/topics/${topic.id}/timeline`);
    expect(timeline.map((e) => e.action)).toEqual([
      'propose',
      'adopt',
      'open-ballot',
      'close-ballot',
      'implement',
      'progress',
      'done',
      'publish-result',
    ]);
  });
});

test('the demo seeds a topic in every stage, an open owners’ ballot and a published Art. 278 decision', async () => {
  const topics = await ok<{ items: TopicView[] }>(staff, 'GET', '/topics?limit=50');
  const seeded = topics.items.filter((t) => demoTopics.some((d) => d.title === t.title && d.text === t.text));
  expect(new Set(seeded.map((t) => t.status))).toEqual(
    new Set(['proposed', 'lapsed', 'agenda', 'voting', 'decided', 'rejected', 'implementing', 'rating', 'completed']),
  );
  const open = seeded.find((t) => t.status === 'voting')!;
  // Seeded against the wall clock; this app's clock is set in the past, so the ballot has not opened yet here.
  expect(open.ballot).toMatchObject({ ownersOnly: true, result: null, turnout: { votedHouseholds: 8 } });
  const major = seeded.find((t) => t.kind === 'owners_major')!;
  expect(major.ballot!.result!.art278).toMatchObject({ matter: 'major', quorum: true, passed: true, yesHeads: 44 });
  // Published in the estate's channel with every figure.
  const estate = await placeId(app, ['幸福里社区', '阳光花园']);
  const notices = await ok<{ items: { title: string; body: string }[] }>(owner, 'GET', `/channels/${estate}/notices`);
  expect(notices.items.find((n) => n.title === `决议公开：${major.title}`)!.body).toContain('参与表决面积');
});
