import type { FastifyInstance } from 'fastify';
import { unzipSync, strFromU8 } from 'fflate';
import { Types } from 'mongoose';
import { maskName } from '../../shared/masking';
import { DELETED_USER_NAME, PRIVACY_POLICY_VERSION, privacyPolicy } from '../../shared/privacy';
import { manualClock } from '../../server/clock';
import { CROSS_COMMUNITY } from '../../server/data/tenant-scope';
import { RETENTION_JOB } from '../../server/modules/privacy/retention';
import { moved, nominated } from '../helpers/boards';
import { raise, resident } from '../helpers/deliberation';
import { buildDemoApp, placeId } from '../helpers/demo';
import { fileReport, photo } from '../helpers/reports';
import { login, loginDemo, type LoggedIn } from '../helpers/session';
import { publishedWish, wishMove } from '../helpers/wishes';

const start = new Date('2027-05-10T10:00:00+08:00');
const clock = manualClock(start);
const UNIT11 = ['幸福里社区', '阳光花园', '1栋', '1单元'];
let app: FastifyInstance;
let staff: LoggedIn;
let captain: LoggedIn;
let tenant: LoggedIn;
let volunteer: LoggedIn;
let unit11: string;
let n = 0;

beforeAll(async () => {
  app = await buildDemoApp({ clock });
  [staff, captain, tenant, volunteer] = await Promise.all([
    loginDemo(app, 'staff'),
    loginDemo(app, 'captain'),
    loginDemo(app, 'tenant'),
    loginDemo(app, 'volunteer'),
  ]);
  unit11 = await placeId(app, UNIT11);
}, 30_000);
afterAll(() => app.close());
beforeEach(() => clock.set(start));

const get = (who: LoggedIn, url: string) => app.inject({ url, headers: who.headers });
const post = (who: LoggedIn, url: string, payload: object = {}) =>
  app.inject({ method: 'POST', url, headers: who.headers, payload });

/** A new resident of 1栋1单元 `room` with a distinctive name and phone; answers the session and both. */
async function person(room: string, name: string): Promise<LoggedIn & { name: string; phone: string; openid: string }> {
  n += 1;
  const phone = `1391234${String(1000 + n).slice(-4)}`;
  const who = await resident(app, UNIT11, room);
  const patched = await app.inject({
    method: 'PATCH',
    url: '/api/me',
    headers: who.headers,
    payload: { displayName: name, phone },
  });
  expect(patched.statusCode).toBe(200);
  const user = await app.models.User.findById(who.me.id).lean();
  return { ...who, name, phone, openid: user!.openid };
}

async function consents(who: LoggedIn) {
  const res = await get(who, '/api/me/consents');
  expect(res.statusCode).toBe(200);
  return res.json().items as { id: string; kind: string; itemId: string; granted: boolean; title: string }[];
}

describe('the policy and its acceptance', () => {
  test('GET /privacy-policy answers the version and the configured retention; acceptance shows on /me', async () => {
    const policy = (await app.inject('/api/privacy-policy')).json();
    expect(policy).toMatchObject({ version: PRIVACY_POLICY_VERSION, retentionYears: 3 });
    expect(JSON.stringify(policy)).toContain('满 3 年');
    expect(privacyPolicy(5).sections.find((s) => s.key === 'retention')!.paragraphs[0]).toContain('满 5 年');
    const who = await person('101', '钱政策');
    expect((await get(who, '/api/me')).json().privacyAccepted).toBeNull();
    expect((await post(who, '/api/me/privacy-acceptance', { version: '2020-01-01' })).statusCode).toBe(422);
    const accepted = await post(who, '/api/me/privacy-acceptance', { version: PRIVACY_POLICY_VERSION });
    expect(accepted.json()).toEqual({ version: PRIVACY_POLICY_VERSION, acceptedAt: start.toISOString() });
    expect((await get(who, '/api/me')).json().privacyAccepted).toEqual(accepted.json());
  });
});

