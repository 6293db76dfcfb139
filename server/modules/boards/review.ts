import { Types } from 'mongoose';
import { boardMonth, confirmedState, respondBy, type Colour } from '../../../shared/boards';
import { ErrorCode } from '../../../shared/errors';
import type { EntryView } from '../../../shared/schemas/boards';
import { ConflictError, ForbiddenError, NotFoundError } from '../../errors';
import type { Actor } from '../roles/access';
import type { BoardCore, BoardDeps, EntryMoveSpec } from './context';
import type { BoardEntry } from './model';
import type { Points } from './points';
import { unclearedOf, type BoardViews } from './view';

export const WINDOW_JOB = 'board.window-closes';
export const windowJobKey = (entry: Pick<BoardEntry, '_id'>) => `board-entry:${entry._id}:window`;
const frozen = () => new ConflictError('The month is frozen: its board no longer changes', ErrorCode.BOARD_FROZEN);

/** Staff's verification: confirm, ask for more, dismiss, clear photos, publish, withdraw as rectified. */
export function createReview(deps: BoardDeps, core: BoardCore, views: BoardViews, points: Points) {
  /** Nothing is published while an evidence photo is uncleared, nor while its text waits for moderation. */
  function publishable(entry: BoardEntry) {
    if (!core.isVisible(entry)) throw new ConflictError('The entry awaits moderation', ErrorCode.ENTRY_UNDER_REVIEW);
    if (unclearedOf(entry).length > 0)
      throw new ConflictError(
        'Redact faces and plates in every evidence photo (or mark it as showing none) before publishing',
        ErrorCode.PHOTOS_NOT_CLEARED,
      );
  }

  /**
   * The parts of a move that put an entry on this month's board and credit its household. A move that began
   * before midnight and reaches the database after its month froze is refused (409 BOARD_FROZEN): nothing joins
   * a frozen month; trying again puts it on the new one.
   */
  function publishing(at: Date): EntryMoveSpec {
    return {
      set: { publishedAt: at, month: boardMonth(at) },
      where: { 'moderation.state': { $nin: ['review', 'hidden'] } },
      within: async (updated, session) => {
        if (await core.isFrozen(updated.communityId, updated.month)) throw frozen();
        await points.credit(updated, at, session);
      },
    };
  }

  /**
   * Staff confirm a nomination. Red goes on the board at once (its named person is asked for consent); black
   * goes first to the household concerned, which has RESPONSE_WINDOW_DAYS to respond or put it right (the
   * window closes by job at exactly `respondBy`), or to staff's decision when it concerns no household.
   */
  async function confirm(actor: Actor, id: string): Promise<EntryView> {
    const { entry, standing } = await core.loadWith(actor, id);
    const to = confirmedState(entry.colour as Colour, !!entry.householdId);
    const now = deps.now();
    if (to === 'published' && standing.parties.includes('staff') && entry.state === 'nominated') publishable(entry);
    const deadline = respondBy(now);
    const spec: EntryMoveSpec =
      to === 'published'
        ? publishing(now)
        : to === 'notified'
          ? {
              set: { notifiedAt: now, respondBy: deadline },
              within: (w, session) =>
                deps.jobs.schedule(
                  WINDOW_JOB,
                  windowJobKey(w),
                  deadline,
                  { entryId: String(w._id), respondBy: deadline.toISOString() },
                  { session },
                ),
            }
          : {};
    const updated = await core.move(actor, entry, 'confirm', standing.parties, { ...spec, to });
    if (to === 'published') {
      await core.tell([updated.nominatedBy], updated, '您的红榜提名已上榜');
      if (updated.subjectUserId)
        await core.tell([updated.subjectUserId], updated, '您上了红榜：是否同意公示您的姓名？');
    } else if (to === 'notified') {
      await core.tell(await core.membersOf(updated), updated, '有一条涉及您家的黑榜记录，请在7天内回应或整改');
    }
    return views.one(actor, updated);
  }

  /** Staff ask the nominator for more, or dismiss the nomination, with a reason. */
  async function decline(actor: Actor, id: string, action: 'ask_more' | 'dismiss', reason: string) {
    const { entry, standing } = await core.loadWith(actor, id);
    const updated = await core.move(actor, entry, action, standing.parties, {
      set: { staffNote: reason },
      note: reason,
    });
    await core.tell(
      [updated.nominatedBy],
      updated,
      action === 'ask_more' ? '您的红黑榜提名需要补充材料' : '您的红黑榜提名未被采纳',
    );
    return views.one(actor, updated);
  }

  /** Staff publish a black entry after the household's window (or one about a common area). */
  async function publish(actor: Actor, id: string): Promise<EntryView> {
    const { entry, standing } = await core.loadWith(actor, id);
    if (standing.parties.includes('staff') && entry.state === 'awaiting_decision') publishable(entry);
    const updated = await core.move(actor, entry, 'publish', standing.parties, publishing(deps.now()));
    await core.tell([...(await core.membersOf(updated)), updated.nominatedBy], updated, '黑榜记录已公示');
    return views.one(actor, updated);
  }

  /** Staff withdraw a black entry the household put right: it is never published. */
  async function withdrawRectified(actor: Actor, id: string, note?: string): Promise<EntryView> {
    const { entry, standing } = await core.loadWith(actor, id);
    const updated = await core.move(actor, entry, 'withdraw_rectified', standing.parties, {
      note: note ?? null,
      within: (w, session) => deps.jobs.cancel(windowJobKey(w), session),
    });
    await core.tell([...(await core.membersOf(updated)), updated.nominatedBy], updated, '已整改，该记录不上榜');
    return views.one(actor, updated);
  }

  /**
   * Staff clear one evidence photo for publication: black out `rects` with the media redaction (a new version
   * of the image; old links stop working), or none to mark it as showing no faces or plates. Refused on an
   * entry of a frozen month: its board does not change.
   */
  async function clearPhoto(
    actor: Actor,
    id: string,
    mediaId: string,
    rects: Parameters<BoardDeps['media']['redact']>[2],
  ) {
    const { entry, standing } = await core.loadWith(actor, id);
    if (!standing.parties.includes('staff')) throw new ForbiddenError('Only staff clear photos');
    if (!entry.mediaIds.some((m) => m.equals(mediaId))) throw new NotFoundError('No such photo on this entry');
    if (await core.isFrozen(entry.communityId, entry.month)) throw frozen();
    if (rects.length > 0) await deps.media.redact(actor, mediaId, rects);
    const cleared = new Types.ObjectId(mediaId);
    const updated = await core.touch(actor, entry, {
      update: { $addToSet: { clearedMediaIds: cleared } },
      action: rects.length > 0 ? 'redact_photo' : 'clear_photo',
      role: 'staff',
      attachments: [cleared],
    });
    return views.one(actor, updated);
  }

  return { confirm, decline, publish, withdrawRectified, clearPhoto };
}
export type Review = ReturnType<typeof createReview>;
