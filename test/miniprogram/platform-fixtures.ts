import type { Me } from '../../shared/schemas/people';
import type { ModerationCaseView, NotificationView, TimelineEntry } from '../../shared/schemas/platform';
import { newcomer, unit } from './demo-data';

/** 李社工 (community staff of 幸福里社区) is demo data, shared with the report tests and the compiled-weapp tests. */
export { staff } from './demo-data';

/** 王阿姨, an owner in 1单元 with no roles but resident. */
export function resident(overrides: Partial<Me> = {}): Me {
  return newcomer({
    id: '600000000000000000000007',
    displayName: '王阿姨',
    roles: [{ id: '700000000000000000000007', role: 'resident', node: unit }],
    ...overrides,
  });
}

export function message(n: number, overrides: Partial<NotificationView> = {}): NotificationView {
  return {
    id: `b100000000000000000000${String(n).padStart(2, '0')}`,
    kind: 'join.requested',
    title: `消息 ${n}`,
    body: `第 ${n} 条消息的内容`,
    link: 'packages/community/approvals/index',
    read: false,
    createdAt: '2026-11-21T02:00:00Z',
    ...overrides,
  };
}

/** A photo as staff see it in a case: the display image itself (a link issued to them), no thumbnail. */
export const casePhoto = {
  id: 'd00000000000000000000001',
  checkStatus: 'pass' as const,
  url: '/api/media/d00000000000000000000001/display?viewer=d00000000000000000000002&sig=s',
  width: 1080,
  height: 810,
};

export function moderationCase(n: number, overrides: Partial<ModerationCaseView> = {}): ModerationCaseView {
  return {
    id: `c100000000000000000000${String(n).padStart(2, '0')}`,
    kind: 'notice',
    itemId: `9000000000000000000002${String(n).padStart(2, '0')}`,
    reason: 'text-review',
    status: 'open',
    text: { title: `待审公告 ${n}`, body: `正文 ${n}：测试待审词` },
    media: [],
    author: { id: '600000000000000000000002', displayName: '张**' },
    flags: [],
    itemState: 'review',
    createdAt: `2026-11-2${n}T02:00:00Z`,
    ...overrides,
  };
}

let entries = 0;
/** A page of the moderation queue as the service answers it, the last page unless a cursor is given. */
export function casePage(items: ModerationCaseView[], nextCursor: string | null = null, total = items.length) {
  return { items, nextCursor, total };
}

export function timelineEntry(action: string, overrides: Partial<TimelineEntry> = {}): TimelineEntry {
  return {
    id: `d1${String(++entries).padStart(22, '0')}`,
    action,
    from: null,
    to: null,
    actor: '张**',
    actorRole: 'building_captain',
    note: null,
    attachments: [],
    at: '2026-11-21T02:00:00Z',
    ...overrides,
  };
}
