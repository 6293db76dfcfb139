import type { FastifyInstance } from 'fastify';
import { demoAppAt, place } from '../helpers/demo';
import type { LoggedIn } from '../helpers/session';
import { householdAt, postWish, publishedWish, uploadPhoto, wishMove } from '../helpers/wishes';

const DAY = 24 * 3600_000;
const start = new Date('2027-03-10T10:00:00+08:00');
const demo = demoAppAt(start, ['owner', 'captain', 'staff', 'volunteer', 'tenant', 'handyman']);
const clock = demo.clock;
let app: FastifyInstance;
let owner: LoggedIn;
let captain: LoggedIn;
let staff: LoggedIn;
let volunteer: LoggedIn;
let tenant: LoggedIn;
let handyman: LoggedIn;
let community: string;

beforeAll(async () => {
  ({ app } = demo);
  ({ owner, captain, staff, volunteer, tenant, handyman } = demo.users);
  community = String((await place(app, ['幸福里社区']))._id);
}, 30_000);

const get = (who: LoggedIn, url: string) => app.inject({ url, headers: who.headers });
const SECRETS = ['孙桂英', '1单元502', '13700001111', '张楼长', '王阿姨', '1单元302', '13800000007', '13800000005'];

describe('privacy', () => {
  test('an unrelated resident never receives a beneficiary’s name, room or phone, nor the proxy’s name', async () => {
    const householdId = await householdAt(app, ['幸福里社区', '阳光花园', '1栋', '1单元'], '502');
    const recorded = await publishedWish(app, captain, staff, {
      householdId,
      beneficiary: { name: '孙桂英', phone: '13700001111' },
      showMaskedName: true,
      text: '想要一副老花镜',
    });
    const own = await publishedWish(app, owner, staff, {
      showMaskedName: false,
      text: '想请人陪我去公园走走',
      kind: 'companionship',
    });
    await wishMove(app, volunteer, own, 'claim', { as: 'volunteer', showName: true });
    const done = await publishedWish(app, owner, staff, { text: '想要一个暖手宝' });
    await wishMove(app, volunteer, done, 'claim', { as: 'volunteer', showName: true });
    await wishMove(app, volunteer, done, 'fulfil', { note: '已送到', mediaIds: [await uploadPhoto(app, volunteer)] });
    await wishMove(app, owner, done, 'confirm', { thanks: '谢谢' });
    const bodies = await Promise.all(
      [
        '/api/wishes?view=wall&limit=50',
        '/api/wishes?view=done&limit=50',
        '/api/wishes?view=wall&kind=goods',
        `/api/wishes/${recorded}`,
        `/api/wishes/${own}`,
        `/api/wishes/${done}`,
      ].map(async (url) => {
        const res = await get(tenant, url);
        expect([url, res.statusCode]).toEqual([url, 200]);
        return res.body;
      }),
    );
    for (const body of bodies) for (const secret of SECRETS) expect(body).not.toContain(secret);
    const seen = JSON.parse(bodies[3]!);
    expect(seen.beneficiary).toEqual({ label: '1栋 孙**', showMaskedName: true, name: null, room: null, phone: null });
    expect(seen.proxyName).toBeNull();
    expect(JSON.parse(bodies[4]!).beneficiary.label).toBe('一位独居老人');
    expect(JSON.parse(bodies[4]!).claim.name).toBe('吴**');
    // The claimant knows whom to visit, but no phone of the other side reaches them.
    const claimantView = (await get(volunteer, `/api/wishes/${own}`)).json();
    expect(claimantView.beneficiary).toMatchObject({ name: '王阿姨', room: '1栋1单元302', phone: null });
    expect(JSON.stringify(claimantView)).not.toContain('13800000007');
    // Staff see everything.
    expect((await get(staff, `/api/wishes/${recorded}`)).json()).toMatchObject({
      proxyName: '张楼长',
      beneficiary: { name: '孙桂英', phone: '13700001111' },
    });
  });

  test('the wall is nearest wanted-by first, filtered by kind, paged by cursor without repeats', async () => {
    for (const wantedBy of ['2027-03-25', '2027-03-11', '2027-03-18'])
      await publishedWish(app, owner, staff, { wantedBy, kind: 'other' });
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { items: { id: string; wantedBy: string; kind: string }[]; nextCursor: string | null } = (
        await get(tenant, `/api/wishes?view=wall&kind=other&limit=2${cursor ? `&cursor=${cursor}` : ''}`)
      ).json();
      expect(page.items.every((w) => w.kind === 'other')).toBe(true);
      seen.push(...page.items.map((w) => w.wantedBy));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual([...seen].sort());
    expect(seen).toEqual(expect.arrayContaining(['2027-03-11', '2027-03-18', '2027-03-25']));
    expect((await get(tenant, '/api/wishes?view=wall&cursor=bm9wZQ')).statusCode).toBe(400);
    expect((await get(tenant, '/api/wishes?view=everything')).statusCode).toBe(400);
  });
});

