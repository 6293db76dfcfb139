import Taro from '@tarojs/taro';
import { ErrorCode } from '../../shared/errors';
import type { ChannelView, NoticePage, NoticeVersion, NoticeView } from '../../shared/schemas/channels';
import type { ErrorResponse } from '../../shared/schemas/common';
import type {
  BanView,
  InboxPage,
  MediaView,
  ModerationCasePage,
  ModerationCaseView,
  TimelineEntry,
} from '../../shared/schemas/platform';
import type { DemoUser, Me, Session } from '../../shared/schemas/people';
import type {
  AssignBody,
  AssigneeCandidate,
  CategoryView,
  ConfirmBody,
  Figures,
  GeoPoint,
  NearbyReport,
  OverdueEntryView,
  RejectBody,
  ReporterContact,
  ReportPage,
  ReportView,
  SubmitReportBody,
} from '../../shared/schemas/reports';
import type { Static } from '@sinclair/typebox';
import type {
  HouseholdSummary,
  InvitePreview,
  InviteView,
  JoinRequestView,
  NodeView,
} from '../../shared/schemas/places';
import type { HouseholdRelation } from '../../shared/places';
import { ClientErrorCode, friendlyMessage } from './error-messages';
import { clearSession, currentSession, saveSession, type StoredSession } from './session';

/** A failed call, carrying the server's stable code and a message fit to show a resident. */
export class ApiError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly statusCode: number,
    readonly reqId?: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface RequestOptions {
  query?: Record<string, string | number | boolean | undefined>;
  body?: unknown;
  /** The answer is text (a CSV export), not JSON. */
  text?: boolean;
}

interface Response {
  statusCode: number;
  data: unknown;
}

function isErrorBody(data: unknown): data is ErrorResponse {
  return typeof data === 'object' && data !== null && typeof (data as ErrorResponse).code === 'string';
}

