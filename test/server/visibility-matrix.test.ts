import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { Types } from 'mongoose';
import { CROSS_COMMUNITY } from '../../server/data/tenant-scope';
import { buildDemoApp, place, placeId } from '../helpers/demo';
import { fileReport, photo } from '../helpers/reports';
import { loginDemo, newcomer, type LoggedIn } from '../helpers/session';
import { moved, nominated } from '../helpers/boards';
import { orderService } from '../helpers/volunteers';
import { householdAt, postWish, publishedWish, uploadPhoto } from '../helpers/wishes';

/**
 * The visibility matrix: for every kind of item — a shared report, a private one, one moderation hid, a
 * notice in the building's channel and one in another building's, a wish, a board entry, a volunteer order,
 * each with its photo; a moderation case;
 * the figures — and every kind of caller, the answer to reading it and to each write on it. Reading a photo
 * includes fetching its bytes through the link the caller was given. What a caller cannot see is 404 for
 * every verb; staff-only functions (a moderation case, the figures) are 403 inside the community.
 */
const CALLERS = [
  'anonymous',
  'other', // a resident of the other community
  'tenant', // a resident of 阳光花园 2栋: same estate, another building
  'neighbour', // a resident of 1栋 1单元, where the reports are filed
  'reporter', // 王阿姨 of 1栋 1单元, who filed the reports
  'captain', // 楼长 of 1栋, author of the building's notice
  'grid', // grid worker of 第一网格 (阳光花园 1–3栋)
  'property', // property handler of 阳光花园
  'staff', // community staff, author of the other building's notice
  'street', // street staff above both communities
] as const;
type Caller = (typeof CALLERS)[number];
type Outcome = 'ok' | 'no-url' | number;

/** One expected outcome per caller, in CALLERS order: `ok` (2xx), `no-url` (a photo without a link), a status. */
const row = (outcomes: string): Outcome[] =>
  outcomes
    .trim()
    .split(/\s+/)
    .map((o) => (o === 'ok' || o === 'no-url' ? o : Number(o)));

//                                  anon other tenant neigh. report. capt. grid prop. staff street
const ESTATE_SEES = row('           401  404   ok     ok     ok      ok    ok   ok    ok    ok');
const ONLY_INVOLVED = row('         401  404   404    404    ok      404   ok   404   ok    ok');
const BUILDING_SEES = row('         401  404   404    ok     ok      ok    ok   ok    ok    ok');
const WISH_SEEN = row('             401  404   ok     ok     ok      ok    ok   ok    ok    ok');
const WISH_INSIDE = row('           401  404   404    404    ok      404   404  404   ok    ok');
const OTHER_BUILDING_SEES = row('   401  404   ok     404    404     404   ok   ok    ok    ok');
const ON_BOARD = row('              401  404   ok     ok     ok      ok    ok   ok    ok    ok');
const NAMED_INSIDE = row('          401  404   404    404    ok      ok    404  404   ok    ok');
const HOUSEHOLD_INSIDE = row('      401  404   404    404    ok      404   ok   404   ok    ok');
const ORDER_INSIDE = row('          401  404   404    404    ok      404   ok   404   ok    ok');

