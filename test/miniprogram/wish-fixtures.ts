import type { WishView } from '../../shared/schemas/wishes';
import { chinaDate } from '../../shared/china-time';
import { estate, ids } from './demo-data';

/**
 * 微心愿 as the mini-program sees it: a published wish for 一位独居老人 of 阳光花园, seen by a neighbour who may
 * claim it. Plain data, shared with the compiled-weapp tests.
 */

const DAY_MS = 24 * 3600_000;

/** A date `days` from today in China (YYYY-MM-DD), as wanted-by dates are. */
export const inDays = (days: number) => chinaDate(new Date(Date.now() + days * DAY_MS));

export function wish(overrides: Partial<WishView> = {}): WishView {
  return {
    id: 'f10000000000000000000001',
    communityId: ids.community,
    text: '想要一台收音机，平时一个人在家听听戏',
    kind: 'goods',
    beneficiaryKind: 'elderly_alone',
    valueYuan: 120,
    wantedBy: inDays(5),
    media: [],
    state: 'published',
    place: estate,
    beneficiary: { label: '一位独居老人', showMaskedName: false, name: null, room: null, phone: null },
    onBehalf: false,
    proxyName: null,
    reviewNote: null,
    claim: null,
    fulfilment: null,
    confirmation: null,
    dispute: null,
    actions: ['claim'],
    canMessage: false,
    claimAs: ['party_member', 'volunteer'],
    organisations: [],
    isMine: false,
    publishedAt: '2026-12-01T02:00:00.000Z',
    createdAt: '2026-11-30T02:00:00.000Z',
    ...overrides,
  };
}

/** The n-th wish of a page, its own id and text. */
export function nthWish(n: number, overrides: Partial<WishView> = {}): WishView {
  return wish({
    id: `f100000000000000000000${String(n).padStart(2, '0')}`,
    text: `第 ${n} 个心愿：需要帮忙`,
    ...overrides,
  });
}

/** A confirmed wish with the beneficiary's thanks, shown with the masked name they agreed to. */
export const doneWish = wish({
  id: 'f10000000000000000000009',
  text: '想请人帮忙修一下轮椅',
  kind: 'service',
  state: 'confirmed',
  beneficiary: { label: '1栋 王**', showMaskedName: true, name: null, room: null, phone: null },
  claim: {
    type: 'volunteer',
    name: '吴**',
    isMe: false,
    claimedAt: '2026-12-01T03:00:00.000Z',
    lapsesAt: '2026-12-08T03:00:00.000Z',
  },
  confirmation: { by: 'beneficiary', thanks: '谢谢小吴，轮椅推起来顺多了', at: '2026-12-02T03:00:00.000Z' },
  actions: [],
});