describe('consents', () => {
  test('the demo data carries the records behind its name flags', async () => {
    const owner = await loginDemo(app, 'owner');
    const kinds = new Set((await consents(owner)).map((c) => c.kind));
    expect(kinds.has('board_name')).toBe(true);
    expect(kinds.has('wish_beneficiary_name')).toBe(true);
  });

  test('a report’s name consent is recorded, and revoking hides the name from every later view', async () => {
    const who = await person('102', '赵报告');
    const filed = await fileReport(app, who, { showName: true, nodeId: unit11 });
    expect(filed.statusCode).toBe(201);
    const id = filed.json().id;
    const mine = (await consents(who)).filter((c) => c.itemId === id);
    expect(mine).toEqual([
      expect.objectContaining({ kind: 'report_name', granted: true, title: '楼道里堆满了杂物，影响通行' }),
    ]);
    expect((await get(captain, `/api/reports/${id}`)).json().reporter.displayName).toBe(maskName(who.name));
    const revoked = await post(who, `/api/me/consents/${mine[0]!.id}/revoke`);
    expect(revoked.json()).toMatchObject({ granted: false, revokedAt: start.toISOString() });
    // Idempotent: the same answer again.
    expect((await post(who, `/api/me/consents/${mine[0]!.id}/revoke`)).json()).toEqual(revoked.json());
    expect((await get(captain, `/api/reports/${id}`)).json().reporter.displayName).toBe('某居民');
    expect((await get(who, `/api/reports/${id}`)).json().reporter.displayName).toBe(who.name);
    // Someone else's consent is not there for anyone else.
    expect((await post(tenant, `/api/me/consents/${mine[0]!.id}/revoke`)).statusCode).toBe(404);
  });

  test('a wish’s beneficiary name and a claimant’s name: recorded, revoked, hidden', async () => {
    const who = await person('201', '孙心愿');
    const wish = await publishedWish(app, who, staff, {
      showMaskedName: true,
      text: '想要一把新雨伞',
      wantedBy: '2027-06-30',
    });
    const label = async () => (await get(tenant, `/api/wishes/${wish}`)).json().beneficiary.label as string;
    expect(await label()).toContain(maskName(who.name));
    expect((await wishMove(app, volunteer, wish, 'claim', { as: 'volunteer', showName: true })).statusCode).toBe(200);
    const record = (await consents(who)).find((c) => c.itemId === wish)!;
    expect(record).toMatchObject({ kind: 'wish_beneficiary_name', granted: true, title: '想要一把新雨伞' });
    await post(who, `/api/me/consents/${record.id}/revoke`);
    expect(await label()).not.toContain(maskName(who.name));
    expect((await app.models.Wish.findOne({ _id: wish }).setOptions(CROSS_COMMUNITY).lean())!.showMaskedName).toBe(
      false,
    );

    // A captain's 代录 for a neighbour is no consent of the captain's: nothing is recorded.
    const neighbour = await person('601', '何代录');
    const household = (await app.models.Household.findOne({ 'members.userId': neighbour.me.id })
      .setOptions(CROSS_COMMUNITY)
      .lean())!;
    const recorded = await publishedWish(app, captain, staff, {
      householdId: String(household._id),
      beneficiary: { name: neighbour.name, phone: neighbour.phone },
      showMaskedName: true,
      wantedBy: '2027-06-30',
    });
    expect((await consents(captain)).filter((c) => c.itemId === recorded)).toEqual([]);

    const claimant = (await consents(volunteer)).find((c) => c.itemId === wish)!;
    expect(claimant).toMatchObject({ kind: 'wish_claimant_name', granted: true });
    await post(volunteer, `/api/me/consents/${claimant.id}/revoke`);
    const stored = await app.models.Wish.findOne({ _id: wish }).setOptions(CROSS_COMMUNITY).lean();
    expect(stored!.claim!.showName).toBe(false);
  });

  test('a red board entry: the named person’s consent is recorded, revoking hides the name on the board', async () => {
    const who = await person('202', '周红榜');
    const household = (await app.models.Household.findOne({ 'members.userId': who.me.id })
      .setOptions(CROSS_COMMUNITY)
      .lean())!;
    const entry = await nominated(app, captain, {
      colour: 'red',
      act: 'helping_neighbours',
      nodeId: unit11,
      householdId: String(household._id),
      subjectUserId: who.me.id,
      description: '帮邻居修好了自行车',
    });
    await moved(app, staff, entry.id, 'confirm');
    await moved(app, who, entry.id, 'consent', { consent: true });
    const label = async () =>
      (await get(tenant, `/api/boards?colour=red&month=2027-05&limit=50`))
        .json()
        .items.find((i: { entryId: string }) => i.entryId === entry.id).subjectLabel as string;
    expect(await label()).toBe(who.name);
    const record = (await consents(who)).find((c) => c.itemId === entry.id)!;
    expect(record).toMatchObject({ kind: 'board_name', itemKind: 'board_entry', granted: true });
    await post(who, `/api/me/consents/${record.id}/revoke`);
    expect(await label()).not.toContain(who.name);
    // Giving it again on the entry starts a new record; revoking on the entry closes it.
    await moved(app, who, entry.id, 'consent', { consent: true });
    await moved(app, who, entry.id, 'consent', { consent: false });
    const all = (await consents(who)).filter((c) => c.itemId === entry.id);
    expect(all.map((c) => c.granted)).toEqual([false, false]);
  });
});