const expected: Record<string, Outcome[]> = {
  'shared report: read': ESTATE_SEES,
  'shared report: photo': ESTATE_SEES,
  'shared report: timeline': ESTATE_SEES,
  'shared report: flag': row('      401  404   ok     ok     403     ok    ok   ok    ok    ok'),
  'shared report: follow': ESTATE_SEES,
  'shared report: accept': row('    401  404   403    403    403     403   ok   403   ok    ok'),
  'private report: read': ONLY_INVOLVED,
  'private report: photo': ONLY_INVOLVED,
  'private report: timeline': ONLY_INVOLVED,
  'private report: flag': row('     401  404   404    404    403     404   ok   404   ok    ok'),
  'private report: follow': ONLY_INVOLVED,
  'hidden report: read': ONLY_INVOLVED,
  'hidden report: photo': ONLY_INVOLVED,
  'hidden report: timeline': ONLY_INVOLVED,
  'hidden report: flag': row('      401  404   404    404    404     404   404  404   404   404'),
  'hidden report: follow': ONLY_INVOLVED,
  'building notice: read': BUILDING_SEES,
  'building notice: photo': BUILDING_SEES,
  'building notice: flag': row('    401  404   404    ok     ok      403   ok   ok    ok    ok'),
  'building notice: mark read': BUILDING_SEES,
  'other building notice: read': OTHER_BUILDING_SEES,
  'other building notice: photo': OTHER_BUILDING_SEES,
  'other building notice: flag': row('401 404  ok     404    404     404   ok   ok    403   ok'),
  'other building notice: mark read': OTHER_BUILDING_SEES,
  // A wish: on the wall the community sees it; pending, and its timeline always, only its inside (poster, staff).
  'published wish: read': WISH_SEEN,
  'published wish: photo': WISH_SEEN,
  'published wish: timeline': WISH_INSIDE,
  'published wish: flag': row('      401  404   ok     ok     403     ok    ok   ok    ok    ok'),
  'pending wish: read': WISH_INSIDE,
  'pending wish: photo': WISH_INSIDE,
  // A board entry: published, the community sees it; its timeline only its inside (nominator = captain, the
  // person named = reporter, staff). A black entry told to the household: its household (reporter), its
  // nominator (grid) and staff.
  'published board entry: read': ON_BOARD,
  'published board entry: photo': ON_BOARD,
  'published board entry: timeline': NAMED_INSIDE,
  'published board entry: flag': row('401 404   ok     ok     ok      403   ok   ok    ok    ok'),
  'notified board entry: read': HOUSEHOLD_INSIDE,
  'notified board entry: photo': HOUSEHOLD_INSIDE,
  'notified board entry: timeline': HOUSEHOLD_INSIDE,
  // A volunteer order: its requester and those who dispatch it (the grid worker over the building, staff).
  'volunteer order: read': ORDER_INSIDE,
  'volunteer order: photo': ORDER_INSIDE,
  'volunteer order: timeline': ORDER_INSIDE,
  'volunteer order: flag': row('     401  404   404    404    403     404   ok   404   ok    ok'),
  'moderation case: read': row('    401  404   403    403    403     403   403  403   ok    ok'),
  'grid figures: read': row('       401  404   403    403    403     403   ok   403   ok    ok'),
};

let app: FastifyInstance;
const callers = {} as Record<Caller, { headers: Record<string, string> }>;
const items = {} as Record<
  | 'shared'
  | 'private'
  | 'hidden'
  | 'notice'
  | 'otherNotice'
  | 'wish'
  | 'pendingWish'
  | 'board'
  | 'notifiedBoard'
  | 'order',
  { id: string; mediaId: string }
>;
let caseId: string;
let figuresUrl: string;

const passCheck = (id: string) =>
  app.models.Media.updateOne({ _id: id }, { $set: { 'check.status': 'pass' } }).setOptions(CROSS_COMMUNITY);

async function report(reporter: LoggedIn, category: string) {
  const filed = await fileReport(app, reporter, { category });
  expect(filed.statusCode).toBe(201);
  const { id, media } = filed.json();
  await passCheck(media[0].id);
  return { id: id as string, mediaId: media[0].id as string };
}

async function notice(author: LoggedIn, building: string[]) {
  const mediaId = await photo(app, author);
  const res = await app.inject({
    method: 'POST',
    url: `/api/channels/${await placeId(app, building)}/notices`,
    headers: author.headers,
    payload: { title: '楼道清理通知', body: '本周六上午清理楼道杂物', mediaIds: [mediaId] },
  });
  expect(res.statusCode).toBe(201);
  await passCheck(mediaId);
  return { id: res.json().id as string, mediaId };
}

