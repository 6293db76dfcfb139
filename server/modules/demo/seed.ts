import { Types, type Connection } from 'mongoose';
import { CROSS_COMMUNITY } from '../../data/tenant-scope';
import type { Models } from '../../plugins/models';
import { creditedHalfHours, serviceKindLabel } from '../../../shared/volunteers';
import { validateStructure } from '../places/import';
import { seedBoards } from './boards-seed';
import { seedTopics } from './deliberation-seed';
import { seedWishes } from './wishes-seed';
import { seedConsents } from './privacy-seed';
import { newDoorSecret } from '../volunteers/door-codes';
import { createStructureImporter } from '../places/importer';
import type { PlaceNode } from '../places/model';
import {
  demoActivity,
  demoArea,
  demoCommunity,
  demoEstates,
  demoGrids,
  demoOrders,
  demoReports,
  demoStreet,
  demoUsers,
  demoVolunteers,
  otherCommunity,
  otherEstates,
  type DemoEstate,
  type DemoPlace,
} from './data';

function rows(estates: DemoEstate[]) {
  let index = 0;
  return estates.flatMap((estate) =>
    estate.buildings.flatMap((building) =>
      estate.units.flatMap((unit) =>
        Array.from({ length: estate.floors * estate.roomsPerFloor }, (_, i) => {
          const floor = Math.floor(i / estate.roomsPerFloor) + 1;
          const room = `${floor}0${(i % estate.roomsPerFloor) + 1}`;
          return { estate: estate.name, building, unit, room, floor, area: (demoArea(index++) / 100).toFixed(2) };
        }),
      ),
    ),
  );
}

/**
 * Seeds the demo street, its two communities with their structure, grids and demo users with roles and
 * homes. Runs only on an empty database; returns false when there was already data.
 */
export async function seedDemo(connection: Connection, models: Models): Promise<boolean> {
  if (await models.Node.exists({}).setOptions(CROSS_COMMUNITY)) return false;
  const importStructure = createStructureImporter(connection, models);

  const street = await models.Node.create({ kind: 'street', name: demoStreet, communityId: null });
  const communities = new Map<string, PlaceNode>();
  for (const [name, estates, grids] of [
    [demoCommunity, demoEstates, demoGrids],
    [otherCommunity, otherEstates, []],
  ] as const) {
    const _id = new Types.ObjectId();
    const community = await models.Node.create({
      _id,
      kind: 'community',
      name,
      parentId: street._id,
      ancestors: [street._id],
      communityId: _id,
    });
    const node = community.toObject<PlaceNode>();
    communities.set(name, node);
    const { households } = validateStructure(rows(estates), 'json');
    await importStructure(node, households, [...grids]);
  }

  async function resolve(place: DemoPlace): Promise<PlaceNode> {
    if (place[0] === demoStreet) return street.toObject<PlaceNode>();
    const community = communities.get(place[0]!)!;
    let node = community;
    for (const name of place.slice(1)) {
      node = (await models.Node.findOne({ communityId: community._id, parentId: node._id, name }).lean<PlaceNode>())!;
    }
    return node;
  }

  for (const demo of demoUsers) {
    const user = await models.User.create({
      openid: `demo-${demo.key}`,
      displayName: demo.displayName,
      phone: demo.phone,
      badges: demo.badges ?? [],
    });
    for (const { role, at } of demo.roles ?? []) {
      const node = await resolve(at);
      await models.RoleGrant.create({ userId: user._id, role, nodeId: node._id, communityId: node.communityId });
    }
    if (demo.gridWorkerOf) {
      const community = communities.get(demoCommunity)!;
      const grid = await models.Grid.findOne({ communityId: community._id, name: demo.gridWorkerOf }).lean();
      await models.RoleGrant.create({
        userId: user._id,
        role: 'grid_worker',
        nodeId: community._id,
        gridId: grid!._id,
        communityId: community._id,
      });
    }
    if (demo.home) {
      const unit = await resolve(demo.home.unit);
      await models.Household.updateOne(
        { communityId: unit.communityId, unitId: unit._id, room: demo.home.room },
        { $push: { members: { userId: user._id, relation: demo.home.relation, joinedAt: new Date() } } },
      );
      await models.RoleGrant.create({
        userId: user._id,
        role: 'resident',
        nodeId: unit._id,
        communityId: unit.communityId,
      });
    }
  }

  const staff = await models.User.findOne({ openid: 'demo-staff' }).lean();
  const community = communities.get(demoCommunity)!;
  await models.Notice.create({
    communityId: community._id,
    channelId: community._id,
    title: '欢迎使用邻里小程序',
    body: '与邻为善、以邻为伴。社区通知、随手拍、微心愿、议事协商都在这里，有事找社区，随时随地。',
    pinned: true,
    authorId: staff!._id,
    authorRole: 'community_staff',
    publishedAt: new Date(),
  });
  await seedReports(models, community, resolve);
  await seedTopics(models, community, resolve);
  await seedVolunteers(models, community, resolve);
  await seedWishes(models, community, resolve);
  await seedBoards(models, community, resolve);
  await seedConsents(models, community);
  return true;
}

