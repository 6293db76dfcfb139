import type { FastifyInstance } from 'fastify';
import { CROSS_COMMUNITY } from '../../server/data/tenant-scope';
import { apiClientModel } from '../../server/modules/open311/model';
import { buildDemoApp, placeId } from '../helpers/demo';
import { loginDemo, newcomer, type LoggedIn } from '../helpers/session';

/**
 * The community isolation matrix: for every route the service has (read from its OpenAPI document, so a
 * new route without a case here fails), people of community A — its staff, the strongest role there, and
 * a resident — get 403 or 404 on everything of community B, and B's data is unchanged afterwards.
 */
let app: FastifyInstance;
const b: Record<string, string> = {};
let callers: [string, LoggedIn][];

/** How each route is aimed at community B: which of B's ids fills its parameters, and a well-formed body. */
const cases: Record<
  string,
  { id?: keyof typeof b; path?: string; query?: string; body?: object } | 'not-community-data' | 'capability' | 'public'
> = {
  'GET /health': 'not-community-data',
  'GET /api/app-info': 'not-community-data',
  'POST /api/auth/login': 'not-community-data',
  'POST /api/auth/refresh': 'not-community-data',
  'POST /api/auth/logout': 'not-community-data',
  'DELETE /api/auth/sessions': 'not-community-data',
  'GET /api/dev/demo-users': 'not-community-data',
  'POST /api/dev/demo-code': 'not-community-data',
  'GET /api/me': 'not-community-data',
  'PATCH /api/me': 'not-community-data',
  // An invite code is a capability: whoever holds one may see its unit and ask to join (that is the point).
  'GET /api/invites/{code}': 'capability',
  'POST /api/join-requests': 'capability',
  'GET /api/nodes/{id}': { id: 'unit' },
  'GET /api/nodes/{id}/children': { id: 'community' },
  'POST /api/nodes/{id}/children': { id: 'estate', body: { name: '越权楼' } },
  'POST /api/nodes/{id}/import': {
    id: 'community',
    body: { rows: [{ estate: '越权苑', building: '1栋', unit: '1单元', room: '101', floor: 1, area: 80 }] },
  },
  'POST /api/nodes/{id}/import/preview': {
    id: 'community',
    body: { rows: [{ estate: '越权苑', building: '1栋', unit: '1单元', room: '101', floor: 1, area: 80 }] },
  },
  'GET /api/nodes/{id}/residents': { id: 'estate' },
  'POST /api/communities/{id}/report-categories': {
    id: 'community',
    body: {
      code: 'intrusion',
      name: '越权分类',
      handler: 'staff',
      priority: 'normal',
      acceptWithinMinutes: 60,
      resolveWithinMinutes: 600,
      duplicateRadiusMeters: 50,
      privateByDefault: false,
    },
  },
  // The street above both communities: community staff and residents hold nothing there.
  'GET /api/streets/{id}/report-figures': {
    id: 'street',
    query: '?from=2020-01-01T00:00:00.000Z&to=2040-01-01T00:00:00.000Z',
  },
  'GET /api/nodes/{id}/households': { id: 'unit' },
  'GET /api/nodes/{id}/grids': { id: 'community' },
  'GET /api/nodes/{id}/roles': { id: 'unit' },
  'POST /api/nodes/{id}/roles': { id: 'unit', body: { userId: '000000000000000000000000', role: 'unit_captain' } },
  'DELETE /api/role-grants/{id}': { id: 'grant' },
  'POST /api/grids/{id}/workers': { id: 'grid', body: { userId: '000000000000000000000000' } },
  'POST /api/nodes/{id}/invites': { id: 'unit', body: {} },
  'GET /api/nodes/{id}/invites': { id: 'unit' },
  'DELETE /api/invites/{code}': {},
  'GET /api/invites/{code}/wxacode': {},
  'GET /api/join-requests': 'not-community-data',
  'POST /api/join-requests/{id}/approve': { id: 'joinRequest' },
  'POST /api/join-requests/{id}/reject': { id: 'joinRequest', body: { reason: '越权拒绝' } },
  'POST /api/join-requests/{id}/cancel': { id: 'joinRequest' },
  'GET /api/channels': 'not-community-data',
  'GET /api/channels/{id}/notices': { id: 'community' },
  'POST /api/channels/{id}/notices': { id: 'community', body: { title: '越权通知', body: '越权内容' } },
  'POST /api/notices/{id}/read': { id: 'notice' },
  'PUT /api/notices/{id}': { id: 'notice', body: { title: '越权修改', body: '越权修改的内容' } },
  'POST /api/notices/{id}/withdraw': { id: 'notice' },
  'GET /api/notices/{id}/versions': { id: 'notice' },
  'POST /api/media': 'not-community-data',
  'GET /api/media/{id}': { id: 'media' },
  // Signed links: the signature, not the session, is the authority (checked in media.test.ts).
  'GET /api/media/{id}/{variant}': 'capability',
  'POST /api/flags': 'not-community-data',
  'GET /api/moderation/cases': 'not-community-data',
  'GET /api/moderation/cases/{id}': { id: 'case' },
  'POST /api/moderation/cases/{id}/approve': { id: 'case' },
  'POST /api/moderation/cases/{id}/hide': { id: 'case' },
  'POST /api/moderation/cases/{id}/edit': { id: 'case', body: { text: { body: '越权修改' } } },
  'POST /api/moderation/cases/{id}/redact-photo': {
    id: 'case',
    body: { mediaId: '000000000000000000000000', rects: [{ x: 0, y: 0, width: 1, height: 1 }] },
  },
  'POST /api/moderation/users/{id}/ban': { id: 'userOfB', body: { days: 1, reason: '越权封禁' } },
  'DELETE /api/moderation/users/{id}/ban': { id: 'userOfB' },
  'GET /api/moderation/bans': 'not-community-data',
  'GET /api/inbox': 'not-community-data',
  'POST /api/inbox/{id}/read': { id: 'inboxEntry' },
  'POST /api/inbox/read-all': 'not-community-data',
  'GET /api/subscriptions/templates': 'not-community-data',
  'POST /api/subscriptions': 'not-community-data',
  'GET /api/notices/{id}/timeline': { id: 'notice' },
  'GET /api/report-categories': { id: 'community', query: '?communityId={id}' },
  'PATCH /api/communities/{id}/report-categories/{code}': {
    id: 'community',
    path: '/api/communities/{id}/report-categories/safety',
    body: { name: '越权类别' },
  },
  'GET /api/reports/nearby': 'not-community-data',
  'POST /api/reports': {
    id: 'unit',
    path: '/api/reports',
    body: {
      category: 'other',
      description: '越权上报',
      nodeId: '{id}',
      mediaIds: ['{media}'],
      idempotencyKey: 'isolation-report',
    },
  },
  'GET /api/reports': 'not-community-data',
  'GET /api/reports/figures': {
    id: 'community',
    query: '?communityId={id}&from=2020-01-01T00:00:00Z&to=2040-01-01T00:00:00Z',
  },
  'GET /api/reports/overdue-ledger': { id: 'community', query: '?communityId={id}' },
  'GET /api/reports/overdue-ledger/export': { id: 'community', query: '?communityId={id}' },
  'GET /api/reports/figures/export': {
    id: 'community',
    query: '?communityId={id}&from=2020-01-01T00:00:00Z&to=2040-01-01T00:00:00Z',
  },
  'GET /api/reports/{id}': { id: 'report' },
  'GET /api/reports/{id}/assignees': { id: 'report' },
  'POST /api/reports/{id}/reporter-contact': { id: 'report' },
  'POST /api/reports/{id}/follow': { id: 'report' },
  'DELETE /api/reports/{id}/follow': { id: 'report' },
  'POST /api/reports/{id}/accept': { id: 'report', body: {} },
  'POST /api/reports/{id}/reject': { id: 'report', body: { kind: 'invalid', note: '越权驳回' } },
  'POST /api/reports/{id}/assign': { id: 'report', body: { assignee: { kind: 'property' } } },
  'POST /api/reports/{id}/start': { id: 'report', body: {} },
  'POST /api/reports/{id}/resolve': { id: 'report', body: { note: '越权办结', mediaIds: ['{media}'] } },
  'POST /api/reports/{id}/confirm': { id: 'report', body: { score: 1 } },
  'POST /api/reports/{id}/reopen': { id: 'report', body: { note: '越权重开' } },
  'GET /api/reports/{id}/timeline': { id: 'report' },
  'GET /api/reports/{id}/timeline/export': { id: 'report' },
  'GET /api/notices/{id}/timeline/export': { id: 'notice' },
  // WeChat's signed message push: the signature is the authority (checked in media.test.ts).
  'GET /api/wechat/push': 'capability',
  'POST /api/wechat/push': 'capability',
  // Open311 GeoReport v2 is open data by design: no login, only public, de-personalised reports (private ones
  // and those under review never appear, checked in open311.test.ts). Filing needs an API key, a capability.
  'GET /open311/discovery.{format}': 'public',
  'GET /open311/v2/services.{format}': 'public',
  'GET /open311/v2/services/{service_code}.{format}': 'public',
  'GET /open311/v2/requests.{format}': 'public',
  'POST /open311/v2/requests.{format}': 'capability',
  'GET /open311/v2/requests/{service_request_id}.{format}': 'public',
  'GET /open311/v2/tokens/{token}.{format}': 'public',
  'POST /api/open311/keys': { id: 'community', body: { communityId: '{id}', name: '越权热线' } },
  'GET /api/open311/keys': { id: 'community', query: '?communityId={id}' },
  'DELETE /api/open311/keys/{id}': { id: 'open311Key' },
  'GET /api/communities/{id}/deliberation-settings': { id: 'community' },
  'PUT /api/communities/{id}/deliberation-settings': {
    id: 'community',
    body: { stages: ['越权'], cosignThresholds: [] },
  },
  'GET /api/topics': { id: 'unit', query: '?nodeId={id}' },
  'POST /api/topics': {
    id: 'unit',
    path: '/api/topics',
    body: { nodeId: '{id}', title: '越权议题', text: '越权提出的议题内容，不应被受理', kind: 'public' },
  },
  'GET /api/topics/{id}': { id: 'topic' },
  'POST /api/topics/{id}/cosign': { id: 'topic' },
  'POST /api/topics/{id}/adopt': { id: 'topic' },
  'POST /api/topics/{id}/stages': { id: 'topic', body: { stage: '党组织提议' } },
  'POST /api/topics/{id}/summary': { id: 'topic', body: { note: '越权总结' } },
  'POST /api/topics/{id}/close-discussion': { id: 'topic' },
  'GET /api/topics/{id}/comments': { id: 'topic' },
  'POST /api/topics/{id}/comments': { id: 'topic', body: { text: '越权评论' } },
  'POST /api/topic-comments/{id}/like': { id: 'topicComment' },
  'DELETE /api/topic-comments/{id}/like': { id: 'topicComment' },
  'POST /api/topic-comments/{id}/pin': { id: 'topicComment', body: { pinned: true } },
  'POST /api/topic-comments/{id}/fold': { id: 'topicComment', body: { reason: '越权折叠' } },
  'POST /api/topics/{id}/ballot': { id: 'topic', body: { closesAt: '2040-01-01T00:00:00.000Z' } },
  'POST /api/topics/{id}/ballot/vote': { id: 'topic', body: { choice: 'yes' } },
  'POST /api/topics/{id}/ballot/proxy': {
    id: 'topic',
    body: { householdId: '{household}', choice: 'yes', note: '越权代投' },
  },
  'GET /api/topics/{id}/ballot/non-voters': { id: 'topic' },
  'POST /api/topics/{id}/ballot/remind': { id: 'topic' },
  'GET /api/topics/{id}/ballot/receipts/{code}': { id: 'topic', path: '/api/topics/{id}/ballot/receipts/ABCDEFGH' },
  'POST /api/topics/{id}/implementation': { id: 'topic', body: { owner: '越权', plan: '越权计划' } },
  'POST /api/topics/{id}/progress': { id: 'topic', body: { note: '越权进展' } },
  'POST /api/topics/{id}/done': { id: 'topic', body: { note: '越权完成' } },
  'POST /api/topics/{id}/rating': { id: 'topic', body: { score: 1 } },
  'GET /api/topics/{id}/timeline': { id: 'topic' },
  'GET /api/topics/{id}/timeline/export': { id: 'topic' },
  'POST /api/volunteers': {
    id: 'community',
    body: {
      communityId: '{id}',
      realName: '越权',
      phone: '13800000000',
      skills: ['other'],
      areaIds: ['{id}'],
      availability: [],
    },
  },
  'GET /api/volunteers/me': { id: 'community', query: '?communityId={id}' },
  'GET /api/volunteers': { id: 'community', query: '?communityId={id}' },
  'GET /api/volunteers/{id}': { id: 'volunteer' },
  'POST /api/volunteers/{id}/verify': { id: 'volunteer', body: { reason: '越权认证' } },
  'POST /api/volunteers/{id}/suspend': { id: 'volunteer', body: { reason: '越权暂停' } },
  'POST /api/volunteers/{id}/reinstate': { id: 'volunteer', body: { reason: '越权恢复' } },
  'GET /api/volunteers/{id}/ledger': { id: 'volunteer' },
  'GET /api/volunteers/{id}/ledger/export': { id: 'volunteer' },
  'POST /api/volunteer-orders': {
    id: 'unit',
    body: {
      kind: 'other',
      description: '越权点单',
      nodeId: '{id}',
      windowStart: '2039-01-01T00:00:00Z',
      windowEnd: '2039-01-01T01:00:00Z',
      idempotencyKey: 'isolation-order',
    },
  },
  'GET /api/volunteer-orders': 'not-community-data',
  'GET /api/volunteer-orders/{id}': { id: 'order' },
  'GET /api/volunteer-orders/{id}/suggestions': { id: 'order' },
  'GET /api/volunteer-orders/{id}/door-code': { id: 'order' },
  'POST /api/volunteer-orders/{id}/dispatch': { id: 'order', body: { volunteerId: '{userOfB}' } },
  'POST /api/volunteer-orders/{id}/publish': { id: 'order', body: {} },
  'POST /api/volunteer-orders/{id}/accept': { id: 'order', body: {} },
  'POST /api/volunteer-orders/{id}/decline': { id: 'order', body: {} },
  'POST /api/volunteer-orders/{id}/take': { id: 'order', body: {} },
  'POST /api/volunteer-orders/{id}/check-in': { id: 'order', body: { code: '123456' } },
  'POST /api/volunteer-orders/{id}/check-out': { id: 'order', body: { code: '123456' } },
  'POST /api/volunteer-orders/{id}/manual-hours': { id: 'order', body: { minutes: 30, reason: '越权补录' } },
  'POST /api/volunteer-orders/{id}/rate': { id: 'order', body: { score: 1 } },
  'POST /api/volunteer-orders/{id}/complain': { id: 'order', body: { text: '越权投诉' } },
  'POST /api/volunteer-orders/{id}/complaint/decide': { id: 'order', body: { upheld: true, note: '越权裁决' } },
  'POST /api/volunteer-orders/{id}/cancel': { id: 'order', body: {} },
  'GET /api/volunteer-orders/{id}/timeline': { id: 'order' },
  'GET /api/volunteer-orders/{id}/timeline/export': { id: 'order' },
  'POST /api/volunteer-activities': {
    id: 'community',
    body: {
      nodeId: '{id}',
      title: '越权活动',
      kind: 'event',
      description: '',
      startAt: '2039-01-01T00:00:00Z',
      endAt: '2039-01-01T01:00:00Z',
      places: 5,
    },
  },
  'GET /api/volunteer-activities': { id: 'community', query: '?communityId={id}' },
  'GET /api/volunteer-activities/{id}': { id: 'activity' },
  'POST /api/volunteer-activities/{id}/sign-up': { id: 'activity', body: {} },
  'POST /api/volunteer-activities/{id}/cancel': { id: 'activity', body: {} },
  'POST /api/volunteer-activities/{id}/check-in': { id: 'activity', body: { code: '123456' } },
  'POST /api/volunteer-activities/{id}/complete': { id: 'activity', body: {} },
  'GET /api/volunteer-figures': { id: 'community', query: '?communityId={id}&month=2026-12' },
  'GET /api/volunteer-figures/export': { id: 'community', query: '?communityId={id}&month=2026-12' },
  'GET /api/communities/{id}/volunteer-settings': { id: 'community' },
  'PUT /api/communities/{id}/volunteer-settings': { id: 'community', body: { acceptTimeoutMinutes: 15 } },
  'GET /api/communities/{id}/wish-settings': { id: 'community' },
  'PUT /api/communities/{id}/wish-settings': {
    id: 'community',
    body: { maxValueYuan: 1, claimLapseDays: 1, autoConfirmDays: 1 },
  },
  'POST /api/wishes': {
    id: 'household',
    path: '/api/wishes',
    body: {
      text: '越权代录的心愿',
      kind: 'goods',
      beneficiaryKind: 'other',
      valueYuan: 1,
      wantedBy: '2039-01-01',
      showMaskedName: false,
      householdId: '{id}',
      beneficiary: { name: '越权' },
      idempotencyKey: 'isolation-wish',
    },
  },
  'GET /api/wishes': { id: 'community', query: '?view=wall&communityId={id}' },
  'GET /api/wishes/{id}': { id: 'wish' },
  'POST /api/wishes/{id}/publish': { id: 'wish', body: {} },
  'POST /api/wishes/{id}/return': { id: 'wish', body: { reason: '越权退回' } },
  'POST /api/wishes/{id}/reject': { id: 'wish', body: { reason: '越权驳回' } },
  'POST /api/wishes/{id}/resubmit': {
    id: 'wish',
    body: {
      text: '越权修改',
      kind: 'goods',
      beneficiaryKind: 'other',
      valueYuan: 1,
      wantedBy: '2039-01-01',
      showMaskedName: false,
    },
  },
  'POST /api/wishes/{id}/withdraw': { id: 'wish', body: {} },
  'POST /api/wishes/{id}/claim': { id: 'wish', body: { as: 'party_member', showName: true } },
  'POST /api/wishes/{id}/release': { id: 'wish', body: { reason: '越权放弃' } },
  'POST /api/wishes/{id}/fulfil': { id: 'wish', body: { note: '越权实现', mediaIds: ['{media}'] } },
  'POST /api/wishes/{id}/confirm': { id: 'wish', body: {} },
  'POST /api/wishes/{id}/dispute': { id: 'wish', body: { reason: '越权异议' } },
  'POST /api/wishes/{id}/settle': { id: 'wish', body: { note: '越权裁定' } },
  'POST /api/wishes/{id}/reopen': { id: 'wish', body: { note: '越权裁定' } },
  'GET /api/wishes/{id}/messages': { id: 'wish' },
  'POST /api/wishes/{id}/messages': { id: 'wish', body: { text: '越权留言' } },
  'GET /api/wishes/{id}/timeline': { id: 'wish' },
  'GET /api/wishes/{id}/timeline/export': { id: 'wish' },
  'GET /api/communities/{id}/wish-organisations': { id: 'community' },
  'POST /api/communities/{id}/wish-organisations': {
    id: 'community',
    body: { name: '越权组织', contactName: '越权', contactPhone: '13900000000' },
  },
  // A join code names its organisation; one of another community is not found.
  'POST /api/wish-organisations/join': { id: 'wishOrgCode', body: { code: '{id}' } },
  'GET /api/wish-figures': { id: 'community', query: '?communityId={id}&month=2026-12' },
  'GET /api/wish-figures/export': { id: 'community', query: '?communityId={id}&month=2026-12' },
  'GET /api/communities/{id}/board-settings': { id: 'community' },
  'PUT /api/communities/{id}/board-settings': {
    id: 'community',
    body: {
      acts: [
        { key: 'noise', colour: 'black', label: '越权噪音', points: -50, enabled: true },
        { key: 'brave_deed', colour: 'red', label: '越权好事', points: 50, enabled: true },
      ],
    },
  },
  'POST /api/board-entries': {
    id: 'unit',
    path: '/api/board-entries',
    body: {
      colour: 'black',
      act: 'hallway_clutter',
      occurredAt: '2020-01-01T00:00:00Z',
      nodeId: '{id}',
      description: '越权提名',
      mediaIds: ['{media}'],
      householdId: '{household}',
      idempotencyKey: 'isolation-board',
    },
  },
  'GET /api/board-entries': { id: 'community', query: '?view=queue&communityId={id}' },
  'GET /api/board-entries/{id}': { id: 'boardEntry' },
  'POST /api/board-entries/{id}/confirm': { id: 'boardEntry', body: {} },
  'POST /api/board-entries/{id}/ask-more': { id: 'boardEntry', body: { reason: '越权补充' } },
  'POST /api/board-entries/{id}/add-info': { id: 'boardEntry', body: { text: '越权补充' } },
  'POST /api/board-entries/{id}/dismiss': { id: 'boardEntry', body: { reason: '越权驳回' } },
  'POST /api/board-entries/{id}/respond': { id: 'boardEntry', body: { text: '越权回应' } },
  'POST /api/board-entries/{id}/rectify': { id: 'boardEntry', body: { note: '越权整改', mediaIds: ['{media}'] } },
  'POST /api/board-entries/{id}/publish': { id: 'boardEntry', body: {} },
  'POST /api/board-entries/{id}/withdraw-rectified': { id: 'boardEntry', body: {} },
  'POST /api/board-entries/{id}/appeal': { id: 'boardEntry', body: { reason: '越权申诉' } },
  'POST /api/board-entries/{id}/appeal/decide': { id: 'boardEntry', body: { upheld: true, note: '越权裁决' } },
  'POST /api/board-entries/{id}/consent': { id: 'boardEntry', body: { consent: true } },
  'POST /api/board-entries/{id}/photos/{mediaId}/clear': {
    id: 'boardEntry',
    path: '/api/board-entries/{id}/photos/{media}/clear',
    body: { rects: [] },
  },
  'GET /api/board-entries/{id}/timeline': { id: 'boardEntry' },
  'GET /api/board-entries/{id}/timeline/export': { id: 'boardEntry' },
  'GET /api/boards': { id: 'community', query: '?colour=black&communityId={id}' },
  'GET /api/boards/months': { id: 'community', query: '?communityId={id}' },
  'GET /api/boards/ranking': { id: 'community', query: '?communityId={id}' },
  'GET /api/boards/selections/export': { id: 'community', query: '?communityId={id}' },
  'GET /api/board-figures': { id: 'community', query: '?communityId={id}&month=2026-12' },
  'GET /api/board-figures/export': { id: 'community', query: '?communityId={id}&month=2026-12' },
  // Privacy: the caller's own data only; someone else's consent or export is a 404 (deletion acts on the caller).
  'GET /api/privacy-policy': 'public',
  'POST /api/me/privacy-acceptance': 'not-community-data',
  'GET /api/me/consents': 'not-community-data',
  'POST /api/me/consents/{id}/revoke': { id: 'consent' },
  'POST /api/me/exports': 'not-community-data',
  'GET /api/me/exports/{id}': { id: 'dataExport' },
  'GET /api/me/exports/{id}/download': { id: 'dataExport' },
  'POST /api/me/deletion': 'not-community-data',
};

