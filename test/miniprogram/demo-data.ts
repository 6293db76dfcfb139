import type { ChannelView, NoticeView } from '../../shared/schemas/channels';
import type { Me, NodeRef, Session } from '../../shared/schemas/people';
import type { InvitePreview, InviteView, JoinRequestView, NodeView } from '../../shared/schemas/places';
import type { MediaView, TimelineEntry } from '../../shared/schemas/platform';
import type { ReportView } from '../../shared/schemas/reports';

/*
 * The demo community's places, people, sessions, channels, notices, invites, reports and photos as the service
 * sends them: plain data, no doubles, so the jsdom tests (through fixtures.ts and the other *-fixtures.ts) and the
 * compiled-weapp tests (test/weapp) build the same ones.
 */

/** What the demo community looks like to the mini-program: 幸福里社区 · 阳光花园 · 1栋 · 1单元. */
export const ids = {
  community: 'c00000000000000000000001',
  estate: 'e00000000000000000000001',
  building: 'b00000000000000000000001',
  unit: 'a00000000000000000000001',
  unit2: 'a00000000000000000000002',
};

export const unit: NodeRef = {
  id: ids.unit,
  kind: 'unit',
  name: '1单元',
  path: ['幸福里社区', '阳光花园', '1栋', '1单元'],
};
export const building: NodeRef = {
  id: ids.building,
  kind: 'building',
  name: '1栋',
  path: ['幸福里社区', '阳光花园', '1栋'],
};

export const community: NodeRef = { id: ids.community, kind: 'community', name: '幸福里社区', path: ['幸福里社区'] };
export const estate: NodeRef = { id: ids.estate, kind: 'estate', name: '阳光花园', path: ['幸福里社区', '阳光花园'] };

export function newcomer(overrides: Partial<Me> = {}): Me {
  return {
    id: '600000000000000000000001',
    displayName: '新邻居小林',
    phoneMasked: null,
    badges: [],
    roles: [],
    households: [],
    pendingJoinRequests: 0,
    ...overrides,
  };
}

export function captain(overrides: Partial<Me> = {}): Me {
  return newcomer({
    id: '600000000000000000000002',
    displayName: '张楼长',
    phoneMasked: '138****0005',
    badges: ['party_member'],
    roles: [
      { id: '700000000000000000000001', role: 'building_captain', node: building },
      { id: '700000000000000000000002', role: 'resident', node: unit },
    ],
    households: [
      {
        id: '800000000000000000000001',
        room: '101',
        floor: 1,
        unit,
        relation: 'owner',
        areaHundredths: 8950,
        members: [{ name: '张楼长', relation: 'owner', isMe: true }],
      },
    ],
    ...overrides,
  });
}

/** 王阿姨, owner of 1栋1单元302. */
export function owner(overrides: Partial<Me> = {}): Me {
  return newcomer({
    id: '600000000000000000000007',
    displayName: '王阿姨',
    phoneMasked: '138****0007',
    roles: [{ id: '700000000000000000000007', role: 'resident', node: unit }],
    households: [
      {
        id: '800000000000000000000302',
        room: '302',
        floor: 3,
        unit,
        relation: 'owner',
        areaHundredths: 9355,
        members: [{ name: '王阿姨', relation: 'owner', isMe: true }],
      },
    ],
    ...overrides,
  });
}

/** 周网格, grid worker of 第一网格 (its grant shows on the community). */
export function gridWorker(): Me {
  return newcomer({
    id: '600000000000000000000003',
    displayName: '周网格',
    roles: [
      {
        id: '700000000000000000000003',
        role: 'grid_worker',
        node: community,
        gridName: '第一网格',
        gridId: '750000000000000000000001',
      },
    ],
  });
}

/** 李社工, community staff of 幸福里社区: moderates, exports timelines, dispatches reports, sees the figures. */
export function staff(overrides: Partial<Me> = {}): Me {
  return newcomer({
    id: '600000000000000000000009',
    displayName: '李社工',
    phoneMasked: '139****0002',
    roles: [{ id: '700000000000000000000009', role: 'community_staff', node: community }],
    ...overrides,
  });
}

export function session(me: Me, n = 1): Session {
  return {
    accessToken: `access-${n}`,
    expiresIn: 900,
    refreshToken: `refresh-token-number-${n}`,
    refreshExpiresAt: new Date(Date.now() + 30 * 86400_000).toISOString(),
    me,
  };
}

export function channel(node: NodeRef, label: string, overrides: Partial<ChannelView> = {}): ChannelView {
  return { node, label, unreadNotices: 0, latestNotice: null, canPost: false, ...overrides };
}

