/**
 * N reports spread over a year in the demo community, straight into the collection (not a test; the HTTP benchmarks
 * share it): the service's moves would take hours for a million.
 */
import { Types } from 'mongoose';
import type { FastifyInstance } from 'fastify';
import type { PlaceNode } from '../../server/modules/places/model';
import { defaultCategories } from '../../shared/reports';
import { engineRss } from './service';

const HOUR = 3600_000;
const STATES = [
  'submitted',
  'accepted',
  'assigned',
  'in_progress',
  'resolved',
  'closed',
  'closed',
  'closed',
  'closed',
  'rejected',
];

/** Seeds `count` reports created over the year before `now`; answers the community's grids. */
export async function seedReports(app: FastifyInstance, community: PlaceNode, count: number, now: number) {
  const units = await app.models.Node.find({ communityId: community._id, kind: 'unit' }).lean<PlaceNode[]>();
  const grids = await app.models.Grid.find({ communityId: community._id }).lean();
  const reporters = await app.models.User.find({
    openid: { $in: ['demo-owner', 'demo-tenant', 'demo-captain', 'demo-volunteer'] },
  }).lean();

  // Seed straight into the collection (the service's moves would take hours for a million), with the fields
  // the moves would have set, so lists, handling order and figures all have realistic work to do.
  const seedStarted = performance.now();
  const batch = 10_000;
  for (let done = 0; done < count; done += batch) {
    const docs = Array.from({ length: Math.min(batch, count - done) }, (_, k) => {
      const i = done + k;
      const unit = units[i % units.length]!;
      const category = defaultCategories[i % defaultCategories.length]!;
      const state = STATES[i % STATES.length]!;
      const created = new Date(now - ((i * 7919) % (365 * 24)) * HOUR - (i % 3600) * 1000);
      const acceptBy = new Date(created.getTime() + category.acceptWithinMinutes * 60_000);
      const responded = state !== 'submitted';
      const resolved = ['resolved', 'closed'].includes(state);
      const building = unit.ancestors[3]!;
      return {
        communityId: community._id,
        nodeId: unit._id,
        ancestors: [...unit.ancestors, unit._id],
        estateId: unit.ancestors[2],
        gridId: grids.find((g) => g.buildingIds.some((b) => b.equals(building)))?._id ?? null,
        reporterId: reporters[i % reporters.length]!._id,
        idempotencyKey: `bench-${i}`,
        category: category.code,
        priority: category.priority,
        private: category.privateByDefault,
        description: `楼道问题第${i}号：请尽快处理`,
        location: { type: 'Point', coordinates: [116.39 + (i % 100) / 10_000, 39.9 + (i % 97) / 10_000] },
        state,
        level: i % 20 === 0 ? 'community' : 'grid',
        firstAcceptBy: acceptBy,
        acceptBy: state === 'submitted' ? acceptBy : null,
        respondedAt: responded ? new Date(created.getTime() + (i % 600) * 60_000) : null,
        respondedOnTime: responded ? i % 600 <= category.acceptWithinMinutes : null,
        firstResolveBy: responded ? new Date(created.getTime() + category.resolveWithinMinutes * 60_000) : null,
        resolveBy: ['accepted', 'assigned', 'in_progress'].includes(state)
          ? new Date(created.getTime() + category.resolveWithinMinutes * 60_000)
          : null,
        firstResolvedAt: resolved ? new Date(created.getTime() + (i % 4000) * 60_000) : null,
        resolvedOnTime: resolved ? i % 4000 <= category.resolveWithinMinutes : null,
        rating: state === 'closed' ? { score: (i % 5) + 1, comment: '' } : null,
        reopenCount: i % 17 === 0 ? 1 : 0,
        createdAt: created,
        updatedAt: created,
        _id: new Types.ObjectId(),
        // What mongoose would default on create.
        source: 'app',
        showName: false,
        mediaIds: [],
        followers: [],
        assignee: ['assigned', 'in_progress', 'resolved', 'closed'].includes(state)
          ? { kind: 'property', userId: null }
          : null,
        rejection: state === 'rejected' ? { kind: 'invalid', note: '不属实' } : null,
        resolution: resolved ? { note: '已处理', mediaIds: [] } : null,
        acceptedAt: responded ? new Date(created.getTime() + (i % 600) * 60_000) : null,
        resolvedAt: resolved ? new Date(created.getTime() + (i % 4000) * 60_000) : null,
        closedAt: state === 'closed' ? new Date(created.getTime() + (i % 4000) * 60_000 + HOUR) : null,
        autoClosed: false,
        moderation: { state: 'visible', flaggedBy: [] },
        version: 0,
        dueAt:
          state === 'submitted'
            ? acceptBy
            : ['accepted', 'assigned', 'in_progress'].includes(state)
              ? new Date(created.getTime() + category.resolveWithinMinutes * 60_000)
              : null,
      };
    });
    await app.models.Report.collection.insertMany(docs, { ordered: false });
    if ((done / batch) % 10 === 0) process.stdout.write(`\rseeding ${done + docs.length} / ${count}`);
  }
  const seedSeconds = (performance.now() - seedStarted) / 1000;
  console.log(
    `\nseeded ${count} reports in ${seedSeconds.toFixed(1)} s (${(count / seedSeconds).toFixed(0)} docs/s); engine RSS ${engineRss()}`,
  );
  return { grids };
}
