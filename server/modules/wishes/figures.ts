import type { Types } from 'mongoose';
import type { WishFigures } from '../../../shared/schemas/wishes';
import {
  claimantTypeLabel,
  claimantTypes,
  honourName,
  wishKindLabel,
  wishKinds,
  type ClaimantType,
} from '../../../shared/wishes';
import { median, monthBounds } from '../../../shared/china-time';
import type { Models } from '../../plugins/models';
import type { Wish } from './model';
import { csvText } from '../../csv';

const DAY_MS = 24 * 3600_000;
const within = (at: Date | null | undefined, from: Date, to: Date) => !!at && at >= from && at < to;

/**
 * Figures per community and China-time month: the month's events (posted, published, claimed, fulfilled,
 * confirmed), the median days from publishing to fulfilment, by kind and by claimant type, and the roll of
 * honour (names with the claimant's consent, organisations by name).
 */
export function createWishFigures(models: Pick<Models, 'Wish' | 'WishOrganisation' | 'User'>) {
  async function figures(communityId: Types.ObjectId, month: string): Promise<WishFigures> {
    const { start: from, end: to } = monthBounds(month);
    const inMonth = { $gte: from, $lt: to };
    const wishes = await models.Wish.find(
      {
        communityId,
        $or: [
          { createdAt: inMonth },
          { publishedAt: inMonth },
          { 'claim.claimedAt': inMonth },
          { 'claims.claimedAt': inMonth },
          { 'fulfilment.at': inMonth },
          { confirmedAt: inMonth },
        ],
      },
      { kind: 1, createdAt: 1, publishedAt: 1, claim: 1, claims: 1, fulfilment: 1, confirmedAt: 1 },
    ).lean<Wish[]>();
    const fulfilled = wishes.filter((w) => within(w.fulfilment?.at, from, to) && w.claim);
    const claims = wishes.flatMap((w) => [...(w.claim ? [w.claim] : []), ...w.claims]);
    const claimed = claims.filter((c) => within(c.claimedAt, from, to));
    const honour = new Map<
      string,
      { type: ClaimantType; userId: Types.ObjectId; orgId: Types.ObjectId | null; consent: boolean; fulfilled: number }
    >();
    for (const w of fulfilled) {
      const c = w.claim!;
      const key = String(c.organisationId ?? c.userId);
      const entry = honour.get(key) ?? {
        type: c.type as ClaimantType,
        userId: c.userId,
        orgId: c.organisationId ?? null,
        consent: true,
        fulfilled: 0,
      };
      entry.fulfilled += 1;
      // A person is named only if they agreed every time; an organisation is always named.
      entry.consent = entry.consent && (!!c.organisationId || !!c.showName);
      honour.set(key, entry);
    }
    const entries = [...honour.values()];
    const [users, orgs] = await Promise.all([
      models.User.find({ _id: { $in: entries.map((e) => e.userId) } }, { displayName: 1 }).lean(),
      models.WishOrganisation.find(
        { communityId, _id: { $in: entries.flatMap((e) => e.orgId ?? []) } },
        { name: 1 },
      ).lean(),
    ]);
    const nameOf = (e: (typeof entries)[number]) =>
      e.orgId
        ? (orgs.find((o) => o._id.equals(e.orgId!))?.name ?? '')
        : (users.find((u) => u._id.equals(e.userId))?.displayName ?? '');
    return {
      month,
      totals: {
        posted: wishes.filter((w) => within(w.createdAt, from, to)).length,
        published: wishes.filter((w) => within(w.publishedAt, from, to)).length,
        claimed: claimed.length,
        fulfilled: fulfilled.length,
        confirmed: wishes.filter((w) => within(w.confirmedAt, from, to)).length,
      },
      medianDaysToFulfil: median(
        fulfilled.flatMap((w) =>
          w.publishedAt
            ? [Math.round(((w.fulfilment!.at!.getTime() - w.publishedAt.getTime()) / DAY_MS) * 10) / 10]
            : [],
        ),
      ),
      byKind: wishKinds.map((kind) => ({
        kind,
        posted: wishes.filter((w) => w.kind === kind && within(w.createdAt, from, to)).length,
        fulfilled: fulfilled.filter((w) => w.kind === kind).length,
      })),
      byClaimantType: claimantTypes.map((type) => ({
        type,
        claimed: claimed.filter((c) => c.type === type).length,
        fulfilled: fulfilled.filter((w) => w.claim!.type === type).length,
      })),
      honour: entries
        .map((e) => ({
          name: honourName({ type: e.type, name: nameOf(e), consent: e.consent }),
          type: e.type,
          fulfilled: e.fulfilled,
        }))
        .sort((a, b) => b.fulfilled - a.fulfilled || a.name.localeCompare(b.name, 'zh')),
    };
  }

  /** The same as CSV sections, for a spreadsheet. */
  function csv(f: WishFigures): string {
    return csvText([
      ['微心愿统计', f.month],
      ['发布心愿', f.totals.posted],
      ['审核上墙', f.totals.published],
      ['认领', f.totals.claimed],
      ['实现', f.totals.fulfilled],
      ['确认', f.totals.confirmed],
      ['上墙到实现天数中位数', f.medianDaysToFulfil ?? ''],
      [],
      ['心愿类别', '发布', '实现'],
      ...f.byKind.map((k) => [wishKindLabel[k.kind], k.posted, k.fulfilled]),
      [],
      ['认领方', '认领', '实现'],
      ...f.byClaimantType.map((c) => [claimantTypeLabel[c.type], c.claimed, c.fulfilled]),
      [],
      ['光荣榜', '认领方', '实现心愿'],
      ...f.honour.map((h) => [h.name, claimantTypeLabel[h.type], h.fulfilled]),
    ]);
  }

  return { figures, csv };
}
export type WishFiguresService = ReturnType<typeof createWishFigures>;
