import type { Types } from 'mongoose';
import { CONSENT_KIND_ITEM, PRIVACY_POLICY_VERSION, type ConsentKind } from '../../../shared/privacy';
import type { Models } from '../../plugins/models';
import type { PlaceNode } from '../places/model';

/**
 * The consent records behind the demo data's name flags, so 我的授权 has something to list in the demo: a report
 * filed with the name shown, a wish posted for one's own household with the masked name on the wall, a claim with
 * the name on the roll of honour, a red entry the named person agreed to. Demo only: nothing is backfilled
 * elsewhere.
 */
export async function seedConsents(models: Models, community: PlaceNode): Promise<void> {
  const communityId = community._id;
  const at = new Date();
  const rows: { userId: Types.ObjectId; kind: ConsentKind; itemId: Types.ObjectId }[] = [];
  const [reports, wishes, entries] = await Promise.all([
    models.Report.find({ communityId, showName: true }, { reporterId: 1 }).lean(),
    models.Wish.find({ communityId }, { postedBy: 1, onBehalf: 1, showMaskedName: 1, claim: 1, claims: 1 }).lean(),
    models.BoardEntry.find({ communityId, consent: true, subjectUserId: { $ne: null } }, { subjectUserId: 1 }).lean(),
  ]);
  for (const r of reports) rows.push({ userId: r.reporterId, kind: 'report_name', itemId: r._id });
  for (const w of wishes) {
    if (w.showMaskedName && !w.onBehalf)
      rows.push({ userId: w.postedBy, kind: 'wish_beneficiary_name', itemId: w._id });
    const claimants = [
      ...(w.claim?.showName ? [w.claim.userId] : []),
      ...w.claims.filter((c) => c.showName).map((c) => c.userId),
    ];
    for (const userId of new Map(claimants.map((id) => [String(id), id])).values())
      rows.push({ userId, kind: 'wish_claimant_name', itemId: w._id });
  }
  for (const e of entries) rows.push({ userId: e.subjectUserId!, kind: 'board_name', itemId: e._id });
  if (rows.length === 0) return;
  await models.PrivacyConsent.insertMany(
    rows.map((row) => ({
      ...row,
      communityId,
      itemKind: CONSENT_KIND_ITEM[row.kind],
      version: PRIVACY_POLICY_VERSION,
      grantedAt: at,
    })),
  );
}