/** A few reports in different states, so 随手拍 and the handler views have something to show. */
async function seedReports(models: Models, community: PlaceNode, resolve: (place: DemoPlace) => Promise<PlaceNode>) {
  const hour = 3600_000;
  const now = Date.now();
  const user = async (key: string) => (await models.User.findOne({ openid: `demo-${key}` }).lean())!._id;
  const grid = await models.Grid.findOne({ communityId: community._id, name: '第一网格' }).lean();
  const staff = await user('staff');
  for (const demo of demoReports) {
    const node = await resolve(demo.place);
    const created = new Date(now - demo.hoursAgo * hour);
    const reporterId = await user(demo.reporter);
    const report = await models.Report.create({
      communityId: community._id,
      nodeId: node._id,
      ancestors: [...node.ancestors, node._id],
      estateId: node.kind === 'estate' ? node._id : (node.ancestors[2] ?? null),
      gridId: demo.place[1] === '阳光花园' ? grid!._id : null,
      reporterId,
      idempotencyKey: `demo-${demo.reporter}-${demo.hoursAgo}`,
      category: demo.category,
      priority: 'normal',
      description: demo.description,
      location: { type: 'Point', coordinates: demo.location },
      state: demo.state,
      level: demo.place[1] === '阳光花园' ? 'grid' : 'community',
      firstAcceptBy: new Date(created.getTime() + 8 * hour),
      acceptBy: demo.state === 'submitted' ? new Date(created.getTime() + 8 * hour) : null,
      respondedAt: demo.state === 'submitted' ? null : new Date(created.getTime() + hour),
      respondedOnTime: demo.state === 'submitted' ? null : true,
      acceptedAt: demo.state === 'submitted' ? null : new Date(created.getTime() + hour),
      firstResolveBy: demo.state === 'submitted' ? null : new Date(created.getTime() + 73 * hour),
      resolveBy: ['accepted', 'assigned'].includes(demo.state) ? new Date(created.getTime() + 73 * hour) : null,
      dueAt:
        demo.state === 'submitted'
          ? new Date(created.getTime() + 8 * hour)
          : ['accepted', 'assigned'].includes(demo.state)
            ? new Date(created.getTime() + 73 * hour)
            : null,
      assignee: demo.state === 'assigned' || demo.state === 'closed' ? { kind: 'property', userId: null } : null,
      ...(demo.state === 'closed'
        ? {
            resolvedAt: new Date(created.getTime() + 20 * hour),
            firstResolvedAt: new Date(created.getTime() + 20 * hour),
            resolvedOnTime: true,
            closedAt: new Date(created.getTime() + 22 * hour),
            resolution: { note: '已联系车主挪车，并在通道口加装了禁停标识', mediaIds: [] },
            rating: { score: 5, comment: '处理得很快，谢谢！' },
          }
        : {}),
      createdAt: created,
    });
    const steps = [
      'submit',
      ...(demo.state === 'submitted' ? [] : ['accept']),
      ...(['assigned', 'closed'].includes(demo.state) ? ['assign'] : []),
      ...(demo.state === 'closed' ? ['resolve', 'confirm'] : []),
    ];
    const states: Record<string, string> = {
      submit: 'submitted',
      accept: 'accepted',
      assign: 'assigned',
      resolve: 'resolved',
      confirm: 'closed',
    };
    await models.Event.insertMany(
      steps.map((action, i) => ({
        communityId: community._id,
        itemKind: 'report',
        itemId: report._id,
        nodeId: node._id,
        action,
        from: i === 0 ? null : states[steps[i - 1]!],
        to: states[action],
        actorId: action === 'submit' || action === 'confirm' ? reporterId : staff,
        actorRole: {
          submit: 'reporter',
          accept: 'dispatcher',
          assign: 'dispatcher',
          resolve: 'handler',
          confirm: 'reporter',
        }[action],
        at: new Date(created.getTime() + [0, 1, 2, 20, 22][i]! * hour),
      })),
    );
    if (report.acceptBy) {
      await models.Job.create({
        name: 'report.deadline',
        key: `report:${report._id}:accept`,
        runAt: report.acceptBy,
        payload: { reportId: String(report._id), kind: 'accept', deadline: report.acceptBy.toISOString() },
      });
    }
    if (report.resolveBy) {
      await models.Job.create({
        name: 'report.deadline',
        key: `report:${report._id}:resolve`,
        runAt: report.resolveBy,
        payload: { reportId: String(report._id), kind: 'resolve', deadline: report.resolveBy.toISOString() },
      });
    }
  }
}

