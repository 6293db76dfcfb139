import { defaultCategories } from '../../shared/reports';
import type { Me, NodeRef } from '../../shared/schemas/people';
import type { NodeView } from '../../shared/schemas/places';
import type { MediaView, TimelineEntry } from '../../shared/schemas/platform';
import type { CategoryView, ReportView } from '../../shared/schemas/reports';
import { deleteDraft, outboxState } from '../../miniprogram/services/outbox';
import { __uploadTask, uploadFile } from './doubles/taro';
import { building, ids, newcomer, resetApp, unit } from './fixtures';

/** 随手拍 as the mini-program sees it in the demo community (幸福里社区 · 阳光花园 · 1栋 · 1单元). */

export const community: NodeRef = { id: ids.community, kind: 'community', name: '幸福里社区', path: ['幸福里社区'] };
export const estate: NodeRef = { id: ids.estate, kind: 'estate', name: '阳光花园', path: ['幸福里社区', '阳光花园'] };

export const categories: CategoryView[] = defaultCategories.map((category) => ({ ...category }));

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

/** 李社工, community staff. */
export function staff(): Me {
  return newcomer({
    id: '600000000000000000000009',
    displayName: '李社工',
    roles: [{ id: '700000000000000000000009', role: 'community_staff', node: community }],
  });
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

type UploadOption = { url: string; filePath: string; header?: Record<string, string> };
export interface SentUpload {
  url: string;
  filePath: string;
  key: string | undefined;
  authorization: string | undefined;
}
type UploadReply = { status: number; body: unknown } | 'network-error';

/**
 * Plays POST /media for wx.uploadFile: each upload gets `reply(upload, n)` (n counts from 0), reported with
 * `steps` of progress first. Returns the uploads the page sent, in order.
 */
export function serveUploads(
  reply: (upload: SentUpload, n: number) => UploadReply | Promise<UploadReply>,
  steps: number[] = [],
): SentUpload[] {
  const sent: SentUpload[] = [];
  uploadFile.mockImplementation((option: UploadOption) => {
    const upload: SentUpload = {
      url: option.url,
      filePath: option.filePath,
      key: option.header?.['Idempotency-Key'],
      authorization: option.header?.Authorization,
    };
    sent.push(upload);
    const answer = Promise.resolve(reply(upload, sent.length - 1)).then((result) => {
      if (result === 'network-error') throw { errMsg: 'uploadFile:fail timeout' };
      return { statusCode: result.status, data: JSON.stringify(result.body) };
    });
    return __uploadTask(answer, steps);
  });
  return sent;
}

/** The service's answer to an upload: the photo it stored. */
export const stored = (n: number, status = 201) => ({ status, body: photo(n) });

/** A fresh app whose outbox is empty too (the outbox keeps its drafts in memory as well as in storage). */
export function resetReportApp(): void {
  for (const draft of outboxState().drafts) deleteDraft(draft.key);
  resetApp();
}
