import type { FulfilBody, WishView } from '../../../shared/schemas/wishes';
import { autoConfirmsAt } from '../../../shared/wishes';
import type { Actor } from '../roles/access';
import { endClaim, lapseJobKey } from './claims';
import type { WishCore, WishDeps } from './context';
import type { Wish } from './model';
import type { WishViews } from './view';

export const AUTO_CONFIRM_JOB = 'wish.auto-confirm';
export const confirmJobKey = (wish: Pick<Wish, '_id'>) => `wish:${wish._id}:confirm`;

/** The fields a confirmation sets, whoever confirms. */
/**
 * Text the wall shows (a fulfilment's note, a thank-you) that the text check sends to review takes the wish off
 * the wall until staff let it through: the move sets it under review and a moderation case is opened after.
 */
const held = (screening: { verdict: string }) =>
  screening.verdict === 'pass' ? {} : { 'moderation.state': 'review' as const };

const confirmed = (by: 'beneficiary' | 'auto' | 'staff', thanks: string | null, at: Date) => ({
  confirmation: { by, thanks, at },
  confirmedAt: at,
});

/** 实现与确认: fulfil with proof, confirm with thanks or dispute, staff's decision, and the auto-confirm job. */
export function createFulfilment(
  deps: Pick<WishDeps, 'jobs' | 'now' | 'media' | 'moderation'>,
  core: WishCore,
  views: WishViews,
) {
  const cancelConfirm = (w: Wish, session: Parameters<typeof deps.jobs.cancel>[1]) =>
    deps.jobs.cancel(confirmJobKey(w), session);

  /** The claimant marks it fulfilled with 1–3 proof photos and a note; the auto-confirm is scheduled with it. */
  async function fulfil(actor: Actor, id: string, body: FulfilBody): Promise<WishView> {
    const wish = await core.load(actor, id);
    const parties = core.partiesOf(actor, wish);
    const screening = await deps.moderation.screenText(actor, 2, { note: body.note }, wish.communityId);
    const at = deps.now();
    const confirmsAt = autoConfirmsAt(at, await core.settingsOf(wish.communityId));
    const target = { kind: 'wish', itemId: wish._id, communityId: wish.communityId };
    const updated = await deps.media.attachFor(actor, body.mediaIds, target, (mediaIds) =>
      core.move(actor, wish, 'fulfil', parties, {
        set: { fulfilment: { note: body.note, mediaIds, at, autoConfirmsAt: confirmsAt }, ...held(screening) },
        note: body.note,
        attachments: mediaIds,
        within: async (w, session) => {
          await deps.jobs.cancel(lapseJobKey(w), session);
          await deps.jobs.schedule(
            AUTO_CONFIRM_JOB,
            confirmJobKey(w),
            confirmsAt,
            { wishId: String(w._id), autoConfirmsAt: confirmsAt.toISOString() },
            { session },
          );
        },
      }),
    );
    await deps.moderation.afterCreate('wish', updated, screening);
    await core.tell([updated.postedBy], updated, '您的微心愿已实现，请确认');
    return views.one(actor, updated);
  }

  /** The beneficiary's side confirms, with an optional thank-you note shown on the wall. */
  async function confirm(actor: Actor, id: string, thanks?: string): Promise<WishView> {
    const wish = await core.load(actor, id);
    const screening = thanks
      ? await deps.moderation.screenText(actor, 2, { thanks }, wish.communityId)
      : { verdict: 'pass' as const, checked: true };
    const updated = await core.move(actor, wish, 'confirm', core.partiesOf(actor, wish), {
      set: { ...confirmed('beneficiary', thanks ?? null, deps.now()), ...held(screening) },
      note: thanks ?? null,
      within: cancelConfirm,
    });
    await deps.moderation.afterCreate('wish', updated, screening);
    await core.tell([updated.claim?.userId], updated, '心愿主人确认已实现，感谢您的付出');
    return views.one(actor, updated);
  }

  /** The beneficiary's side disputes the fulfilment: staff decide. */
  async function dispute(actor: Actor, id: string, reason: string): Promise<WishView> {
    const wish = await core.load(actor, id);
    const updated = await core.move(actor, wish, 'dispute', core.partiesOf(actor, wish), {
      set: { dispute: { reason, at: deps.now(), decision: null } },
      note: reason,
      within: cancelConfirm,
    });
    await core.tell(
      [...(await core.staffOf(updated)), updated.claim?.userId],
      updated,
      '微心愿的实现有异议，待社区裁定',
    );
    return views.one(actor, updated);
  }

  /** Staff decide a dispute: fulfilled after all (settle), or back on the wall (reopen, the claim ended). */
  async function decide(actor: Actor, id: string, outcome: 'settle' | 'reopen', note: string): Promise<WishView> {
    const wish = await core.load(actor, id);
    const parties = core.partiesOf(actor, wish);
    const decision = { 'dispute.decision': { outcome, note } };
    const spec =
      outcome === 'settle'
        ? { set: { ...decision, ...confirmed('staff', null, deps.now()) }, note }
        : (() => {
            const ended = endClaim(wish, 'reopened', note, deps.now());
            return { ...ended, set: { ...ended.set, ...decision, fulfilment: null } };
          })();
    const claimant = wish.claim?.userId;
    const updated = await core.move(actor, wish, outcome, parties, spec);
    await core.tell([updated.postedBy, claimant], updated, `社区裁定：${core.moved(outcome)}`);
    return views.one(actor, updated);
  }

  /** The auto-confirm job: still the same fulfilment (same deadline) → confirmed by 'auto'; else nothing. */
  async function onAutoConfirm(payload: { wishId: string; autoConfirmsAt: string }): Promise<void> {
    const wish = await core.loadForJob(payload.wishId, {
      state: 'fulfilled',
      'fulfilment.autoConfirmsAt': new Date(payload.autoConfirmsAt),
    });
    if (!wish) return;
    const updated = await core.move(null, wish, 'auto_confirm', ['system'], {
      set: confirmed('auto', null, deps.now()),
    });
    await core.tell([updated.claim?.userId, updated.postedBy], updated, core.moved('auto_confirm'));
  }

  return { fulfil, confirm, dispute, decide, onAutoConfirm };
}
export type Fulfilment = ReturnType<typeof createFulfilment>;
