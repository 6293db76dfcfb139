/**
 * Stable, machine-readable error codes carried in every error body `{ statusCode, code, message, reqId }`.
 * Clients branch on `code`, never on `message`; codes are never renamed once shipped.
 */
export const ErrorCode = {
  VALIDATION_FAILED: 'VALIDATION_FAILED',
  BAD_REQUEST: 'BAD_REQUEST',
  UNAUTHORIZED: 'UNAUTHORIZED',
  TOKEN_EXPIRED: 'TOKEN_EXPIRED',
  FORBIDDEN: 'FORBIDDEN',
  NOT_FOUND: 'NOT_FOUND',
  ROUTE_NOT_FOUND: 'ROUTE_NOT_FOUND',
  CONFLICT: 'CONFLICT',
  PAYLOAD_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  UNSUPPORTED_MEDIA_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
  RATE_LIMITED: 'RATE_LIMITED',
  SERVICE_UNAVAILABLE: 'SERVICE_UNAVAILABLE',
  INTERNAL: 'INTERNAL',
  // Login and sessions
  WECHAT_CODE_INVALID: 'WECHAT_CODE_INVALID',
  WECHAT_CODE_USED: 'WECHAT_CODE_USED',
  WECHAT_RATE_LIMITED: 'WECHAT_RATE_LIMITED',
  WECHAT_USER_BLOCKED: 'WECHAT_USER_BLOCKED',
  WECHAT_UNAVAILABLE: 'WECHAT_UNAVAILABLE',
  REFRESH_TOKEN_INVALID: 'REFRESH_TOKEN_INVALID',
  REFRESH_TOKEN_REUSED: 'REFRESH_TOKEN_REUSED',
  SESSION_REVOKED: 'SESSION_REVOKED',
  DEMO_LOGIN_DISABLED: 'DEMO_LOGIN_DISABLED',
  // Places, joining and roles
  IMPORT_INVALID: 'IMPORT_INVALID',
  INVITE_INVALID: 'INVITE_INVALID',
  ROOM_NOT_FOUND: 'ROOM_NOT_FOUND',
  ALREADY_MEMBER: 'ALREADY_MEMBER',
  JOIN_REQUEST_PENDING: 'JOIN_REQUEST_PENDING',
  JOIN_REQUEST_DECIDED: 'JOIN_REQUEST_DECIDED',
  ROLE_NOT_GRANTABLE: 'ROLE_NOT_GRANTABLE',
  /** Granting, revoking or banning at or above one's own rank on that place. */
  ROLE_ABOVE_RANK: 'ROLE_ABOVE_RANK',
  // Platform services
  CONTENT_RISKY: 'CONTENT_RISKY',
  USER_BANNED: 'USER_BANNED',
  NOT_IN_COMMUNITY: 'NOT_IN_COMMUNITY',
  IMAGE_INVALID: 'IMAGE_INVALID',
  IMAGE_TOO_LARGE: 'IMAGE_TOO_LARGE',
  MEDIA_ATTACHED: 'MEDIA_ATTACHED',
  ALREADY_FLAGGED: 'ALREADY_FLAGGED',
  CASE_CLOSED: 'CASE_CLOSED',
  // Reports
  INVALID_TRANSITION: 'INVALID_TRANSITION',
  STALE_REPORT: 'STALE_REPORT',
  NO_HOUSEHOLD: 'NO_HOUSEHOLD',
  UNKNOWN_CATEGORY: 'UNKNOWN_CATEGORY',
  /** A category with this code already exists in the community. */
  CATEGORY_EXISTS: 'CATEGORY_EXISTS',
  // Deliberation and votes
  TOPIC_STATE: 'TOPIC_STATE',
  NOT_ELIGIBLE: 'NOT_ELIGIBLE',
  BALLOT_CLOSED: 'BALLOT_CLOSED',
  BALLOT_NOT_CLOSED: 'BALLOT_NOT_CLOSED',
  ALREADY_VOTED: 'ALREADY_VOTED',
  STAGE_ORDER: 'STAGE_ORDER',
  DISCUSSION_CLOSED: 'DISCUSSION_CLOSED',
  // Volunteers
  NOT_A_VOLUNTEER: 'NOT_A_VOLUNTEER',
  VOLUNTEER_EXISTS: 'VOLUNTEER_EXISTS',
  ORDER_STATE_CHANGED: 'ORDER_STATE_CHANGED',
  /** Another volunteer took the open order first. */
  ORDER_TAKEN: 'ORDER_TAKEN',
  /** The order's text waits for staff: it goes to no volunteer before. */
  ORDER_UNDER_REVIEW: 'ORDER_UNDER_REVIEW',
  DOOR_CODE_INVALID: 'DOOR_CODE_INVALID',
  DOOR_CODE_LOCKED: 'DOOR_CODE_LOCKED',
  ALREADY_COMPLAINED: 'ALREADY_COMPLAINED',
  ALREADY_SIGNED_UP: 'ALREADY_SIGNED_UP',
  ACTIVITY_CODE_INVALID: 'ACTIVITY_CODE_INVALID',
  // Micro-wishes
  /** The move is not one the wish's state allows (someone else moved it first, or it never could). */
  WISH_STATE: 'WISH_STATE',
  /** Another claimant took the wish first: 已被认领. */
  WISH_TAKEN: 'WISH_TAKEN',
  /** The wish's text waits for staff's moderation decision: it cannot be published before. */
  WISH_UNDER_REVIEW: 'WISH_UNDER_REVIEW',
  WISH_VALUE_TOO_HIGH: 'WISH_VALUE_TOO_HIGH',
  WISH_DATE_PAST: 'WISH_DATE_PAST',
  /** A beneficiary's name given without the right to record for a neighbour, or missing when recording. */
  WISH_BENEFICIARY: 'WISH_BENEFICIARY',
  /** The caller has several households: say which one the wish is for. */
  HOUSEHOLD_REQUIRED: 'HOUSEHOLD_REQUIRED',
  /** Claiming as a party member, volunteer or organisation one is not. */
  NOT_A_CLAIMANT: 'NOT_A_CLAIMANT',
  ORGANISATION_CODE_INVALID: 'ORGANISATION_CODE_INVALID',
  // Civility boards
  /** The move is not one the entry's state allows (someone else moved it first, or it never could). */
  ENTRY_STATE: 'ENTRY_STATE',
  /** An evidence photo is not yet redacted or marked as showing no faces or plates: nothing is published. */
  PHOTOS_NOT_CLEARED: 'PHOTOS_NOT_CLEARED',
  /** The entry's text waits for staff's moderation decision. */
  ENTRY_UNDER_REVIEW: 'ENTRY_UNDER_REVIEW',
  /** The board month is frozen: nothing on it changes (corrections are separate lines). */
  BOARD_FROZEN: 'BOARD_FROZEN',
  /** The community's act list breaks a rule (shared/boards.ts actsProblem). */
  ACTS_INVALID: 'ACTS_INVALID',
  // Privacy
  /** Accepting a privacy policy version that is not the one in force. */
  POLICY_VERSION_UNKNOWN: 'POLICY_VERSION_UNKNOWN',
  /** The export archive is not ready yet (or failed). */
  EXPORT_NOT_READY: 'EXPORT_NOT_READY',
  /** The export archive's download window has passed. */
  EXPORT_EXPIRED: 'EXPORT_EXPIRED',
} as const;

export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(ErrorCode, value);
}
