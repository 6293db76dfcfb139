import type { FastifyInstance } from 'fastify';
import { demoAppAt, place } from '../helpers/demo';
import { login, newcomer, type LoggedIn } from '../helpers/session';
import { householdAt, postWish, publishedWish, uploadPhoto, wishMove } from '../helpers/wishes';

const DAY = 24 * 3600_000;
// 10:00 in Beijing; the demo's own wishes are dated by the real clock, months before.
const start = new Date('2027-03-10T10:00:00+08:00');
const demo = demoAppAt(start, ['owner', 'captain', 'staff', 'volunteer', 'tenant']);
const clock = demo.clock;
let app: FastifyInstance;
let owner: LoggedIn;
let captain: LoggedIn;
let staff: LoggedIn;
let volunteer: LoggedIn;
let tenant: LoggedIn;
const unit11 = ['幸福里社区', '阳光花园', '1栋', '1单元'];

beforeAll(async () => {
  ({ app } = demo);
  ({ owner, captain, staff, volunteer, tenant } = demo.users);
}, 30_000);

const get = (who: LoggedIn, url: string) => app.inject({ url, headers: who.headers });

describe('posting', () => {
  test('a resident posts for their own household: pending, theirs, the beneficiary is them; a retry is the same', async () => {
    const key = `own-${Date.now()}`;
    const res = await postWish(app, owner, { idempotencyKey: key });
    expect(res.statusCode).toBe(201);
    const wish = res.json();
    expect(wish).toMatchObject({
      state: 'pending',
      isMine: true,
      onBehalf: false,
      proxyName: null,
      place: { kind: 'estate', name: '阳光花园' },
      beneficiary: { label: '1栋 王**', name: '王阿姨', room: '1栋1单元302', phone: '13800000007' },
      actions: ['withdraw'],
    });
    const again = await postWish(app, owner, { idempotencyKey: key });
    expect(again.statusCode).toBe(200);
    expect(again.json().id).toBe(wish.id);
  });

  test('a captain records a wish for a neighbour of their building (代录) and becomes its proxy', async () => {
    const householdId = await householdAt(app, unit11, '502');
    const res = await postWish(app, captain, {
      householdId,
      beneficiary: { name: '孙桂英', phone: '13700001111' },
      showMaskedName: false,
    });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({
      isMine: true,
      onBehalf: true,
      proxyName: '张楼长',
      beneficiary: { label: '一位独居老人', name: '孙桂英', room: '1栋1单元502', phone: '13700001111' },
    });
  });

  test('refused posts answer a clear 4xx with a stable code', async () => {
    const neighbour = await householdAt(app, unit11, '502');
    const cases: [LoggedIn, Record<string, unknown>, number, string][] = [
      [owner, { beneficiary: { name: '某某' } }, 422, 'WISH_BENEFICIARY'],
      [captain, { householdId: neighbour }, 422, 'WISH_BENEFICIARY'],
      [tenant, { householdId: neighbour, beneficiary: { name: '某某' } }, 403, 'FORBIDDEN'],
      [owner, { valueYuan: 301 }, 422, 'WISH_VALUE_TOO_HIGH'],
      [owner, { wantedBy: '2027-03-09' }, 422, 'WISH_DATE_PAST'],
      [owner, { text: '测试违规词' }, 422, 'CONTENT_RISKY'],
      [owner, { text: 'x' }, 400, 'VALIDATION_FAILED'],
      [owner, { kind: 'money' }, 400, 'VALIDATION_FAILED'],
      [owner, { householdId: '000000000000000000000000' }, 404, 'NOT_FOUND'],
    ];
    for (const [who, fields, status, code] of cases) {
      const res = await postWish(app, who, fields);
      expect([JSON.stringify(fields), res.statusCode, res.json().code]).toEqual([JSON.stringify(fields), status, code]);
    }
    const stranger = await newcomer(app);
    expect((await postWish(app, stranger)).json().code).toBe('NO_HOUSEHOLD');
  });

  test('the value cap and lapse days follow the community settings (staff only change them)', async () => {
    const community = String((await place(app, ['幸福里社区']))._id);
    const url = `/api/communities/${community}/wish-settings`;
    expect((await get(owner, url)).json()).toEqual({
      maxValueYuan: 300,
      claimLapseDays: 7,
      autoConfirmDays: 7,
      canEdit: false,
    });
    const body = { maxValueYuan: 500, claimLapseDays: 7, autoConfirmDays: 7 };
    expect((await app.inject({ method: 'PUT', url, headers: owner.headers, payload: body })).statusCode).toBe(403);
    const bad = await app.inject({
      method: 'PUT',
      url,
      headers: staff.headers,
      payload: { ...body, claimLapseDays: 0 },
    });
    expect(bad.statusCode).toBe(400);
    const saved = await app.inject({ method: 'PUT', url, headers: staff.headers, payload: body });
    expect(saved.json()).toMatchObject({ maxValueYuan: 500, canEdit: true });
    expect((await postWish(app, owner, { valueYuan: 450 })).statusCode).toBe(201);
    await app.inject({ method: 'PUT', url, headers: staff.headers, payload: { ...body, maxValueYuan: 300 } });
  });
});

