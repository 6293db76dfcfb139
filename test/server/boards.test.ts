import type { FastifyInstance } from 'fastify';
import { boardMonth, entryStates, previousMonth, respondBy } from '../../shared/boards';
import { clearAll, entryMove, moved, nominate, nominated } from '../helpers/boards';
import { demoAppAt, placeId } from '../helpers/demo';
import type { LoggedIn } from '../helpers/session';
import { householdAt, uploadPhoto } from '../helpers/wishes';

// 10:00 in Beijing, mid-month: nothing here crosses a month's end (freezing is in boards-freeze.test.ts).
const start = new Date('2027-05-10T10:00:00+08:00');
const demo = demoAppAt(start, ['staff', 'grid', 'owner', 'captain', 'tenant', 'other']);
const clock = demo.clock;
let app: FastifyInstance;
let staff: LoggedIn;
let grid: LoggedIn;
let owner: LoggedIn;
let captain: LoggedIn;
let tenant: LoggedIn;
let other: LoggedIn;
let unit11: string;
let ownerHousehold: string;
const UNIT11 = ['幸福里社区', '阳光花园', '1栋', '1单元'];
/** What must never reach anyone outside a black entry's inside: the household's name, room and phone. */
const SECRETS = ['王阿姨', '1栋1单元302', '13800000007'];

beforeAll(async () => {
  ({ app } = demo);
  ({ staff, grid, owner, captain, tenant, other } = demo.users);
  unit11 = await placeId(app, UNIT11);
  ownerHousehold = await householdAt(app, UNIT11, '302');
}, 30_000);

const get = (who: LoggedIn, url: string) => app.inject({ url, headers: who.headers });
const blackAboutOwner = (fields: Record<string, unknown> = {}) =>
  nominated(app, grid, { nodeId: unit11, householdId: ownerHousehold, ...fields });
/** No secret of the owner's household; `anyRoom`: no room of anyone (the caller is no household concerned). */
const noSecrets = (body: string, anyRoom = true) => {
  for (const secret of SECRETS) expect(body).not.toContain(secret);
  if (anyRoom) expect(body).not.toContain('"room":"');
};

describe('nominating', () => {
  test('a grid worker nominates a black entry with a photo; a retry answers the same entry', async () => {
    const photo = await uploadPhoto(app, grid);
    const key = `retry-${Date.now()}`;
    const first = await nominate(app, grid, {
      nodeId: unit11,
      householdId: ownerHousehold,
      mediaIds: [photo],
      idempotencyKey: key,
    });
    expect(first.statusCode).toBe(201);
    expect(first.json()).toMatchObject({
      state: 'nominated',
      colour: 'black',
      act: { key: 'hallway_clutter', label: '楼道堆物', points: -3 },
      isNominator: true,
      subject: { label: '1栋1单元', room: null, personName: null, consent: null },
    });
    const again = await nominate(app, grid, { nodeId: unit11, householdId: ownerHousehold, idempotencyKey: key });
    expect(again.statusCode).toBe(200);
    expect(again.json().id).toBe(first.json().id);
    const queue = await get(staff, '/api/board-entries?view=queue');
    expect(queue.json().items.map((e: { id: string }) => e.id)).toContain(first.json().id);
    expect(queue.json().items.find((e: { id: string }) => e.id === first.json().id).unclearedPhotoIds).toEqual([photo]);
  });

  test('bad input gets a clear 4xx', async () => {
    const community = await placeId(app, ['幸福里社区']);
    const cases: [Record<string, unknown>, number, string?][] = [
      [{ nodeId: unit11, colour: 'red', act: 'helping_neighbours' }, 400],
      [{ nodeId: unit11, act: 'helping_neighbours' }, 422, 'ACTS_INVALID'],
      [{ nodeId: unit11, act: 'no_such_act' }, 422, 'ACTS_INVALID'],
      [{ nodeId: community }, 400],
      [{ nodeId: unit11, householdId: ownerHousehold, subjectUserId: owner.me.id }, 400],
      [{ nodeId: unit11, occurredAt: '2030-01-01T00:00:00.000Z' }, 400],
      [{ nodeId: '000000000000000000000000' }, 404],
      [{ nodeId: unit11, description: 'x' }, 400],
      [{ nodeId: unit11, colour: 'green' }, 400],
      [
        {
          nodeId: unit11,
          colour: 'red',
          act: 'helping_neighbours',
          householdId: ownerHousehold,
          subjectUserId: tenant.me.id,
        },
        400,
      ],
    ];
    for (const [fields, status, code] of cases) {
      const res = await nominate(app, owner, fields);
      expect([JSON.stringify(fields), res.statusCode]).toEqual([JSON.stringify(fields), status]);
      if (code) expect(res.json().code).toBe(code);
    }
    expect((await get(owner, '/api/board-entries?view=queue')).statusCode).toBe(403);
    expect((await get(owner, '/api/board-entries?view=mine&cursor=bad')).statusCode).toBe(400);
    expect((await get(owner, '/api/boards?colour=red&month=2027-13')).statusCode).toBe(400);
    expect((await get(owner, '/api/boards?colour=red&cursor=eyJ4IjoxfQ')).statusCode).toBe(400);
    expect((await get(other, `/api/boards?colour=red&communityId=${community}`)).statusCode).toBe(404);
  });

  test('the community’s acts: anyone sees them, staff change them, actsProblem refuses with 422', async () => {
    const community = await placeId(app, ['幸福里社区']);
    const url = `/api/communities/${community}/board-settings`;
    const seen = await get(owner, url);
    expect(seen.statusCode).toBe(200);
    expect(seen.json().canEdit).toBe(false);
    const acts = seen.json().acts;
    const put = (who: LoggedIn, payload: object) => app.inject({ method: 'PUT', url, headers: who.headers, payload });
    expect((await put(owner, { acts })).statusCode).toBe(403);
    const dup = await put(staff, { acts: [...acts, acts[0]] });
    expect([dup.statusCode, dup.json().code]).toEqual([422, 'ACTS_INVALID']);
    const wrongSign = acts.map((a: { key: string }) => (a.key === 'noise' ? { ...a, points: 3 } : a));
    expect((await put(staff, { acts: wrongSign })).statusCode).toBe(422);
    const noRed = acts.map((a: { colour: string }) => (a.colour === 'red' ? { ...a, enabled: false } : a));
    expect((await put(staff, { acts: noRed })).statusCode).toBe(422);
    expect((await put(staff, { acts: [{ ...acts[0], points: 99 }] })).statusCode).toBe(400);
    const ok = await put(staff, { acts });
    expect([ok.statusCode, ok.json().canEdit]).toEqual([200, true]);
  });
});

