import { openBallot, topic } from '../miniprogram/deliberation-fixtures';
import { owner } from '../miniprogram/demo-data';
import { allByClass, launchAs, ok, subpackagePages, tapText, until, untilEachOffersLogin } from './harness';

/** The 议事 subpackage, compiled, as WeChat runs it. */

const voting = topic({
  kind: 'owners_ordinary',
  status: 'voting',
  ballot: {
    ...openBallot,
    rule: 'art278_ordinary',
    ruleText: '《民法典》第278条一般事项',
    ownersOnly: true,
    turnout: { eligibleHouseholds: 24, votedHouseholds: 5, totalAreaHundredths: 240000, votedAreaHundredths: 50000 },
  },
  actions: ['vote', 'comment'],
});

test('every deliberation page loads and, logged out, offers to log in', async () => {
  const pages = subpackagePages('packages/deliberation');
  expect(pages).toEqual([
    'packages/deliberation/list/index',
    'packages/deliberation/new/index',
    'packages/deliberation/detail/index',
    'packages/deliberation/ballot/index',
    'packages/deliberation/results/index',
    'packages/deliberation/settings/index',
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