async function stateOfB() {
  const communityId = b.community!;
  const [notices, reads, request, invite, grants, nodes, cases, banned, unread] = await Promise.all([
    app.models.Notice.countDocuments({ communityId }),
    app.models.NoticeRead.countDocuments({ communityId }),
    app.models.JoinRequest.findOne({ communityId, _id: b.joinRequest }).lean(),
    app.models.Invite.findOne({ communityId, code: b.code }).lean(),
    app.models.RoleGrant.countDocuments({ communityId }),
    app.models.Node.countDocuments({ ancestors: communityId }).setOptions(CROSS_COMMUNITY),
    app.models.ModerationCase.countDocuments({ communityId, status: 'open' }),
    app.models.User.countDocuments({ 'bans.0': { $exists: true } }),
    app.models.Notification.countDocuments({ readAt: null }),
  ]);
  const report = await app.models.Report.findOne({ communityId, _id: b.report }).lean();
  const topic = await app.models.Topic.findOne({ communityId, _id: b.topic }).lean();
  const comment = await app.models.TopicComment.findOne({ communityId, _id: b.topicComment }).lean();
  const keys = apiClientModel(app.db.connection);
  const volunteer = await app.models.Volunteer.findOne({ communityId, _id: b.volunteer }).lean();
  const order = await app.models.VolunteerOrder.findOne({ communityId, _id: b.order }).lean();
  const activity = await app.models.VolunteerActivity.findOne({ communityId, _id: b.activity }).lean();
  const categories = await app.models.ReportCategory.find({ communityId }, { name: 1, _id: 0 }).lean();
  const noticeTexts = await app.models.Notice.find(
    { communityId },
    { title: 1, body: 1, withdrawnAt: 1, _id: 0 },
  ).lean();
  return {
    notices,
    noticeTexts,
    reads,
    status: request?.status,
    revoked: invite?.revokedAt,
    grants,
    nodes,
    cases,
    banned,
    unread,
    report: [report?.state, report?.version, report?.followers.length],
    categories: categories.map((c) => c.name),
    reports: await app.models.Report.countDocuments({ communityId }),
    topic: [topic?.status, topic?.cosigners.length, topic?.commentCount, topic?.stages.filter((s) => s.at).length],
    topics: await app.models.Topic.countDocuments({ communityId }),
    comment: [comment?.likedBy.length, comment?.pinned, comment?.folded],
    votes: await app.models.TopicVote.countDocuments({ communityId }),
    settings: await app.models.DeliberationSettings.countDocuments({ communityId }),
    volunteers: [await app.models.Volunteer.countDocuments({ communityId }), volunteer?.status],
    orders: [await app.models.VolunteerOrder.countDocuments({ communityId }), order?.state, order?.version],
    activities: [
      await app.models.VolunteerActivity.countDocuments({ communityId }),
      activity?.participants.length,
      activity?.completedAt,
    ],
    hours: await app.models.HoursEntry.countDocuments({ communityId }),
    volunteerSettings: await app.models.VolunteerSettings.countDocuments({ communityId }),
    wishes: [
      await app.models.Wish.countDocuments({ communityId }),
      (await app.models.Wish.findOne({ communityId, _id: b.wish }).lean())?.version,
    ],
    wishOrganisations: (await app.models.WishOrganisation.find({ communityId }).lean()).map((o) => o.members.length),
    wishSettings: await app.models.WishSettings.countDocuments({ communityId }),
    wishMessages: await app.models.WishMessage.countDocuments({ communityId }),
    boardEntries: [
      await app.models.BoardEntry.countDocuments({ communityId }),
      (await app.models.BoardEntry.findOne({ communityId, _id: b.boardEntry }).lean())?.version,
    ],
    boardSettings: await app.models.BoardSettings.countDocuments({ communityId }),
    boardHistory: [
      await app.models.BoardPoints.countDocuments({ communityId }),
      await app.models.BoardSnapshot.countDocuments({ communityId }),
      await app.models.BoardCorrection.countDocuments({ communityId }),
    ],
    privacy: [
      (await app.models.PrivacyConsent.findById(b.consent).lean())?.revokedAt,
      (await app.models.DataExport.findById(b.dataExport).lean())?.state,
    ],
    open311Keys: [
      await keys.countDocuments({ communityId }),
      await keys.countDocuments({ communityId, revokedAt: null }),
    ],
  };
}