export const myChannels: ChannelView[] = [
  channel(unit, '单元群', {
    unreadNotices: 2,
    latestNotice: { id: '900000000000000000000001', title: '周六上午停水通知', publishedAt: '2026-11-20T01:00:00Z' },
    canPost: true,
  }),
  channel(building, '楼栋群'),
  channel(estate, '小区群'),
  channel(community, '社区群', {
    unreadNotices: 1,
    latestNotice: { id: '900000000000000000000002', title: '欢迎使用邻里小程序', publishedAt: '2026-11-19T01:00:00Z' },
  }),
];

export function notice(n: number, overrides: Partial<NoticeView> = {}): NoticeView {
  return {
    id: `9000000000000000000001${String(n).padStart(2, '0')}`,
    channelId: ids.unit,
    title: `公告 ${n}`,
    body: `第 ${n} 条公告的正文`,
    pinned: false,
    author: { displayName: '张**', role: 'building_captain', isMe: false },
    publishedAt: '2026-11-20T01:00:00Z',
    readByMe: true,
    media: [],
    moderation: 'visible',
    editedAt: null,
    canManage: false,
    ...overrides,
  };
}

export const preview: InvitePreview = {
  unit,
  rooms: [
    { room: '101', floor: 1 },
    { room: '102', floor: 1 },
    { room: '401', floor: 4 },
    { room: '402', floor: 4 },
  ],
  expiresAt: '2026-11-29T08:00:00Z',
};

export function joinRequest(overrides: Partial<JoinRequestView> = {}): JoinRequestView {
  return {
    id: 'f00000000000000000000001',
    status: 'pending',
    unit,
    room: '402',
    relation: 'tenant',
    applicant: { id: '600000000000000000000001', displayName: '新*****' },
    createdAt: '2026-11-21T02:00:00Z',
    ...overrides,
  };
}

export function invite(code: string, overrides: Partial<InviteView> = {}): InviteView {
  return {
    code,
    unit,
    expiresAt: new Date(Date.now() + 7 * 86400_000).toISOString(),
    revoked: false,
    qrPayload: `packages/community/join/index?code=${code}`,
    uses: 0,
    ...overrides,
  };
}

export function nodeView(ref: NodeRef, householdCount: number): NodeView {
  const breadcrumb = ref.path.map((name, i) => ({ ...ref, name, path: ref.path.slice(0, i + 1) }));
  breadcrumb[breadcrumb.length - 1] = ref;
  return { id: ref.id, kind: ref.kind, name: ref.name, parentId: null, breadcrumb, childCount: 0, householdCount };
}

/** The unit as GET /nodes/:id answers: its breadcrumb names the building and the estate above it. */
export const unitView: NodeView = {
  id: unit.id,
  kind: 'unit',
  name: unit.name,
  parentId: building.id,
  breadcrumb: [community, estate, building, unit],
  childCount: 0,
  householdCount: 12,
};

export function photo(n: number, checked = true): MediaView {
  const id = `d000000000000000000000${String(n).padStart(2, '0')}`;
  return {
    id,
    width: 1080,
    height: 810,
    checkStatus: checked ? 'pass' : 'checking',
    url: checked ? `/api/media/${id}/display?sig=s` : null,
    thumbUrl: checked ? `/api/media/${id}/thumb?sig=s` : null,
  };
}

export function report(n: number, overrides: Partial<ReportView> = {}): ReportView {
  return {
    id: `e100000000000000000000${String(n).padStart(2, '0')}`,
    category: { code: 'sanitation', name: '环境卫生', icon: 'trash' },
    description: `第 ${n} 件：1单元楼道堆放了很多纸箱杂物`,
    state: 'submitted',
    level: 'grid',
    priority: 'normal',
    private: false,
    place: unit,
    location: null,
    reporter: { displayName: '某居民', isMe: false },
    media: [photo(n)],
    assignee: null,
    acceptBy: new Date(Date.now() + 6 * 3600_000).toISOString(),
    resolveBy: null,
    overdue: false,
    createdAt: '2026-11-21T02:00:00Z',
    updatedAt: '2026-11-21T02:00:00Z',
    resolvedAt: null,
    closedAt: null,
    autoClosed: false,
    rejection: null,
    resolution: null,
    rating: null,
    reopenCount: 0,
    followerCount: 0,
    following: false,
    canContactReporter: false,
    moderation: 'visible',
    actions: [],
    ...overrides,
  };
}

let steps = 0;

export function step(
  action: string,
  from: string | null,
  to: string | null,
  overrides: Partial<TimelineEntry> = {},
): TimelineEntry {
  return {
    id: `f2000000000000000000${String(++steps).padStart(4, '0')}`,
    action,
    from,
    to,
    actor: '王**',
    actorRole: 'resident',
    note: null,
    attachments: [],
    at: '2026-11-21T02:00:00Z',
    ...overrides,
  };
}
