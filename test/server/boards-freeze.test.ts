import type { FastifyInstance } from 'fastify';
import { Types } from 'mongoose';
import { respondBy } from '../../shared/boards';
import type { EntryView } from '../../shared/schemas/boards';
import { clearAll, entryMove, moved, nominated } from '../helpers/boards';
import { demoAppAt, placeId } from '../helpers/demo';
import type { LoggedIn } from '../helpers/session';
import { householdAt, uploadPhoto } from '../helpers/wishes';

/**
 * Freezing months. Each test works in its own month, so they run in any order: the job runner's boundary in
 * May 2027 (the clock's month), others in earlier months frozen by the start-up catch-up, the late move in July.
 */
const start = new Date('2027-05-10T10:00:00+08:00');
const demo = demoAppAt(start, ['staff', 'grid', 'owner', 'captain', 'tenant']);
const clock = demo.clock;
let app: FastifyInstance;
let staff: LoggedIn;
let grid: LoggedIn;
let owner: LoggedIn;
let captain: LoggedIn;
let tenant: LoggedIn;
let community: Types.ObjectId;
let unit11: string;
let unit21: string;
let ownerHousehold: string;
let tenantHousehold: string;
const UNIT11 = ['幸福里社区', '阳光花园', '1栋', '1单元'];
const UNIT21 = ['幸福里社区', '阳光花园', '2栋', '1单元'];

beforeAll(async () => {
  ({ app } = demo);
  ({ staff, grid, owner, captain, tenant } = demo.users);
  community = new Types.ObjectId(await placeId(app, ['幸福里社区']));
  unit11 = await placeId(app, UNIT11);
  unit21 = await placeId(app, UNIT21);
  ownerHousehold = await householdAt(app, UNIT11, '302');
  tenantHousehold = await householdAt(app, UNIT21, '501');
}, 30_000);

const get = (who: LoggedIn, url: string) => app.inject({ url, headers: who.headers });
const ids = (page: { items: { entryId: string }[] }) => page.items.map((i) => i.entryId);
/** A red entry about a household, published by staff at the clock's time. */
async function redFor(householdId: string, nodeId: string, fields: Record<string, unknown> = {}): Promise<EntryView> {
  const entry = await nominated(app, captain, {
    colour: 'red',
    act: 'helping_neighbours',
    nodeId,
    householdId,
    description: '帮邻居搬运重物',
    ...fields,
  });
  await clearAll(app, staff, entry);
  return moved(app, staff, entry.id, 'confirm');
}
/** A month's snapshot and lines as stored, for comparing before and after. */
async function stored(month: string) {
  const [snapshot, lines] = await Promise.all([
    app.models.BoardSnapshot.findOne({ communityId: community, month }).lean(),
    app.models.BoardLine.find({ communityId: community, month }).sort({ _id: 1 }).lean(),
  ]);
  return JSON.stringify({ snapshot, lines });
}

test('the job runner freezes a month at exactly 00:00 China time on the 1st: 23:59:59 is in it, 00:00:00 is not', async () => {
  const before = await nominated(app, captain, {
    colour: 'red',
    act: 'returning_lost_property',
    nodeId: unit11,
    householdId: ownerHousehold,
  });
  const after = await nominated(app, captain, {
    colour: 'red',
    act: 'returning_lost_property',
    nodeId: unit11,
    householdId: ownerHousehold,
  });
  clock.set(new Date('2027-05-31T23:59:59+08:00'));
  expect((await moved(app, staff, before.id, 'confirm')).month).toBe('2027-05');
  clock.set(new Date('2027-05-31T23:59:59.999+08:00'));
  await app.jobs.runDue();
  expect(await app.models.BoardSnapshot.countDocuments({ communityId: community, month: '2027-05' })).toBe(0);
  expect((await get(tenant, '/api/boards?colour=red&month=2027-05')).json().frozen).toBe(false);

  clock.set(new Date('2027-06-01T00:00:00+08:00'));
  expect((await moved(app, staff, after.id, 'confirm')).month).toBe('2027-06');
  await app.jobs.runDue();
  const may = (await get(tenant, '/api/boards?colour=red&month=2027-05&limit=50')).json();
  expect(may).toMatchObject({ month: '2027-05', frozen: true, frozenAt: '2027-05-31T16:00:00.000Z' });
  expect(ids(may)).toContain(before.id);
  expect(ids(may)).not.toContain(after.id);
  const june = (await get(tenant, '/api/boards?colour=red')).json();
  expect(june).toMatchObject({ month: '2027-06', frozen: false });
  expect(ids(june)).toContain(after.id);
  const notices = await app.models.Notice.find({ communityId: community, channelId: community }).lean();
  expect(notices.filter((n) => n.title === '2027-05文明行为红黑榜公布')).toHaveLength(1);
  const months = (await get(tenant, '/api/boards/months')).json().items;
  expect(months.find((m: { month: string }) => m.month === '2027-05')).toMatchObject({ frozen: true });
  expect(months[0]).toMatchObject({ month: '2027-06', frozen: false });

  // Idempotent: again, or by hand, changes nothing.
  const frozen = await stored('2027-05');
  await app.jobs.runDue();
  expect(await app.boards.freezer.freeze(community, '2027-05')).toBe(false);
  await app.boards.freezer.catchUp();
  expect(await stored('2027-05')).toBe(frozen);
  expect(await app.models.Notice.countDocuments({ communityId: community, title: '2027-05文明行为红黑榜公布' })).toBe(
    1,
  );
});

