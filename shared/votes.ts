/**
 * 议事协商 rules: co-sign thresholds, the 四议两公开 stages, topic stages and the tallies — simple majority,
 * two-thirds, quorum, and Civil Code Art. 278 for owners' matters. Exact integer arithmetic only: areas are
 * hundredths of m² and every ratio is compared by cross-multiplication, never as a float.
 */

/** Public affairs, an owners' ordinary matter, or a major one (Art. 278 items 6–8). */
export const TopicKind = { public: 'public', ownersOrdinary: 'owners_ordinary', ownersMajor: 'owners_major' } as const;
export type TopicKind = (typeof TopicKind)[keyof typeof TopicKind];

export const topicKindLabel: Record<TopicKind, string> = {
  public: '公共事务',
  owners_ordinary: '业主一般事项',
  owners_major: '业主重大事项',
};

/** Owners' matters are decided by owners only, under Art. 278. */
export function isOwnersMatter(kind: TopicKind): boolean {
  return kind !== 'public';
}

/**
 * A topic's life: 民提 (proposed, collecting co-signs; lapsed when unsupported), 民议 (agenda: discussed),
 * 民决 (voting, then decided or rejected), 民办 (implementing), 民评 (rating), completed once published.
 */
export const TopicStatus = {
  proposed: 'proposed',
  lapsed: 'lapsed',
  agenda: 'agenda',
  voting: 'voting',
  decided: 'decided',
  rejected: 'rejected',
  implementing: 'implementing',
  rating: 'rating',
  completed: 'completed',
} as const;
export type TopicStatus = (typeof TopicStatus)[keyof typeof TopicStatus];

export const topicStatusLabel: Record<TopicStatus, string> = {
  proposed: '征集附议',
  lapsed: '未获附议',
  agenda: '议题讨论',
  voting: '投票中',
  decided: '已通过',
  rejected: '未通过',
  implementing: '实施中',
  rating: '评价中',
  completed: '已公开结果',
};

/** The five steps 民提、民议、民决、民办、民评 and the step each status belongs to. */
export const cycleSteps = ['民提', '民议', '民决', '民办', '民评'] as const;
export function cycleStep(status: TopicStatus): (typeof cycleSteps)[number] {
  switch (status) {
    case 'proposed':
    case 'lapsed':
      return '民提';
    case 'agenda':
      return '民议';
    case 'voting':
    case 'decided':
    case 'rejected':
      return '民决';
    case 'implementing':
      return '民办';
    default:
      return '民评';
  }
}

export const COSIGN_DAYS = 14;
export const RATING_DAYS = 14;
export const DAY_MS = 24 * 3600_000;

/** Distinct households needed to make a proposal an agenda item: max(3, 5% of the node's households, rounded up). */
export function defaultCosignThreshold(households: number): number {
  return Math.max(3, Math.ceil((households * 5) / 100));
}

/** The 四议两公开 procedure when a community has not configured its own. */
export const defaultStages: readonly string[] = [
  '党组织提议',
  '两委会商议',
  '党员大会审议',
  '居民代表会议决议',
  '决议公开',
  '实施结果公开',
];

/** The next stage a topic may record: stages are taken in order, none skipped; undefined when all are done. */
export function nextStage(stages: readonly string[], done: number): string | undefined {
  return stages[done];
}

/** How a ballot is decided when it is not an owners' matter. */
export type BallotRule = 'simple' | 'two_thirds';

export const ballotRuleLabel: Record<BallotRule | 'art278_ordinary' | 'art278_major', string> = {
  simple: '过半数通过：赞成票超过投票户数的一半',
  two_thirds: '三分之二通过：赞成票达到投票户数的三分之二以上',
  art278_ordinary:
    '《民法典》第278条一般事项：参与表决的业主专有面积和人数均达到总数的三分之二以上，且同意的面积和人数均超过参与表决的一半',
  art278_major:
    '《民法典》第278条重大事项：参与表决的业主专有面积和人数均达到总数的三分之二以上，且同意的面积和人数均达到参与表决的四分之三以上',
};

export const YES_NO_ABSTAIN = [
  { key: 'yes', label: '赞成' },
  { key: 'no', label: '反对' },
  { key: 'abstain', label: '弃权' },
] as const;

/** a/b ≥ n/d, exactly. */
function atLeast(a: number, b: number, n: number, d: number): boolean {
  return a * d >= b * n;
}
/** a/b > n/d, exactly. */
function moreThan(a: number, b: number, n: number, d: number): boolean {
  return a * d > b * n;
}

export interface CountTally {
  eligible: number;
  cast: number;
  counts: Record<string, number>;
  /** The leading option (yes for a yes/no ballot); null on a tie for the lead or with no ballots. */
  leading: string | null;
  quorum: boolean;
  passed: boolean;
}

