import type { Types } from 'mongoose';
import type { VolunteerFigures } from '../../../shared/schemas/volunteers';
import {
  hoursText,
  orderStateLabel,
  serviceKindLabel,
  type OrderState,
  type ServiceKind,
} from '../../../shared/volunteers';
import { median, monthBounds } from '../../../shared/china-time';
import type { Models } from '../../plugins/models';
import { csvText } from '../../csv';

const minutesBetween = (from: Date, to: Date) => Math.round((to.getTime() - from.getTime()) / 6000) / 10;

/**
 * Figures for a community and month: orders by kind and state, medians, completion, rating, hours, activity.
 * With a grid's buildings, only orders placed in them count, and only the hours served on those orders (activities
 * belong to no grid).
 */
export function createVolunteerFigures(models: Pick<Models, 'VolunteerOrder' | 'HoursEntry' | 'Volunteer'>) {
  /** The month's ledger entries on orders placed in `buildingIds`: found from the month's entries, not all orders. */
  async function gridOrderIds(communityId: Types.ObjectId, buildingIds: Types.ObjectId[], from: Date, to: Date) {
    const orderIds = await models.HoursEntry.distinct('orderId', {
      communityId,
      at: { $gte: from, $lt: to },
      orderId: { $type: 'objectId' },
    });
    const inGrid = await models.VolunteerOrder.find(
      { communityId, _id: { $in: orderIds }, ancestors: { $in: buildingIds } },
      { _id: 1 },
    ).lean();
    return inGrid.map((o) => o._id);
  }

  async function figures(
    communityId: Types.ObjectId,
    month: string,
    buildingIds?: Types.ObjectId[],
  ): Promise<VolunteerFigures> {
    const { start: from, end: to } = monthBounds(month);
    const inGrid = buildingIds ? { ancestors: { $in: buildingIds } } : {};
    const onGridOrders = buildingIds
      ? { orderId: { $in: await gridOrderIds(communityId, buildingIds, from, to) } }
      : {};
    const [orders, hours] = await Promise.all([
      models.VolunteerOrder.find(
        { communityId, createdAt: { $gte: from, $lt: to }, ...inGrid },
        { kind: 1, state: 1, createdAt: 1, firstDispatchedAt: 1, acceptedAt: 1, rating: 1 },
      ).lean(),
      models.HoursEntry.aggregate<{ _id: { userId: Types.ObjectId; kind: string }; halfHours: number }>([
        { $match: { communityId, at: { $gte: from, $lt: to }, ...onGridOrders } },
        { $group: { _id: { userId: '$userId', kind: '$serviceKind' }, halfHours: { $sum: '$halfHours' } } },
      ]),
    ]);
    const counts = new Map<string, number>();
    for (const o of orders) counts.set(`${o.kind}|${o.state}`, (counts.get(`${o.kind}|${o.state}`) ?? 0) + 1);
    const live = orders.filter((o) => o.state !== 'cancelled');
    const served = live.filter((o) => o.state === 'completed' || o.state === 'rated');
    const ratings = orders.flatMap((o) => (o.rating?.score ? [o.rating.score] : []));
    const byUser = new Map<string, number>();
    const byKind = new Map<string, number>();
    for (const h of hours) {
      byUser.set(String(h._id.userId), (byUser.get(String(h._id.userId)) ?? 0) + h.halfHours);
      byKind.set(h._id.kind, (byKind.get(h._id.kind) ?? 0) + h.halfHours);
    }
    const names = await models.Volunteer.find(
      { communityId, userId: { $in: [...byUser.keys()] } },
      { userId: 1, realName: 1 },
    ).lean();
    return {
      month,
      orders: [...counts].map(([key, count]) => {
        const [kind, state] = key.split('|') as [ServiceKind, OrderState];
        return { kind, state, count };
      }),
      medianMinutesToDispatch: median(
        orders.flatMap((o) => (o.firstDispatchedAt ? [minutesBetween(o.createdAt, o.firstDispatchedAt)] : [])),
      ),
      medianMinutesToAccept: median(
        orders.flatMap((o) =>
          o.acceptedAt && o.firstDispatchedAt ? [minutesBetween(o.firstDispatchedAt, o.acceptedAt)] : [],
        ),
      ),
      completionRate: live.length > 0 ? served.length / live.length : null,
      meanRating:
        ratings.length > 0 ? Math.round((ratings.reduce((a, b) => a + b, 0) / ratings.length) * 10) / 10 : null,
      halfHours: [...byUser.values()].reduce((a, b) => a + b, 0),
      byVolunteer: [...byUser]
        .map(([userId, halfHours]) => ({
          volunteerId: userId,
          displayName: names.find((n) => String(n.userId) === userId)?.realName ?? '',
          halfHours,
        }))
        .sort((a, b) => b.halfHours - a.halfHours),
      byKind: [...byKind].map(([kind, halfHours]) => ({ kind: kind as ServiceKind | 'activity', halfHours })),
      activeVolunteers: [...byUser.values()].filter((h) => h > 0).length,
    };
  }

  /** The same as CSV sections, for a spreadsheet. */
  function csv(f: VolunteerFigures): string {
    const kindName = (k: string) => (k === 'activity' ? '活动' : serviceKindLabel[k as ServiceKind]);
    return csvText([
      ['志愿服务统计', f.month],
      ['服务类别', '状态', '订单数'],
      ...f.orders.map((o) => [serviceKindLabel[o.kind], orderStateLabel[o.state], o.count]),
      [],
      ['派单用时中位数(分钟)', f.medianMinutesToDispatch ?? ''],
      ['接单用时中位数(分钟)', f.medianMinutesToAccept ?? ''],
      ['完成率', f.completionRate === null ? '' : `${Math.round(f.completionRate * 100)}%`],
      ['平均评分', f.meanRating ?? ''],
      ['志愿服务总时长(小时)', hoursText(f.halfHours)],
      ['活跃志愿者', f.activeVolunteers],
      [],
      ['志愿者', '时长(小时)'],
      ...f.byVolunteer.map((v) => [v.displayName, hoursText(v.halfHours)]),
      [],
      ['类别', '时长(小时)'],
      ...f.byKind.map((k) => [kindName(k.kind), hoursText(k.halfHours)]),
    ]);
  }

  return { figures, csv };
}
