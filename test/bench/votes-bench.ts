/**
 * Ballots under a burst (not a test): `npx tsx test/bench/votes-bench.ts [--households 10000] [--casts 2000]
 * [--concurrency 32]`.
 *
 * The service as `npm start` runs it (see service.ts), the demo seeded, plus an estate of N households (each with
 * an owner) straight into the collections. An owners' major matter (Art. 278) is raised and put to a ballot over
 * HTTP; then M casts go out at once from `concurrency` connections, a fifth of them from a second member of a
 * household that also casts, so one household often casts twice at the same moment. Prints casts per second and
 * latency percentiles, checks that exactly one ballot per household was stored, then times computing the result
 * (and the whole close: compute, freeze, publish to the channel, tell every household).
 */
import { Types } from 'mongoose';
import type { PlaceNode } from '../../server/modules/places/model';
import { createTally } from '../../server/modules/deliberation/tally';
import type { Topic } from '../../server/modules/deliberation/model';
import { arg, engineRss, printMachine, startBenchService } from './service';

const HOUSEHOLDS = arg('households', 10_000);
const CASTS = arg('casts', 2000);
const CONCURRENCY = arg('concurrency', 32);
const UNITS_PER_BUILDING = 10;
const HOUSEHOLDS_PER_UNIT = 50;

