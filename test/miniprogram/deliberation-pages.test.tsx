import { act, fireEvent, render, screen, within } from '@testing-library/react';
import Taro from '@tarojs/taro';
import type { BallotResult, CommentView } from '../../shared/schemas/deliberation';
import BallotPage from '../../miniprogram/packages/deliberation/ballot';
import TopicPage from '../../miniprogram/packages/deliberation/detail';
import TopicListPage from '../../miniprogram/packages/deliberation/list';
import ProposePage from '../../miniprogram/packages/deliberation/new';
import ResultsPage from '../../miniprogram/packages/deliberation/results';
import { __setEnv, __setRouterParams } from './doubles/taro';
import { ID, openBallot, topic } from './deliberation-fixtures';
import { building, captain, fail, ids, logIn, myChannels, ok, owner, resetApp, serve, unit } from './fixtures';
import { button } from './forms';

beforeEach(resetApp);

const comment = (n: number, overrides: Partial<CommentView> = {}): CommentView => ({
  id: `65f00000000000000000010${n}`,
  parentId: null,
  author: { displayName: '张**', isMe: false },
  text: `评论${n}`,
  likes: 0,
  likedByMe: false,
  pinned: false,
  folded: null,
  moderation: 'visible',
  createdAt: '2026-12-01T01:00:00.000Z',
  ...overrides,
});

const toasted = (title: string) => expect(Taro.showToast).toHaveBeenCalledWith(expect.objectContaining({ title }));

test('the list shows topics by place with stage badges and co-sign progress, filtered by status', async () => {
  logIn(owner());
  __setRouterParams({ node: building.id });
  const voting = topic({ id: '65f000000000000000000002', title: '更换单元门禁', status: 'voting', ballot: openBallot });
  const sent = serve({ 'GET /topics': ok({ items: [topic(), voting], nextCursor: null }) });
  render(<TopicListPage />);
  await screen.findByText('楼道加装扶手');
  expect(sent[0]!.url).toBe(`/api/topics?nodeId=${building.id}&limit=20`);
  expect(screen.getByText('民提 · 征集附议')).toBeTruthy();
  expect(screen.getByText('民决 · 投票中')).toBeTruthy();
  expect(screen.getByText('附议 1/3 户')).toBeTruthy();
  expect(screen.getByText('已投票 6/24 户')).toBeTruthy();
  await act(async () => fireEvent.click(screen.getByText('投票中')));
  expect(sent.at(-1)!.url).toBe(`/api/topics?nodeId=${building.id}&status=voting&limit=20`);
  fireEvent.click(button('发起议题'));
  expect(Taro.navigateTo).toHaveBeenCalledWith({ url: `/packages/deliberation/new/index?node=${building.id}` });
});

test('co-signing fills the bar; a failed comment keeps what was typed', async () => {
  logIn(owner());
  __setRouterParams({ id: ID });
  const signed = topic({ cosign: { ...topic().cosign, households: 2, mine: true }, actions: ['comment'] });
  serve({
    [`GET /topics/${ID}`]: ok(topic()),
    [`GET /topics/${ID}/timeline`]: ok([]),
    [`GET /topics/${ID}/comments`]: ok({ items: [comment(1)], nextCursor: null }),
    [`POST /topics/${ID}/cosign`]: ok(signed),
    [`POST /topics/${ID}/comments`]: fail(422, 'CONTENT_RISKY'),
  });
  render(<TopicPage />);
  await screen.findByText('已有 1 户附议，需 3 户');
  await screen.findByText('评论1');
  await act(async () => fireEvent.click(button('附议')));
  expect(screen.getByText('已有 2 户附议，需 3 户')).toBeTruthy();
  expect(screen.queryByText('附议', { selector: '.at-button__text' })).toBeNull();
  toasted('已附议');

  fireEvent.change(screen.getByPlaceholderText('说说您的看法'), { target: { value: '支持！' } });
  await act(async () => fireEvent.click(button('发表')));
  expect(screen.getByRole('alert').textContent).toBe('内容未通过安全检查，请修改后再提交');
  expect((screen.getByPlaceholderText('说说您的看法') as HTMLTextAreaElement).value).toBe('支持！');
});

