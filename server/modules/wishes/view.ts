import { Types } from 'mongoose';
import { maskName } from '../../../shared/masking';
import type { WishView } from '../../../shared/schemas/wishes';
import {
  availableActions,
  beneficiaryLabel,
  claimantTypesOf,
  mayMessage,
  type BeneficiaryKind,
  type ClaimantType,
  type WishKind,
  type WishState,
} from '../../../shared/wishes';
import type { PlaceNode } from '../places/model';
import type { Actor } from '../roles/access';
import type { WishCore, WishDeps } from './context';
import type { Wish } from './model';

/**
 * What a person sees of wishes. Privacy lives here: the beneficiary's name and room, and the proxy's name, go
 * only to the wish's inside (poster or proxy, the claimant while claiming, staff); the beneficiary's phone only
 * to the poster and staff (never to the claimant: no phone of either side reaches the other); a person
 * claimant's name whole only to themselves and staff. Proof photos go to the inside only: they are taken at the
 * beneficiary's door and often show them or their home, so the done wall shows the thank-you note instead.
 */
export function createWishViews(deps: Pick<WishDeps, 'models' | 'nodeRefs' | 'media'>, core: WishCore) {
  const { models } = deps;

  async function views(actor: Actor, wishes: Wish[]): Promise<WishView[]> {
    if (wishes.length === 0) return [];
    const communityIds = [...new Set(wishes.map((w) => String(w.communityId)))].map((id) => new Types.ObjectId(id));
    const people = wishes.flatMap((w) => [w.postedBy, ...(w.claim ? [w.claim.userId] : [])]);
    const orgIds = wishes.flatMap((w) => (w.claim?.organisationId ? [w.claim.organisationId] : []));
    const [nodes, users, orgs, standing] = await Promise.all([
      models.Node.find({ _id: { $in: wishes.map((w) => w.nodeId) }, communityId: { $in: communityIds } }).lean<
        PlaceNode[]
      >(),
      models.User.find({ _id: { $in: people } }, { displayName: 1 }).lean(),
      orgIds.length > 0
        ? models.WishOrganisation.find({ _id: { $in: orgIds }, communityId: { $in: communityIds } }, { name: 1 }).lean()
        : [],
      core.standingIn(actor, wishes[0]!.communityId),
    ]);
    const refs = await deps.nodeRefs(nodes);
    const nameOf = (id: Types.ObjectId) => users.find((u) => u._id.equals(id))?.displayName ?? '';
    return Promise.all(
      wishes.map(async (w) => {
        // A page holds one community's wishes: the caller's standing is read once, in that community.
        const mine = standing.organisations;
        const ways = claimantTypesOf(standing.badges, mine.length) as ClaimantType[];
        const base = core.partiesOf(actor, w);
        const parties = ways.length > 0 ? [...base, 'eligible' as const] : base;
        const owner = base.includes('owner');
        const staff = base.includes('staff');
        const inside = base.length > 0;
        const claimant = w.claim;
        const isMeClaimant = !!claimant?.userId.equals(actor.userId);
        const photos = staff ? { standing: 'handling' as const } : {};
        const actions = availableActions(w.state as WishState, parties).filter(
          (a) => a !== 'publish' || core.isVisible(w),
        );
        const b = w.beneficiary;
        return {
          id: String(w._id),
          communityId: String(w.communityId),
          text: w.text,
          kind: w.kind as WishKind,
          beneficiaryKind: w.beneficiaryKind as BeneficiaryKind,
          valueYuan: w.valueYuan,
          wantedBy: w.wantedBy,
          media: await deps.media.views(actor, w.mediaIds ?? [], photos),
          state: w.state as WishState,
          place: refs.get(String(w.nodeId))!,
          beneficiary: {
            label: beneficiaryLabel({
              kind: w.beneficiaryKind as BeneficiaryKind,
              consent: !!w.showMaskedName,
              name: b.name ?? '',
              buildingName: b.buildingName ?? null,
            }),
            showMaskedName: !!w.showMaskedName,
            name: inside ? (b.name ?? '') : null,
            room: inside ? (b.room ?? '') : null,
            phone: owner || staff ? (b.phone ?? null) : null,
          },
          onBehalf: !!w.onBehalf,
          proxyName: inside && w.onBehalf ? nameOf(w.postedBy) : null,
          reviewNote: owner || staff ? (w.reviewNote ?? null) : null,
          claim: claimant
            ? {
                type: claimant.type as ClaimantType,
                name: claimant.organisationId
                  ? (orgs.find((o) => o._id.equals(claimant.organisationId!))?.name ?? '')
                  : isMeClaimant || staff
                    ? nameOf(claimant.userId)
                    : maskName(nameOf(claimant.userId)),
                isMe: isMeClaimant,
                claimedAt: claimant.claimedAt.toISOString(),
                lapsesAt: claimant.lapsesAt.toISOString(),
              }
            : null,
          fulfilment: w.fulfilment
            ? {
                note: w.fulfilment.note ?? '',
                media: inside ? await deps.media.views(actor, w.fulfilment.mediaIds ?? [], photos) : [],
                at: w.fulfilment.at!.toISOString(),
                autoConfirmsAt: w.fulfilment.autoConfirmsAt!.toISOString(),
              }
            : null,
          confirmation: w.confirmation
            ? {
                by: w.confirmation.by as 'beneficiary',
                thanks: w.confirmation.thanks ?? null,
                at: w.confirmation.at!.toISOString(),
              }
            : null,
          dispute:
            w.dispute && inside
              ? {
                  reason: w.dispute.reason ?? '',
                  at: w.dispute.at!.toISOString(),
                  decision: w.dispute.decision
                    ? { outcome: w.dispute.decision.outcome as 'settle', note: w.dispute.decision.note ?? '' }
                    : null,
                }
              : null,
          actions,
          canMessage: mayMessage(w.state as WishState, base),
          claimAs: actions.includes('claim') ? ways : [],
          organisations: actions.includes('claim') ? mine.map((o) => ({ id: String(o._id), name: o.name })) : [],
          isMine: owner,
          publishedAt: w.publishedAt?.toISOString() ?? null,
          createdAt: w.createdAt.toISOString(),
        };
      }),
    );
  }

  async function one(actor: Actor, wish: Wish): Promise<WishView> {
    return (await views(actor, [wish]))[0]!;
  }

  return { views, one };
}
export type WishViews = ReturnType<typeof createWishViews>;
