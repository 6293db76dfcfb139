import type { TopicView } from '../../shared/schemas/deliberation';
import { building, owner } from '../miniprogram/demo-data';
import { allByClass, launchAs, ok, subpackagePages, tapText, until, untilEachOffersLogin } from './harness';

/** The 议事 subpackage, compiled, as WeChat runs it. */

const voting: TopicView = {
  id: '65f000000000000000000001',
  node: building,
  title: '楼道加装扶手',
  text: '老人上下楼不方便，建议加装扶手。',
  kind: 'owners_ordinary',
  status: 'voting',
  author: { displayName: '王**', isMe: false },
  media: [],
  moderation: 'visible',
  cosign: { households: 3, threshold: 3, mine: true, deadline: new Date().toISOString(), adopted: false },
  stages: [],
  discussion: { closed: false, summary: null, comments: 0 },
  ballot: {
    options: [
      { key: 'yes', label: '赞成' },
      { key: 'no', label: '反对' },
      { key: 'abstain', label: '弃权' },
    ],
    rule: 'art278_ordinary',
    ruleText: '《民法典》第278条一般事项',
    quorumPercent: 0,
    opensAt: new Date(Date.now() - 3600_000).toISOString(),
    closesAt: new Date(Date.now() + 86400_000).toISOString(),
    ownersOnly: true,
    state: 'open',
    turnout: { eligibleHouseholds: 24, votedHouseholds: 5, totalAreaHundredths: 240000, votedAreaHundredths: 50000 },
    mine: null,
    result: null,
  },
  implementation: null,
  rating: null,
  actions: ['vote', 'comment'],
  createdAt: new Date().toISOString(),
};

test('every deliberation page loads and, logged out, offers to log in', async () => {
  const pages = subpackagePages('packages/deliberation');
  expect(pages).toEqual([
    'packages/deliberation/list/index',
    'packages/deliberation/new/index',
    'packages/deliberation/detail/index',
    'packages/deliberation/ballot/index',
    'packages/deliberation/results/index',
  ]);
  await untilEachOffersLogin(pages);
});

test('an owner votes on the ballot screen and gets a receipt', async () => {
  const { weapp, requests } = launchAs(owner(), (req, path) => {
    if (path === `/topics/${voting.id}` && req.method === 'GET') return ok(voting);
    if (path === `/topics/${voting.id}/ballot/vote`)
      return ok({ householdId: 'h1', choice: 'yes', receipt: 'K7M2Q9XA', proxy: false });
    return undefined;
  });
  const page = weapp.open('packages/deliberation/ballot/index', { id: voting.id });
  await until(() => page.text().includes('已投票 5/24 户'), 'the turnout');
  expect(page.text()).toContain('已投票面积 500.00/2400.00 ㎡');
  expect(page.text()).toContain('仅业主投票');
  const yes = allByClass(page.root, 'choice-chips__chip').find((chip) => page.texts(chip).join('') === '赞成')!;
  page.tap(yes);
  await until(() => allByClass(page.root, 'at-tag--active').length === 1, 'the choice');
  tapText(page, '确认投票');
  await until(() => page.text().includes('K7M2Q9XA'), 'the receipt');
  expect(requests.some((r) => r.method === 'POST' && r.url.endsWith('/ballot/vote'))).toBe(true);
});
