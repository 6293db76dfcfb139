import type { Types } from 'mongoose';
import type { Notifier } from './service';

/** A minute as the subscribe messages' `time` fields show it (`YYYY-MM-DD HH:mm`, UTC). */
export const minuteOf = (at: Date) => at.toISOString().slice(0, 16).replace('T', ' ');

/**
 * Inbox entry and subscribe message about a move of an item (a wish, a board entry): `what` is the body and the
 * message's title, `status` the item's state in words, `at` the time of the move. The people concerned may be
 * given with gaps (no claimant yet) and twice (staff who are also the poster): each is told once.
 */
export async function notifyMove(
  notifier: Pick<Notifier, 'notify'>,
  move: {
    userIds: (Types.ObjectId | null | undefined)[];
    kind: string;
    title: string;
    what: string;
    link: string;
    status: string;
    at: Date;
  },
): Promise<void> {
  const ids = move.userIds.filter((id): id is Types.ObjectId => !!id);
  const userIds = [...new Map(ids.map((id) => [String(id), id])).values()];
  if (userIds.length === 0) return;
  await notifier.notify({
    userIds,
    kind: move.kind,
    title: move.title,
    body: move.what,
    link: move.link,
    data: { title: move.what.slice(0, 20), status: move.status.slice(0, 5), time: minuteOf(move.at) },
  });
}