/** Verified volunteers, orders in every state (with the hours of those served) and an upcoming activity. */
async function seedVolunteers(models: Models, community: PlaceNode, resolve: (place: DemoPlace) => Promise<PlaceNode>) {
  const hour = 3600_000;
  const now = Date.now();
  const communityId = community._id;
  const user = async (key: string) => (await models.User.findOne({ openid: `demo-${key}` }).lean())!._id;
  for (const v of demoVolunteers) {
    const estates = await Promise.all(v.estates.map((e) => resolve([demoCommunity, e])));
    await models.Volunteer.create({
      communityId,
      userId: await user(v.key),
      realName: v.realName,
      phone: v.phone,
      skills: v.skills,
      areaIds: estates.length > 0 ? estates.map((e) => e._id) : [communityId],
      availability: v.availability,
      status: 'verified',
      statusReason: '资料齐全，已核实',
      ratingSum: v.rating[0],
      ratingCount: v.rating[1],
    });
  }
  const served = ['in_service', 'completed', 'rated'];
  for (const [i, demo] of demoOrders.entries()) {
    const requesterId = await user(demo.requester);
    const household = await models.Household.findOne({ communityId, 'members.userId': requesterId }).lean();
    const unit = (await models.Node.findOne({ communityId, _id: household!.unitId }).lean<PlaceNode>())!;
    const windowStart = new Date(now + demo.startsInHours * hour);
    const volunteerId = demo.volunteer ? await user(demo.volunteer) : null;
    const checkInAt = served.includes(demo.state) ? windowStart : null;
    const minutes = 80;
    const order = await models.VolunteerOrder.create({
      communityId,
      nodeId: unit._id,
      ancestors: [...unit.ancestors, unit._id],
      requesterId,
      orderedBy: requesterId,
      idempotencyKey: `demo-order-${i}`,
      kind: demo.kind,
      description: demo.description,
      windowStart,
      windowEnd: new Date(windowStart.getTime() + 2 * hour),
      state: demo.state,
      volunteerId,
      acceptBy: demo.state === 'dispatched' ? new Date(now + 2 * hour) : null,
      firstDispatchedAt: volunteerId || demo.state === 'open' ? new Date(now - hour) : null,
      acceptedAt: volunteerId && demo.state !== 'dispatched' ? new Date(now - hour / 2) : null,
      checkInAt,
      checkOutAt: checkInAt && demo.state !== 'in_service' ? new Date(checkInAt.getTime() + minutes * 60_000) : null,
      credited:
        checkInAt && demo.state !== 'in_service'
          ? { halfHours: creditedHalfHours(minutes), minutes, manual: false }
          : null,
      rating: demo.state === 'rated' ? { score: 5, comment: '老师很耐心，孩子很喜欢' } : null,
      doorSecret: newDoorSecret(),
      createdAt: new Date(windowStart.getTime() - 24 * hour),
    });
    await models.Event.create({
      communityId,
      itemKind: 'volunteer_order',
      itemId: order._id,
      nodeId: unit._id,
      action: 'order',
      to: 'ordered',
      actorId: requesterId,
      actorRole: 'requester',
      at: order.createdAt,
    });
    if (order.credited && volunteerId) {
      await models.Volunteer.updateOne(
        { communityId, userId: volunteerId },
        { $inc: { halfHours: creditedHalfHours(minutes) } },
      );
      await models.HoursEntry.create({
        communityId,
        userId: volunteerId,
        kind: 'order',
        serviceKind: demo.kind,
        orderId: order._id,
        minutes,
        halfHours: creditedHalfHours(minutes),
        title: `${serviceKindLabel[demo.kind]}：${demo.description.slice(0, 20)}`,
        at: order.checkOutAt!,
      });
    }
    if (demo.state === 'dispatched') {
      await models.Job.create({
        name: 'volunteer.accept-timeout',
        key: `volunteer-order:${order._id}:accept`,
        runAt: order.acceptBy!,
        payload: { orderId: String(order._id), acceptBy: order.acceptBy!.toISOString() },
      });
    }
  }
  const estate = await resolve([demoCommunity, demoActivity.estate]);
  const startAt = new Date(now + demoActivity.startsInHours * hour);
  await models.VolunteerActivity.create({
    communityId,
    nodeId: estate._id,
    organiserId: await user('staff'),
    title: demoActivity.title,
    kind: demoActivity.kind,
    description: demoActivity.description,
    startAt,
    endAt: new Date(startAt.getTime() + demoActivity.hours * hour),
    places: demoActivity.places,
    participants: await Promise.all(demoActivity.participants.map(user)),
    checkInCode: '246810',
  });
}