test('a frozen month is immutable: its routes refuse or add beside it, and the snapshot never changes', async () => {
  clock.set(new Date('2027-04-12T09:00:00+08:00'));
  const photo = await uploadPhoto(app, grid);
  const black = await nominated(app, grid, { nodeId: unit11, householdId: ownerHousehold, mediaIds: [photo] });
  await moved(app, staff, black.id, 'confirm');
  clock.set(respondBy(new Date('2027-04-12T09:00:00+08:00')));
  await app.jobs.runDue();
  await clearAll(app, staff, (await get(staff, `/api/board-entries/${black.id}`)).json());
  expect((await moved(app, staff, black.id, 'publish')).month).toBe('2027-04');
  const red = await redFor(ownerHousehold, unit11, { subjectUserId: owner.me.id });
  await moved(app, owner, red.id, 'consent', { consent: true });

  clock.set(start);
  await app.boards.freezer.catchUp();
  const frozen = await stored('2027-04');
  const board = async (colour: string) =>
    (await get(tenant, `/api/boards?colour=${colour}&month=2027-04&limit=50`)).json();
  expect((await board('red')).frozen).toBe(true);
  const named = (await board('red')).items.find((i: { entryId: string }) => i.entryId === red.id);
  expect(named.subjectLabel).toBe('王阿姨');

  // Routes that could touch the month refuse it.
  const clear = await entryMove(app, staff, black.id, `photos/${photo}/clear`, {
    rects: [{ x: 0, y: 0, width: 5, height: 5 }],
  });
  expect([clear.statusCode, clear.json().code]).toEqual([409, 'BOARD_FROZEN']);
  for (const verb of ['publish', 'confirm', 'withdraw-rectified']) {
    const res = await entryMove(app, staff, black.id, verb);
    expect([verb, res.statusCode, res.json().code]).toEqual([verb, 409, 'ENTRY_STATE']);
  }
  // New points for the act apply to later entries, not to the frozen board.
  const url = `/api/communities/${community}/board-settings`;
  const acts = (await get(staff, url)).json().acts;
  const harsher = acts.map((a: { key: string }) => (a.key === 'hallway_clutter' ? { ...a, points: -20 } : a));
  const put = (body: object) => app.inject({ method: 'PUT', url, headers: staff.headers, payload: body });
  expect((await put({ acts: harsher })).statusCode).toBe(200);
  expect((await board('black')).items.find((i: { entryId: string }) => i.entryId === black.id).points).toBe(-3);
  expect((await put({ acts })).statusCode).toBe(200);

  // An upheld appeal after freezing is a correction line beside the month, never an edit of it.
  await moved(app, owner, black.id, 'appeal', { reason: '纸箱是物业临时放的' });
  await moved(app, staff, black.id, 'appeal/decide', { upheld: true, note: '核实为物业临时堆放' });
  const corrected = await board('black');
  expect(corrected.items.find((i: { entryId: string }) => i.entryId === black.id).corrected).toBe(true);
  expect(corrected.corrections).toEqual([
    expect.objectContaining({ entryId: black.id, text: expect.stringContaining('核实为物业临时堆放') }),
  ]);
  // Consent revoked: the name is gone from the frozen month too.
  await moved(app, owner, red.id, 'consent', { consent: false });
  const unnamed = (await board('red')).items.find((i: { entryId: string }) => i.entryId === red.id);
  expect(unnamed.subjectLabel).toBe('1栋1单元 一位居民');
  expect(JSON.stringify(await board('red'))).not.toContain('王阿姨');

  expect(await stored('2027-04')).toBe(frozen);
  await expect(
    app.models.BoardLine.updateOne({ communityId: community, entryId: black.id }, { $set: { points: 0 } }),
  ).rejects.toThrow(/append-only/);
  await expect(app.models.BoardSnapshot.deleteOne({ communityId: community, month: '2027-04' })).rejects.toThrow(
    /append-only/,
  );
  // An estate's part of the board.
  const other = await placeId(app, ['幸福里社区', '翠竹苑']);
  const estateBoard = (await get(tenant, `/api/boards?colour=black&month=2027-04&estateId=${other}`)).json();
  expect(ids(estateBoard)).not.toContain(black.id);
});

