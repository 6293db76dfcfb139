import type { Types } from 'mongoose';
import type { Notifier } from './service';

/** A minute as the subscribe messages' `time` fields show it (`YYYY-MM-DD HH:mm`, UTC). */
export const minuteOf = (at: Date) => at.toISOString().slice(0, 16).replace('T', ' ');

/**
 * Inbox entry and subscribe message about a move of an item (a wish, a board entry): `what` is the body and the
 * message's title, `status` the item's state in words, `at` the time of the move.
 */
export async function notifyMove(
  notifier: Pick<Notifier, 'notify'>,
  move: {
    userIds: Types.ObjectId[];
    kind: string;
    title: string;
    what: string;
    link: string;
    status: string;
    at: Date;
  },
): Promise<void> {
  await notifier.notify({
    userIds: move.userIds,
    kind: move.kind,
    title: move.title,
    body: move.what,
    link: move.link,
    data: { title: move.what.slice(0, 20), status: move.status.slice(0, 5), time: minuteOf(move.at) },
  });
}
