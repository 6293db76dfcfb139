import { act, fireEvent, render, screen } from '@testing-library/react';
import Taro from '@tarojs/taro';
import BoardPage from '../../miniprogram/packages/boards/index';
import EntryPage from '../../miniprogram/packages/boards/detail';
import MinePage from '../../miniprogram/packages/boards/mine';
import NominatePage from '../../miniprogram/packages/boards/nominate';
import RankingPage from '../../miniprogram/packages/boards/ranking';
import FiguresPage from '../../miniprogram/packages/boards/figures';
import SettingsPage from '../../miniprogram/packages/boards/settings';
import RedactPage from '../../miniprogram/packages/admin/redact';
import { relationLabel } from '../../shared/places';
import { __reachBottom, __setElementRect, __setRouterParams } from './doubles/taro';
import { boardItem, boardPage, ENTRY_ID, entry, frozenPage, ranking, redEntry, settings } from './board-fixtures';
import {
  building,
  captain,
  estate,
  fail,
  ids,
  logIn,
  nodeView,
  ok,
  owner,
  photo,
  resetApp,
  serve,
  staff,
  unit,
  unitView,
} from './fixtures';
import { button, queryButton, submitFailsThenRetries } from './forms';

beforeEach(resetApp);

const switchNamed = (title: string) => screen.getByText(title).closest('.at-switch')!.querySelector('input')!;
const entryPath = `/board-entries/${ENTRY_ID}`;
const estate2 = {
  id: 'e00000000000000000000002',
  kind: 'estate' as const,
  name: '翠竹苑',
  path: ['幸福里社区', '翠竹苑'],
};

/** A resident's way to the community (their unit's breadcrumb) and its estates. */
const residentPlaces = {
  [`GET /nodes/${ids.unit}`]: ok(unitView),
  [`GET /nodes/${ids.community}/children`]: ok([nodeView(estate, 60), nodeView(estate2, 40)]),
};

describe('红黑榜', () => {
  test('this month: 红榜 first, 黑榜 on its tab, an estate’s part, paged on scrolling; the names shown are the labels', async () => {
    logIn(owner());
    const sent = serve({
      ...residentPlaces,
      'GET /boards': (req) =>
        req.url.includes('colour=black')
          ? ok(boardPage({ items: [] }))
          : req.url.includes('cursor=')
            ? ok(boardPage({ items: [boardItem(3)] }))
            : ok(boardPage({ nextCursor: 'c2' })),
    });
    render(<BoardPage />);
    expect(await screen.findByText('王阿姨')).toBeTruthy();
    const boards = () => sent.filter((r) => r.path === '/boards').map((r) => r.url);
    expect(boards()).toEqual([`/api/boards?communityId=${ids.community}&colour=red&limit=20`]);
    expect(screen.getByText('2026年12月 · 公示中')).toBeTruthy();
    expect(screen.getByText('1栋1单元 一位居民2')).toBeTruthy();
    expect(screen.getAllByText('+5 分')).toHaveLength(2);

    await act(async () => __reachBottom());
    expect(boards().at(-1)).toBe(`/api/boards?communityId=${ids.community}&colour=red&cursor=c2&limit=20`);
    expect(screen.getByText('1栋1单元 一位居民3')).toBeTruthy();
    expect(screen.getByText('没有更多了')).toBeTruthy();

    await act(async () => fireEvent.click(screen.getByText('黑榜')));
    expect(boards().at(-1)).toBe(`/api/boards?communityId=${ids.community}&colour=black&limit=20`);
    expect(screen.getByText('黑榜上没有条目')).toBeTruthy();

    await act(async () => fireEvent.click(screen.getByText('翠竹苑')));
    expect(boards().at(-1)).toBe(
      `/api/boards?communityId=${ids.community}&colour=black&estateId=${estate2.id}&limit=20`,
    );

    fireEvent.click(button('我要提名'));
    expect(Taro.navigateTo).toHaveBeenCalledWith({ url: '/packages/boards/nominate/index' });
    fireEvent.click(screen.getByText('流动红旗'));
    expect(Taro.navigateTo).toHaveBeenCalledWith({ url: '/packages/boards/ranking/index' });
    // Staff tools are for staff only.
    expect(screen.queryByText('核实队列')).toBeNull();
  });

  test('a frozen month says 已封榜, shows its correction lines and strikes the corrected line; no nominating there', async () => {
    logIn(owner());
    __setRouterParams({ month: '2026-11' });
    const sent = serve({ ...residentPlaces, 'GET /boards': ok(frozenPage) });
    render(<BoardPage />);
    expect(await screen.findByText('2026年11月 · 已封榜')).toBeTruthy();
    expect(sent.at(-1)!.url).toBe(`/api/boards?communityId=${ids.community}&month=2026-11&colour=red&limit=20`);
    expect(screen.getByText(/封榜，榜单不再改动/)).toBeTruthy();
    expect(screen.getByText(/^更正：2栋1单元「高空抛物」经复核申诉成立，已撤榜/)).toBeTruthy();
    expect(screen.getByText('已更正撤榜')).toBeTruthy();
    expect(screen.getByText('2栋1单元').closest('.board-card')!.className).toContain('board-card--corrected');
    expect(screen.getByText('-10 分')).toBeTruthy();
    expect(queryButton('我要提名')).toBeNull();
  });

  test('an error shows in Chinese with 重试', async () => {
    logIn(owner());
    let answer = fail(403, 'NOT_IN_COMMUNITY');
    serve({ ...residentPlaces, 'GET /boards': () => answer });
    render(<BoardPage />);
    expect(await screen.findByText('您还不是这个社区的居民')).toBeTruthy();
    answer = ok(boardPage());
    await act(async () => fireEvent.click(screen.getByText('重试')));
    expect(screen.getByText('王阿姨')).toBeTruthy();
  });
});