test('a household votes, sees its receipt and may change its choice', async () => {
  logIn(owner());
  __setRouterParams({ id: ID });
  const voting = topic({ status: 'voting', ballot: openBallot, actions: ['vote', 'comment'] });
  const sent = serve({
    [`GET /topics/${ID}`]: ok(voting),
    [`POST /topics/${ID}/ballot/vote`]: ok({ householdId: 'h1', choice: 'yes', receipt: 'K7M2Q9XA', proxy: false }),
  });
  render(<BallotPage />);
  await screen.findByText('规则：过半数通过：赞成票超过投票户数的一半');
  expect(screen.getByText('已投票 6/24 户')).toBeTruthy();
  // Secret until close: nothing on screen counts by option.
  expect(document.body.textContent).not.toMatch(/赞成：|反对：/);
  await act(async () => fireEvent.click(screen.getByText('赞成')));
  await act(async () => fireEvent.click(button('确认投票')));
  expect(sent.find((r) => r.method === 'POST')!.body).toEqual({ choice: 'yes' });
  expect(screen.getByText(/回执码：K7M2Q9XA/)).toBeTruthy();
  toasted('投票成功');
});

test('a captain sees who has not voted and records a proxy ballot with a note', async () => {
  logIn(captain());
  __setRouterParams({ id: ID });
  const voting = topic({ status: 'voting', ballot: openBallot, actions: ['proxy', 'moderate'] });
  const sent = serve({
    [`GET /topics/${ID}`]: ok(voting),
    [`GET /topics/${ID}/ballot/non-voters`]: ok([
      { householdId: '65f0000000000000000000a1', unit, room: '601' },
      { householdId: '65f0000000000000000000a2', unit, room: '602' },
    ]),
    [`POST /topics/${ID}/ballot/remind`]: ok({ households: 2 }),
    [`POST /topics/${ID}/ballot/proxy`]: ok({
      householdId: '65f0000000000000000000a1',
      choice: 'no',
      receipt: 'ABCDEFGH',
      proxy: true,
    }),
  });
  render(<BallotPage />);
  await screen.findByText('未投票的住户（2）');
  await act(async () => fireEvent.click(button('一键提醒未投票住户')));
  toasted('已提醒2户');
  fireEvent.click(screen.getAllByText('代投')[0]!);
  await act(async () => fireEvent.click(screen.getByText('反对')));
  expect(button('确认代投').closest('.at-button')!.className).toContain('at-button--disabled');
  fireEvent.change(screen.getByPlaceholderText('如：12月2日电话确认'), { target: { value: '12月2日电话确认' } });
  await act(async () => fireEvent.click(button('确认代投')));
  expect(sent.find((r) => r.path.endsWith('/proxy'))!.body).toEqual({
    householdId: '65f0000000000000000000a1',
    choice: 'no',
    note: '12月2日电话确认',
  });
  expect(screen.getByText('未投票的住户（1）')).toBeTruthy();
});

test('results show every Art. 278 figure with bars, and a receipt checks out', async () => {
  logIn(owner());
  __setRouterParams({ id: ID });
  const result: BallotResult = {
    passed: true,
    quorum: true,
    leading: null,
    counts: [
      { key: 'yes', label: '赞成', households: 19 },
      { key: 'no', label: '反对', households: 2 },
      { key: 'abstain', label: '弃权', households: 1 },
    ],
    turnout: { eligibleHouseholds: 24, votedHouseholds: 22, totalAreaHundredths: 240000, votedAreaHundredths: 220000 },
    art278: {
      matter: 'major',
      quorum: true,
      passed: true,
      totalAreaHundredths: 240000,
      totalHeads: 23,
      participatingAreaHundredths: 220000,
      participatingHeads: 21,
      yesAreaHundredths: 190000,
      yesHeads: 18,
      quorumByArea: true,
      quorumByHead: true,
      passByArea: true,
      passByHead: true,
    },
    proxyBallots: 1,
    decidedAt: '2026-12-08T00:00:00.000Z',
  };
  const decided = topic({
    kind: 'owners_major',
    status: 'decided',
    ballot: { ...openBallot, rule: 'art278_major', ownersOnly: true, state: 'closed', result },
    actions: [],
  });
  serve({
    [`GET /topics/${ID}`]: ok(decided),
    [`GET /topics/${ID}/ballot/receipts/K7M2Q9XA`]: ok({
      receipt: 'K7M2Q9XA',
      choice: 'yes',
      label: '赞成',
      proxy: false,
      counted: true,
    }),
  });
  render(<ResultsPage />);
  await screen.findByText('表决通过');
  expect(screen.getByText('赞成：19 户')).toBeTruthy();
  expect(screen.getByText('2400.00 ㎡')).toBeTruthy();
  expect(screen.getByText('参与表决人数（需≥2/3）')).toBeTruthy();
  expect(screen.getByText('18 人 ✓')).toBeTruthy();
  fireEvent.change(screen.getByPlaceholderText('8位回执码'), { target: { value: 'k7m2q9xa' } });
  await act(async () => fireEvent.click(button('核对')));
  expect(screen.getByText(/回执 K7M2Q9XA 记录的选择：赞成，已计入结果/)).toBeTruthy();
});

