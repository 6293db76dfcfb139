/** The service's limits on a notice's text (PostNoticeBody, EditNoticeBody), checked before sending. */
export const NOTICE_TITLE_MAX = 40;
export const NOTICE_BODY_MAX = 2000;

export function noticeTextProblem(title: string, body: string): string | undefined {
  if (title.length < 2 || title.length > NOTICE_TITLE_MAX) return `标题需要 2–${NOTICE_TITLE_MAX} 个字`;
  if (body.length < 2 || body.length > NOTICE_BODY_MAX) return `正文需要 2–${NOTICE_BODY_MAX} 个字`;
  return undefined;
}
