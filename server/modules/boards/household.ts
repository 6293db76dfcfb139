import { entryActionLabel } from '../../../shared/boards';
import type { EntryView } from '../../../shared/schemas/boards';
import { ForbiddenError } from '../../errors';
import { recordConsent } from '../privacy/consents';
import type { Actor } from '../roles/access';
import type { BoardCore, BoardDeps } from './context';
import type { Points } from './points';
import { windowJobKey } from './review';
import type { BoardViews } from './view';

/**
 * Due process around a black entry — the household responds or puts it right within its window, the window
 * closes by job, it appeals after publication and staff decide — and the named person's consent on red.
 */
export function createHouseholdSide(deps: BoardDeps, core: BoardCore, views: BoardViews, points: Points) {
  async function respond(actor: Actor, id: string, text: string): Promise<EntryView> {
    const { entry, standing } = await core.loadWith(actor, id);
    const updated = await core.move(actor, entry, 'respond', standing.parties, {
      set: { response: { text, at: deps.now() } },
      note: text,
    });
    await core.tell(await core.staffOf(updated.communityId), updated, '住户已回应黑榜记录');
    return views.one(actor, updated);
  }

  /** The household shows it put right, with photos: staff then withdraw it (never published) or publish it. */
  async function rectify(actor: Actor, id: string, body: { note: string; mediaIds: string[] }): Promise<EntryView> {
    const { entry, standing } = await core.loadWith(actor, id);
    const target = { kind: 'board_entry', itemId: entry._id, communityId: entry.communityId };
    const updated = await deps.media.attachFor(actor, body.mediaIds, target, (mediaIds) =>
      core.move(actor, entry, 'rectify', standing.parties, {
        set: { rectification: { note: body.note, mediaIds, at: deps.now() } },
        note: body.note,
        attachments: mediaIds,
        within: (w, session) => deps.jobs.cancel(windowJobKey(w), session),
      }),
    );
    await core.tell(await core.staffOf(updated.communityId), updated, '住户已提交整改，请决定是否撤回');
    return views.one(actor, updated);
  }

  /** The window job: still notified with the same deadline → awaiting staff's decision; else nothing. */
  async function onWindowClose(payload: { entryId: string; respondBy: string }): Promise<void> {
    const entry = await core.loadForJob(payload.entryId, {
      state: 'notified',
      respondBy: new Date(payload.respondBy),
    });
    if (!entry) return;
    const updated = await core.move(null, entry, 'window_closes', ['system']);
    await core.tell(await core.staffOf(updated.communityId), updated, entryActionLabel.window_closes);
  }

  async function appeal(actor: Actor, id: string, reason: string): Promise<EntryView> {
    const { entry, standing } = await core.loadWith(actor, id);
    const updated = await core.move(actor, entry, 'appeal', standing.parties, {
      set: { appeal: { reason, at: deps.now(), decision: null } },
      note: reason,
    });
    await core.tell(await core.staffOf(updated.communityId), updated, '黑榜记录收到申诉');
    return views.one(actor, updated);
  }

  /**
   * Staff decide an appeal. Upheld: the entry leaves the board with a visible correction line under its month
   * (a frozen month's snapshot is never edited) and the household's points are given back by a reversing line.
   */
  async function decideAppeal(actor: Actor, id: string, upheld: boolean, note: string): Promise<EntryView> {
    const { entry, standing } = await core.loadWith(actor, id);
    const now = deps.now();
    const updated = await core.move(actor, entry, upheld ? 'uphold_appeal' : 'reject_appeal', standing.parties, {
      set: { 'appeal.decision': { upheld, note } },
      note,
      within: upheld
        ? async (w, session) => {
            await points.reverse(w, now, session);
            await deps.models.BoardCorrection.create(
              [
                {
                  communityId: w.communityId,
                  month: w.month!,
                  entryId: w._id,
                  text: `更正：${w.act.label ?? ''}一条经申诉核实不成立，已撤榜。${note}`,
                  at: now,
                },
              ],
              { session },
            );
          }
        : undefined,
    });
    await core.tell(await core.membersOf(updated), updated, upheld ? '申诉成立，已撤榜更正' : '申诉不成立，维持上榜');
    return views.one(actor, updated);
  }

  /**
   * The named person of a red entry gives or revokes consent to their name being shown (PIPL Art. 25): recorded
   * on the entry and in its timeline; every later view (frozen months included) reads it as it stands.
   */
  async function consent(actor: Actor, id: string, given: boolean): Promise<EntryView> {
    const { entry, standing } = await core.loadWith(actor, id);
    if (!standing.isSubject || entry.colour !== 'red')
      throw new ForbiddenError('Only the person named may consent to their name being shown');
    const updated = await core.touch(actor, entry, {
      where: { subjectUserId: actor.userId },
      update: { $set: { consent: given } },
      action: given ? 'consent' : 'revoke_consent',
      role: 'subject',
    });
    await recordConsent(deps.connection, {
      userId: actor.userId,
      communityId: updated.communityId,
      kind: 'board_name',
      itemId: updated._id,
      granted: given,
      at: deps.now(),
    });
    return views.one(actor, updated);
  }

  return { respond, rectify, onWindowClose, appeal, decideAppeal, consent };
}
export type HouseholdSide = ReturnType<typeof createHouseholdSide>;