/**
 * A ballot decided by households: the leading option passes when its ballots are more than half of those cast
 * (`simple`) or at least two-thirds (`two_thirds`), and turnout meets the quorum (% of eligible households, if
 * any). Abstentions are cast ballots and never a yes. A yes/no/abstain ballot passes only with yes leading.
 */
export function tallyCounts(input: {
  rule: BallotRule;
  quorumPercent: number;
  eligible: number;
  options: readonly string[];
  choices: readonly string[];
}): CountTally {
  const counts: Record<string, number> = Object.fromEntries(input.options.map((o) => [o, 0]));
  for (const choice of input.choices) if (Object.hasOwn(counts, choice)) counts[choice] = counts[choice]! + 1;
  const cast = Object.values(counts).reduce((a, b) => a + b, 0);
  const ranked = Object.entries(counts)
    .filter(([key]) => key !== 'abstain' && key !== 'no')
    .sort((a, b) => b[1] - a[1]);
  const top = ranked[0];
  const leading = top && top[1] > 0 && !(ranked[1] && ranked[1][1] === top[1]) ? top[0] : null;
  const quorum = input.eligible > 0 && atLeast(cast, input.eligible, input.quorumPercent, 100);
  const votes = leading ? counts[leading]! : 0;
  const enough = input.rule === 'simple' ? moreThan(votes, cast, 1, 2) : atLeast(votes, cast, 2, 3);
  return { eligible: input.eligible, cast, counts, leading, quorum, passed: quorum && cast > 0 && !!leading && enough };
}

export interface Art278Input {
  matter: 'major' | 'ordinary';
  /** Each owner once, with the area of each exclusive unit they hold (the developer's unsold units as one owner). */
  owners: { owner: string; areaHundredths: number[] }[];
  /** Owner keys of those who voted (any choice, abstaining included). */
  participants: string[];
  /** Owner keys of those who voted yes. */
  yes: string[];
}

export interface Art278Result {
  matter: 'major' | 'ordinary';
  quorum: boolean;
  passed: boolean;
  totalAreaHundredths: number;
  totalHeads: number;
  participatingAreaHundredths: number;
  participatingHeads: number;
  yesAreaHundredths: number;
  yesHeads: number;
  /** Participation: ≥ 2/3 of the total area, ≥ 2/3 of all owners by head. */
  quorumByArea: boolean;
  quorumByHead: boolean;
  /** Approval: ≥ 3/4 (major) or > 1/2 (ordinary) of the participating area and of participating owners. */
  passByArea: boolean;
  passByHead: boolean;
}

/**
 * Civil Code Art. 278: participation needs owners holding ≥ 2/3 of the exclusive area and ≥ 2/3 of the owners
 * by head; a major matter passes with ≥ 3/4 of the participating area and owners, any other with more than 1/2
 * of each ("以上" includes the bound, "过半数" does not). An owner listed twice is merged (one head, all their
 * units' area); keys not among the owners are ignored; a yes voter participates.
 */
export function tallyArt278(input: Art278Input): Art278Result {
  const area = new Map<string, number>();
  for (const { owner, areaHundredths } of input.owners) {
    area.set(owner, (area.get(owner) ?? 0) + areaHundredths.reduce((a, b) => a + b, 0));
  }
  const known = (keys: string[]) => new Set(keys.filter((k) => area.has(k)));
  const yes = known(input.yes);
  const participants = known([...input.participants, ...input.yes]);
  const sum = (keys: Iterable<string>) => [...keys].reduce((total, k) => total + area.get(k)!, 0);
  const totalArea = sum(area.keys());
  const totalHeads = area.size;
  const partArea = sum(participants);
  const partHeads = participants.size;
  const yesArea = sum(yes);
  const yesHeads = yes.size;
  const quorumByArea = totalArea > 0 && atLeast(partArea, totalArea, 2, 3);
  const quorumByHead = totalHeads > 0 && atLeast(partHeads, totalHeads, 2, 3);
  const approve =
    input.matter === 'major'
      ? (a: number, b: number) => atLeast(a, b, 3, 4)
      : (a: number, b: number) => moreThan(a, b, 1, 2);
  const passByArea = partArea > 0 && approve(yesArea, partArea);
  const passByHead = partHeads > 0 && approve(yesHeads, partHeads);
  const quorum = quorumByArea && quorumByHead;
  return {
    matter: input.matter,
    quorum,
    passed: quorum && passByArea && passByHead,
    totalAreaHundredths: totalArea,
    totalHeads,
    participatingAreaHundredths: partArea,
    participatingHeads: partHeads,
    yesAreaHundredths: yesArea,
    yesHeads,
    quorumByArea,
    quorumByHead,
    passByArea,
    passByHead,
  };
}

/** Receipt codes: 8 characters a person can read out, without 0/O or 1/I/L. */
export const RECEIPT_ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';
export const RECEIPT_PATTERN = '^[2-9A-HJKMNP-Z]{8}$';
