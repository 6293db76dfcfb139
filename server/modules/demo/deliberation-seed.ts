import { randomInt } from 'node:crypto';
import { Types } from 'mongoose';
import { defaultStages, RECEIPT_ALPHABET, YES_NO_ABSTAIN, type TopicStatus } from '../../../shared/votes';
import type { Models } from '../../plugins/models';
import { resultText } from '../deliberation/ballots';
import { CLOSE_BALLOT_JOB, CLOSE_RATING_JOB, LAPSE_JOB } from '../deliberation/context';
import type { Ballot } from '../deliberation/model';
import { createTally } from '../deliberation/tally';
import type { Household, PlaceNode } from '../places/model';
import { demoTopics, type DemoPlace } from './data';

const DAY = 24 * 3600_000;
const receipt = () => Array.from({ length: 8 }, () => RECEIPT_ALPHABET[randomInt(RECEIPT_ALPHABET.length)]).join('');

/**
 * Topics in every stage on 阳光花园 and its 1栋, whose homes get owners of their own (not demo logins) so the
 * owners' ballots have an estate of owners: an open owners' ballot on 1栋, a closed Art. 278 major matter with its
 * figures published in the estate's channel, and one topic at each other stage. Decisions are published in the
 * estate's channel only (1栋's stays as the demo's other screens expect it).
 */