test('流动红旗: the holder, the buildings by points per household and the tie rule', async () => {
  logIn(owner());
  const sent = serve({ 'GET /boards/ranking': ok(ranking) });
  render(<RankingPage />);
  expect(await screen.findByText('流动红旗：1栋')).toBeTruthy();
  expect(sent[0]!.url).toBe('/api/boards/ranking');
  expect(screen.getByText('户均 2.5 分 · 红6 黑0 · 12 户')).toBeTruthy();
  expect(screen.getByText('户均 1.2 分 · 红3 黑1 · 10 户')).toBeTruthy();
  expect(
    screen.getByText('并列规则：积分相同时，红榜条目多者在前；仍相同时，黑榜条目少者在前；再相同则并列'),
  ).toBeTruthy();
});

test('no building alone at the top: no red flag this month', async () => {
  logIn(owner());
  serve({ 'GET /boards/ranking': ok({ ...ranking, redFlag: null }) });
  render(<RankingPage />);
  expect(await screen.findByText('本月流动红旗暂无得主')).toBeTruthy();
});

describe('提名', () => {
  test('asks for what is missing; a resident names any household of the community, a retry sends the same key', async () => {
    logIn(owner());
    let calls = 0;
    const sent = serve({
      ...residentPlaces,
      [`GET /communities/${ids.community}/board-settings`]: ok(settings),
      [`GET /nodes/${ids.estate}/children`]: ok([nodeView(building, 12)]),
      [`GET /nodes/${ids.building}/children`]: ok([nodeView(unit, 12)]),
      // A plain resident gets the unit's rooms, never who lives in them.
      [`GET /nodes/${ids.unit}/households`]: ok([
        { id: '800000000000000000000301', room: '301', floor: 3, areaHundredths: 9012, members: [] },
        { id: '800000000000000000000302', room: '302', floor: 3, areaHundredths: 9355, members: [] },
      ]),
      'POST /board-entries': () => (++calls === 1 ? 'network-error' : ok(redEntry({ state: 'nominated' }), 201)),
    });
    render(<NominatePage />);
    await screen.findByText('邻里互助');
    // Black acts are on the other tab.
    expect(screen.queryByText('高空抛物')).toBeNull();

    fireEvent.click(button('提交提名'));
    expect(screen.getByText('请选择行为类型')).toBeTruthy();
    fireEvent.click(screen.getByText('邻里互助'));
    fireEvent.click(button('提交提名'));
    expect(screen.getByText('请选择发生地点（小区、楼栋或单元）')).toBeTruthy();
    await act(async () => fireEvent.click(screen.getByText('阳光花园（小区）')));
    expect(screen.getByText('已选：阳光花园（小区公共区域），可继续选到楼栋或单元')).toBeTruthy();
    fireEvent.click(button('提交提名'));
    expect(screen.getByText('请选择做好事的住户')).toBeTruthy();
    // Who: any unit of the community, walked down from the community, then the room — no one in it to choose.
    const inChooser = (text: string) => screen.getAllByText(text).find((el) => el.closest('.unit-chooser'))!;
    await act(async () => fireEvent.click(inChooser('阳光花园')));
    await act(async () => fireEvent.click(inChooser('1栋')));
    await act(async () => fireEvent.click(inChooser('1单元')));
    await act(async () => fireEvent.click(await screen.findByText('301')));
    expect(screen.queryByText('为哪位邻居')).toBeNull();
    expect(
      screen.getByText('红榜显示「几栋几单元 一位居民」；要写明具体哪位邻居，请联系楼长或网格员代为提名'),
    ).toBeTruthy();
    fireEvent.click(button('提交提名'));
    expect(screen.getByText('请描述发生了什么（至少 2 个字）')).toBeTruthy();
    fireEvent.input(document.querySelector('textarea')!, { target: { value: '帮李奶奶扛煤气罐' } });
    expect(sent.filter((r) => r.method === 'POST')).toHaveLength(0);

    const { first, second } = await submitFailsThenRetries(sent, {
      label: '提交提名',
      typed: '帮李奶奶扛煤气罐',
      url: `/packages/boards/detail/index?id=${redEntry().id}`,
    });
    expect(second).toEqual({
      colour: 'red',
      act: 'helping_neighbours',
      occurredAt: expect.any(String),
      nodeId: ids.estate,
      description: '帮李奶奶扛煤气罐',
      householdId: '800000000000000000000301',
      idempotencyKey: first.idempotencyKey,
    });
  });

  test('black: its acts, no household asked of a resident; the service’s refusal is shown and the form kept', async () => {
    logIn(owner());
    const sent = serve({
      [`GET /nodes/${ids.unit}`]: ok(unitView),
      [`GET /communities/${ids.community}/board-settings`]: ok(settings),
      [`GET /nodes/${ids.estate}/children`]: ok([]),
      'POST /board-entries': fail(422, 'ACTS_INVALID'),
    });
    render(<NominatePage />);
    const black = await screen.findByText('黑榜 · 不文明行为');
    await act(async () => fireEvent.click(black));
    fireEvent.click(screen.getByText('楼道堆物'));
    await act(async () => fireEvent.click(screen.getByText('阳光花园（小区）')));
    expect(screen.queryByText('做好事的住户')).toBeNull();
    fireEvent.input(document.querySelector('textarea')!, { target: { value: '楼道堆满纸箱' } });
    await act(async () => fireEvent.click(button('提交提名')));
    expect(await screen.findByText('行为类型设置有误：请选择社区启用的行为，红榜加分、黑榜扣分')).toBeTruthy();
    expect(sent.at(-1)!.body).toMatchObject({ colour: 'black', act: 'hallway_clutter', nodeId: ids.estate });
    expect(sent.at(-1)!.body).not.toHaveProperty('householdId');
  });
});