beforeAll(async () => {
  app = await buildDemoApp();
  const demo = ['other', 'tenant', 'captain', 'grid', 'property', 'staff', 'street'] as const;
  const logins = await Promise.all(demo.map((key) => loginDemo(app, key)));
  demo.forEach((key, i) => (callers[key] = logins[i]!));
  callers.anonymous = { headers: {} };
  const reporter = await loginDemo(app, 'owner');
  callers.reporter = reporter;

  // A resident of the reporter's unit with no other role.
  const neighbour = await newcomer(app);
  const unit = await place(app, ['幸福里社区', '阳光花园', '1栋', '1单元']);
  await app.models.RoleGrant.create({
    userId: neighbour.me.id,
    role: 'resident',
    nodeId: unit._id,
    communityId: unit.communityId,
  });
  callers.neighbour = neighbour;

  items.shared = await report(reporter, 'sanitation');
  items.private = await report(reporter, 'dispute');
  items.hidden = await report(reporter, 'sanitation');
  await app.models.Report.updateOne(
    { _id: items.hidden.id, communityId: unit.communityId },
    { $set: { 'moderation.state': 'hidden' } },
  );
  await app.moderation.openCase(
    'report',
    { _id: new Types.ObjectId(items.hidden.id), communityId: unit.communityId! },
    'text-review',
  );
  caseId = String(
    (await app.models.ModerationCase.findOne({ communityId: unit.communityId, itemId: items.hidden.id }).lean())!._id,
  );
  items.notice = await notice(callers.captain as LoggedIn, ['幸福里社区', '阳光花园', '1栋']);
  items.otherNotice = await notice(callers.staff as LoggedIn, ['幸福里社区', '阳光花园', '2栋']);

  const wishPhoto = await uploadPhoto(app, reporter);
  await passCheck(wishPhoto);
  items.wish = {
    id: await publishedWish(app, reporter, callers.staff as LoggedIn, { mediaIds: [wishPhoto] }),
    mediaId: wishPhoto,
  };
  const pendingPhoto = await uploadPhoto(app, reporter);
  await passCheck(pendingPhoto);
  items.pendingWish = {
    id: (await postWish(app, reporter, { mediaIds: [pendingPhoto] })).json().id,
    mediaId: pendingPhoto,
  };

  const household = await householdAt(app, ['幸福里社区', '阳光花园', '1栋', '1单元'], '302');
  const boardPhoto = await uploadPhoto(app, callers.captain as LoggedIn);
  await passCheck(boardPhoto);
  const red = await nominated(app, callers.captain as LoggedIn, {
    colour: 'red',
    act: 'helping_neighbours',
    nodeId: String(unit._id),
    householdId: household,
    subjectUserId: reporter.me.id,
    mediaIds: [boardPhoto],
  });
  await moved(app, callers.staff as LoggedIn, red.id, `photos/${boardPhoto}/clear`, { rects: [] });
  await moved(app, callers.staff as LoggedIn, red.id, 'confirm');
  items.board = { id: red.id, mediaId: boardPhoto };
  const evidence = await uploadPhoto(app, callers.grid as LoggedIn);
  await passCheck(evidence);
  const black = await nominated(app, callers.grid as LoggedIn, {
    nodeId: String(unit._id),
    householdId: household,
    mediaIds: [evidence],
  });
  await moved(app, callers.staff as LoggedIn, black.id, 'confirm');
  items.notifiedBoard = { id: black.id, mediaId: evidence };

  const orderPhoto = await uploadPhoto(app, reporter);
  await passCheck(orderPhoto);
  const order = await orderService(
    app,
    reporter,
    { start: new Date(Date.now() + 24 * 3600_000) },
    {
      mediaIds: [orderPhoto],
    },
  );
  expect(order.statusCode).toBe(201);
  items.order = { id: order.json().id, mediaId: orderPhoto };

  const grid = await app.models.Grid.findOne({ communityId: unit.communityId, name: '第一网格' }).lean();
  figuresUrl =
    `/api/reports/figures?communityId=${unit.communityId}&gridId=${grid!._id}` +
    `&from=2026-01-01T00:00:00.000Z&to=2027-01-01T00:00:00.000Z`;
});
afterAll(() => app.close());

const outcome = (res: LightMyRequestResponse): Outcome => (res.statusCode < 300 ? 'ok' : res.statusCode);

function call(who: Caller, method: 'GET' | 'POST' | 'DELETE', url: string, payload?: object) {
  return app.inject({ method, url, headers: callers[who].headers, ...(payload ? { payload } : {}) });
}

/** Reading a photo: its metadata, then its bytes through the link handed out, with no login (as <image>). */
async function readPhoto(who: Caller, mediaId: string): Promise<Outcome> {
  const meta = await call(who, 'GET', `/api/media/${mediaId}`);
  if (meta.statusCode !== 200) return meta.statusCode;
  const { url, thumbUrl } = meta.json();
  if (!url) return 'no-url';
  const [display, thumb] = await Promise.all([app.inject({ url }), app.inject({ url: thumbUrl })]);
  return display.statusCode === 200 && thumb.statusCode === 200 ? 'ok' : display.statusCode;
}

/** A flag, undone afterwards (flags and their case) so no cell hides the item for the cells after it. */
async function flag(
  who: Caller,
  kind: 'report' | 'notice' | 'wish' | 'board_entry' | 'order',
  id: string,
): Promise<Outcome> {
  const res = await call(who, 'POST', '/api/flags', { kind, id, reason: '内容不当' });
  const unflag = [{ _id: id }, { $set: { 'moderation.flaggedBy': [] } }] as const;
  const model = {
    report: app.models.Report,
    notice: app.models.Notice,
    wish: app.models.Wish,
    board_entry: app.models.BoardEntry,
    order: app.models.VolunteerOrder,
  }[kind] as typeof app.models.Wish;
  await model.updateOne(...unflag).setOptions(CROSS_COMMUNITY);
  await app.models.ModerationCase.deleteMany({ itemId: id, reason: 'flags' }).setOptions(CROSS_COMMUNITY);
  return outcome(res);
}