test('ranking by points per household: ties share a rank and no red flag; a lone top building holds it', async () => {
  clock.set(new Date('2027-03-08T10:00:00+08:00'));
  await redFor(ownerHousehold, unit11);
  await redFor(tenantHousehold, unit21);
  const tied = (await get(tenant, '/api/boards/ranking?month=2027-03')).json();
  expect(tied).toMatchObject({ month: '2027-03', frozen: false, redFlag: null });
  expect(tied.tieRule).toContain('并列');
  const top = tied.items.filter((r: { rank: number }) => r.rank === 1);
  expect(top.map((r: { name: string }) => r.name).sort()).toEqual(['阳光花园1栋', '阳光花园2栋']);
  expect(top[0]).toMatchObject({ points: 5, red: 1, black: 0, households: 24, perHousehold: 0.21 });
  expect(tied.items.filter((r: { rank: number }) => r.rank === 3)).toHaveLength(3);

  clock.set(new Date('2027-02-08T10:00:00+08:00'));
  await redFor(ownerHousehold, unit11);
  await redFor(ownerHousehold, unit11);
  await redFor(tenantHousehold, unit21);
  clock.set(start);
  await app.boards.freezer.catchUp();
  const frozenTie = (await get(tenant, '/api/boards/ranking?month=2027-03')).json();
  expect(frozenTie).toMatchObject({ frozen: true, redFlag: null, items: tied.items });
  const flagged = (await get(tenant, '/api/boards/ranking?month=2027-02')).json();
  expect(flagged.frozen).toBe(true);
  expect(flagged.redFlag).toMatchObject({ name: '阳光花园1栋' });
  const snapshot = await app.models.BoardSnapshot.findOne({ communityId: community, month: '2027-02' }).lean();
  expect(String(snapshot?.redFlag)).toBe(flagged.redFlag.buildingId);
  const csv = await get(staff, `/api/boards/selections/export?month=2027-02`);
  expect(csv.body.split('\n')[1]).toContain('302');
});

test('a move reaching the database after its month froze is refused; nothing joins a frozen month', async () => {
  clock.set(new Date('2027-07-31T23:59:59+08:00'));
  const entry = await nominated(app, captain, {
    colour: 'red',
    act: 'helping_neighbours',
    nodeId: unit11,
    householdId: ownerHousehold,
  });
  // The month froze while the confirm was on its way (its clock still reads 23:59:59).
  expect(await app.boards.freezer.freeze(community, '2027-07')).toBe(true);
  const late = await entryMove(app, staff, entry.id, 'confirm');
  expect([late.statusCode, late.json().code]).toEqual([409, 'BOARD_FROZEN']);
  expect((await get(staff, `/api/board-entries/${entry.id}`)).json().state).toBe('nominated');
  expect(await app.models.BoardPoints.countDocuments({ communityId: community, entryId: entry.id })).toBe(0);
  // An empty month froze without a notice.
  expect(await app.models.Notice.countDocuments({ communityId: community, title: '2027-07文明行为红黑榜公布' })).toBe(
    0,
  );
  clock.set(new Date('2027-08-01T00:00:00+08:00'));
  expect((await moved(app, staff, entry.id, 'confirm')).month).toBe('2027-08');
});

test('a freeze that died after writing its lines is finished by the next run, without a line twice', async () => {
  clock.set(new Date('2027-09-10T10:00:00+08:00'));
  const entry = await redFor(ownerHousehold, unit11);
  expect(await app.boards.freezer.freeze(community, '2027-09')).toBe(true);
  // As if the instance died between the lines and the snapshot.
  await app.models.BoardSnapshot.collection.deleteOne({ communityId: community, month: '2027-09' });
  expect(await app.boards.freezer.freeze(community, '2027-09')).toBe(true);
  const lines = await app.models.BoardLine.find({ communityId: community, month: '2027-09' }).lean();
  expect(lines.map((l) => String(l.entryId))).toEqual([entry.id]);
  expect(await app.boards.freezer.freeze(community, '2027-09')).toBe(false);
});