describe('a black entry’s due process', () => {
  test('confirmed, the household is told with 7 days; the window closes at exactly respondBy', async () => {
    const entry = await blackAboutOwner();
    const confirmed = await moved(app, staff, entry.id, 'confirm');
    expect(confirmed.state).toBe('notified');
    expect(confirmed.respondBy).toBe(respondBy(start).toISOString());
    const told = await app.models.Notification.find({ userId: owner.me.id, kind: 'board.updated' }).lean();
    expect(told.some((n) => n.link?.includes(entry.id))).toBe(true);
    const mine = (await get(owner, `/api/board-entries/${entry.id}`)).json();
    expect(mine).toMatchObject({
      isHousehold: true,
      subject: { room: '1栋1单元302' },
      actions: ['respond', 'rectify'],
    });
    // Not on the board yet: nobody else sees it.
    expect((await get(tenant, `/api/board-entries/${entry.id}`)).statusCode).toBe(404);
    await moved(app, owner, entry.id, 'respond', { text: '纸箱明天就清走' });

    clock.set(new Date(respondBy(start).getTime() - 1));
    await app.jobs.runDue();
    expect((await get(staff, `/api/board-entries/${entry.id}`)).json().state).toBe('notified');
    clock.set(respondBy(start));
    await app.jobs.runDue();
    const after = (await get(staff, `/api/board-entries/${entry.id}`)).json();
    expect(after).toMatchObject({ state: 'awaiting_decision', response: { text: '纸箱明天就清走' } });
    expect(after.actions).toEqual(['publish', 'withdraw_rectified']);
  });

  test('publishing waits for every photo to be cleared (409 PHOTOS_NOT_CLEARED), then no name or room anywhere', async () => {
    const photos = [await uploadPhoto(app, grid), await uploadPhoto(app, grid)];
    const entry = await blackAboutOwner({ mediaIds: photos });
    await moved(app, staff, entry.id, 'confirm');
    clock.set(respondBy(start));
    await app.jobs.runDue();
    const refused = await entryMove(app, staff, entry.id, 'publish');
    expect([refused.statusCode, refused.json().code]).toEqual([409, 'PHOTOS_NOT_CLEARED']);
    // Only staff clear photos; one is redacted, the other marked as showing no faces or plates.
    const byOwner = await entryMove(app, owner, entry.id, `photos/${photos[0]}/clear`, { rects: [] });
    expect(byOwner.statusCode).toBe(403);
    await moved(app, staff, entry.id, `photos/${photos[0]}/clear`, { rects: [{ x: 0, y: 0, width: 20, height: 20 }] });
    const half = await entryMove(app, staff, entry.id, 'publish');
    expect(half.json().code).toBe('PHOTOS_NOT_CLEARED');
    const cleared = await moved(app, staff, entry.id, `photos/${photos[1]}/clear`, { rects: [] });
    expect(cleared.unclearedPhotoIds).toEqual([]);
    const published = await moved(app, staff, entry.id, 'publish');
    expect(published).toMatchObject({ state: 'published', month: '2027-05' });
    const redacted = await app.models.Media.findOne({ _id: photos[0], communityId: published.communityId }).lean();
    expect(redacted?.version).toBe(2);

    for (const who of [tenant, captain]) {
      // Whole bodies: the black board, the entry, the ranking and the months.
      const responses = [
        await get(who, '/api/boards?colour=black&month=2027-05'),
        await get(who, '/api/boards?colour=black&month=2027-05&limit=1'),
        await get(who, `/api/board-entries/${entry.id}`),
        await get(who, '/api/boards/ranking?month=2027-05'),
        await get(who, '/api/boards/months'),
      ];
      for (const res of responses) {
        expect(res.statusCode).toBe(200);
        noSecrets(res.body);
      }
      // Lists hold red entries too (a name with consent is fine there): every black entry in them, whole.
      for (const view of ['mine', 'household', 'about_me']) {
        const list = await get(who, `/api/board-entries?view=${view}&limit=50`);
        expect(list.statusCode).toBe(200);
        for (const black of list.json().items.filter((e: { colour: string }) => e.colour === 'black'))
          // The demo tenant is the household of a demo entry: their own entry shows their own room.
          noSecrets(JSON.stringify(black), !black.isHousehold);
      }
      const board = responses[0]!.json();
      const item = board.items.find((i: { entryId: string }) => i.entryId === entry.id);
      expect(item).toMatchObject({ subjectLabel: '1栋1单元', placeLabel: '阳光花园 1栋 1单元', points: -3 });
      expect(item.media.map((m: { id: string }) => m.id).sort()).toEqual([...photos].sort());
      expect(responses[2]!.json()).toMatchObject({ subject: { label: '1栋1单元', room: null, personName: null } });
    }
    // The household sees its room; the whole body of the nominator's view still names no one.
    noSecrets((await get(grid, `/api/board-entries/${entry.id}`)).body);
  });

  test('a rectified entry is never published', async () => {
    const entry = await blackAboutOwner();
    await moved(app, staff, entry.id, 'confirm');
    const proof = await uploadPhoto(app, owner);
    const rectified = await moved(app, owner, entry.id, 'rectify', { note: '已经清理干净', mediaIds: [proof] });
    expect(rectified.state).toBe('awaiting_decision');
    expect(rectified.rectification).toMatchObject({ note: '已经清理干净' });
    // The window's job was cancelled with the rectification: closing it later changes nothing.
    clock.set(respondBy(start));
    await app.jobs.runDue();
    const withdrawn = await moved(app, staff, entry.id, 'withdraw-rectified', { note: '已整改到位' });
    expect(withdrawn.state).toBe('rectified');
    for (const verb of ['publish', 'confirm', 'appeal']) {
      const res = await entryMove(
        app,
        verb === 'appeal' ? owner : staff,
        entry.id,
        verb,
        verb === 'appeal' ? { reason: '不服' } : {},
      );
      expect([verb, res.statusCode]).toEqual([verb, 409]);
    }
    const board = await get(staff, '/api/boards?colour=black&month=2027-05&limit=50');
    expect(board.json().items.map((i: { entryId: string }) => i.entryId)).not.toContain(entry.id);
    expect(await app.models.BoardPoints.countDocuments({ communityId: withdrawn.communityId, entryId: entry.id })).toBe(
      0,
    );
  });

  test('a common-area entry goes to staff; an upheld appeal strikes it with a correction line and gives the points back', async () => {
    const estate = await placeId(app, ['幸福里社区', '阳光花园']);
    const common = await nominated(app, grid, { nodeId: estate, act: 'blocking_fire_lane' });
    expect((await moved(app, staff, common.id, 'confirm')).state).toBe('awaiting_decision');
    expect((await moved(app, staff, common.id, 'publish')).subject.label).toBe('阳光花园公共区域');

    const entry = await blackAboutOwner();
    await moved(app, staff, entry.id, 'confirm');
    clock.set(respondBy(start));
    await app.jobs.runDue();
    await moved(app, staff, entry.id, 'publish');
    const points = () => app.models.BoardPoints.find({ communityId: entry.communityId, entryId: entry.id }).lean();
    expect((await points()).map((p) => p.points)).toEqual([-3]);
    expect((await entryMove(app, tenant, entry.id, 'appeal', { reason: '不是我家' })).statusCode).toBe(403);
    await moved(app, owner, entry.id, 'appeal', { reason: '纸箱不是我家的' });
    expect(
      (await entryMove(app, owner, entry.id, 'appeal/decide', { upheld: true, note: '自己裁决' })).statusCode,
    ).toBe(403);
    const removed = await moved(app, staff, entry.id, 'appeal/decide', { upheld: true, note: '经核实为邻居堆放' });
    expect(removed).toMatchObject({ state: 'removed', appeal: { decision: { upheld: true } } });
    expect((await points()).map((p) => p.points).sort()).toEqual([-3, 3]);
    const board = (await get(tenant, '/api/boards?colour=black&month=2027-05&limit=50')).json();
    expect(board.items.find((i: { entryId: string }) => i.entryId === entry.id).corrected).toBe(true);
    expect(board.corrections.map((c: { entryId: string }) => c.entryId)).toContain(entry.id);
    noSecrets(JSON.stringify(board));
  });

  test('ask for more, add information, dismiss; a nominator never confirms their own', async () => {
    const entry = await nominated(app, staff, { nodeId: unit11 });
    const own = await entryMove(app, staff, entry.id, 'confirm');
    expect(own.statusCode).toBe(403);
    const other = await blackAboutOwner();
    expect((await moved(app, staff, other.id, 'ask-more', { reason: '请补充照片' })).state).toBe('more_info');
    expect((await get(grid, `/api/board-entries/${other.id}`)).json().staffNote).toBe('请补充照片');
    const photo = await uploadPhoto(app, grid);
    const added = await moved(app, grid, other.id, 'add-info', { text: '补充了现场照片', mediaIds: [photo] });
    expect(added.state).toBe('nominated');
    expect(added.description).toContain('补充了现场照片');
    expect(added.media.map((m) => m.id)).toContain(photo);
    expect((await moved(app, staff, other.id, 'dismiss', { reason: '证据不足' })).state).toBe('dismissed');
    const again = await entryMove(app, staff, other.id, 'dismiss', { reason: '证据不足' });
    expect([again.statusCode, again.json().code]).toEqual([409, 'ENTRY_STATE']);
  });
});

