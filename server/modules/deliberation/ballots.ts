import { randomInt } from 'node:crypto';
import { Types } from 'mongoose';
import { ErrorCode } from '../../../shared/errors';
import { formatAreaHundredths } from '../../../shared/places';
import { permissions, type Role } from '../../../shared/roles';
import type {
  BallotResult,
  NonVoter,
  OpenBallotBody,
  ReceiptView,
  TopicView,
} from '../../../shared/schemas/deliberation';
import { DAY_MS, isOwnersMatter, RECEIPT_ALPHABET, YES_NO_ABSTAIN, type TopicKind } from '../../../shared/votes';
import { CROSS_COMMUNITY } from '../../data/tenant-scope';
import { AppError, BadRequestError, ConflictError, ForbiddenError, NotFoundError } from '../../errors';
import type { Household, PlaceNode } from '../places/model';
import type { Actor } from '../roles/access';
import { CLOSE_BALLOT_JOB, type DeliberationDeps, type TopicAccess } from './context';
import type { Ballot, Topic, TopicVote } from './model';
import type { Publish } from './publish';
import type { Tally } from './tally';
import type { Topics } from './topics';

const MAX_BALLOT_DAYS = 60;

export interface CastReceipt {
  householdId: string;
  choice: string;
  receipt: string;
  proxy: boolean;
}

function newReceipt(): string {
  return Array.from({ length: 8 }, () => RECEIPT_ALPHABET[randomInt(RECEIPT_ALPHABET.length)]).join('');
}

const isDuplicate = (err: unknown) => (err as { code?: number }).code === 11000;

/** The most senior moderating role the actor holds over the topic (who the published decision is signed by). */
export function moderatorRole(actor: Actor, topic: Pick<Topic, 'ancestors'>): Role {
  const allowed: readonly Role[] = permissions['topic.moderate'];
  const path = new Set(topic.ancestors.map(String));
  const held = actor.effective.filter((g) => path.has(g.nodeId) && allowed.includes(g.role)).map((g) => g.role);
  return [...allowed].reverse().find((role) => held.includes(role))!;
}

/** Words of a frozen result for the channel (决议公开): turnout and every figure. */
export function resultText(topic: Pick<Topic, 'title'>, result: BallotResult): string {
  const t = result.turnout;
  const lines = [
    `议题：${topic.title}`,
    `结果：${result.passed ? '通过' : '未通过'}`,
    `投票户数：${t.votedHouseholds}/${t.eligibleHouseholds}户`,
    ...result.counts.map((c) => `${c.label}：${c.households}户`),
  ];
  if (result.proxyBallots > 0) lines.push(`其中代投：${result.proxyBallots}户`);
  const a = result.art278;
  if (a) {
    const m2 = (h: number) => `${formatAreaHundredths(h)}㎡`;
    const ok = (b: boolean) => (b ? '达到' : '未达到');
    lines.push(
      `专有部分总面积：${m2(a.totalAreaHundredths)}，业主总人数：${a.totalHeads}人`,
      `参与表决面积：${m2(a.participatingAreaHundredths)}（${ok(a.quorumByArea)}三分之二），参与表决人数：${a.participatingHeads}人（${ok(a.quorumByHead)}三分之二）`,
      `同意面积：${m2(a.yesAreaHundredths)}（${ok(a.passByArea)}${a.matter === 'major' ? '四分之三' : '过半数'}），同意人数：${a.yesHeads}人（${ok(a.passByHead)}${a.matter === 'major' ? '四分之三' : '过半数'}）`,
    );
  }
  return lines.join('\n');
}

/** A time as messages show it, to the minute. */
const minute = (at: Date) => at.toISOString().slice(0, 16).replace('T', ' ');