describe('review', () => {
  test('staff return it, the poster edits and resubmits, staff publish: on the wall and in the estate channel', async () => {
    const id = (await postWish(app, owner, { text: '想请人帮忙修一下收音机' })).json().id;
    expect((await wishMove(app, owner, id, 'publish')).statusCode).toBe(403);
    const returned = await wishMove(app, staff, id, 'return', { reason: '请写清楚需要什么型号' });
    expect(returned.json()).toMatchObject({ state: 'returned', reviewNote: '请写清楚需要什么型号' });
    const edited = await wishMove(app, owner, id, 'resubmit', {
      text: '想要一台能插卡的老人收音机',
      kind: 'goods',
      beneficiaryKind: 'elderly_alone',
      valueYuan: 80,
      wantedBy: '2027-03-20',
      showMaskedName: true,
    });
    expect(edited.json()).toMatchObject({ state: 'pending', text: '想要一台能插卡的老人收音机', reviewNote: null });
    const published = await wishMove(app, staff, id, 'publish');
    expect(published.json()).toMatchObject({ state: 'published', publishedAt: start.toISOString() });
    expect((await wishMove(app, staff, id, 'publish')).json().code).toBe('WISH_STATE');
    const estate = await place(app, ['幸福里社区', '阳光花园']);
    const notice = await app.models.Notice.findOne({ communityId: estate.communityId, channelId: estate._id })
      .sort({ _id: -1 })
      .lean();
    expect(notice?.body).toContain('想要一台能插卡的老人收音机');
    expect(notice?.body).toContain('1栋 王**');
    expect(notice?.body).not.toContain('王阿姨');
    const wall = (await get(tenant, '/api/wishes?view=wall&limit=50')).json();
    expect(wall.items.map((w: { id: string }) => w.id)).toContain(id);
    const inbox = (await get(owner, '/api/inbox')).json();
    expect(JSON.stringify(inbox)).toContain('已发布到心愿墙');
  });

  test('staff reject with a reason; a wish whose text awaits moderation cannot be published', async () => {
    const id = (await postWish(app, owner)).json().id;
    expect((await wishMove(app, staff, id, 'reject', { reason: '不属于微心愿范围' })).json().state).toBe('rejected');
    expect((await get(tenant, `/api/wishes/${id}`)).statusCode).toBe(404);
    const held = (await postWish(app, owner, { text: '想要测试待审词' })).json().id;
    expect((await wishMove(app, staff, held, 'publish')).json().code).toBe('WISH_UNDER_REVIEW');
    const queue = (await get(staff, '/api/wishes?view=review&limit=50')).json();
    expect(queue.items.map((w: { id: string }) => w.id)).toContain(held);
    expect((await get(owner, '/api/wishes?view=review')).statusCode).toBe(403);
    // Once staff let the text through, it can be published.
    const moderation = await app.models.ModerationCase.findOne({ itemId: held, status: 'open' })
      .setOptions({ crossCommunity: true })
      .lean();
    const approved = await app.inject({
      method: 'POST',
      url: `/api/moderation/cases/${moderation!._id}/approve`,
      headers: staff.headers,
    });
    expect(approved.statusCode).toBe(200);
    expect((await wishMove(app, staff, held, 'publish')).json().state).toBe('published');
  });

  test('the poster withdraws an unclaimed wish', async () => {
    const id = await publishedWish(app, owner, staff);
    expect((await wishMove(app, owner, id, 'withdraw', {})).json().state).toBe('withdrawn');
    expect((await wishMove(app, owner, id, 'withdraw', {})).json().code).toBe('WISH_STATE');
  });
});

