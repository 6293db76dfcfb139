const admin = '/packages/admin';

/** Page paths of the staff subpackage, for the pages and entries that open them. */
export const adminRoutes = {
  moderation: `${admin}/moderation/index`,
  redact: (caseId: string, mediaId: string) => `${admin}/redact/index?case=${caseId}&media=${mediaId}`,
  /** `title` only labels the page (there is no call for one notice). */
  noticeTimeline: (noticeId: string, title: string) =>
    `${admin}/timeline/index?notice=${noticeId}&title=${encodeURIComponent(title)}`,
} as const;