/** Following, then unfollowing (a follower may see more later). */
async function follow(who: Caller, id: string): Promise<Outcome> {
  const res = await call(who, 'POST', `/api/reports/${id}/follow`);
  if (res.statusCode < 300) await call(who, 'DELETE', `/api/reports/${id}/follow`);
  return outcome(res);
}

const verbs: Record<string, (who: Caller) => Promise<Outcome>> = {};
for (const [label, key] of [
  ['shared report', 'shared'],
  ['private report', 'private'],
  ['hidden report', 'hidden'],
] as const) {
  verbs[`${label}: read`] = async (who) => outcome(await call(who, 'GET', `/api/reports/${items[key].id}`));
  verbs[`${label}: photo`] = (who) => readPhoto(who, items[key].mediaId);
  verbs[`${label}: timeline`] = async (who) =>
    outcome(await call(who, 'GET', `/api/reports/${items[key].id}/timeline`));
  verbs[`${label}: flag`] = (who) => flag(who, 'report', items[key].id);
  verbs[`${label}: follow`] = (who) => follow(who, items[key].id);
}
// Accepting moves the report on, so each caller tries it on a shared report of their own.
verbs['shared report: accept'] = async (who) => {
  const fresh = await report(callers.reporter as LoggedIn, 'sanitation');
  return outcome(await call(who, 'POST', `/api/reports/${fresh.id}/accept`, {}));
};
for (const [label, key] of [
  ['building notice', 'notice'],
  ['other building notice', 'otherNotice'],
] as const) {
  verbs[`${label}: read`] = async (who) => outcome(await call(who, 'GET', `/api/notices/${items[key].id}/timeline`));
  verbs[`${label}: photo`] = (who) => readPhoto(who, items[key].mediaId);
  verbs[`${label}: flag`] = (who) => flag(who, 'notice', items[key].id);
  verbs[`${label}: mark read`] = async (who) => outcome(await call(who, 'POST', `/api/notices/${items[key].id}/read`));
}
verbs['published wish: read'] = async (who) => outcome(await call(who, 'GET', `/api/wishes/${items.wish.id}`));
verbs['published wish: photo'] = (who) => readPhoto(who, items.wish.mediaId);
verbs['published wish: timeline'] = async (who) =>
  outcome(await call(who, 'GET', `/api/wishes/${items.wish.id}/timeline`));
verbs['published wish: flag'] = (who) => flag(who, 'wish', items.wish.id);
verbs['pending wish: read'] = async (who) => outcome(await call(who, 'GET', `/api/wishes/${items.pendingWish.id}`));
verbs['pending wish: photo'] = (who) => readPhoto(who, items.pendingWish.mediaId);
for (const [label, key] of [
  ['published board entry', 'board'],
  ['notified board entry', 'notifiedBoard'],
] as const) {
  verbs[`${label}: read`] = async (who) => outcome(await call(who, 'GET', `/api/board-entries/${items[key].id}`));
  verbs[`${label}: photo`] = (who) => readPhoto(who, items[key].mediaId);
  verbs[`${label}: timeline`] = async (who) =>
    outcome(await call(who, 'GET', `/api/board-entries/${items[key].id}/timeline`));
}
verbs['published board entry: flag'] = (who) => flag(who, 'board_entry', items.board.id);
verbs['volunteer order: read'] = async (who) =>
  outcome(await call(who, 'GET', `/api/volunteer-orders/${items.order.id}`));
verbs['volunteer order: photo'] = (who) => readPhoto(who, items.order.mediaId);
verbs['volunteer order: timeline'] = async (who) =>
  outcome(await call(who, 'GET', `/api/volunteer-orders/${items.order.id}/timeline`));
verbs['volunteer order: flag'] = (who) => flag(who, 'order', items.order.id);
verbs['moderation case: read'] = async (who) => outcome(await call(who, 'GET', `/api/moderation/cases/${caseId}`));
verbs['grid figures: read'] = async (who) => outcome(await call(who, 'GET', figuresUrl));

test('every cell of the matrix has a verb, and every verb a row', () => {
  expect(Object.keys(verbs).sort()).toEqual(Object.keys(expected).sort());
  for (const outcomes of Object.values(expected)) expect(outcomes).toHaveLength(CALLERS.length);
});

describe.each(Object.keys(expected))('%s', (cell) => {
  test.each(CALLERS.map((who, i) => [who, i] as const))('as %s', async (who, i) => {
    expect(await verbs[cell]!(who)).toBe(expected[cell]![i]);
  });
});
