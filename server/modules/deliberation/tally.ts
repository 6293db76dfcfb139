import type { Types } from 'mongoose';
import type { BallotResult, Turnout } from '../../../shared/schemas/deliberation';
import { tallyArt278, tallyCounts, type BallotRule } from '../../../shared/votes';
import type { Models } from '../../plugins/models';
import type { Household } from '../places/model';
import type { Ballot, Topic } from './model';

/** The developer's unsold units (households without a registered owner) count as one owner together. */
export const DEVELOPER = 'developer';

type Voter = Pick<Household, '_id' | 'members' | 'areaHundredths'>;

/** Who owns a household for Art. 278: its first registered owner, else the developer. */
export function ownerKey(household: Pick<Household, 'members'>): string {
  const owners = household.members
    .filter((m) => m.relation === 'owner')
    .sort((a, b) => a.joinedAt.getTime() - b.joinedAt.getTime());
  return owners[0] ? String(owners[0].userId) : DEVELOPER;
}

/** Who may vote: households with a member, or for owners' matters every exclusive unit (the area counts). */
function eligibleOf(ballot: Pick<Ballot, 'ownersOnly'>, households: Voter[]): Voter[] {
  return ballot.ownersOnly ? households : households.filter((h) => h.members.length > 0);
}

/**
 * Turnout and results of a topic's ballot, read from the households and ballots; the only place where counts
 * by option are made, and `result` is called at close only.
 */
export function createTally(models: Pick<Models, 'Household' | 'TopicVote'>) {
  function households(topic: Pick<Topic, 'communityId' | 'nodeId'>): Promise<Voter[]> {
    return models.Household.find(
      { communityId: topic.communityId, ancestors: topic.nodeId },
      { members: 1, areaHundredths: 1 },
    ).lean<Voter[]>();
  }

  function turnoutOf(ballot: Ballot, eligible: Voter[], voted: Set<string>): Turnout {
    const area = (list: Voter[]) => list.reduce((sum, h) => sum + h.areaHundredths, 0);
    return {
      eligibleHouseholds: eligible.length,
      votedHouseholds: eligible.filter((h) => voted.has(String(h._id))).length,
      totalAreaHundredths: ballot.ownersOnly ? area(eligible) : null,
      votedAreaHundredths: ballot.ownersOnly ? area(eligible.filter((h) => voted.has(String(h._id)))) : null,
    };
  }

  /** Only how many households (and for owners' matters how much area) voted: never a count by option. */
  async function turnout(topic: Pick<Topic, '_id' | 'communityId' | 'nodeId'>, ballot: Ballot): Promise<Turnout> {
    const [all, voted] = await Promise.all([
      households(topic),
      models.TopicVote.distinct('householdId', { communityId: topic.communityId, topicId: topic._id }),
    ]);
    return turnoutOf(ballot, eligibleOf(ballot, all), new Set(voted.map(String)));
  }

  /** The result at close: ballots cast before the closing time by eligible households, under the ballot's rule. */
  async function result(
    topic: Pick<Topic, '_id' | 'communityId' | 'nodeId'>,
    ballot: Ballot,
    now: Date,
  ): Promise<BallotResult> {
    const [all, votes] = await Promise.all([
      households(topic),
      models.TopicVote.find(
        { communityId: topic.communityId, topicId: topic._id, castAt: { $lt: ballot.closesAt } },
        { householdId: 1, choice: 1, castAt: 1, proxy: 1 },
      ).lean<{ householdId: Types.ObjectId; choice: string; castAt: Date; proxy: unknown }[]>(),
    ]);
    const eligible = eligibleOf(ballot, all);
    const byId = new Map(eligible.map((h) => [String(h._id), h]));
    const counted = votes.filter((v) => byId.has(String(v.householdId)));
    const options = ballot.options.map((o) => o.key!);
    const counts = tallyCounts({
      rule: (ballot.rule === 'two_thirds' ? 'two_thirds' : 'simple') as BallotRule,
      quorumPercent: ballot.quorumPercent,
      eligible: eligible.length,
      options,
      choices: counted.map((v) => v.choice),
    });
    const base = {
      leading: counts.leading,
      counts: ballot.options.map((o) => ({ key: o.key!, label: o.label!, households: counts.counts[o.key!] ?? 0 })),
      turnout: turnoutOf(ballot, eligible, new Set(counted.map((v) => String(v.householdId)))),
      proxyBallots: counted.filter((v) => v.proxy).length,
      decidedAt: now.toISOString(),
    };
    if (!ballot.ownersOnly) return { ...base, passed: counts.passed, quorum: counts.quorum, art278: null };
    // By head: an owner of several units votes once, with the choice of their latest ballot.
    const latest = new Map<string, { choice: string; at: number }>();
    for (const vote of counted) {
      const owner = ownerKey(byId.get(String(vote.householdId))!);
      const seen = latest.get(owner);
      if (!seen || seen.at < vote.castAt.getTime())
        latest.set(owner, { choice: vote.choice, at: vote.castAt.getTime() });
    }
    const owners = new Map<string, number[]>();
    for (const h of eligible) owners.set(ownerKey(h), [...(owners.get(ownerKey(h)) ?? []), h.areaHundredths]);
    const art278 = tallyArt278({
      matter: ballot.rule === 'art278_major' ? 'major' : 'ordinary',
      owners: [...owners].map(([owner, areaHundredths]) => ({ owner, areaHundredths })),
      participants: [...latest.keys()],
      yes: [...latest].filter(([, v]) => v.choice === 'yes').map(([owner]) => owner),
    });
    return { ...base, passed: art278.passed, quorum: art278.quorum, leading: null, art278 };
  }

  /** Who may vote, each person once: the members of its households, only owners for owners' matters. */
  async function voters(topic: Pick<Topic, 'communityId' | 'nodeId'>, ballot: Pick<Ballot, 'ownersOnly'>) {
    const members = (await households(topic)).flatMap((h) =>
      h.members.filter((m) => !ballot.ownersOnly || m.relation === 'owner'),
    );
    return [...new Map(members.map((m) => [String(m.userId), m.userId])).values()];
  }

  return { turnout, result, voters };
}
export type Tally = ReturnType<typeof createTally>;