describe('an entry', () => {
  test('the household concerned: the deadline, 回应说明 and 已整改 from actions, nothing else', async () => {
    logIn(owner());
    const sent = serve({
      [`GET ${entryPath}`]: ok(entry()),
      [`POST ${entryPath}/respond`]: ok(
        entry({ response: { text: '纸箱今天已搬走', at: '2026-12-03T02:00:00.000Z' } }),
      ),
    });
    __setRouterParams({ id: ENTRY_ID });
    render(<EntryPage />);
    expect(await screen.findByText(/前回应或整改，整改后不上榜$/)).toBeTruthy();
    expect(screen.getByText('榜上显示：1栋1单元')).toBeTruthy();
    expect(screen.getByText('住户信息：302（仅相关人员可见）')).toBeTruthy();
    expect(button('回应说明')).toBeTruthy();
    expect(button('已整改（附照片）')).toBeTruthy();
    for (const other of ['申诉', '上榜公示', '核实属实', '补充材料']) expect(queryButton(other)).toBeNull();

    fireEvent.click(button('回应说明'));
    fireEvent.click(button('确定'));
    expect(screen.getByText('请至少写 2 个字')).toBeTruthy();
    fireEvent.input(document.querySelector('textarea')!, { target: { value: '纸箱今天已搬走' } });
    await act(async () => fireEvent.click(button('确定')));
    expect(sent.at(-1)!.body).toEqual({ text: '纸箱今天已搬走' });
    expect(screen.getByText(/^住户回应：纸箱今天已搬走/)).toBeTruthy();
  });

  test('已整改 needs a photo', async () => {
    logIn(owner());
    serve({ [`GET ${entryPath}`]: ok(entry()) });
    __setRouterParams({ id: ENTRY_ID });
    render(<EntryPage />);
    fireEvent.click(await screen.findByText('已整改（附照片）', { selector: '.at-button__text' }));
    fireEvent.input(document.querySelector('textarea')!, { target: { value: '已清走' } });
    fireEvent.click(button('提交'));
    expect(screen.getByText('请至少上传 1 张整改后的照片')).toBeTruthy();
  });

  test('staff: publishing with uncleared photos says why; each photo is redacted or marked as showing no one', async () => {
    logIn(staff());
    const waiting = entry({
      state: 'awaiting_decision',
      isHousehold: false,
      media: [photo(1), photo(2)],
      unclearedPhotoIds: [photo(2).id],
      actions: ['publish', 'withdraw_rectified'],
    });
    const sent = serve({
      [`GET ${entryPath}`]: ok(waiting),
      [`POST ${entryPath}/publish`]: fail(409, 'PHOTOS_NOT_CLEARED'),
      [`POST ${entryPath}/photos/${photo(2).id}/clear`]: ok({ ...waiting, unclearedPhotoIds: [] }),
    });
    __setRouterParams({ id: ENTRY_ID });
    render(<EntryPage />);
    await screen.findByText('上榜公示', { selector: '.at-button__text' });
    expect(button('已整改，撤回不上榜')).toBeTruthy();
    expect(screen.getByText('已处理')).toBeTruthy();

    await act(async () => fireEvent.click(button('上榜公示')));
    expect(Taro.showModal).toHaveBeenCalledWith(expect.objectContaining({ title: '上榜公示' }));
    expect(
      await screen.findByText('还有证据照片未处理：请先遮挡人脸、车牌，或标记为不含人脸车牌，再上榜', {
        selector: '.board-alert',
      }),
    ).toBeTruthy();

    fireEvent.click(screen.getByText('遮挡人脸/车牌'));
    expect(Taro.navigateTo).toHaveBeenCalledWith({
      url: `/packages/admin/redact/index?entry=${ENTRY_ID}&media=${photo(2).id}`,
    });
    await act(async () => fireEvent.click(screen.getByText('不含人脸车牌')));
    expect(sent.at(-1)!.body).toEqual({ rects: [] });
    expect(screen.queryByText('遮挡人脸/车牌')).toBeNull();
  });

  test('staff decide an appeal with a note', async () => {
    logIn(staff());
    const appealed = entry({
      state: 'appealed',
      isHousehold: false,
      month: '2026-12',
      appeal: { reason: '纸箱不是我家的', at: '2026-12-05T02:00:00.000Z', decision: null },
      actions: ['uphold_appeal', 'reject_appeal'],
    });
    const sent = serve({
      [`GET ${entryPath}`]: ok(appealed),
      [`POST ${entryPath}/appeal/decide`]: ok(
        entry({
          ...appealed,
          state: 'removed',
          actions: [],
          appeal: { ...appealed.appeal!, decision: { upheld: true, note: '经核实属误报' } },
        }),
      ),
    });
    __setRouterParams({ id: ENTRY_ID });
    render(<EntryPage />);
    expect(await screen.findByText('申诉：纸箱不是我家的（等待社区复核）')).toBeTruthy();
    expect(button('申诉不成立')).toBeTruthy();
    fireEvent.click(button('申诉成立，撤榜更正'));
    fireEvent.input(document.querySelector('textarea')!, { target: { value: '经核实属误报' } });
    await act(async () => fireEvent.click(button('确定')));
    expect(sent.at(-1)!.body).toEqual({ upheld: true, note: '经核实属误报' });
    expect(screen.getByText('申诉：纸箱不是我家的（申诉成立，已撤榜更正：经核实属误报）')).toBeTruthy();
  });

  test('the person named gives and revokes consent to their name', async () => {
    logIn(owner());
    const red = redEntry();
    const sent = serve({
      [`GET /board-entries/${red.id}`]: ok(red),
      [`POST /board-entries/${red.id}/consent`]: (req) => {
        const consent = (req.body as { consent: boolean }).consent;
        return ok(redEntry({ subject: { ...red.subject, consent, label: consent ? '王阿姨' : red.subject.label } }));
      },
    });
    __setRouterParams({ id: red.id });
    render(<EntryPage />);
    expect(await screen.findByText('未经您同意，红榜只显示「几栋几单元 一位居民」。')).toBeTruthy();
    expect(screen.getByText('榜上显示：1栋1单元 一位居民')).toBeTruthy();
    await act(async () => fireEvent.click(switchNamed('同意在红榜显示我的姓名')));
    expect(sent.at(-1)!.body).toEqual({ consent: true });
    expect(screen.getByText('红榜显示您的姓名「王阿姨」。可随时撤回，撤回后不再显示。')).toBeTruthy();
    expect(screen.getByText('榜上显示：王阿姨')).toBeTruthy();
    await act(async () => fireEvent.click(switchNamed('同意在红榜显示我的姓名')));
    expect(sent.at(-1)!.body).toEqual({ consent: false });
    expect(screen.getByText('榜上显示：1栋1单元 一位居民')).toBeTruthy();
  });
});