// Seeding community B's data takes seconds, more on a busy machine running suites in parallel.
beforeAll(async () => {
  app = await buildDemoApp();
  const admin = await loginDemo(app, 'admin');
  b.community = await placeId(app, ['和美社区']);
  b.estate = await placeId(app, ['和美社区', '和美家园']);
  b.unit = await placeId(app, ['和美社区', '和美家园', '1栋', '1单元']);
  b.street = String((await app.models.Node.findOne({ kind: 'street' }).setOptions(CROSS_COMMUNITY).lean())!._id);
  const post = (url: string, payload: object) => app.inject({ method: 'POST', url, headers: admin.headers, payload });
  b.code = (await post(`/api/nodes/${b.unit}/invites`, {})).json().code;
  const applicant = await newcomer(app);
  b.joinRequest = (
    await app.inject({
      method: 'POST',
      url: '/api/join-requests',
      headers: applicant.headers,
      payload: { code: b.code, room: '102', relation: 'tenant' },
    })
  ).json().id;
  b.notice = (
    await post(`/api/channels/${b.community}/notices`, { title: '和美社区通知', body: '仅限和美社区' })
  ).json().id;
  await post(`/api/nodes/${b.community}/import`, {
    rows: [{ estate: '和美家园', building: '1栋', unit: '1单元', room: '101', floor: 1, area: 80 }],
    grids: [{ name: '和美网格', buildings: ['和美家园/1栋'] }],
  });
  b.grid = (await app.models.Grid.findOne({ communityId: b.community, name: '和美网格' }).lean())!._id.toString();
  b.grant = (await post(`/api/nodes/${b.unit}/roles`, { userId: applicant.me.id, role: 'unit_captain' })).json().id;
  const resident = await loginDemo(app, 'other');
  b.userOfB = resident.me.id;
  b.media = (
    await app.models.Media.create({
      communityId: b.community,
      ownerId: resident.me.id,
      idempotencyKey: 'isolation-media',
      hash: 'x'.repeat(64),
      width: 1,
      height: 1,
      bytes: 1,
      keys: { display: 'none', thumb: 'none' },
    })
  )._id.toString();
  const flagged = (
    await post(`/api/channels/${b.community}/notices`, { title: '待审的和美通知', body: '测试待审词' })
  ).json();
  b.case = (await app.models.ModerationCase.findOne({
    communityId: b.community,
    itemId: flagged.id,
  }).lean())!._id.toString();
  await app.notifier.notify({
    userIds: [resident.me.id as never],
    kind: 'test.isolation',
    title: '和美社区消息',
    body: '仅限本人',
  });
  b.inboxEntry = (await app.models.Notification.findOne({ userId: resident.me.id }).lean())!._id.toString();
  const filed = await app.inject({
    method: 'POST',
    url: '/api/reports',
    headers: resident.headers,
    payload: {
      category: 'facility',
      description: '和美社区路灯坏了',
      mediaIds: [b.media],
      idempotencyKey: 'isolation-b-report',
    },
  });
  b.report = filed.json().id;
  b.open311Key = (await post('/api/open311/keys', { communityId: b.community, name: '和美热线' })).json().id;
  b.household = String(
    (await app.models.Household.findOne({ communityId: b.community, 'members.userId': resident.me.id }).lean())!._id,
  );
  b.topic = (
    await app.inject({
      method: 'POST',
      url: '/api/topics',
      headers: resident.headers,
      payload: { nodeId: b.unit, title: '和美单元议题', text: '仅限和美社区讨论的议题', kind: 'public' },
    })
  ).json().id;
  await post(`/api/topics/${b.topic}/adopt`, {});
  await post(`/api/topics/${b.topic}/ballot`, { closesAt: '2040-01-01T00:00:00.000Z' });
  b.topicComment = (await post(`/api/topics/${b.topic}/comments`, { text: '和美社区的评论' })).json().id;
  b.volunteer = (
    await app.inject({
      method: 'POST',
      url: '/api/volunteers',
      headers: resident.headers,
      payload: {
        realName: '何居民',
        phone: '13800000099',
        skills: ['other'],
        areaIds: [b.community],
        availability: [],
      },
    })
  ).json().id;
  await post(`/api/volunteers/${b.volunteer}/verify`, { reason: '和美社区认证' });
  b.order = (
    await app.inject({
      method: 'POST',
      url: '/api/volunteer-orders',
      headers: resident.headers,
      payload: {
        kind: 'other',
        description: '和美社区的点单',
        windowStart: '2039-01-01T00:00:00Z',
        windowEnd: '2039-01-01T01:00:00Z',
        idempotencyKey: 'isolation-b-order',
      },
    })
  ).json().id;
  await post(`/api/volunteer-orders/${b.order}/publish`, {});
  b.activity = (
    await post('/api/volunteer-activities', {
      nodeId: b.community,
      title: '和美社区活动',
      kind: 'event',
      description: '',
      startAt: '2039-01-01T00:00:00Z',
      endAt: '2039-01-01T01:00:00Z',
      places: 5,
    })
  ).json().id;
  b.wish = (
    await app.inject({
      method: 'POST',
      url: '/api/wishes',
      headers: resident.headers,
      payload: {
        text: '和美社区的心愿',
        kind: 'goods',
        beneficiaryKind: 'other',
        valueYuan: 10,
        wantedBy: '2039-01-01',
        showMaskedName: false,
        idempotencyKey: 'isolation-b-wish',
      },
    })
  ).json().id;
  await post(`/api/wishes/${b.wish}/publish`, {});
  b.wishOrgCode = (
    await post(`/api/communities/${b.community}/wish-organisations`, {
      name: '和美爱心队',
      contactName: '何队长',
      contactPhone: '13900000099',
    })
  ).json().joinCode;
  b.boardEntry = (
    await app.inject({
      method: 'POST',
      url: '/api/board-entries',
      headers: resident.headers,
      payload: {
        colour: 'black',
        act: 'noise',
        occurredAt: '2020-01-01T00:00:00Z',
        nodeId: b.unit,
        description: '和美社区的黑榜提名',
        householdId: b.household,
        idempotencyKey: 'isolation-b-board',
      },
    })
  ).json().id;
  await post(`/api/board-entries/${b.boardEntry}/confirm`, {});
  b.consent = String(
    (
      await app.models.PrivacyConsent.create({
        userId: resident.me.id,
        communityId: b.community,
        kind: 'report_name',
        itemKind: 'report',
        itemId: b.report,
        version: 'isolation',
        grantedAt: new Date(),
      })
    )._id,
  );
  b.dataExport = (
    await app.inject({ method: 'POST', url: '/api/me/exports', headers: resident.headers, payload: {} })
  ).json().id;
  await app.jobs.runDue();
  callers = [
    ['staff of A', await loginDemo(app, 'staff')],
    ['resident of A', await loginDemo(app, 'owner')],
  ];
  expect(Object.values(b).every(Boolean)).toBe(true);
}, 30_000);
afterAll(() => app.close());