test('a captain opens a ballot between several choices, by two-thirds', async () => {
  logIn(captain());
  __setRouterParams({ id: ID });
  const agenda = topic({ status: 'agenda', actions: ['comment', 'moderate', 'open_ballot'] });
  const sent = serve({
    [`GET /topics/${ID}`]: ok(agenda),
    [`GET /topics/${ID}/timeline`]: ok([]),
    [`GET /topics/${ID}/comments`]: ok({ items: [], nextCursor: null }),
    [`POST /topics/${ID}/ballot`]: ok(topic({ status: 'voting', ballot: openBallot, actions: ['vote', 'proxy'] })),
  });
  render(<TopicPage />);
  await screen.findByText('发起投票');
  // The rule chips come first; the quorum chips also offer 三分之二.
  await act(async () => fireEvent.click(screen.getAllByText('三分之二')[0]!));
  fireEvent.change(screen.getByPlaceholderText(/每行写一个/), { target: { value: '方案甲\n方案乙\n' } });
  await act(async () => fireEvent.click(button('开始投票')));
  const body = sent.find((r) => r.method === 'POST')!.body as Record<string, unknown>;
  expect(body).toMatchObject({ rule: 'two_thirds', quorumPercent: 0, choices: ['方案甲', '方案乙'] });
  expect(new Date(body.closesAt as string).getTime()).toBeGreaterThan(Date.now() + 6 * 24 * 3600_000);
  expect(screen.getByText('投票表决 · 投票中')).toBeTruthy();
});

/** The topic page with the given topic and comments; what the service was sent. */
function openTopic(shown: ReturnType<typeof topic>, comments: CommentView[], flags: Parameters<typeof serve>[0]) {
  __setRouterParams({ id: ID });
  const sent = serve({
    [`GET /topics/${ID}`]: ok(shown),
    [`GET /topics/${ID}/timeline`]: ok([]),
    [`GET /topics/${ID}/comments`]: ok({ items: comments, nextCursor: null }),
    ...flags,
  });
  render(<TopicPage />);
  return sent;
}

const flagRow = (text: string) => screen.getByText(text).closest('.delib-comment') as HTMLElement;

test('举报 a topic of others: the flag that hides it takes the topic off the page at once', async () => {
  logIn(owner());
  const sent = openTopic(topic(), [], { 'POST /flags': ok({ flags: 3, hidden: true }) });
  await screen.findByText('楼道加装扶手');
  fireEvent.click(screen.getByText('举报'));
  expect(screen.getByText('「楼道加装扶手」')).toBeTruthy();
  fireEvent.click(screen.getByText('不实信息'));
  await act(async () => fireEvent.click(button('提交举报')));
  expect(sent.at(-1)!.body).toEqual({ kind: 'topic', id: ID, reason: '不实信息' });
  toasted('已提交，感谢反馈');
  expect(screen.queryByText('楼道加装扶手')).toBeNull();
  expect(screen.getByText('议题已提交审核，暂不显示')).toBeTruthy();
});

test('my own topic and comments, and those under review, offer no 举报', async () => {
  logIn(owner());
  const mine = { displayName: '李**', isMe: true };
  openTopic(topic({ author: mine }), [comment(1, { author: mine }), comment(2, { moderation: 'review' })], {});
  await screen.findByText('评论1');
  expect(screen.getByText('评论2')).toBeTruthy();
  expect(screen.queryByText('举报')).toBeNull();
});

test('举报 a comment: 已举报 after one flag, gone once a flag hides it; a refusal keeps the note', async () => {
  logIn(owner());
  let answer = fail(409, 'ALREADY_FLAGGED');
  const long = '这条评论很长很长，一直在说与议题无关的广告内容，请大家不要理会';
  const sent = openTopic(
    topic({ author: { displayName: '李**', isMe: true } }),
    [comment(1, { text: long }), comment(2)],
    {
      'POST /flags': () => answer,
    },
  );
  await screen.findByText('评论2');
  // The topic is mine: only the two comments can be flagged.
  expect(screen.getAllByText('举报')).toHaveLength(2);

  fireEvent.click(within(flagRow(long)).getByText('举报'));
  expect(screen.getByText(`「${long.slice(0, 20)}…」`)).toBeTruthy();
  fireEvent.click(screen.getByText('广告'));
  fireEvent.change(screen.getByPlaceholderText('补充说明（选填）'), { target: { value: '刷屏' } });
  await act(async () => fireEvent.click(button('提交举报')));
  expect(screen.getByRole('alert').textContent).toBe('您已经举报过这条内容');
  expect((screen.getByPlaceholderText('补充说明（选填）') as HTMLTextAreaElement).value).toBe('刷屏');

  answer = ok({ flags: 1, hidden: false });
  await act(async () => fireEvent.click(button('提交举报')));
  expect(sent.at(-1)!.body).toEqual({ kind: 'topic_comment', id: comment(1).id, reason: '广告：刷屏' });
  expect(within(flagRow(long)).getByText('已举报')).toBeTruthy();

  answer = ok({ flags: 3, hidden: true });
  fireEvent.click(within(flagRow('评论2')).getByText('举报'));
  fireEvent.click(screen.getByText('辱骂'));
  await act(async () => fireEvent.click(button('提交举报')));
  expect(screen.queryByText('评论2')).toBeNull();
  expect(screen.getByText(long)).toBeTruthy();
});

