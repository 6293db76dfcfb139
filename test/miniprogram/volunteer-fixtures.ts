import type { OrderView, VolunteerView } from '../../shared/schemas/volunteers';
import { unit } from './demo-data';

/** 志愿服务 as the mini-program sees it: an order of 王阿姨 (ordered, hers) and 吴志愿's registration (verified, his). */

export function order(overrides: Partial<OrderView> = {}): OrderView {
  return {
    id: 'a'.repeat(24),
    kind: 'elderly_help',
    description: '陪老人去医院取药',
    media: [],
    state: 'ordered',
    place: unit,
    requester: { id: 'b'.repeat(24), displayName: '王阿姨', phone: null, isMe: true },
    volunteer: null,
    windowStart: '2026-12-03T06:00:00.000Z',
    windowEnd: '2026-12-03T08:00:00.000Z',
    acceptBy: null,
    checkInAt: null,
    checkOutAt: null,
    credited: null,
    rating: null,
    complaint: null,
    history: [],
    actions: ['cancel'],
    canComplain: false,
    canDecideComplaint: false,
    createdAt: '2026-12-02T06:00:00.000Z',
    ...overrides,
  };
}

export function volunteer(overrides: Partial<VolunteerView> = {}): VolunteerView {
  return {
    id: 'c'.repeat(24),
    userId: 'd'.repeat(24),
    communityId: 'e'.repeat(24),
    realName: '吴志愿',
    phone: '13800000010',
    skills: ['elderly_help', 'errands'],
    areas: [],
    availability: [],
    status: 'verified',
    statusReason: null,
    totals: { halfHours: 201, points: 201, stars: 1, toNextStar: 399 },
    rating: 4.8,
    ratingCount: 6,
    isMe: true,
    canManage: false,
    createdAt: '2026-11-01T00:00:00.000Z',
    ...overrides,
  };
}