/** Every string a document holds, ids and dates as text, for scanning. */
async function everything(): Promise<string> {
  const db = app.db.connection.db!;
  const out: string[] = [];
  for (const { name } of await db.listCollections().toArray()) {
    const docs = await db.collection(name).find({}).toArray();
    out.push(`${name}:${JSON.stringify(docs)}`);
  }
  return out.join('\n');
}

describe('export', () => {
  test('the archive holds the resident’s data and photos and nothing of other people', async () => {
    const who = await person('401', '吴导出');
    const other = await person('402', '郑邻居');
    const filed = (
      await fileReport(app, who, { showName: true, nodeId: unit11, description: '吴的报告：路灯坏了' })
    ).json();
    const theirs = (await fileReport(app, other, { nodeId: unit11, description: '郑的报告：井盖松动' })).json();
    expect((await post(who, '/api/flags', { kind: 'report', id: theirs.id, reason: '内容不实' })).statusCode).toBe(200);
    await publishedWish(app, who, staff, { text: '想要一个新的台灯', wantedBy: '2027-06-30' });
    await raise(app, who, unit11, 'public', '吴提议修车棚');

    const asked = await post(who, '/api/me/exports');
    expect(asked.json()).toMatchObject({ state: 'pending', readyAt: null, expiresAt: null });
    const id = asked.json().id;
    expect((await get(who, `/api/me/exports/${id}/download`)).statusCode).toBe(409);
    expect((await get(other, `/api/me/exports/${id}`)).statusCode).toBe(404);
    await app.jobs.runDue();
    const ready = (await get(who, `/api/me/exports/${id}`)).json();
    expect(ready).toMatchObject({ state: 'ready', readyAt: start.toISOString() });
    expect(new Date(ready.expiresAt).getTime() - start.getTime()).toBe(24 * 3600_000);

    expect((await get(other, `/api/me/exports/${id}/download`)).statusCode).toBe(404);
    const res = await get(who, `/api/me/exports/${id}/download`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/zip');
    const files = unzipSync(new Uint8Array(res.rawPayload));
    const text = Object.entries(files)
      .filter(([name]) => name.endsWith('.json') || name.endsWith('.txt'))
      .map(([name, bytes]) => `${name}\n${strFromU8(bytes)}`)
      .join('\n');
    const profile = JSON.parse(strFromU8(files['profile.json']!));
    expect(profile).toMatchObject({ displayName: who.name, phone: who.phone, openid: who.openid });
    expect(text).toContain('吴的报告：路灯坏了');
    expect(text).toContain('想要一个新的台灯');
    expect(text).toContain('内容不实');
    expect(JSON.parse(strFromU8(files['deliberation.json']!)).topics).toEqual([
      expect.objectContaining({ title: '吴提议修车棚' }),
    ]);
    expect(JSON.parse(strFromU8(files['consents.json']!))).toEqual([
      expect.objectContaining({ kind: 'report_name', itemId: filed.id }),
      expect.objectContaining({ kind: 'wish_beneficiary_name' }),
    ]);
    const photos = Object.keys(files).filter((name) => name.startsWith('photos/'));
    expect(photos).toHaveLength(1);
    expect(files[photos[0]!]!.slice(0, 2)).toEqual(new Uint8Array([0xff, 0xd8]));
    // Nothing of anyone else: not the neighbour's name, phone or report, not the staff's names.
    for (const secret of [other.name, other.phone, '郑的报告', '李社工', '张楼长', '13800000007']) {
      expect(text).not.toContain(secret);
    }
    // Expired after 24 hours: refused, and the job removes the file.
    clock.set(new Date(start.getTime() + 24 * 3600_000));
    expect((await get(who, `/api/me/exports/${id}/download`)).statusCode).toBe(410);
    await app.jobs.runDue();
    const stored = await app.models.DataExport.findById(id).lean();
    expect(stored!.key).toBeNull();
  });
});

describe('deletion', () => {
  test('nothing personal is left, history reads 已注销用户, the same openid starts a new empty account', async () => {
    const who = await person('501', '冯注销');
    const report = (await fileReport(app, who, { showName: true, nodeId: unit11, description: '冯的报告' })).json();
    const wish = await publishedWish(app, who, staff, {
      text: '想要一个保温杯',
      showMaskedName: true,
      wantedBy: '2027-06-30',
    });
    // A captain recorded a wish for them (代录) with their name and phone.
    const home = (await app.models.Household.findOne({ 'members.userId': who.me.id })
      .setOptions(CROSS_COMMUNITY)
      .lean())!;
    await publishedWish(app, captain, staff, {
      householdId: String(home._id),
      beneficiary: { name: who.name, phone: who.phone },
      text: '代录：想要一个收音机',
      wantedBy: '2027-06-30',
    });
    const community = await placeId(app, ['幸福里社区']);
    const reg = await post(who, '/api/volunteers', {
      communityId: community,
      realName: '冯真名',
      phone: who.phone,
      skills: ['other'],
      areaIds: [community],
      availability: [],
    });
    expect([200, 201]).toContain(reg.statusCode);
    await post(who, '/api/me/exports');
    await app.jobs.runDue();
    const mediaIds = [...report.media.map((m: { id: string }) => m.id)];
    expect(mediaIds).toHaveLength(1);

    expect((await post(who, '/api/me/deletion', { confirm: '确认' })).statusCode).toBe(400);
    const deleted = await post(who, '/api/me/deletion', { confirm: '注销账号' });
    expect(deleted.statusCode).toBe(200);
    expect(deleted.json()).toEqual({ deleted: true });
    // The token stops working at once, and the refresh token too.
    expect((await get(who, '/api/me')).statusCode).toBe(401);
    const refreshed = await app.inject({
      method: 'POST',
      url: '/api/auth/refresh',
      payload: { refreshToken: who.refreshToken },
    });
    expect(refreshed.statusCode).toBe(401);

    const all = await everything();
    for (const secret of [who.name, who.phone, who.openid, '冯真名']) expect(all).not.toContain(secret);
    expect(await app.models.Media.countDocuments({ _id: { $in: mediaIds } }).setOptions(CROSS_COMMUNITY)).toBe(0);
    expect(await app.models.Household.countDocuments({ 'members.userId': who.me.id }).setOptions(CROSS_COMMUNITY)).toBe(
      0,
    );
    const events = await app.models.Event.find({ itemKind: 'user', itemId: who.me.id })
      .setOptions(CROSS_COMMUNITY)
      .lean();
    expect(events.map((e) => e.action)).toEqual(['account_deleted']);

    // History stays readable, without the person.
    const seen = (await get(staff, `/api/reports/${report.id}`)).json();
    expect(seen).toMatchObject({ description: '冯的报告', reporter: { displayName: '某居民' }, media: [] });
    const timeline = (await get(staff, `/api/reports/${report.id}/timeline`)).json();
    expect(timeline[0]).toMatchObject({ action: 'submit', actor: DELETED_USER_NAME });
    const w = (await get(staff, `/api/wishes/${wish}`)).json();
    expect(w.text).toBe('想要一个保温杯');
    expect(JSON.stringify(w)).not.toContain(maskName(who.name));

    // The same WeChat account logs in as someone new.
    const again = await login(app, who.openid);
    expect(again.me.id).not.toBe(who.me.id);
    expect(again.me).toMatchObject({ households: [], roles: [], phoneMasked: null, privacyAccepted: null });
    expect((await get(again, '/api/me/consents')).json().items).toEqual([]);
  });
});

describe('retention', () => {
  test('a closed report loses its photos and personal fields exactly 3 years after closing', async () => {
    const who = await person('502', '陈保留');
    const report = (
      await fileReport(app, who, {
        showName: true,
        nodeId: unit11,
        location: { latitude: 31.2, longitude: 121.4 },
        mediaIds: [await photo(app, who), await photo(app, who, '#112233')],
      })
    ).json();
    const communityId = new Types.ObjectId(await placeId(app, ['幸福里社区']));
    const closedAt = new Date('2027-05-11T08:00:00Z');
    await app.models.Report.updateOne(
      { _id: report.id, communityId },
      { $set: { state: 'closed', closedAt, rating: { score: 5, comment: '陈师傅修得很好' } } },
    );
    const media = await app.models.Media.find({ _id: { $in: report.media.map((m: { id: string }) => m.id) } })
      .setOptions(CROSS_COMMUNITY)
      .lean();
    expect(media).toHaveLength(2);
    const stored = () => app.models.Report.findOne({ _id: report.id, communityId }).lean();

    clock.set(new Date('2030-05-11T07:59:59.999Z'));
    await app.privacy.retention.purge();
    expect((await stored())!.mediaIds).toHaveLength(2);

    // The daily job, through the runner at exactly the bound.
    clock.set(new Date('2030-05-11T08:00:00Z'));
    const job = await app.models.Job.findOne({ key: `recurring:${RETENTION_JOB}` }).lean();
    // Daily at 03:00 China time (the export test's runs already moved it on by a day).
    expect(job).toMatchObject({ repeat: 'every:1440m' });
    expect(job!.runAt.toISOString()).toMatch(/T19:00:00\.000Z$/);
    await app.jobs.schedule(RETENTION_JOB, `recurring:${RETENTION_JOB}`, clock.now(), {}, { repeat: 'every:1440m' });
    await app.jobs.runDue();
    const after = (await stored())!;
    expect(after).toMatchObject({ mediaIds: [], showName: false, state: 'closed', category: report.category.code });
    expect(after.purgedAt).toEqual(clock.now());
    expect(after.location).toBeUndefined();
    expect(after.rating).toMatchObject({ score: 5 });
    expect(after.rating!.comment).toBeUndefined();
    expect(
      await app.models.Media.countDocuments({ _id: { $in: media.map((m) => m._id) } }).setOptions(CROSS_COMMUNITY),
    ).toBe(0);
    const record = (await consents(who)).find((c) => c.itemId === report.id)!;
    expect(record.granted).toBe(false);
    expect((await get(captain, `/api/reports/${report.id}`)).json()).toMatchObject({ media: [], location: null });
  });
});