test('我的提名 lists my entries with their state; 与我家有关 asks for the household view', async () => {
  logIn(owner());
  const sent = serve({
    'GET /board-entries': (req) =>
      ok({
        items: req.url.includes('view=household') ? [entry()] : [redEntry({ state: 'nominated' })],
        nextCursor: null,
      }),
  });
  render(<MinePage />);
  expect(await screen.findByText('待核实')).toBeTruthy();
  expect(sent[0]!.url).toBe('/api/board-entries?view=mine&limit=20');
  await act(async () => fireEvent.click(screen.getByText('与我家有关')));
  expect(sent.at(-1)!.url).toBe('/api/board-entries?view=household&limit=20');
  expect(screen.getByText('待住户回应')).toBeTruthy();
  fireEvent.click(screen.getByText('楼道堆物'));
  expect(Taro.navigateTo).toHaveBeenCalledWith({ url: `/packages/boards/detail/index?id=${ENTRY_ID}` });
});

test('figures for staff: totals and bars for the month, CSV exports', async () => {
  logIn(staff());
  const sent = serve({
    'GET /board-figures': ok({
      month: '2026-12',
      byAct: [
        { act: 'hallway_clutter', label: '楼道堆物', colour: 'black', nominated: 4, published: 1 },
        { act: 'helping_neighbours', label: '邻里互助', colour: 'red', nominated: 3, published: 3 },
      ],
      rectified: 2,
      dismissed: 1,
      appeals: { lodged: 1, upheld: 1, rejected: 0, open: 0 },
    }),
  });
  render(<FiguresPage />);
  expect(await screen.findByText('整改未上榜')).toBeTruthy();
  expect(sent[0]!.url).toMatch(new RegExp(`^/api/board-figures\\?communityId=${ids.community}&month=\\d{4}-\\d{2}$`));
  expect(screen.getByText('楼道堆物 提名')).toBeTruthy();
  expect(button('导出推选名单')).toBeTruthy();
  expect(button('导出 CSV')).toBeTruthy();
});

