import { ErrorCode } from '../../../shared/errors';
import type { ClaimBody, WishView } from '../../../shared/schemas/wishes';
import { claimantTypesOf, lapsesAt } from '../../../shared/wishes';
import { ConflictError, ForbiddenError } from '../../errors';
import { recordConsent } from '../privacy/consents';
import type { Actor } from '../roles/access';
import type { MoveSpec, WishCore, WishDeps } from './context';
import type { Wish } from './model';
import type { WishViews } from './view';

export const LAPSE_JOB = 'wish.claim-lapse';
export const lapseJobKey = (wish: Pick<Wish, '_id'>) => `wish:${wish._id}:lapse`;

/** Ends the active claim, keeping it in the wish's history with how it ended. */
export function endClaim(wish: Wish, outcome: 'released' | 'lapsed' | 'reopened', note: string, at: Date): MoveSpec {
  return {
    set: { claim: null },
    update: { $push: { claims: { ...wish.claim, endedAt: at, outcome, note } } },
    note,
  };
}

/** 认领: claim (one winner of any race), release with a reason, and the lapse at exactly `lapsesAt`. */
export function createClaims(deps: Pick<WishDeps, 'jobs' | 'now' | 'connection'>, core: WishCore, views: WishViews) {
  const taken = () => new ConflictError('已被认领', ErrorCode.WISH_TAKEN);

  /**
   * A party member, volunteer or member of a registered organisation claims a published wish: one update
   * conditional on its state and version, so of concurrent claimants exactly one wins and the others get 409
   * WISH_TAKEN. The lapse is scheduled in the same transaction.
   */
  async function claim(actor: Actor, id: string, body: ClaimBody): Promise<WishView> {
    const wish = await core.load(actor, id);
    const standing = await core.standingIn(actor, wish.communityId);
    const ways = claimantTypesOf(standing.badges, standing.organisations.length);
    const organisation =
      body.as === 'organisation' ? standing.organisations.find((o) => o._id.equals(body.organisationId ?? '')) : null;
    if (!ways.includes(body.as) || (body.as === 'organisation' && !organisation))
      throw new ForbiddenError(
        body.as === 'organisation' ? 'Claim for an organisation you belong to' : `You are not registered as ${body.as}`,
        ErrorCode.NOT_A_CLAIMANT,
      );
    const parties = core.partiesOf(actor, wish, true);
    if (wish.state !== 'published' && !parties.includes('owner')) throw taken();
    const claimedAt = deps.now();
    const lapses = lapsesAt(claimedAt, await core.settingsOf(wish.communityId));
    const updated = await core.move(actor, wish, 'claim', parties, {
      set: {
        claim: {
          userId: actor.userId,
          type: body.as,
          organisationId: organisation?._id ?? null,
          showName: body.showName,
          claimedAt,
          lapsesAt: lapses,
        },
      },
      where: { claim: null },
      note: body.as,
      conflict: taken,
      within: async (w, session) => {
        await deps.jobs.schedule(
          LAPSE_JOB,
          lapseJobKey(w),
          lapses,
          { wishId: String(w._id), lapsesAt: lapses.toISOString() },
          { session },
        );
        if (body.showName)
          await recordConsent(
            deps.connection,
            {
              userId: actor.userId,
              communityId: w.communityId,
              kind: 'wish_claimant_name',
              itemId: w._id,
              granted: true,
              at: claimedAt,
            },
            session,
          );
      },
    });
    await core.tell([updated.postedBy], updated, '您的微心愿已被认领');
    return views.one(actor, updated);
  }

  /** The claimant gives the wish back to the wall, with a reason. */
  async function release(actor: Actor, id: string, reason: string): Promise<WishView> {
    const wish = await core.load(actor, id);
    const updated = await core.move(actor, wish, 'release', core.partiesOf(actor, wish), {
      ...endClaim(wish, 'released', reason, deps.now()),
      within: (w, session) => deps.jobs.cancel(lapseJobKey(w), session),
    });
    await core.tell([updated.postedBy], updated, '认领人放弃了认领，心愿重回心愿墙');
    return views.one(actor, updated);
  }

  /** The lapse job: still claimed by the same claim (same deadline) → back on the wall; else nothing. */
  async function onLapse(payload: { wishId: string; lapsesAt: string }): Promise<void> {
    const wish = await core.loadForJob(payload.wishId, {
      state: 'claimed',
      'claim.lapsesAt': new Date(payload.lapsesAt),
    });
    if (!wish) return;
    const claimant = wish.claim!.userId;
    const updated = await core.move(
      null,
      wish,
      'lapse',
      ['system'],
      endClaim(wish, 'lapsed', '认领超时未实现', deps.now()),
    );
    await core.tell([updated.postedBy, claimant], updated, core.moved('lapse'));
  }

  return { claim, release, onLapse };
}
export type Claims = ReturnType<typeof createClaims>;