export async function seedTopics(
  models: Models,
  community: PlaceNode,
  resolve: (place: DemoPlace) => Promise<PlaceNode>,
) {
  const now = Date.now();
  const user = async (key: string) => (await models.User.findOne({ openid: `demo-${key}` }).lean())!._id;
  const [captain, staff] = [await user('captain'), await user('staff')];
  // Homes of 阳光花园 without a registered owner get one of their own, but two stay unsold (the developer's).
  const estate = await resolve([community.name, '阳光花园']);
  const ownerless = await models.Household.find({
    communityId: community._id,
    ancestors: estate._id,
    'members.relation': { $ne: 'owner' },
  })
    .sort({ unitId: 1, room: 1 })
    .lean<Household[]>();
  const homes = ownerless.slice(2);
  const owners = await models.User.insertMany(
    homes.map((home, i) => ({ openid: `seed-owner-${i}`, displayName: `业主${home.room}` })),
  );
  await models.Household.bulkWrite(
    homes.map((home, i) => ({
      updateOne: {
        filter: { _id: home._id, communityId: community._id },
        update: {
          $push: { members: { userId: owners[i]!._id, relation: 'owner', joinedAt: new Date(now - 400 * DAY) } },
        },
      },
    })),
  );
  const households = await models.Household.find({
    communityId: community._id,
    ancestors: estate._id,
    'members.0': { $exists: true },
  }).lean<Household[]>();
  const tally = createTally(models);

  for (const demo of demoTopics) {
    const node = await resolve(demo.place);
    const author = await user(demo.author);
    const created = new Date(now - demo.daysAgo * DAY);
    const _id = new Types.ObjectId();
    const status = demo.status as TopicStatus;
    const voted = ['voting', 'decided', 'rejected', 'implementing', 'rating', 'completed'].includes(status);
    const closed = voted && status !== 'voting';
    const ballot: Ballot | null = voted
      ? ({
          options: YES_NO_ABSTAIN.map((o) => ({ ...o })),
          rule:
            demo.kind === 'owners_major'
              ? 'art278_major'
              : demo.kind === 'owners_ordinary'
                ? 'art278_ordinary'
                : 'simple',
          quorumPercent: 0,
          opensAt: new Date(created.getTime() + 3 * DAY),
          closesAt: closed ? new Date(created.getTime() + 10 * DAY) : new Date(now + 5 * DAY),
          ownersOnly: demo.kind !== 'public',
          openedBy: captain,
          openedRole: 'building_captain',
          result: null,
        } as unknown as Ballot) // plain arrays where mongoose types its document arrays
      : null;
    const doneStages = ['proposed', 'lapsed'].includes(status) ? 0 : closed ? defaultStages.length - 1 : 2;
    await models.Topic.create({
      _id,
      communityId: community._id,
      nodeId: node._id,
      ancestors: [...node.ancestors, node._id],
      title: demo.title,
      text: demo.text,
      kind: demo.kind,
      status,
      authorId: author,
      cosigners: households
        .filter((h) => h.ancestors.some((a) => a.equals(node._id)))
        .slice(0, demo.cosigns)
        .map((h) => h._id),
      cosignThreshold: 3,
      cosignDeadline: new Date(created.getTime() + 14 * DAY),
      adoptedBy: status === 'proposed' || status === 'lapsed' ? null : captain,
      stages: defaultStages.map((name, i) =>
        i < doneStages ? { name, at: new Date(created.getTime() + (i + 1) * DAY), by: staff } : { name },
      ),
      summary: demo.summary ?? null,
      ballot,
      createdAt: created,
    });
    if (status === 'proposed')
      await models.Job.create({
        name: LAPSE_JOB,
        key: `topic:${_id}:lapse`,
        runAt: new Date(created.getTime() + 14 * DAY),
        payload: { topicId: String(_id) },
      });
    for (const [i, text] of (demo.comments ?? []).entries()) {
      await models.TopicComment.create({
        communityId: community._id,
        topicId: _id,
        nodeId: node._id,
        authorId: i % 2 ? captain : author,
        text,
        createdAt: new Date(created.getTime() + (i + 1) * 3600_000),
      });
    }
    await models.Topic.updateOne(
      { _id, communityId: community._id },
      { $set: { commentCount: demo.comments?.length ?? 0 } },
    );
    if (!ballot) continue;
    // Ballots of the building's households, in the demo's proportions; some kept back to show turnout.
    const voters = households.filter(
      (h) =>
        h.ancestors.some((a) => a.equals(node._id)) &&
        (!ballot.ownersOnly || h.members.some((m) => m.relation === 'owner')),
    );
    const choices = demo.ballots ?? [];
    await models.TopicVote.insertMany(
      voters.slice(0, choices.length).map((h, i) => ({
        communityId: community._id,
        topicId: _id,
        householdId: h._id,
        choice: choices[i],
        receipt: receipt(),
        castBy: h.members[0]!.userId,
        proxy: i === 0 ? { by: captain, note: '电话确认' } : null,
        castAt: new Date(ballot.opensAt.getTime() + (i + 1) * 3600_000),
      })),
    );
    if (!closed) {
      await models.Job.create({
        name: CLOSE_BALLOT_JOB,
        key: `topic:${_id}:close`,
        runAt: ballot.closesAt,
        payload: { topicId: String(_id) },
      });
      continue;
    }
    const result = await tally.result({ _id, communityId: community._id, nodeId: node._id }, ballot, ballot.closesAt);
    const carried = after(status, ballot.closesAt);
    await models.Topic.updateOne(
      { _id, communityId: community._id },
      { $set: { 'ballot.result': result, ...carried } },
    );
    if (status === 'rating') {
      await models.Job.create({
        name: CLOSE_RATING_JOB,
        key: `topic:${_id}:rating`,
        runAt: (carried.rating as { closesAt: Date }).closesAt,
        payload: { topicId: String(_id), by: String(captain), role: 'building_captain' },
      });
    }
    await models.Notice.create({
      communityId: community._id,
      channelId: node._id,
      title: `决议公开：${demo.title}`,
      body: resultText(demo, result),
      authorId: captain,
      authorRole: 'building_captain',
      publishedAt: ballot.closesAt,
    });
    await models.Event.insertMany(
      [
        ['propose', null, 'proposed', author, created],
        ['adopt', 'proposed', 'agenda', captain, new Date(created.getTime() + DAY)],
        ['open-ballot', 'agenda', 'voting', captain, ballot.opensAt],
        ['close-ballot', 'voting', result.passed ? 'decided' : 'rejected', null, ballot.closesAt],
      ].map(([action, from, to, actorId, at]) => ({
        communityId: community._id,
        itemKind: 'topic',
        itemId: _id,
        nodeId: node._id,
        action,
        from,
        to,
        actorId,
        at,
      })),
    );
  }
}

/** What a carried-out demo topic holds beyond its frozen result. */
function after(status: TopicStatus, closedAt: Date): Record<string, unknown> {
  if (!['implementing', 'rating', 'completed'].includes(status)) return {};
  const at = (days: number) => new Date(closedAt.getTime() + days * DAY);
  return {
    implementation: {
      owner: '物业孙经理',
      plan: '两周内完成采购与安装，施工期间张贴告示',
      updates: [
        { note: '材料已到场，周六开工', mediaIds: [], at: at(3) },
        ...(status === 'implementing' ? [] : [{ note: '施工完成并已验收', mediaIds: [], at: at(10) }]),
      ],
      doneAt: status === 'implementing' ? null : at(10),
    },
    ...(status === 'implementing'
      ? {}
      : {
          rating: {
            closesAt: status === 'rating' ? new Date(Date.now() + 7 * DAY) : at(24),
            published: status === 'completed' ? { averageTenths: 46, households: 12 } : null,
          },
        }),
  };
}