test('the redaction editor on an entry’s evidence photo sends its rectangles to the entry', async () => {
  logIn(staff());
  __setElementRect({ left: 12, top: 100, width: 360, height: 0 });
  __setRouterParams({ entry: ENTRY_ID, media: photo(1).id });
  const withPhoto = entry({ media: [photo(1)], unclearedPhotoIds: [photo(1).id] });
  const sent = serve({
    [`GET ${entryPath}`]: ok(withPhoto),
    [`POST ${entryPath}/photos/${photo(1).id}/clear`]: ok({ ...withPhoto, unclearedPhotoIds: [] }),
  });
  render(<RedactPage />);
  await screen.findByRole('img');
  await act(async () => undefined);
  const stage = document.querySelector('.redact__stage')!;
  fireEvent.touchStart(stage, { touches: [{ clientX: 22, clientY: 120 }] });
  fireEvent.touchMove(stage, { touches: [{ clientX: 122, clientY: 170 }] });
  fireEvent.touchEnd(stage, { touches: [], changedTouches: [{ clientX: 122, clientY: 170 }] });
  await act(async () => fireEvent.click(screen.getByText('确定')));
  expect(sent.at(-1)!.path).toBe(`${entryPath}/photos/${photo(1).id}/clear`);
  expect(sent.at(-1)!.body).toEqual({ rects: [{ x: 30, y: 60, width: 300, height: 150 }] });
  expect(Taro.navigateBack).toHaveBeenCalled();
});