async function main() {
  printMachine();
  const service = await startBenchService('votes-bench');
  const { app } = service;
  try {
    const community = await service.community();
    const communityId = community._id;
    const seedStarted = performance.now();

    // The estate, its buildings and units, and the households with an owner each.
    const estate = {
      _id: new Types.ObjectId(),
      kind: 'estate',
      name: '议事压测苑',
      parentId: communityId,
      ancestors: [...community.ancestors, communityId],
      communityId,
    };
    const units: PlaceNode[] = [];
    const nodes: Record<string, unknown>[] = [estate];
    const unitCount = Math.ceil(HOUSEHOLDS / HOUSEHOLDS_PER_UNIT);
    for (let b = 0; b * UNITS_PER_BUILDING < unitCount; b++) {
      const building = {
        _id: new Types.ObjectId(),
        kind: 'building',
        name: `${b + 1}栋`,
        parentId: estate._id,
        ancestors: [...estate.ancestors, estate._id],
        communityId,
      };
      nodes.push(building);
      for (let u = 0; u < UNITS_PER_BUILDING && units.length < unitCount; u++) {
        const unit = {
          _id: new Types.ObjectId(),
          kind: 'unit',
          name: `${u + 1}单元`,
          parentId: building._id,
          ancestors: [...building.ancestors, building._id],
          communityId,
        };
        nodes.push(unit);
        units.push(unit as unknown as PlaceNode);
      }
    }
    await app.models.Node.collection.insertMany(
      nodes.map((n) => ({ ...n, createdAt: new Date(), updatedAt: new Date() })),
    );

    // Who casts: the owner of each of the first households, and a second member of every fifth of those.
    const castingHouseholds = Math.ceil((CASTS * 4) / 5);
    const households = Array.from({ length: HOUSEHOLDS }, (_, i) => {
      const unit = units[Math.floor(i / HOUSEHOLDS_PER_UNIT)]!;
      const members = [{ userId: new Types.ObjectId(), relation: 'owner', joinedAt: new Date() }];
      if (i < castingHouseholds && i % 4 === 0)
        members.push({ userId: new Types.ObjectId(), relation: 'owner', joinedAt: new Date() });
      const floor = Math.floor((i % HOUSEHOLDS_PER_UNIT) / 2) + 1;
      return {
        _id: new Types.ObjectId(),
        communityId,
        unitId: unit._id,
        ancestors: [...unit.ancestors, unit._id],
        room: `${floor}${String((i % 2) + 1).padStart(2, '0')}`.concat(i % HOUSEHOLDS_PER_UNIT >= 50 ? 'B' : ''),
        floor,
        areaHundredths: 6000 + ((i * 2971) % 9000),
        members,
        createdAt: new Date(),
        updatedAt: new Date(),
      };
    });
    for (let i = 0; i < households.length; i += 5000)
      await app.models.Household.collection.insertMany(households.slice(i, i + 5000));

    // The casters: users, resident grants (their community scope), sessions and access tokens.
    const casters = households
      .slice(0, castingHouseholds)
      .flatMap((h) => h.members.map((m) => ({ household: h, userId: m.userId })));
    const users = casters.slice(0, CASTS);
    await app.models.User.collection.insertMany(
      users.map((c, i) => ({
        _id: c.userId,
        openid: `bench-voter-${i}`,
        displayName: `业主${i}`,
        badges: [],
        bans: [],
        createdAt: new Date(),
        updatedAt: new Date(),
      })),
    );
    await app.models.RoleGrant.collection.insertMany(
      users.map((c) => ({
        userId: c.userId,
        role: 'resident',
        nodeId: c.household.unitId,
        communityId,
        gridId: null,
        createdAt: new Date(),
        updatedAt: new Date(),
      })),
    );
    const sessions = users.map((c) => ({
      _id: new Types.ObjectId(),
      userId: c.userId,
      revokedAt: null,
      createdAt: new Date(),
      updatedAt: new Date(),
    }));
    await app.models.Session.collection.insertMany(sessions);
    const tokens = sessions.map((s) =>
      app.jwt.sign({ sub: String(s.userId), sid: String(s._id) }, { expiresIn: 3600 }),
    );
    console.log(
      `seeded ${HOUSEHOLDS} households, ${users.length} voters in ${((performance.now() - seedStarted) / 1000).toFixed(1)} s`,
    );

    await service.listen();
    const base = service.base();
    const staff = await service.session('staff');
    const json = { ...staff, 'content-type': 'application/json' };
    const raised = await fetch(`${base}/topics`, {
      method: 'POST',
      headers: json,
      body: JSON.stringify({
        nodeId: String(estate._id),
        kind: 'owners_major',
        title: '使用维修资金更换电梯',
        text: '全苑电梯老化，拟申请使用专项维修资金统一更换。',
      }),
    });
    const topicId = ((await raised.json()) as { id: string }).id;
    await fetch(`${base}/topics/${topicId}/adopt`, { method: 'POST', headers: json, body: '{}' });
    const opened = await fetch(`${base}/topics/${topicId}/ballot`, {
      method: 'POST',
      headers: json,
      body: JSON.stringify({ closesAt: new Date(Date.now() + 3600_000).toISOString() }),
    });
    if (!opened.ok) throw new Error(`ballot: ${opened.status} ${await opened.text()}`);

    // The burst: every cast at once from CONCURRENCY connections, second members interleaved with the owners.
    const order = users.map((_, i) => i).sort((a, b) => ((a * 7919) % users.length) - ((b * 7919) % users.length));
    const latencies: number[] = [];
    let failures = 0;
    let next = 0;
    const choices = ['yes', 'yes', 'yes', 'no', 'abstain'];
    const started = performance.now();
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < order.length) {
          const i = order[next++]!;
          const t = performance.now();
          const res = await fetch(`${base}/topics/${topicId}/ballot/vote`, {
            method: 'POST',
            headers: { authorization: `Bearer ${tokens[i]}`, 'content-type': 'application/json' },
            body: JSON.stringify({ choice: choices[i % choices.length] }),
          });
          await res.arrayBuffer();
          if (!res.ok) failures += 1;
          latencies.push(performance.now() - t);
        }
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    latencies.sort((a, b) => a - b);
    const pct = (p: number) =>
      latencies[Math.min(latencies.length - 1, Math.ceil((p / 100) * latencies.length) - 1)]!.toFixed(1);
    console.log(
      `casts | ${latencies.length} in ${seconds.toFixed(2)} s | ${(latencies.length / seconds).toFixed(0)}/s | p50 ${pct(50)} ms | p99 ${pct(99)} ms | failures ${failures}`,
    );

    const scope = { communityId, topicId: new Types.ObjectId(topicId) };
    const [ballots, distinct] = await Promise.all([
      app.models.TopicVote.countDocuments(scope),
      app.models.TopicVote.distinct('householdId', scope),
    ]);
    console.log(
      `ballots stored ${ballots}, distinct households ${distinct.length}, households that cast ${castingHouseholds}: ${ballots === distinct.length && ballots === castingHouseholds ? 'exactly one each' : 'MISMATCH'}`,
    );

    // Close: compute alone, then the whole close (compute, freeze, publish, notify) as the job runs it.
    await app.models.Topic.updateOne({ _id: topicId, communityId }, { $set: { 'ballot.closesAt': new Date() } });
    const topic = (await app.models.Topic.findOne({ _id: topicId, communityId }).lean<Topic>())!;
    let t = performance.now();
    const result = await createTally(app.models).result(topic, topic.ballot!, new Date());
    console.log(
      `compute | ${(performance.now() - t).toFixed(0)} ms | passed ${result.passed}, quorum ${result.quorum}, heads ${result.art278!.participatingHeads}/${result.art278!.totalHeads}`,
    );
    t = performance.now();
    await app.deliberation.ballots.close(topicId);
    const closed = (await app.models.Topic.findOne({ _id: topicId, communityId }, { status: 1 }).lean())!;
    console.log(
      `close (compute + freeze + publish + notify ${HOUSEHOLDS + Math.ceil(castingHouseholds / 4)} members) | ${(performance.now() - t).toFixed(0)} ms | ${closed.status}`,
    );
    console.log(`engine rss ${engineRss()}`);
  } finally {
    await service.stop();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
