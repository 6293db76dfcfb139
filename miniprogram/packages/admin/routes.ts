const admin = '/packages/admin';

/** Page paths of the staff subpackage, for the pages and entries that open them. */
export const adminRoutes = {
  moderation: `${admin}/moderation/index`,
  redact: (caseId: string, mediaId: string) => `${admin}/redact/index?case=${caseId}&media=${mediaId}`,
  noticeTimeline: (noticeId: string) => `${admin}/timeline/index?notice=${noticeId}`,
} as const;