describe('claims', () => {
  test('only party members, volunteers and organisation members claim; never the poster', async () => {
    const id = await publishedWish(app, owner, staff);
    const refused = await wishMove(app, tenant, id, 'claim', { as: 'volunteer', showName: true });
    expect([refused.statusCode, refused.json().code]).toEqual([403, 'NOT_A_CLAIMANT']);
    const asOrg = await wishMove(app, volunteer, id, 'claim', { as: 'organisation', showName: true });
    expect(asOrg.json().code).toBe('NOT_A_CLAIMANT');
    const own = await wishMove(app, captain, await publishedWish(app, captain, staff), 'claim', {
      as: 'party_member',
      showName: true,
    });
    expect(own.statusCode).toBe(403);
    const claimed = await wishMove(app, volunteer, id, 'claim', { as: 'volunteer', showName: true });
    expect(claimed.json()).toMatchObject({
      state: 'claimed',
      claim: {
        type: 'volunteer',
        name: '吴志愿',
        isMe: true,
        lapsesAt: new Date(start.getTime() + 7 * DAY).toISOString(),
      },
      canMessage: true,
      beneficiary: { name: '王阿姨', room: '1栋1单元302', phone: null },
    });
    const seen = (await get(owner, `/api/wishes/${id}`)).json();
    expect(seen.claim.name).toBe('吴**');
  });

  test('100 concurrent claims: exactly one wins, 99 get 409 WISH_TAKEN 已被认领', async () => {
    const id = await publishedWish(app, owner, staff);
    const unit = await place(app, ['幸福里社区', '翠竹苑', '2栋', '2单元']);
    const claimants = await Promise.all(
      Array.from({ length: 100 }, async (_, i) => {
        const openid = `wish-claimant-${process.pid}-${i}`;
        const user = await app.models.User.create({ openid, displayName: `党员${i}`, badges: ['party_member'] });
        await app.models.RoleGrant.create({
          userId: user._id,
          role: 'resident',
          nodeId: unit._id,
          communityId: unit.communityId,
        });
        return login(app, openid);
      }),
    );
    const answers = await Promise.all(
      claimants.map((who) => wishMove(app, who, id, 'claim', { as: 'party_member', showName: false })),
    );
    const codes = answers.map((r) => r.statusCode);
    expect(codes.filter((c) => c === 200)).toHaveLength(1);
    expect(codes.filter((c) => c === 409)).toHaveLength(99);
    const lost = answers.find((r) => r.statusCode === 409)!.json();
    expect(lost).toMatchObject({ code: 'WISH_TAKEN', message: '已被认领' });
    const events = await app.models.Event.countDocuments({ itemKind: 'wish', itemId: id, action: 'claim' }).setOptions({
      crossCommunity: true,
    });
    expect(events).toBe(1);
  }, 60_000);

  test('a claim lapses at exactly claimedAt + 7 days and the wish returns to the wall, the claim kept', async () => {
    const id = await publishedWish(app, owner, staff);
    await wishMove(app, volunteer, id, 'claim', { as: 'volunteer', showName: true });
    clock.set(new Date(start.getTime() + 7 * DAY - 1));
    await app.jobs.runDue();
    expect((await get(owner, `/api/wishes/${id}`)).json().state).toBe('claimed');
    clock.set(new Date(start.getTime() + 7 * DAY));
    await app.jobs.runDue();
    const after = (await get(owner, `/api/wishes/${id}`)).json();
    expect(after).toMatchObject({ state: 'published', claim: null });
    const stored = await app.models.Wish.findOne({ _id: id }).setOptions({ crossCommunity: true }).lean();
    expect(stored?.claims).toMatchObject([{ outcome: 'lapsed' }]);
    const mine = (await get(volunteer, '/api/wishes?view=claims&limit=50')).json();
    expect(mine.items.map((w: { id: string }) => w.id)).toContain(id);
  });

  test('the claimant releases with a reason: back on the wall; the lapse job then does nothing', async () => {
    const id = await publishedWish(app, owner, staff);
    await wishMove(app, volunteer, id, 'claim', { as: 'party_member', showName: false });
    expect((await wishMove(app, owner, id, 'release', { reason: '不想要了' })).statusCode).toBe(403);
    expect((await wishMove(app, volunteer, id, 'release', { reason: '临时出差' })).json().state).toBe('published');
    await wishMove(app, captain, id, 'claim', { as: 'party_member', showName: true });
    clock.set(new Date(start.getTime() + 7 * DAY));
    await app.jobs.runDue();
    expect((await get(owner, `/api/wishes/${id}`)).json().state).toBe('published');
  });
});

