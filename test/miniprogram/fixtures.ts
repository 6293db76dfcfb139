import Taro from '@tarojs/taro';
import type { ChannelView, NoticeView } from '../../shared/schemas/channels';
import type { Me, NodeRef, Session } from '../../shared/schemas/people';
import type { InvitePreview, InviteView, JoinRequestView, NodeView } from '../../shared/schemas/places';
import { clearSession, saveSession } from '../../miniprogram/services/session';
import { __reset } from './doubles/taro';

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

export function session(me: Me, n = 1): Session {
  return {
    accessToken: `access-${n}`,
    expiresIn: 900,
    refreshToken: `refresh-token-number-${n}`,
    refreshExpiresAt: new Date(Date.now() + 30 * 86400_000).toISOString(),
    me,
  };
}

/** Starts each test on a fresh H5 page, logged out, with empty storage. */
export function resetApp(): void {
  __reset();
  clearSession();
}

export function logIn(me: Me): void {
  saveSession(session(me));
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
  channel({ id: ids.estate, kind: 'estate', name: '阳光花园', path: ['幸福里社区', '阳光花园'] }, '小区群'),
  channel({ id: ids.community, kind: 'community', name: '幸福里社区', path: ['幸福里社区'] }, '社区群', {
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

type Reply = { status: number; body?: unknown } | 'network-error';
type Route = Reply | ((request: SentRequest) => Reply | Promise<Reply>);
export interface SentRequest {
  method: string;
  path: string;
  url: string;
  body: unknown;
  authorization: string | undefined;
}

export const ok = (body: unknown = null, status = 200): Reply => ({ status, body });
export const fail = (status: number, code: string): Reply => ({
  status,
  body: { statusCode: status, code, message: code, reqId: 'req-1' },
});

/**
 * Plays the service: each `'METHOD /path'` (query string ignored) answers with its reply, or calls its
 * function. Returns the requests the page sent, in order. An unexpected request fails the test loudly.
 */
export function serve(routes: Record<string, Route>): SentRequest[] {
  const sent: SentRequest[] = [];
  (Taro.request as unknown as jest.Mock).mockImplementation(
    async (option: { url: string; method?: string; data?: unknown; header?: Record<string, string> }) => {
      const path = option.url.replace(/^\/api/, '').split('?')[0]!;
      const req: SentRequest = {
        method: option.method ?? 'GET',
        path,
        url: option.url,
        body: option.data,
        authorization: option.header?.authorization,
      };
      sent.push(req);
      const route = routes[`${req.method} ${path}`];
      if (!route) throw new Error(`unexpected request ${req.method} ${option.url}`);
      const reply = typeof route === 'function' ? await route(req) : route;
      if (reply === 'network-error') throw new Error('request:fail timeout');
      return { statusCode: reply.status, data: reply.body, header: {} };
    },
  );
  return sent;
}

/** A reply the test releases when it wants, to see what the page shows while waiting. */
export function deferred(): { route: () => Promise<Reply>; release: (reply: Reply) => void } {
  let release!: (reply: Reply) => void;
  const promise = new Promise<Reply>((resolve) => (release = resolve));
  return { route: () => promise, release };
}