describe('in WeChat, the tap that proposes or votes asks for the 议事 message', () => {
  const requestSubscribe = Taro.requestSubscribeMessage as unknown as jest.Mock;
  const subscriptions = {
    'GET /subscriptions/templates': ok({ 'topic.updated': 'tmpl-topic' }),
    'POST /subscriptions': ok({ remaining: { 'topic.updated': 1 } }),
  };
  beforeEach(() => {
    __setEnv('WEAPP');
    requestSubscribe.mockResolvedValue({ errMsg: 'requestSubscribeMessage:ok', 'tmpl-topic': 'accept' });
  });

  test('voting', async () => {
    logIn(owner());
    __setRouterParams({ id: ID });
    const voting = topic({ status: 'voting', ballot: openBallot, actions: ['vote'] });
    const sent = serve({
      [`GET /topics/${ID}`]: ok(voting),
      [`POST /topics/${ID}/ballot/vote`]: ok({ householdId: 'h1', choice: 'no', receipt: 'K7M2Q9XA', proxy: false }),
      ...subscriptions,
    });
    render(<BallotPage />);
    await screen.findByText('反对');
    await act(async () => fireEvent.click(screen.getByText('反对')));
    await act(async () => fireEvent.click(button('确认投票')));
    expect(requestSubscribe).toHaveBeenCalledWith({ tmplIds: ['tmpl-topic'] });
    expect(sent.find((r) => r.path === '/subscriptions')!.body).toEqual({ accepted: ['topic.updated'] });
    expect(screen.getByText(/回执码：K7M2Q9XA/)).toBeTruthy();
  });

  test('proposing, once the form is complete', async () => {
    logIn(owner());
    __setRouterParams({ node: ids.unit });
    const sent = serve({ 'GET /channels': ok(myChannels), 'POST /topics': ok(topic()), ...subscriptions });
    render(<ProposePage />);
    await screen.findByText('议题所属');
    fireEvent.click(button('发起议题'));
    // Incomplete: nothing is asked.
    expect(requestSubscribe).not.toHaveBeenCalled();
    fireEvent.change(screen.getByPlaceholderText('一句话说明议题'), { target: { value: '楼道加装扶手' } });
    fireEvent.change(screen.getByPlaceholderText('背景、建议做法、费用来源……'), {
      target: { value: '老人上下楼不方便，建议加装扶手。' },
    });
    await act(async () => fireEvent.click(button('发起议题')));
    expect(requestSubscribe).toHaveBeenCalledWith({ tmplIds: ['tmpl-topic'] });
    expect(sent.find((r) => r.method === 'POST' && r.path === '/topics')!.body).toMatchObject({ nodeId: ids.unit });
    expect(Taro.redirectTo).toHaveBeenCalledWith({ url: `/packages/deliberation/detail/index?id=${ID}` });
  });
});

test('发起议题: what is wrong shows under the button until the user fixes it', async () => {
  logIn(owner());
  __setRouterParams({ node: ids.unit });
  serve({ 'GET /channels': ok(myChannels), 'POST /topics': fail(422, 'CONTENT_RISKY') });
  render(<ProposePage />);
  await screen.findByText('议题所属');
  const title = screen.getByPlaceholderText('一句话说明议题');
  const text = screen.getByPlaceholderText('背景、建议做法、费用来源……');
  fireEvent.change(title, { target: { value: '扶手' } });
  fireEvent.click(button('发起议题'));
  expect(screen.getByRole('alert').textContent).toBe('标题至少 4 个字');
  fireEvent.change(title, { target: { value: '楼道加装扶手' } });
  expect(screen.queryByRole('alert')).toBeNull();

  fireEvent.change(text, { target: { value: '老人上下楼不方便，建议加装扶手。' } });
  await act(async () => fireEvent.click(button('发起议题')));
  expect(screen.getByRole('alert').textContent).toBe('内容未通过安全检查，请修改后再提交');
  fireEvent.change(text, { target: { value: '老人上下楼不方便，建议每层加装扶手。' } });
  expect(screen.queryByRole('alert')).toBeNull();
});