describe('fulfilment', () => {
  async function fulfilled(): Promise<string> {
    const id = await publishedWish(app, owner, staff);
    await wishMove(app, volunteer, id, 'claim', { as: 'volunteer', showName: true });
    const photo = await uploadPhoto(app, volunteer);
    const res = await wishMove(app, volunteer, id, 'fulfil', { note: '收音机已送到阿姨家', mediaIds: [photo] });
    expect(res.statusCode).toBe(200);
    return id;
  }

  test('fulfil needs a proof photo; the owner confirms with thanks; the done wall shows it', async () => {
    const id = await publishedWish(app, owner, staff);
    await wishMove(app, volunteer, id, 'claim', { as: 'volunteer', showName: true });
    expect((await wishMove(app, volunteer, id, 'fulfil', { note: '已送到', mediaIds: [] })).statusCode).toBe(400);
    const photo = await uploadPhoto(app, volunteer);
    const done = await wishMove(app, volunteer, id, 'fulfil', { note: '收音机已送到阿姨家', mediaIds: [photo] });
    expect(done.json()).toMatchObject({ state: 'fulfilled', fulfilment: { note: '收音机已送到阿姨家' } });
    expect(done.json().fulfilment.media).toHaveLength(1);
    expect((await wishMove(app, volunteer, id, 'confirm', {})).statusCode).toBe(403);
    const confirmed = await wishMove(app, owner, id, 'confirm', { thanks: '谢谢小吴，收音机很好用' });
    expect(confirmed.json()).toMatchObject({
      state: 'confirmed',
      confirmation: { by: 'beneficiary', thanks: '谢谢小吴，收音机很好用' },
    });
    const wall = (await get(tenant, '/api/wishes?view=done&limit=50')).json();
    const shown = wall.items.find((w: { id: string }) => w.id === id);
    expect(shown).toMatchObject({
      confirmation: { thanks: '谢谢小吴，收音机很好用' },
      beneficiary: { label: '1栋 王**' },
    });
    expect(shown.fulfilment.media).toEqual([]);
  });

  test('an unconfirmed fulfilment confirms itself at exactly fulfilment + 7 days', async () => {
    const id = await fulfilled();
    clock.set(new Date(start.getTime() + 7 * DAY - 1));
    await app.jobs.runDue();
    expect((await get(owner, `/api/wishes/${id}`)).json().state).toBe('fulfilled');
    clock.set(new Date(start.getTime() + 7 * DAY));
    await app.jobs.runDue();
    expect((await get(owner, `/api/wishes/${id}`)).json()).toMatchObject({
      state: 'confirmed',
      confirmation: { by: 'auto', at: new Date(start.getTime() + 7 * DAY).toISOString() },
    });
  });

  test('a dispute goes to staff, who settle it or reopen it (the claim ended); no auto-confirm after', async () => {
    const settled = await fulfilled();
    expect((await wishMove(app, owner, settled, 'dispute', { reason: '收到的东西坏了' })).json().state).toBe(
      'disputed',
    );
    const decided = await wishMove(app, staff, settled, 'settle', { note: '已核实送达' });
    expect(decided.json()).toMatchObject({
      state: 'confirmed',
      confirmation: { by: 'staff' },
      dispute: { decision: { outcome: 'settle' } },
    });
    const reopened = await fulfilled();
    await wishMove(app, owner, reopened, 'dispute', { reason: '并没有收到' });
    expect((await wishMove(app, volunteer, reopened, 'reopen', { note: '重新认领' })).statusCode).toBe(403);
    const back = await wishMove(app, staff, reopened, 'reopen', { note: '核实未送达，重回心愿墙' });
    expect(back.json()).toMatchObject({ state: 'published', claim: null, fulfilment: null });
    clock.set(new Date(start.getTime() + 8 * DAY));
    await app.jobs.runDue();
    expect((await get(owner, `/api/wishes/${reopened}`)).json().state).toBe('published');
  });

  test('the timeline is the inside’s: poster, claimant, staff; 404 for anyone else', async () => {
    const id = await fulfilled();
    const timeline = (await get(owner, `/api/wishes/${id}/timeline`)).json();
    expect(timeline.map((e: { action: string }) => e.action)).toEqual(['post', 'publish', 'claim', 'fulfil']);
    expect((await get(tenant, `/api/wishes/${id}/timeline`)).statusCode).toBe(404);
    expect((await get(staff, `/api/wishes/${id}/timeline/export`)).statusCode).toBe(200);
  });
});
