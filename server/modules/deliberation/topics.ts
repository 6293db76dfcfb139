import { Types } from 'mongoose';
import { ErrorCode } from '../../../shared/errors';
import { maskName } from '../../../shared/masking';
import type { NodeKind } from '../../../shared/places';
import type {
  BallotView,
  ProposeTopicBody,
  SettingsBody,
  TopicAction,
  TopicPage,
  TopicView,
} from '../../../shared/schemas/deliberation';
import {
  ballotRuleLabel,
  COSIGN_DAYS,
  DAY_MS,
  defaultCosignThreshold,
  defaultStages,
  isOwnersMatter,
  nextStage,
  type TopicKind,
  type TopicStatus,
} from '../../../shared/votes';
import { afterCursor, decodeCursor, pageOf } from '../../data/pagination';
import { inScope } from '../../data/tenant-scope';
import { AppError, BadRequestError, ConflictError, ForbiddenError } from '../../errors';
import { communityOf } from '../places/model';
import type { Actor } from '../roles/access';
import { LAPSE_JOB, type DeliberationDeps, type TopicAccess } from './context';
import type { Ballot, Topic } from './model';
import type { Tally } from './tally';

const TOPIC_KINDS: NodeKind[] = ['unit', 'building', 'estate', 'community'];
const LIST_SORT = ['createdAt', '_id'] as const;
/** Statuses in which the thread takes comments (unless the moderator closed it). */
const DISCUSSING: TopicStatus[] = ['proposed', 'agenda', 'voting', 'decided', 'rejected', 'implementing', 'rating'];

export function topicConflict(message = 'The topic is not at a stage that allows this') {
  return new ConflictError(message, ErrorCode.TOPIC_STATE);
}