function withQuery(path: string, query: RequestOptions['query']): string {
  const pairs = Object.entries(query ?? {}).filter(([, v]) => v !== undefined);
  if (pairs.length === 0) return path;
  return `${path}?${pairs.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`).join('&')}`;
}

function clientError(code: string, statusCode = 0): ApiError {
  return new ApiError(code, friendlyMessage(code, statusCode), statusCode);
}

/** Any failure as an ApiError, so a page always has a Chinese message to show. */
export function toApiError(err: unknown): ApiError {
  return err instanceof ApiError ? err : clientError(ClientErrorCode.UNEXPECTED_RESPONSE);
}

function toError(response: Response): ApiError {
  if (isErrorBody(response.data)) {
    const { code, statusCode, reqId } = response.data;
    return new ApiError(code, friendlyMessage(code, statusCode), statusCode, reqId);
  }
  // A gateway or proxy in front of the service may answer 429 with its own page: still "too many, wait".
  if (response.statusCode === 429) return clientError(ErrorCode.RATE_LIMITED, 429);
  return clientError(ClientErrorCode.UNEXPECTED_RESPONSE, response.statusCode);
}

function hasCode(response: Response, code: string): boolean {
  return isErrorBody(response.data) && response.data.code === code;
}

async function send(method: Method, path: string, options: RequestOptions, accessToken?: string): Promise<Response> {
  const header: Record<string, string> = { 'content-type': 'application/json' };
  if (accessToken) header.authorization = `Bearer ${accessToken}`;
  // wx.request always declares JSON; the service refuses a JSON request with an empty body.
  const body = options.body ?? (method === 'GET' ? undefined : {});
  let response: Response;
  try {
    response = await Taro.request({
      url: `${LINLI_API_BASE}/api${withQuery(path, options.query)}`,
      method,
      data: body as Taro.request.Option['data'],
      header,
      timeout: 15_000,
      // Any dataType but 'json' leaves the body as text on WeChat; Taro's H5 request reads it as text.
      ...(options.text ? { dataType: 'text' } : {}),
    });
  } catch {
    throw clientError(ClientErrorCode.NETWORK);
  }
  return options.text ? withErrorBody(response) : response;
}

/** A text call's errors still come as JSON: parse them so they map like any other. */
function withErrorBody(response: Response): Response {
  if (response.statusCode < 300 || typeof response.data !== 'string') return response;
  try {
    return { ...response, data: JSON.parse(response.data) as unknown };
  } catch {
    return response;
  }
}

/** Ends the session `ended` unless another login replaced it meanwhile; the caller is told to log in again. */
function sessionEnded(ended: StoredSession): ApiError {
  if (currentSession()?.refreshToken === ended.refreshToken) clearSession();
  return clientError(ClientErrorCode.LOGIN_REQUIRED, 401);
}

let refreshing: Promise<void> | undefined;

/**
 * Exchanges the refresh token for new tokens. Concurrent callers share one exchange: the server rotates
 * refresh tokens and treats a second use of the old one as theft, ending the session.
 */
function refreshSession(stale: StoredSession): Promise<void> {
  const session = currentSession();
  if (!session) return Promise.reject(clientError(ClientErrorCode.LOGIN_REQUIRED, 401));
  // Another call already refreshed after `stale` was sent: just use the new token.
  if (session.accessToken !== stale.accessToken) return Promise.resolve();
  refreshing ??= (async () => {
    try {
      const response = await send('POST', '/auth/refresh', { body: { refreshToken: session.refreshToken } });
      if (response.statusCode >= 200 && response.statusCode < 300) {
        saveSession(response.data as Session);
        return;
      }
      // Refused (invalid, reused, revoked): the session is over. Busy or unreachable: try again later.
      const refused = response.statusCode >= 400 && response.statusCode < 500 && response.statusCode !== 429;
      throw refused ? sessionEnded(session) : toError(response);
    } finally {
      refreshing = undefined;
    }
  })();
  return refreshing;
}

/**
 * The one way the mini-program talks to the service. Sends the session's access token; when it has
 * expired, refreshes once and retries; when the session has ended, logs out and asks to log in again.
 */
export async function request<T>(method: Method, path: string, options: RequestOptions = {}): Promise<T> {
  return answerOf<T>(await withSession((token) => send(method, path, options, token)));
}

/**
 * Makes a call with the session's access token (`call` sends it); when the token has expired, refreshes once
 * and calls again; when the session has ended, logs out. Photo uploads use it with wx.uploadFile.
 */
export async function withSession(call: (accessToken?: string) => Promise<Response>): Promise<Response> {
  const session = currentSession();
  let response = await call(session?.accessToken);
  if (session && hasCode(response, ErrorCode.TOKEN_EXPIRED)) {
    await refreshSession(session);
    response = await call(currentSession()?.accessToken);
  }
  if (session && response.statusCode === 401) throw sessionEnded(session);
  return response;
}

/** A 2xx answer's body, or the failure as an ApiError. */
export function answerOf<T>(response: Response): T {
  if (response.statusCode >= 200 && response.statusCode < 300) return response.data as T;
  throw toError(response);
}

/** The service hands out photo links as paths; the weapp needs them absolute. */
export function mediaUrl(path: string): string {
  return `${LINLI_API_BASE}${path}`;
}

export interface JoinBody {
  code: string;
  room: string;
  relation: HouseholdRelation;
  note?: string;
}

export type JoinRequestStatus = JoinRequestView['status'];

/** How many of the channel's households have read a notice. */
export interface ReadReceipt {
  readHouseholds: number;
  totalHouseholds: number;
}

/** Every API call the mini-program makes, typed by shared/schemas. */
export const api = {
  demoUsers: () => request<DemoUser[]>('GET', '/dev/demo-users'),
  demoCode: (key: string) => request<{ code: string }>('POST', '/dev/demo-code', { body: { key } }),
  login: (code: string) => request<Session>('POST', '/auth/login', { body: { code } }),
  logout: (refreshToken: string) => request<null>('POST', '/auth/logout', { body: { refreshToken } }),
  me: () => request<Me>('GET', '/me'),

  children: (id: string) => request<NodeView[]>('GET', `/nodes/${id}/children`),
  /** A unit's households, members masked (their user ids only for those who may act on their behalf). */
  households: (unitId: string) => request<HouseholdSummary[]>('GET', `/nodes/${unitId}/households`),
  createInvite: (unitId: string, ttlHours: number) =>
    request<InviteView>('POST', `/nodes/${unitId}/invites`, { body: { ttlHours } }),
  invites: (unitId: string) => request<InviteView[]>('GET', `/nodes/${unitId}/invites`),
  revokeInvite: (code: string) => request<null>('DELETE', `/invites/${encodeURIComponent(code)}`),
  /** The invite as a WeChat mini-program code image (base64). */
  inviteQrCode: (code: string) =>
    request<{ contentType: string; data: string }>('GET', `/invites/${encodeURIComponent(code)}/wxacode`),
  previewInvite: (code: string) => request<InvitePreview>('GET', `/invites/${encodeURIComponent(code)}`),

  requestToJoin: (body: JoinBody) => request<JoinRequestView>('POST', '/join-requests', { body }),
  joinRequests: (view: 'mine' | 'review', status?: JoinRequestStatus) =>
    request<JoinRequestView[]>('GET', '/join-requests', { query: { view, status } }),
  approveJoin: (id: string) => request<JoinRequestView>('POST', `/join-requests/${id}/approve`),
  rejectJoin: (id: string, reason: string) =>
    request<JoinRequestView>('POST', `/join-requests/${id}/reject`, { body: { reason } }),
  cancelJoin: (id: string) => request<JoinRequestView>('POST', `/join-requests/${id}/cancel`),

  channels: () => request<ChannelView[]>('GET', '/channels'),
  notices: (channelId: string, cursor?: string) =>
    request<NoticePage>('GET', `/channels/${channelId}/notices`, { query: { cursor, limit: 20 } }),
  /** `mediaIds`: up to 3 photos uploaded first (services/upload.ts). */
  postNotice: (channelId: string, body: { title: string; body: string; pinned: boolean; mediaIds?: string[] }) =>
    request<NoticeView>('POST', `/channels/${channelId}/notices`, { body }),
  markRead: (noticeId: string) => request<ReadReceipt>('POST', `/notices/${noticeId}/read`),
  /** Its author or staff; the text is checked again, the old one kept (noticeVersions). */
  editNotice: (noticeId: string, body: { title: string; body: string }) =>
    request<NoticeView>('PUT', `/notices/${noticeId}`, { body }),
  withdrawNotice: (noticeId: string) => request<null>('POST', `/notices/${noticeId}/withdraw`),
  noticeVersions: (noticeId: string) => request<NoticeVersion[]>('GET', `/notices/${noticeId}/versions`),
};

// ---- Platform services (issue #5): inbox, subscribe messages, flags, moderation, timelines ----

/** The event kinds the service sends subscribe messages for (its templates file). */
export type SubscribeKind =
  | 'join.decided'
  | 'join.requested'
  | 'moderation.decided'
  | 'report.updated'
  | 'volunteer.order'
  | 'topic.updated'
  | 'wish.updated'
  | 'board.updated';

/** What residents may flag. */
export type FlaggableKind = 'notice' | 'report' | 'topic' | 'topic_comment' | 'wish';

export type CaseStatus = ModerationCaseView['status'];

/** A rectangle of a photo in its display image's pixels. */
export interface PixelRect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export const platformApi = {
  inbox: (cursor?: string, limit = 20) => request<InboxPage>('GET', '/inbox', { query: { cursor, limit } }),
  readMessage: (id: string) => request<{ unread: number }>('POST', `/inbox/${id}/read`),
  readAllMessages: () => request<{ unread: number }>('POST', '/inbox/read-all'),

  subscribeTemplates: () => request<Partial<Record<SubscribeKind, string>>>('GET', '/subscriptions/templates'),
  subscribe: (accepted: SubscribeKind[]) =>
    request<{ remaining: Record<string, number> }>('POST', '/subscriptions', { body: { accepted } }),

  /** A photo with fresh links, as the caller may see it now (its links expire; 404 once its item is hidden). */
  media: (id: string) => request<MediaView>('GET', `/media/${id}`),

  flag: (kind: FlaggableKind, id: string, reason: string) =>
    request<{ flags: number; hidden: boolean }>('POST', '/flags', { body: { kind, id, reason } }),

  moderationCases: (status: CaseStatus, page: { cursor?: string; limit?: number } = {}) =>
    request<ModerationCasePage>('GET', '/moderation/cases', { query: { status, ...page } }),
  moderationCase: (id: string) => request<ModerationCaseView>('GET', `/moderation/cases/${id}`),
  approveCase: (id: string) => request<ModerationCaseView>('POST', `/moderation/cases/${id}/approve`),
  hideCase: (id: string) => request<ModerationCaseView>('POST', `/moderation/cases/${id}/hide`),
  editCase: (id: string, text: Record<string, string>) =>
    request<ModerationCaseView>('POST', `/moderation/cases/${id}/edit`, { body: { text } }),
  redactPhoto: (id: string, mediaId: string, rects: PixelRect[]) =>
    request<ModerationCaseView>('POST', `/moderation/cases/${id}/redact-photo`, { body: { mediaId, rects } }),
  bans: () => request<BanView[]>('GET', '/moderation/bans'),
  liftBan: (userId: string) => request<null>('DELETE', `/moderation/users/${userId}/ban`),
  banUser: (userId: string, days: number, reason: string) =>
    request<{ bannedUntil: string }>('POST', `/moderation/users/${userId}/ban`, { body: { days, reason } }),

  noticeTimeline: (id: string) => request<TimelineEntry[]>('GET', `/notices/${id}/timeline`),
  noticeTimelineCsv: (id: string) => request<string>('GET', `/notices/${id}/timeline/export`, { text: true }),
};

// ---- Snap-and-report (issue #6): categories, filing, lists, moves, figures (photos: services/upload.ts) ----

export type ReportListView = 'mine' | 'estate' | 'handling' | 'all';
export type ReportStateName = ReportView['state'];
export type NearbyMatch = Static<typeof NearbyReport>;
export type RejectInput = Static<typeof RejectBody>;
export type AssignInput = Static<typeof AssignBody>;
export type ConfirmInput = Static<typeof ConfirmBody>;
export interface OverdueLedgerPage {
  items: OverdueEntryView[];
  nextCursor: string | null;
}

const move = <B>(id: string, action: string, body: B) =>
  request<ReportView>('POST', `/reports/${id}/${action}`, { body });

export const reportApi = {
  categories: (communityId?: string) =>
    request<CategoryView[]>('GET', '/report-categories', { query: { communityId } }),
  nearby: (category: string, at: GeoPoint) =>
    request<NearbyMatch[]>('GET', '/reports/nearby', { query: { category, ...at } }),
  /** Sending the same body (same idempotencyKey) again answers with the report already filed. */
  submit: (body: SubmitReportBody) => request<ReportView>('POST', '/reports', { body }),
  list: (
    view: ReportListView,
    filter: { state?: ReportStateName; category?: string; cursor?: string; limit?: number } = {},
  ) => request<ReportPage>('GET', '/reports', { query: { view, limit: 20, ...filter } }),
  get: (id: string) => request<ReportView>('GET', `/reports/${id}`),
  timeline: (id: string) => request<TimelineEntry[]>('GET', `/reports/${id}/timeline`),
  assignees: (id: string) => request<AssigneeCandidate[]>('GET', `/reports/${id}/assignees`),
  /** Those who handle it: the reporter's name and phone; each ask goes into the report's timeline. */
  reporterContact: (id: string) => request<ReporterContact>('POST', `/reports/${id}/reporter-contact`),
  follow: (id: string, on: boolean) => request<ReportView>(on ? 'POST' : 'DELETE', `/reports/${id}/follow`),

  accept: (id: string, note?: string) => move(id, 'accept', { note }),
  reject: (id: string, body: RejectInput) => move(id, 'reject', body),
  assign: (id: string, body: AssignInput) => move(id, 'assign', body),
  start: (id: string, note?: string) => move(id, 'start', { note }),
  resolve: (id: string, body: { note: string; mediaIds: string[] }) => move(id, 'resolve', body),
  confirm: (id: string, body: ConfirmInput) => move(id, 'confirm', body),
  reopen: (id: string, note: string) => move(id, 'reopen', { note }),

  figures: (query: { communityId: string; gridId?: string; from: string; to: string }) =>
    request<Figures>('GET', '/reports/figures', { query }),
  /** The same figures as CSV (with a BOM, for Excel). */
  figuresCsv: (query: { communityId: string; gridId?: string; from: string; to: string }) =>
    request<string>('GET', '/reports/figures/export', { query, text: true }),
  overdueLedger: (scope: { communityId: string; gridId?: string }, cursor?: string) =>
    request<OverdueLedgerPage>('GET', '/reports/overdue-ledger', { query: { ...scope, cursor, limit: 20 } }),
  overdueLedgerCsv: (scope: { communityId: string; gridId?: string }) =>
    request<string>('GET', '/reports/overdue-ledger/export', { query: scope, text: true }),
  /** A place with its breadcrumb: the building and estate above my unit, for choosing where the problem is. */
  node: (id: string) => request<NodeView>('GET', `/nodes/${id}`),
};
