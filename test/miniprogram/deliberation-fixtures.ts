import type { BallotView, TopicView } from '../../shared/schemas/deliberation';
import { building } from './demo-data';

/** A topic and an open ballot as the service sends them, for the 议事 page tests (jsdom and compiled). */
export const ID = '65f000000000000000000001';

export function topic(overrides: Partial<TopicView> = {}): TopicView {
  return {
    id: ID,
    node: building,
    title: '楼道加装扶手',
    text: '老人上下楼不方便，建议加装扶手。',
    kind: 'public',
    status: 'proposed',
    author: { displayName: '王**', isMe: false },
    media: [],
    moderation: 'visible',
    cosign: { households: 1, threshold: 3, mine: false, deadline: '2026-12-15T00:00:00.000Z', adopted: false },
    stages: [],
    discussion: { closed: false, summary: null, comments: 0 },
    ballot: null,
    implementation: null,
    rating: null,
    actions: ['cosign', 'comment'],
    createdAt: '2026-12-01T00:00:00.000Z',
    ...overrides,
  };
}

export const openBallot: BallotView = {
  options: [
    { key: 'yes', label: '赞成' },
    { key: 'no', label: '反对' },
    { key: 'abstain', label: '弃权' },
  ],
  rule: 'simple',
  ruleText: '过半数通过：赞成票超过投票户数的一半',
  quorumPercent: 0,
  opensAt: '2026-12-01T00:00:00.000Z',
  closesAt: '2026-12-08T00:00:00.000Z',
  ownersOnly: false,
  state: 'open',
  turnout: { eligibleHouseholds: 24, votedHouseholds: 6, totalAreaHundredths: null, votedAreaHundredths: null },
  mine: null,
  result: null,
};