test('a thank-you the text check holds takes the wish off the done wall until staff let it through', async () => {
  const id = await publishedWish(app, owner, staff);
  await wishMove(app, volunteer, id, 'claim', { as: 'volunteer', showName: true });
  await wishMove(app, volunteer, id, 'fulfil', { note: '已送到', mediaIds: [await uploadPhoto(app, volunteer)] });
  expect((await wishMove(app, owner, id, 'confirm', { thanks: '测试待审词' })).json().state).toBe('confirmed');
  expect((await get(tenant, `/api/wishes/${id}`)).statusCode).toBe(404);
  expect((await get(tenant, '/api/wishes?view=done&limit=50')).body).not.toContain(id);
  const held = await app.models.ModerationCase.findOne({ itemId: id, status: 'open' })
    .setOptions({ crossCommunity: true })
    .lean();
  await app.inject({ method: 'POST', url: `/api/moderation/cases/${held!._id}/approve`, headers: staff.headers });
  expect((await get(tenant, `/api/wishes/${id}`)).statusCode).toBe(200);
});

describe('messages', () => {
  test('the two sides talk while a claim stands; nobody else reads; phone numbers are starred', async () => {
    const id = await publishedWish(app, owner, staff);
    const send = (who: LoggedIn, text: string) =>
      app.inject({ method: 'POST', url: `/api/wishes/${id}/messages`, headers: who.headers, payload: { text } });
    expect((await send(owner, '您好')).json().code).toBe('WISH_STATE');
    await wishMove(app, volunteer, id, 'claim', { as: 'volunteer', showName: true });
    expect((await send(owner, '下午在家，电话13800000007')).statusCode).toBe(201);
    expect((await send(volunteer, '好的，三点到')).json()).toMatchObject({ from: 'claimant', isMe: true });
    expect((await send(tenant, '我也想聊')).statusCode).toBe(404);
    expect((await send(volunteer, '测试违规词')).json().code).toBe('CONTENT_RISKY');
    const page = (await get(volunteer, `/api/wishes/${id}/messages`)).json();
    expect(page.items.map((m: { text: string }) => m.text)).toEqual(['好的，三点到', '下午在家，电话***********']);
    expect(JSON.stringify(page)).not.toMatch(/王阿姨|吴志愿|1380000/);
    expect((await get(tenant, `/api/wishes/${id}/messages`)).statusCode).toBe(404);
    expect((await get(staff, `/api/wishes/${id}/messages`)).statusCode).toBe(200);
  });
});

describe('organisations', () => {
  test('staff register one with a join code; a member joins with it and claims in its name', async () => {
    const url = `/api/communities/${community}/wish-organisations`;
    const payload = { name: '阳光爱心车队', contactName: '赵队长', contactPhone: '13911112222' };
    expect((await app.inject({ method: 'POST', url, headers: tenant.headers, payload })).statusCode).toBe(403);
    const created = await app.inject({ method: 'POST', url, headers: staff.headers, payload });
    expect(created.statusCode).toBe(201);
    const code = created.json().joinCode;
    expect(code).toMatch(/^[A-Z0-9]{6}$/);
    const listed = (await get(tenant, url)).json().items.find((o: { name: string }) => o.name === '阳光爱心车队');
    expect(listed).toMatchObject({ contactName: '赵**', joinCode: null, isMember: false, canManage: false });
    expect(listed.contactPhone).not.toBe('13911112222');
    const join = (code: string) =>
      app.inject({ method: 'POST', url: '/api/wish-organisations/join', headers: tenant.headers, payload: { code } });
    expect((await join('ZZZZZZ')).json().code).toBe('ORGANISATION_CODE_INVALID');
    expect((await join(code)).json()).toMatchObject({ isMember: true, members: 1 });
    const id = await publishedWish(app, owner, staff);
    const view = (await get(tenant, `/api/wishes/${id}`)).json();
    expect(view).toMatchObject({ claimAs: ['organisation'], organisations: [{ name: '阳光爱心车队' }] });
    const claimed = await wishMove(app, tenant, id, 'claim', {
      as: 'organisation',
      organisationId: created.json().id,
      showName: true,
    });
    expect(claimed.json().claim).toMatchObject({ type: 'organisation', name: '阳光爱心车队' });
  });
});