test('a captain nominates a neighbour’s good deed and, optionally, the person who did it', async () => {
  logIn(captain());
  let posts = 0;
  const sent = serve({
    [`GET /nodes/${ids.unit}`]: ok(unitView),
    [`GET /communities/${ids.community}/board-settings`]: ok(settings),
    [`GET /nodes/${ids.estate}/children`]: ok([nodeView(building, 12)]),
    [`GET /nodes/${ids.building}/children`]: ok([nodeView(unit, 12)]),
    [`GET /nodes/${ids.unit}/households`]: ok([
      {
        id: '800000000000000000000302',
        room: '302',
        floor: 3,
        areaHundredths: 9355,
        members: [{ name: '王**', relation: 'owner', userId: owner().id }],
      },
    ]),
    'POST /board-entries': () => (++posts === 1 ? 'network-error' : ok(redEntry({ state: 'nominated' }), 201)),
  });
  render(<NominatePage />);
  fireEvent.click(await screen.findByText('拾金不昧'));
  // Where: the captain's building, then one of its units.
  await act(async () => fireEvent.click(screen.getByText('阳光花园（小区）')));
  await act(async () => fireEvent.click(screen.getByText('1栋')));
  const within = (selector: string) => screen.getAllByText('1单元').find((el) => el.closest(selector))!;
  await act(async () => fireEvent.click(within('.choice-chips')));
  expect(screen.getByText('已选：阳光花园 1栋 1单元')).toBeTruthy();
  // Who: the neighbour picker, starting inside the captain's building.
  await act(async () => fireEvent.click(within('.unit-chooser')));
  await act(async () => fireEvent.click(await screen.findByText('302')));
  fireEvent.input(document.querySelector('textarea')!, { target: { value: '捡到钱包交还失主' } });
  await act(async () => fireEvent.click(button('提交提名')));
  expect(sent.at(-1)!.body).toMatchObject({ householdId: '800000000000000000000302', nodeId: ids.unit });
  expect(sent.at(-1)!.body).not.toHaveProperty('subjectUserId');
  // The person too: only they may then consent to their name on the board.
  fireEvent.click(screen.getByText(`王**（${relationLabel.owner}）`));
  await act(async () => fireEvent.click(button('提交提名')));
  expect(sent.at(-1)!.body).toMatchObject({ householdId: '800000000000000000000302', subjectUserId: owner().id });
});

test('acts and points: staff change a deduction and the act list is checked before it is sent', async () => {
  logIn(staff());
  const sent = serve({
    [`GET /communities/${ids.community}/board-settings`]: ok({ ...settings, canEdit: true }),
    [`PUT /communities/${ids.community}/board-settings`]: (req) => ok({ ...(req.body as object), canEdit: true }),
  });
  render(<SettingsPage />);
  const clutter = await screen.findByDisplayValue('楼道堆物');
  const points = clutter.closest('.at-input')!.parentElement!.querySelectorAll('input')[1]!;
  expect((points as HTMLInputElement).value).toBe('3');
  fireEvent.input(points, { target: { value: '5' } });
  fireEvent.input(clutter, { target: { value: '堆' } });
  fireEvent.click(button('保存'));
  expect(screen.getByText('行为名称需为 2–20 个字')).toBeTruthy();
  fireEvent.input(clutter, { target: { value: '楼道堆放杂物' } });
  await act(async () => fireEvent.click(button('保存')));
  const saved = (sent.at(-1)!.body as { acts: { key: string; label: string; points: number }[] }).acts;
  expect(saved.find((a) => a.key === 'hallway_clutter')).toMatchObject({ label: '楼道堆放杂物', points: -5 });
  expect(saved).toHaveLength(settings.acts.length);
});