describe('a red entry and consent', () => {
  test('the name shows only with the person’s consent, as it stands when asked', async () => {
    const entry = await nominated(app, captain, {
      colour: 'red',
      act: 'helping_neighbours',
      nodeId: unit11,
      householdId: ownerHousehold,
      subjectUserId: owner.me.id,
      description: '帮独居老人买菜送药',
    });
    const published = await moved(app, staff, entry.id, 'confirm');
    expect(published).toMatchObject({ state: 'published', month: '2027-05', subject: { consent: false } });
    const asked = await app.models.Notification.find({ userId: owner.me.id, kind: 'board.updated' }).lean();
    expect(asked.some((n) => n.title.includes('是否同意'))).toBe(true);
    const label = async () =>
      (await get(tenant, '/api/boards?colour=red&month=2027-05&limit=50'))
        .json()
        .items.find((i: { entryId: string }) => i.entryId === entry.id).subjectLabel;
    expect(await label()).toBe('1栋1单元 一位居民');
    expect((await entryMove(app, captain, entry.id, 'consent', { consent: true })).statusCode).toBe(403);
    const about = (await get(owner, '/api/board-entries?view=about_me')).json().items;
    expect(about.find((e: { id: string }) => e.id === entry.id)).toMatchObject({ isSubject: true });
    await moved(app, owner, entry.id, 'consent', { consent: true });
    expect(await label()).toBe('王阿姨');
    expect((await get(tenant, `/api/board-entries/${entry.id}`)).json().subject).toMatchObject({
      label: '王阿姨',
      personName: null,
      room: null,
    });
    await moved(app, owner, entry.id, 'consent', { consent: false });
    expect(await label()).toBe('1栋1单元 一位居民');
    const timeline = (await get(owner, `/api/board-entries/${entry.id}/timeline`)).json();
    expect(timeline.map((t: { action: string }) => t.action)).toEqual(
      expect.arrayContaining(['nominate', 'confirm', 'consent', 'revoke_consent']),
    );
  });

  test('a red entry with photos waits for them to be cleared', async () => {
    const photo = await uploadPhoto(app, captain);
    const entry = await nominated(app, captain, {
      colour: 'red',
      act: 'beautifying',
      nodeId: unit11,
      householdId: ownerHousehold,
      mediaIds: [photo],
    });
    const refused = await entryMove(app, staff, entry.id, 'confirm');
    expect([refused.statusCode, refused.json().code]).toEqual([409, 'PHOTOS_NOT_CLEARED']);
    await clearAll(app, staff, (await get(staff, `/api/board-entries/${entry.id}`)).json());
    expect((await moved(app, staff, entry.id, 'confirm')).state).toBe('published');
  });
});

