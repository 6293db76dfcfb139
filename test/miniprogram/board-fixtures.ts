import { DEFAULT_ACTS } from '../../shared/boards';
import type { BoardItem, BoardPage, BoardSettingsView, EntryView, RankingView } from '../../shared/schemas/boards';
import { building, estate, ids, unit } from './demo-data';

/**
 * 红黑榜 as the mini-program sees it: a black entry about 1栋1单元's household 302 waiting for its response, a red
 * entry naming 王阿姨, this month's board and a frozen past one with a correction, the building ranking. Plain data,
 * shared with the compiled-weapp tests.
 */

export const ENTRY_ID = 'b10000000000000000000001';

export function entry(overrides: Partial<EntryView> = {}): EntryView {
  return {
    id: ENTRY_ID,
    communityId: ids.community,
    colour: 'black',
    act: { key: 'hallway_clutter', label: '楼道堆物', points: -3 },
    occurredAt: '2026-12-02T01:30:00.000Z',
    place: unit,
    description: '楼道里堆了很多纸箱，挡住了消防通道',
    media: [],
    unclearedPhotoIds: [],
    state: 'notified',
    subject: { label: '1栋1单元', room: '302', personName: null, consent: null },
    month: null,
    respondBy: '2026-12-10T02:00:00.000Z',
    staffNote: null,
    response: null,
    rectification: null,
    appeal: null,
    actions: ['respond', 'rectify'],
    isNominator: false,
    isHousehold: true,
    isSubject: false,
    publishedAt: null,
    createdAt: '2026-12-02T02:00:00.000Z',
    ...overrides,
  };
}

/** A red entry naming 王阿姨, who may consent to her name on the board. */
export function redEntry(overrides: Partial<EntryView> = {}): EntryView {
  return entry({
    id: 'b10000000000000000000002',
    colour: 'red',
    act: { key: 'helping_neighbours', label: '邻里互助', points: 5 },
    description: '帮独居的李奶奶把煤气罐扛上五楼',
    state: 'published',
    subject: { label: '1栋1单元 一位居民', room: '302', personName: '王阿姨', consent: false },
    month: '2026-12',
    respondBy: null,
    actions: [],
    isHousehold: false,
    isSubject: true,
    publishedAt: '2026-12-02T03:00:00.000Z',
    ...overrides,
  });
}

export function boardItem(n: number, overrides: Partial<BoardItem> = {}): BoardItem {
  return {
    entryId: `b200000000000000000000${String(n).padStart(2, '0')}`,
    colour: 'red',
    actLabel: '邻里互助',
    subjectLabel: n === 1 ? '王阿姨' : `1栋1单元 一位居民${n}`,
    placeLabel: '阳光花园 1栋 1单元',
    occurredAt: '2026-12-02T01:30:00.000Z',
    publishedAt: '2026-12-02T03:00:00.000Z',
    points: 5,
    media: [],
    corrected: false,
    ...overrides,
  };
}

export function boardPage(overrides: Partial<BoardPage> = {}): BoardPage {
  return {
    month: '2026-12',
    frozen: false,
    frozenAt: null,
    items: [boardItem(1), boardItem(2)],
    corrections: [],
    nextCursor: null,
    ...overrides,
  };
}

/** November, frozen, with one black line removed after an upheld appeal. */
export const frozenPage = boardPage({
  month: '2026-11',
  frozen: true,
  frozenAt: '2026-11-30T16:00:00.000Z',
  items: [
    boardItem(3, {
      colour: 'black',
      actLabel: '高空抛物',
      subjectLabel: '2栋1单元',
      placeLabel: '阳光花园 2栋 1单元',
      points: -10,
      corrected: true,
    }),
  ],
  corrections: [
    {
      entryId: 'b20000000000000000000003',
      text: '2栋1单元「高空抛物」经复核申诉成立，已撤榜',
      at: '2026-12-02T02:00:00.000Z',
    },
  ],
});

export const ranking: RankingView = {
  month: '2026-12',
  frozen: false,
  tieRule: '积分相同时，红榜条目多者在前；仍相同时，黑榜条目少者在前；再相同则并列',
  redFlag: { buildingId: building.id, name: '1栋' },
  items: [
    { buildingId: building.id, name: '1栋', households: 12, points: 30, red: 6, black: 0, perHousehold: 2.5, rank: 1 },
    {
      buildingId: 'b00000000000000000000002',
      name: '2栋',
      households: 10,
      points: 12,
      red: 3,
      black: 1,
      perHousehold: 1.2,
      rank: 2,
    },
  ],
};

export const settings: BoardSettingsView = { acts: DEFAULT_ACTS.map((a) => ({ ...a })), canEdit: false };

export { estate };