/** Ballots: open one, cast and change, proxy ballots, turnout, who has not voted, receipts and the close. */
export function createBallots(
  deps: DeliberationDeps & { topics: TopicAccess; topicService: Topics; tally: Tally; publish: Publish },
) {
  const { models, topics } = deps;

  function requireModerator(actor: Actor, topic: Topic) {
    if (!topics.may(actor, 'topic.moderate', topic)) throw new ForbiddenError('Captains and staff run ballots');
  }

  async function open(actor: Actor, id: string, body: OpenBallotBody): Promise<TopicView> {
    const topic = await topics.load(actor, id);
    requireModerator(actor, topic);
    const now = deps.now();
    const opensAt = body.opensAt ? new Date(body.opensAt) : now;
    const closesAt = new Date(body.closesAt);
    if (opensAt.getTime() < now.getTime() - 60_000) throw new BadRequestError('A ballot cannot open in the past');
    if (!(closesAt > opensAt) || closesAt.getTime() - opensAt.getTime() > MAX_BALLOT_DAYS * DAY_MS)
      throw new BadRequestError(`A ballot closes after it opens, within ${MAX_BALLOT_DAYS} days`);
    const owners = isOwnersMatter(topic.kind as TopicKind);
    if (owners && (body.choices || body.rule || body.quorumPercent))
      throw new BadRequestError("Owners' matters are 赞成/反对/弃权 under Art. 278", ErrorCode.VALIDATION_FAILED);
    const labels = body.choices?.map((c) => c.trim());
    if (labels && new Set(labels).size !== labels.length)
      throw new BadRequestError('Choices must differ', ErrorCode.VALIDATION_FAILED);
    if (labels) await deps.moderation.screenText(actor, 3, { choices: labels.join('\n') }, topic.communityId);
    const ballot = {
      options: labels ? labels.map((label, i) => ({ key: `c${i + 1}`, label })) : YES_NO_ABSTAIN.map((o) => ({ ...o })),
      rule: owners ? (topic.kind === 'owners_major' ? 'art278_major' : 'art278_ordinary') : (body.rule ?? 'simple'),
      quorumPercent: owners ? 0 : (body.quorumPercent ?? 0),
      opensAt,
      closesAt,
      ownersOnly: owners,
      openedBy: actor.userId,
      openedRole: moderatorRole(actor, topic),
      result: null,
    };
    const updated = await deps.topicService.transition(
      topic,
      ['agenda'],
      { $set: { ballot } },
      { action: 'open-ballot', to: 'voting', actorId: actor.userId, note: `截止 ${closesAt.toISOString()}` },
    );
    await deps.jobs.schedule(CLOSE_BALLOT_JOB, `topic:${topic._id}:close`, closesAt, { topicId: String(topic._id) });
    await deps.notifier.notify({
      userIds: await deps.tally.voters(topic, ballot),
      kind: 'topic.updated',
      title: `开始投票：${topic.title}`,
      body: `投票时间 ${minute(opensAt)} 至 ${minute(closesAt)}`,
      link: `packages/deliberation/ballot/index?id=${topic._id}`,
      data: { title: topic.title, status: '投票开始', time: minute(closesAt) },
    });
    return deps.topicService.view(actor, updated);
  }

  /** The topic with a ballot open now, and a choice among its options. */
  function openBallot(topic: Topic, choice: string): Ballot {
    const ballot = topic.ballot;
    const now = deps.now();
    if (!ballot || ballot.result || now < ballot.opensAt || now >= ballot.closesAt)
      throw new ConflictError('The ballot is not open', ErrorCode.BALLOT_CLOSED);
    if (!ballot.options.some((o) => o.key === choice))
      throw new BadRequestError('Choose one of the ballot’s options', ErrorCode.VALIDATION_FAILED);
    return ballot;
  }

  /**
   * A household's ballot, cast (or changed) by any of its members — owners only for owners' matters — as one
   * upsert on (topic, household): concurrent casts from one household leave exactly one ballot, the last.
   * Casting overrules a captain's proxy ballot.
   */
  async function cast(actor: Actor, id: string, body: { choice: string; householdId?: string }): Promise<CastReceipt> {
    const topic = await topics.load(actor, id);
    const ballot = openBallot(topic, body.choice);
    const mine = await topics.householdsOf(actor, topic, ballot.ownersOnly);
    const household = body.householdId ? mine.find((h) => h._id.equals(body.householdId)) : mine[0];
    if (!household) throw new ForbiddenError('Your household does not vote on this topic', ErrorCode.NOT_ELIGIBLE);
    const receipt = newReceipt();
    const write = () =>
      models.TopicVote.findOneAndUpdate(
        { communityId: topic.communityId, topicId: topic._id, householdId: household._id },
        {
          $set: { choice: body.choice, castBy: actor.userId, proxy: null, castAt: deps.now() },
          $setOnInsert: { receipt },
        },
        { upsert: true, returnDocument: 'before' },
      ).lean<TopicVote>();
    // Two first ballots of one household at once: the unique index lets one insert; the other updates it.
    const before = await write().catch((err: unknown) => {
      if (isDuplicate(err)) return write();
      throw err;
    });
    if (before?.proxy) {
      await deps.audit.record({
        communityId: topic.communityId,
        itemKind: 'topic',
        itemId: topic._id,
        nodeId: topic.nodeId,
        action: 'proxy-overruled',
        actorId: actor.userId,
        note: '住户自行投票，代投作废',
      });
    }
    return {
      householdId: String(household._id),
      choice: body.choice,
      receipt: before?.receipt ?? receipt,
      proxy: false,
    };
  }

  /** A household under places the actor moderates, under the topic's node, eligible for its ballot. */
  async function moderatedHousehold(
    actor: Actor,
    topic: Topic,
    householdId: string,
    ballot: Ballot,
  ): Promise<Household> {
    const household = Types.ObjectId.isValid(householdId)
      ? await models.Household.findOne({
          _id: householdId,
          communityId: topic.communityId,
          ancestors: topic.nodeId,
        }).lean<Household>()
      : null;
    if (!household) throw new NotFoundError('No such household here');
    if (!topics.may(actor, 'topic.moderate', { ancestors: household.ancestors }))
      throw new ForbiddenError('Record proxy ballots for households you look after');
    if (!ballot.ownersOnly && household.members.length === 0)
      throw new ForbiddenError('This household has no members to vote for', ErrorCode.NOT_ELIGIBLE);
    return household;
  }

  /**
   * A captain's proxy ballot for a household that cannot use a phone, with the note of how it was confirmed.
   * It never replaces the household's own ballot (409), and marks the audit trail as a proxy.
   */
  async function proxy(
    actor: Actor,
    id: string,
    body: { householdId: string; choice: string; note: string },
  ): Promise<CastReceipt> {
    const topic = await topics.load(actor, id);
    requireModerator(actor, topic);
    const ballot = openBallot(topic, body.choice);
    const household = await moderatedHousehold(actor, topic, body.householdId, ballot);
    const receipt = newReceipt();
    const note = body.note.trim();
    const key = { communityId: topic.communityId, topicId: topic._id, householdId: household._id };
    const set = { choice: body.choice, castBy: actor.userId, proxy: { by: actor.userId, note }, castAt: deps.now() };
    // An earlier proxy is replaced; else a new ballot is inserted, which collides with the household's own
    // (the unique index decides any race). Two writes, not an upsert: the embedded engine drops the update of
    // an upsert whose filter has an operator (`proxy: { $ne: null }`).
    const replaced = await models.TopicVote.findOneAndUpdate(
      { ...key, proxy: { $ne: null } },
      { $set: set },
      { returnDocument: 'before' },
    ).lean<TopicVote>();
    if (!replaced) {
      await models.TopicVote.create({ ...key, ...set, receipt }).catch((err: unknown) => {
        if (isDuplicate(err)) throw new ConflictError('The household voted itself', ErrorCode.ALREADY_VOTED);
        throw err;
      });
    }
    await deps.audit.record({
      communityId: topic.communityId,
      itemKind: 'topic',
      itemId: topic._id,
      nodeId: topic.nodeId,
      action: 'proxy-ballot',
      actorId: actor.userId,
      actorRole: moderatorRole(actor, topic),
      note,
    });
    return {
      householdId: String(household._id),
      choice: body.choice,
      receipt: replaced?.receipt ?? receipt,
      proxy: true,
    };
  }

  /** Households the actor looks after, under the topic's node and eligible, that have not voted yet. */
  async function waiting(actor: Actor, topic: Topic): Promise<Household[]> {
    requireModerator(actor, topic);
    if (!topic.ballot) throw new ConflictError('No ballot on this topic', ErrorCode.TOPIC_STATE);
    const mine = actor.effective
      .filter((g) => topics.may(actor, 'topic.moderate', { ancestors: [new Types.ObjectId(g.nodeId)] }))
      .map((g) => new Types.ObjectId(g.nodeId));
    const [households, voted] = await Promise.all([
      models.Household.find(
        {
          communityId: topic.communityId,
          $and: [{ ancestors: topic.nodeId }, { ancestors: { $in: mine } }],
          ...(topic.ballot.ownersOnly ? {} : { 'members.0': { $exists: true } }),
        },
        { unitId: 1, room: 1, floor: 1, 'members.userId': 1 },
      )
        .sort({ unitId: 1, floor: 1, room: 1 })
        .lean<Household[]>(),
      models.TopicVote.distinct('householdId', { communityId: topic.communityId, topicId: topic._id }),
    ]);
    const done = new Set(voted.map(String));
    return households.filter((h) => !done.has(String(h._id)));
  }

  /** The captain's list: who has not voted (to remind them, or to record a proxy), the first 500. */
  async function nonVoters(actor: Actor, id: string): Promise<NonVoter[]> {
    const topic = await topics.load(actor, id);
    const list = (await waiting(actor, topic)).slice(0, 500);
    const units = await models.Node.find({
      communityId: topic.communityId,
      _id: { $in: [...new Set(list.map((h) => String(h.unitId)))].map((u) => new Types.ObjectId(u)) },
    }).lean<PlaceNode[]>();
    const refs = await deps.nodeRefs(units);
    return list.map((h) => ({ householdId: String(h._id), unit: refs.get(String(h.unitId))!, room: h.room }));
  }

  /** Reminds the members of every household the actor looks after that has not voted while the ballot is open. */
  async function remind(actor: Actor, id: string): Promise<{ households: number }> {
    const topic = await topics.load(actor, id);
    const list = await waiting(actor, topic);
    const now = deps.now();
    if (topic.ballot!.result || now < topic.ballot!.opensAt || now >= topic.ballot!.closesAt)
      throw new ConflictError('The ballot is not open', ErrorCode.BALLOT_CLOSED);
    await deps.notifier.notify({
      userIds: list.flatMap((h) => h.members.map((m) => m.userId)),
      kind: 'topic.updated',
      title: '请参与投票',
      body: `${topic.title}，截止 ${minute(topic.ballot!.closesAt)}`,
      link: `packages/deliberation/ballot/index?id=${topic._id}`,
      data: { title: topic.title, status: '请投票', time: minute(topic.ballot!.closesAt) },
    });
    await deps.audit.record({
      communityId: topic.communityId,
      itemKind: 'topic',
      itemId: topic._id,
      nodeId: topic.nodeId,
      action: 'remind',
      actorId: actor.userId,
      note: `提醒${list.length}户投票`,
    });
    return { households: list.length };
  }

  /** After close, anyone who sees the topic may look a receipt up: the choice recorded under it, not who holds it. */
  async function receipt(actor: Actor, id: string, code: string): Promise<ReceiptView> {
    const topic = await topics.load(actor, id);
    if (!topic.ballot?.result)
      throw new ConflictError('Receipts open after the ballot closes', ErrorCode.BALLOT_NOT_CLOSED);
    const vote = await models.TopicVote.findOne({
      communityId: topic.communityId,
      topicId: topic._id,
      receipt: code,
    }).lean<TopicVote>();
    if (!vote) throw new NotFoundError('No ballot has this receipt');
    return {
      receipt: vote.receipt,
      choice: vote.choice,
      label: topic.ballot.options.find((o) => o.key === vote.choice)?.label ?? vote.choice,
      proxy: !!vote.proxy,
      counted: vote.castAt < topic.ballot.closesAt,
    };
  }

  /**
   * The close, at the exact closing time: the result computed once and frozen by an update conditional on there
   * being none yet, then published to the node's channel and told to its households.
   */
  async function close(topicId: string): Promise<void> {
    const topic = await models.Topic.findOne({ _id: topicId, status: 'voting' })
      .setOptions(CROSS_COMMUNITY)
      .lean<Topic>();
    const ballot = topic?.ballot;
    if (!topic || !ballot || ballot.result || deps.now() < ballot.closesAt) return;
    const result = await deps.tally.result(topic, ballot, deps.now());
    let frozen: Topic;
    try {
      frozen = await deps.topicService.transition(
        topic,
        ['voting'],
        { $set: { 'ballot.result': result } },
        { action: 'close-ballot', to: result.passed ? 'decided' : 'rejected', note: result.passed ? '通过' : '未通过' },
        { 'ballot.result': null },
      );
    } catch (err) {
      if (err instanceof AppError && err.code === ErrorCode.TOPIC_STATE) return; // Another runner froze it first.
      throw err;
    }
    await deps.publish(
      frozen,
      { userId: ballot.openedBy, role: ballot.openedRole },
      { title: `决议公开：${topic.title}`, body: resultText(topic, result) },
    );
  }

  return { open, cast, proxy, nonVoters, remind, receipt, close };
}
export type Ballots = ReturnType<typeof createBallots>;
