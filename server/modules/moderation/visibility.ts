/** The moderation state an item is in (items stored before they carried one count as visible). */
interface Moderated {
  moderation?: { state?: string | null } | null;
}

/** The query condition for items moderation lets be seen: not under review, not hidden (older items included). */
export const VISIBLE: Record<string, unknown> = { 'moderation.state': { $nin: ['review', 'hidden'] } };

/** Whether moderation lets the item be seen by all who may otherwise see it. */
export const isVisible = (item: Moderated) => (item.moderation?.state ?? 'visible') === 'visible';