test('every route has an isolation case', async () => {
  const doc = (await app.inject('/docs/json')).json() as { paths: Record<string, Record<string, unknown>> };
  const routes = Object.entries(doc.paths).flatMap(([path, methods]) =>
    Object.keys(methods).map((m) => `${m.toUpperCase()} ${path}`),
  );
  expect(routes.filter((route) => !(route in cases))).toEqual([]);
  expect(Object.keys(cases).filter((route) => !routes.includes(route))).toEqual([]);
});

test('nobody of community A reads or changes anything of community B', async () => {
  const before = await stateOfB();
  const leaks: string[] = [];
  for (const [who, caller] of callers) {
    for (const [route, spec] of Object.entries(cases)) {
      if (typeof spec === 'string') continue;
      const [method, template] = route.split(' ') as [string, string];
      const fill = (text: string) =>
        text
          .replace(/\{id\}/g, b[spec.id ?? 'community']!)
          .replace('{code}', b.code!)
          .replace('{media}', b.media!)
          .replace('{household}', b.household!)
          .replace('{userOfB}', b.userOfB!);
      const url = fill((spec.path ?? template) + (spec.query ?? ''));
      const res = await app.inject({
        method: method as 'GET',
        url,
        headers: caller.headers,
        ...(spec.body ? { payload: JSON.parse(fill(JSON.stringify(spec.body))) } : {}),
      });
      if (![403, 404].includes(res.statusCode))
        leaks.push(`${who}: ${route} → ${res.statusCode} ${res.body.slice(0, 120)}`);
    }
  }
  expect(leaks).toEqual([]);
  expect(await stateOfB()).toEqual(before);
});