describe('content security', () => {
  test('a risky description is refused; one for review waits for staff before it can be published', async () => {
    expect((await nominate(app, owner, { nodeId: unit11, description: '这里有测试违规词' })).statusCode).toBe(422);
    const held = await nominated(app, captain, {
      colour: 'red',
      act: 'helping_neighbours',
      nodeId: unit11,
      householdId: ownerHousehold,
      description: '帮忙搬家（测试待审词）',
    });
    const refused = await entryMove(app, staff, held.id, 'confirm');
    expect([refused.statusCode, refused.json().code]).toEqual([409, 'ENTRY_UNDER_REVIEW']);
    const found = await app.models.ModerationCase.findOne({ communityId: held.communityId, itemId: held.id }).lean();
    const approved = await app.inject({
      method: 'POST',
      url: `/api/moderation/cases/${found!._id}/approve`,
      headers: staff.headers,
    });
    expect(approved.statusCode).toBe(200);
    expect((await moved(app, staff, held.id, 'confirm')).state).toBe('published');
  });
});

describe('the demo', () => {
  test('last month frozen with its ranking, the red flag and a correction; this month in every state', async () => {
    const past = previousMonth(boardMonth(new Date()));
    const red = (await get(tenant, `/api/boards?colour=red&month=${past}`)).json();
    expect(red).toMatchObject({ month: past, frozen: true });
    expect(red.items.map((i: { subjectLabel: string }) => i.subjectLabel).sort()).toEqual(
      ['1栋1单元 一位居民', '王阿姨', '郑师傅'].sort(),
    );
    const black = await get(tenant, `/api/boards?colour=black&month=${past}`);
    noSecrets(black.body);
    expect(black.json().corrections).toHaveLength(1);
    const ranking = (await get(tenant, `/api/boards/ranking?month=${past}`)).json();
    expect(ranking).toMatchObject({ frozen: true, redFlag: { name: '阳光花园1栋' } });
    const months = (await get(tenant, '/api/boards/months')).json().items;
    expect(months.find((m: { month: string }) => m.month === past)).toMatchObject({ frozen: true, red: 3, black: 2 });
    const entries = await app.models.BoardEntry.find({ communityId: await placeId(app, ['幸福里社区']) }).lean();
    // The entry waiting for its household may have had its window closed by another test's clock already.
    const waiting = entries.find((e) => e.description.startsWith('五楼楼道堆放'))!;
    expect(['notified', 'awaiting_decision']).toContain(waiting.state);
    expect(await app.models.Job.countDocuments({ key: `board-entry:${waiting._id}:window` })).toBe(1);
    expect(new Set([...entries.map((e) => e.state), 'notified'])).toEqual(new Set(entryStates));
  });
});

describe('figures', () => {
  test('by act, rectified, appeals; CSV; staff only', async () => {
    const community = await placeId(app, ['幸福里社区']);
    const res = await get(staff, `/api/board-figures?communityId=${community}&month=2027-05`);
    expect(res.statusCode).toBe(200);
    const f = res.json();
    expect(f.byAct.find((a: { act: string }) => a.act === 'hallway_clutter').nominated).toBeGreaterThan(0);
    const csv = await get(staff, `/api/board-figures/export?communityId=${community}&month=2027-05`);
    expect(csv.headers['content-type']).toContain('text/csv');
    expect(csv.body).toContain('红黑榜统计');
    expect((await get(owner, `/api/board-figures?communityId=${community}&month=2027-05`)).statusCode).toBe(403);
    const selections = await get(staff, `/api/boards/selections/export?communityId=${community}&month=2027-05`);
    expect(selections.statusCode).toBe(200);
    expect(selections.body).toContain('房号');
    expect((await get(owner, `/api/boards/selections/export?month=2027-05`)).statusCode).toBe(403);
  });
});