describe('figures', () => {
  test('a month’s counts, median days to fulfil, by kind and claimant type, and the roll of honour', async () => {
    clock.set(new Date('2027-06-03T10:00:00+08:00'));
    const a = await publishedWish(app, owner, staff, { kind: 'goods', wantedBy: '2027-06-20' });
    const b = await publishedWish(app, owner, staff, { kind: 'service', wantedBy: '2027-06-20' });
    await postWish(app, owner, { kind: 'goods', wantedBy: '2027-06-20' });
    await wishMove(app, volunteer, a, 'claim', { as: 'volunteer', showName: true });
    await wishMove(app, handyman, b, 'claim', { as: 'volunteer', showName: false });
    clock.set(new Date('2027-06-05T10:00:00+08:00'));
    await wishMove(app, volunteer, a, 'fulfil', { note: '已送到', mediaIds: [await uploadPhoto(app, volunteer)] });
    await wishMove(app, owner, a, 'confirm', {});
    clock.set(new Date('2027-06-07T10:00:00+08:00'));
    await wishMove(app, handyman, b, 'fulfil', { note: '已修好', mediaIds: [await uploadPhoto(app, handyman)] });
    const url = `/api/wish-figures?communityId=${community}&month=2027-06`;
    expect((await get(tenant, url)).statusCode).toBe(403);
    const f = (await get(staff, url)).json();
    expect(f).toMatchObject({
      month: '2027-06',
      totals: { posted: 3, published: 2, claimed: 2, fulfilled: 2, confirmed: 1 },
      medianDaysToFulfil: 3,
    });
    expect(f.byKind).toContainEqual({ kind: 'goods', posted: 2, fulfilled: 1 });
    expect(f.byKind).toContainEqual({ kind: 'service', posted: 1, fulfilled: 1 });
    expect(f.byClaimantType).toContainEqual({ type: 'volunteer', claimed: 2, fulfilled: 2 });
    expect(f.honour).toEqual([
      { name: '吴志愿', type: 'volunteer', fulfilled: 1 },
      { name: '一位志愿者', type: 'volunteer', fulfilled: 1 },
    ]);
    const csv = await get(staff, `/api/wish-figures/export?communityId=${community}&month=2027-06`);
    expect(csv.headers['content-type']).toContain('text/csv');
    expect(csv.body).toContain('吴志愿');
    expect((await get(staff, `/api/wish-figures?communityId=${community}&month=2027-13`)).statusCode).toBe(400);
    expect(clock.now().getTime() - start.getTime()).toBeGreaterThan(DAY);
  });
});

test('the demo seeds a wish in every state, an organisation and wishes recorded for neighbours', async () => {
  const demo = await app.models.Wish.find({ communityId: community, idempotencyKey: /^demo-wish-/ }).lean();
  expect(new Set(demo.map((w) => w.state))).toEqual(
    new Set([
      'pending',
      'returned',
      'rejected',
      'published',
      'claimed',
      'fulfilled',
      'disputed',
      'confirmed',
      'withdrawn',
    ]),
  );
  expect(demo.some((w) => w.onBehalf && w.beneficiaryKind === 'elderly_alone')).toBe(true);
  expect((await get(staff, '/api/wishes?view=review')).json().items.length).toBeGreaterThan(0);
  expect((await get(volunteer, '/api/wishes?view=claims')).json().items.length).toBeGreaterThan(0);
  expect((await get(tenant, '/api/wishes?view=done')).json().items.length).toBeGreaterThan(0);
  const organisations = (await get(tenant, `/api/communities/${community}/wish-organisations`)).json().items;
  expect(organisations.map((o: { name: string }) => o.name)).toContain('幸福里爱心车队');
});