test("lists and profiles of A's people never mention B", async () => {
  for (const [, caller] of callers) {
    for (const url of [
      '/api/channels',
      '/api/me',
      '/api/join-requests?view=review',
      '/api/join-requests?view=mine',
      '/api/inbox',
      '/api/moderation/cases',
      '/api/moderation/bans',
      '/api/report-categories',
      '/api/reports?view=mine',
      '/api/reports?view=estate',
      '/api/reports?view=handling',
      '/api/reports?view=all',
      '/api/reports/nearby?category=facility&longitude=116.4&latitude=39.9',
      '/api/volunteer-orders?view=mine',
      '/api/volunteer-orders?view=tasks',
      '/api/volunteer-orders?view=open',
      '/api/volunteer-activities',
      '/api/volunteers/me',
      '/api/topics',
      '/api/wishes?view=wall',
      '/api/wishes?view=done',
      '/api/wishes?view=mine',
      '/api/wishes?view=claims',
      '/api/board-entries?view=mine',
      '/api/board-entries?view=household',
      '/api/board-entries?view=about_me',
      '/api/boards?colour=black',
      '/api/boards?colour=red',
      '/api/boards/months',
      '/api/boards/ranking',
    ]) {
      const res = await app.inject({ url, headers: caller.headers });
      // Residents are refused the staff queue and ban list; that is no leak either.
      const staffOnly = url.startsWith('/api/moderation/');
      expect(res.statusCode).toBe(staffOnly && caller === callers[1]![1] ? 403 : 200);
      expect(res.body).not.toContain('和美');
      for (const id of Object.values(b)) expect(res.body).not.toContain(id);
    }
  }
});

test('the data layer refuses a query that forgets the community', async () => {
  await expect(app.models.Notice.find({ _id: b.notice }).lean()).rejects.toThrow(/scoped by communityId/);
  await expect(app.models.Household.aggregate([{ $match: { room: '101' } }])).rejects.toThrow(/communityId/);
});