/** Raising topics, co-signing, adoption, the 四议两公开 stages, lists and the topic view. */
export function createTopics(deps: DeliberationDeps & { topics: TopicAccess; tally: Tally }) {
  const { models, topics } = deps;

  async function settingsOf(communityId: Types.ObjectId) {
    const found = await models.DeliberationSettings.findOne({ communityId }).lean();
    return { stages: found?.stages ?? [...defaultStages], cosignThresholds: found?.cosignThresholds ?? [] };
  }

  async function settings(actor: Actor, communityId: string): Promise<SettingsBody> {
    const community = await deps.access.findNode(actor, communityId);
    const found = await settingsOf(communityOf(community));
    return {
      stages: found.stages,
      cosignThresholds: found.cosignThresholds.map((t) => ({ nodeId: String(t.nodeId), households: t.households! })),
    };
  }

  async function saveSettings(actor: Actor, communityId: string, body: SettingsBody): Promise<SettingsBody> {
    const community = await deps.access.authorize(actor, 'topic.procedure', communityId);
    if (community.kind !== 'community') throw new BadRequestError('Settings belong to a community');
    const nodes = await models.Node.countDocuments({
      communityId: community._id,
      _id: { $in: body.cosignThresholds.map((t) => new Types.ObjectId(t.nodeId)) },
    });
    if (nodes !== new Set(body.cosignThresholds.map((t) => t.nodeId)).size)
      throw new BadRequestError('Every threshold must name a place of this community', ErrorCode.VALIDATION_FAILED);
    await models.DeliberationSettings.updateOne(
      { communityId: community._id },
      {
        $set: {
          stages: body.stages.map((s) => s.trim()),
          cosignThresholds: body.cosignThresholds.map((t) => ({
            nodeId: new Types.ObjectId(t.nodeId),
            households: t.households,
          })),
        },
      },
      { upsert: true },
    );
    return settings(actor, communityId);
  }

  function ballotState(ballot: Ballot, now: Date): BallotView['state'] {
    if (ballot.result) return 'closed';
    return now < ballot.opensAt ? 'scheduled' : 'open';
  }

  function actionsFor(
    actor: Actor,
    topic: Topic,
    mine: { households: number; cosigned: boolean; eligible: number },
  ): TopicAction[] {
    const now = deps.now();
    const moderator = topics.may(actor, 'topic.moderate', topic);
    const status = topic.status as TopicStatus;
    const open = topic.ballot && ballotState(topic.ballot, now) === 'open' && now < topic.ballot.closesAt;
    const actions: (TopicAction | false)[] = [
      status === 'proposed' && mine.households > 0 && !mine.cosigned && 'cosign',
      status === 'proposed' && moderator && 'adopt',
      DISCUSSING.includes(status) && !topic.discussionClosed && (moderator || mine.households > 0) && 'comment',
      moderator && 'moderate',
      !['proposed', 'lapsed'].includes(status) &&
        topics.may(actor, 'topic.procedure', topic) &&
        nextStage(
          topic.stages.map((s) => s.name),
          topic.stages.filter((s) => s.at).length,
        ) !== undefined &&
        'stage',
      status === 'agenda' && moderator && 'open_ballot',
      !!open && mine.eligible > 0 && 'vote',
      !!open && moderator && 'proxy',
      status === 'decided' && moderator && 'implement',
      status === 'implementing' && moderator && 'progress',
      status === 'implementing' && moderator && 'done',
      status === 'rating' && mine.households > 0 && 'rate',
    ];
    return actions.filter((a): a is TopicAction => !!a);
  }

  async function views(actor: Actor, list: Topic[]): Promise<TopicView[]> {
    if (list.length === 0) return [];
    const communityIds = [...new Set(list.map((t) => String(t.communityId)))].map((id) => new Types.ObjectId(id));
    const [nodes, authors] = await Promise.all([
      models.Node.find({ _id: { $in: list.map((t) => t.nodeId) }, communityId: { $in: communityIds } }).lean(),
      models.User.find({ _id: { $in: list.map((t) => t.authorId) } }, { displayName: 1 }).lean(),
    ]);
    const refs = await deps.nodeRefs(nodes);
    const now = deps.now();
    return Promise.all(
      list.map(async (t) => {
        const households = await topics.householdsOf(actor, t);
        const ids = households.map((h) => h._id);
        const ownersOnly = isOwnersMatter(t.kind as TopicKind);
        const eligible = ownersOnly ? await topics.householdsOf(actor, t, true) : households;
        const [vote, rating] = await Promise.all([
          t.ballot && eligible.length > 0
            ? models.TopicVote.findOne({
                communityId: t.communityId,
                topicId: t._id,
                householdId: { $in: eligible.map((h) => h._id) },
              }).lean()
            : null,
          t.rating && ids.length > 0
            ? models.TopicRating.findOne({
                communityId: t.communityId,
                topicId: t._id,
                householdId: { $in: ids },
              }).lean()
            : null,
        ]);
        const isMe = t.authorId.equals(actor.userId);
        const author = authors.find((u) => u._id.equals(t.authorId))?.displayName ?? '';
        const stagesDone = t.stages.filter((s) => s.at);
        const stageBy = await models.User.find(
          { _id: { $in: stagesDone.map((s) => s.by) } },
          { displayName: 1 },
        ).lean();
        const ballot: BallotView | null = t.ballot
          ? {
              options: t.ballot.options.map((o) => ({ key: o.key!, label: o.label! })),
              rule: t.ballot.rule as BallotView['rule'],
              ruleText:
                ballotRuleLabel[t.ballot.rule as keyof typeof ballotRuleLabel] +
                (t.ballot.quorumPercent > 0 ? `；投票户数需达到应投户数的${t.ballot.quorumPercent}%` : ''),
              quorumPercent: t.ballot.quorumPercent,
              opensAt: t.ballot.opensAt.toISOString(),
              closesAt: t.ballot.closesAt.toISOString(),
              ownersOnly: t.ballot.ownersOnly,
              state: ballotState(t.ballot, now),
              // Secret until close: turnout only, from the households and ballots as they are now.
              turnout: t.ballot.result
                ? (t.ballot.result as { turnout: BallotView['turnout'] }).turnout
                : await deps.tally.turnout(t, t.ballot),
              mine: vote
                ? {
                    householdId: String(vote.householdId),
                    choice: vote.choice,
                    receipt: vote.receipt,
                    proxy: !!vote.proxy,
                  }
                : null,
              result: (t.ballot.result as BallotView['result']) ?? null,
            }
          : null;
        return {
          id: String(t._id),
          node: refs.get(String(t.nodeId))!,
          title: t.title,
          text: t.text,
          kind: t.kind as TopicKind,
          status: t.status as TopicStatus,
          author: { displayName: isMe ? author : maskName(author), isMe },
          media: await deps.media.views(actor, t.mediaIds),
          moderation: t.moderation.state as TopicView['moderation'],
          cosign: {
            households: t.cosigners.length,
            threshold: t.cosignThreshold,
            mine: ids.some((id) => t.cosigners.some((c) => c.equals(id))),
            deadline: t.cosignDeadline.toISOString(),
            adopted: !!t.adoptedBy,
          },
          stages: t.stages.map((s) => ({
            name: s.name,
            at: s.at?.toISOString() ?? null,
            by: s.by ? maskName(stageBy.find((u) => u._id.equals(s.by!))?.displayName ?? '') : null,
            note: s.note ?? null,
          })),
          discussion: { closed: t.discussionClosed, summary: t.summary ?? null, comments: t.commentCount },
          ballot,
          implementation: t.implementation
            ? {
                owner: t.implementation.owner ?? '',
                plan: t.implementation.plan ?? '',
                updates: await Promise.all(
                  t.implementation.updates.map(async (u) => ({
                    note: u.note ?? '',
                    media: await deps.media.views(actor, u.mediaIds),
                    at: u.at!.toISOString(),
                  })),
                ),
                doneAt: t.implementation.doneAt?.toISOString() ?? null,
              }
            : null,
          rating: t.rating
            ? {
                closesAt: t.rating.closesAt!.toISOString(),
                mine: rating?.score ?? null,
                published: t.rating.published
                  ? { averageTenths: t.rating.published.averageTenths!, households: t.rating.published.households! }
                  : null,
              }
            : null,
          actions: actionsFor(actor, t, {
            households: ids.length,
            cosigned: ids.some((id) => t.cosigners.some((c) => c.equals(id))),
            eligible: eligible.length,
          }),
          createdAt: t.createdAt.toISOString(),
        };
      }),
    );
  }

  const view = async (actor: Actor, topic: Topic) => (await views(actor, [topic]))[0]!;

  async function propose(actor: Actor, body: ProposeTopicBody): Promise<TopicView> {
    const node = await deps.access.findNode(actor, body.nodeId);
    if (!TOPIC_KINDS.includes(node.kind as NodeKind))
      throw new AppError(400, ErrorCode.BAD_REQUEST, 'Raise a topic on a unit, building, estate or community');
    const communityId = communityOf(node);
    const ancestors = [...node.ancestors, node._id];
    const place = { communityId, nodeId: node._id, ancestors };
    const [mine, households, config] = await Promise.all([
      topics.householdsOf(actor, place),
      models.Household.countDocuments({ communityId, ancestors: node._id, 'members.0': { $exists: true } }),
      settingsOf(communityId),
    ]);
    if (mine.length === 0 && !topics.may(actor, 'topic.moderate', place))
      throw new ForbiddenError('Raise topics where you live', ErrorCode.NOT_ELIGIBLE);
    const text = { title: body.title.trim(), text: body.text.trim() };
    const screening = await deps.moderation.screenText(actor, 3, text, communityId);
    const now = deps.now();
    const _id = new Types.ObjectId();
    const threshold =
      config.cosignThresholds.find((t) => t.nodeId!.equals(node._id))?.households ?? defaultCosignThreshold(households);
    const cosignDeadline = new Date(now.getTime() + COSIGN_DAYS * DAY_MS);
    const photosOf = { kind: 'topic', itemId: _id, communityId };
    const topic = await deps.media.attachFor(actor, body.mediaIds ?? [], photosOf, (mediaIds) =>
      deps.connection.transaction(async (session) => {
        const [created] = await models.Topic.create(
          [
            {
              _id,
              ...place,
              ...text,
              kind: body.kind,
              authorId: actor.userId,
              mediaIds,
              moderation: { state: screening.verdict === 'pass' ? 'visible' : 'review' },
              // The proposer's household supports its own proposal.
              cosigners: mine.slice(0, 1).map((h) => h._id),
              cosignThreshold: threshold,
              cosignDeadline,
              stages: config.stages.map((name) => ({ name })),
              createdAt: now,
            },
          ],
          { session },
        );
        await deps.audit.record(
          {
            communityId,
            itemKind: 'topic',
            itemId: _id,
            nodeId: node._id,
            action: 'propose',
            to: 'proposed',
            actorId: actor.userId,
          },
          session,
        );
        await deps.jobs.schedule(
          LAPSE_JOB,
          `topic:${_id}:lapse`,
          cosignDeadline,
          { topicId: String(_id) },
          { session },
        );
        return created!.toObject<Topic>();
      }),
    );
    await deps.moderation.afterCreate('topic', topic, screening);
    return view(actor, topic);
  }

  /** A move from one status to another as one update conditional on the status seen, with its audit event. */
  async function transition(
    topic: Topic,
    from: TopicStatus[],
    update: { $set?: Record<string, unknown>; $push?: Record<string, unknown> },
    event: { action: string; to?: TopicStatus; actorId?: Types.ObjectId | null; actorRole?: string; note?: string },
    extra: Record<string, unknown> = {},
  ): Promise<Topic> {
    const updated = await models.Topic.findOneAndUpdate(
      { _id: topic._id, communityId: topic.communityId, status: { $in: from }, ...extra },
      { ...update, $set: { ...update.$set, ...(event.to ? { status: event.to } : {}) } },
      { returnDocument: 'after' },
    ).lean<Topic>();
    if (!updated) throw topicConflict();
    await deps.audit.record({
      communityId: topic.communityId,
      itemKind: 'topic',
      itemId: topic._id,
      nodeId: topic.nodeId,
      action: event.action,
      from: event.to ? topic.status : null,
      to: event.to ?? null,
      actorId: event.actorId ?? null,
      actorRole: event.actorRole ?? null,
      note: event.note ?? null,
    });
    return updated;
  }

  /** 附议: one per household, however many of its members sign; the threshold makes it an agenda item. */
  async function cosign(actor: Actor, id: string): Promise<TopicView> {
    const topic = await topics.load(actor, id);
    const [household] = await topics.householdsOf(actor, topic);
    if (!household) throw new ForbiddenError('Only households of this place co-sign', ErrorCode.NOT_ELIGIBLE);
    if (topic.status !== 'proposed' || topic.cosignDeadline <= deps.now()) throw topicConflict();
    const signed = await models.Topic.findOneAndUpdate(
      { _id: topic._id, communityId: topic.communityId, status: 'proposed' },
      { $addToSet: { cosigners: household._id } },
      { returnDocument: 'after' },
    ).lean<Topic>();
    if (!signed) throw topicConflict();
    // Reaching the threshold is one more conditional update: of two last signers, one promotes it.
    const promoted = await models.Topic.findOneAndUpdate(
      {
        _id: topic._id,
        communityId: topic.communityId,
        status: 'proposed',
        [`cosigners.${signed.cosignThreshold - 1}`]: { $exists: true },
      },
      { $set: { status: 'agenda' } },
      { returnDocument: 'after' },
    ).lean<Topic>();
    if (promoted) {
      await deps.jobs.cancel(`topic:${topic._id}:lapse`);
      await deps.audit.record({
        communityId: topic.communityId,
        itemKind: 'topic',
        itemId: topic._id,
        nodeId: topic.nodeId,
        action: 'cosigned',
        from: 'proposed',
        to: 'agenda',
        note: `${promoted.cosigners.length}户附议`,
      });
    }
    return view(actor, promoted ?? signed);
  }

  async function adopt(actor: Actor, id: string): Promise<TopicView> {
    const topic = await topics.load(actor, id);
    if (!topics.may(actor, 'topic.moderate', topic)) throw new ForbiddenError('Captains and staff adopt topics');
    const updated = await transition(
      topic,
      ['proposed'],
      { $set: { adoptedBy: actor.userId } },
      { action: 'adopt', to: 'agenda', actorId: actor.userId },
    );
    await deps.jobs.cancel(`topic:${topic._id}:lapse`);
    return view(actor, updated);
  }

  /** 四议两公开: the next stage only, never one skipped or repeated (the update names the stage's slot). */
  async function recordStage(actor: Actor, id: string, body: { stage: string; note?: string }): Promise<TopicView> {
    const topic = await topics.load(actor, id);
    if (!topics.may(actor, 'topic.procedure', topic)) throw new ForbiddenError('Staff record the procedure');
    const done = topic.stages.filter((s) => s.at).length;
    const expected = nextStage(
      topic.stages.map((s) => s.name),
      done,
    );
    if (expected === undefined || expected !== body.stage.trim())
      throw new ConflictError(`The next stage is ${expected ?? 'none'}`, ErrorCode.STAGE_ORDER);
    const updated = await transition(
      topic,
      ['agenda', 'voting', 'decided', 'rejected', 'implementing', 'rating', 'completed'],
      {
        $set: {
          [`stages.${done}.at`]: deps.now(),
          [`stages.${done}.by`]: actor.userId,
          [`stages.${done}.note`]: body.note ?? null,
        },
      },
      { action: 'stage', actorId: actor.userId, note: expected },
      { [`stages.${done}.at`]: null },
    );
    return view(actor, updated);
  }

  async function summarise(actor: Actor, id: string, text: string, close: boolean): Promise<TopicView> {
    const topic = await topics.load(actor, id);
    if (!topics.may(actor, 'topic.moderate', topic)) throw new ForbiddenError('Captains and staff moderate topics');
    if (!close) await deps.moderation.screenText(actor, 2, { summary: text }, topic.communityId);
    const updated = await transition(
      topic,
      DISCUSSING,
      { $set: close ? { discussionClosed: true } : { summary: text.trim() } },
      { action: close ? 'close-discussion' : 'summary', actorId: actor.userId },
    );
    return view(actor, updated);
  }

  /** Unsupported after 14 days: lapses, unless co-signs or a captain made it an agenda item first. */
  async function onLapse(payload: { topicId: string; communityId?: string }): Promise<void> {
    const topic = await models.Topic.findOne({ _id: payload.topicId, status: 'proposed' })
      .setOptions({ crossCommunity: true })
      .lean<Topic>();
    if (!topic || topic.cosignDeadline > deps.now()) return;
    await transition(
      topic,
      ['proposed'],
      {},
      { action: 'lapse', to: 'lapsed', note: `${topic.cosigners.length}户附议，未达${topic.cosignThreshold}户` },
    ).catch((err: unknown) => {
      // Promoted meanwhile: nothing to lapse.
      if (!(err instanceof ConflictError)) throw err;
    });
  }

  async function get(actor: Actor, id: string): Promise<TopicView> {
    return view(actor, await topics.load(actor, id));
  }

  /** Topics of one node (its channel), or of every node on the caller's paths and under places they moderate. */
  async function list(
    actor: Actor,
    query: { nodeId?: string; status?: TopicStatus; cursor?: string; limit: number },
  ): Promise<TopicPage> {
    const filters: Record<string, unknown>[] = [];
    if (query.nodeId) {
      const node = await deps.access.findNode(actor, query.nodeId);
      const place = { ancestors: [...node.ancestors, node._id] };
      const onPath = (await topics.pathNodes(actor)).some((id) => id.equals(node._id));
      if (!onPath && !topics.may(actor, 'topic.moderate', place)) throw new ForbiddenError('This place is not yours');
      filters.push({ nodeId: node._id });
    } else {
      const moderated = actor.effective
        .filter((g) => topics.may(actor, 'topic.moderate', { ancestors: [new Types.ObjectId(g.nodeId)] }))
        .map((g) => new Types.ObjectId(g.nodeId));
      filters.push({ $or: [{ nodeId: { $in: await topics.pathNodes(actor) } }, { ancestors: { $in: moderated } }] });
    }
    if (query.status) filters.push({ status: query.status });
    // What moderation holds back is seen by its author only (staff find it in the moderation queue).
    filters.push({
      $or: [{ 'moderation.state': 'visible' }, { authorId: actor.userId, 'moderation.state': 'review' }],
    });
    if (query.cursor) filters.push(afterCursor(LIST_SORT, decodeCursor(query.cursor, ['date', 'objectId'])));
    const rows = await models.Topic.find({ ...inScope(actor.scope), $and: filters })
      .sort({ createdAt: -1, _id: -1 })
      .limit(query.limit + 1)
      .lean<Topic[]>();
    const { items, nextCursor } = pageOf(rows, query.limit, LIST_SORT);
    return { items: await views(actor, items), nextCursor };
  }

  return {
    propose,
    get,
    list,
    cosign,
    adopt,
    recordStage,
    summarise,
    onLapse,
    settings,
    saveSettings,
    view,
    transition,
  };
}
export type Topics = ReturnType<typeof createTopics>;
