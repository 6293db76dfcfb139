import { act, fireEvent, render, screen } from '@testing-library/react';
import Taro from '@tarojs/taro';
import TopicListPage from '../../miniprogram/packages/deliberation/list';
import TopicSettingsPage from '../../miniprogram/packages/deliberation/settings';
import { building, community, estate, fail, ids, logIn, nodeView, ok, owner, resetApp, serve, staff } from './fixtures';
import { button } from './forms';

beforeEach(resetApp);

const SETTINGS = `/communities/${ids.community}/deliberation-settings`;
const stageInputs = () => screen.getAllByPlaceholderText('阶段名称') as HTMLInputElement[];

/** The community's places: the community holds the estate, the estate the building (which has its threshold). */
const places = {
  [`GET /nodes/${ids.building}`]: ok(nodeView(building, 24)),
  [`GET /nodes/${ids.community}`]: ok({ ...nodeView(community, 300), childCount: 1 }),
  [`GET /nodes/${ids.community}/children`]: ok([{ ...nodeView(estate, 120), childCount: 1 }]),
  [`GET /nodes/${ids.estate}`]: ok({ ...nodeView(estate, 120), childCount: 1 }),
  [`GET /nodes/${ids.estate}/children`]: ok([nodeView(building, 24)]),
};

test('the topic list offers 议事规则设置 to staff only', async () => {
  serve({ 'GET /topics': ok({ items: [], nextCursor: null }) });
  logIn(staff());
  const { unmount } = render(<TopicListPage />);
  await screen.findByText('还没有议题，发起第一个吧');
  fireEvent.click(button('议事规则设置'));
  expect(Taro.navigateTo).toHaveBeenCalledWith({ url: '/packages/deliberation/settings/index' });
  unmount();

  logIn(owner());
  render(<TopicListPage />);
  await screen.findByText('还没有议题，发起第一个吧');
  expect(screen.queryByText('议事规则设置')).toBeNull();
});

test('staff edit the stages and add a place’s threshold; a refused save keeps everything, the next one saves', async () => {
  logIn(staff());
  let refuse = true;
  const sent = serve({
    [`GET ${SETTINGS}`]: ok({
      stages: ['党组织提议', '两委会商议', '决议公开'],
      cosignThresholds: [{ nodeId: ids.building, households: 5 }],
    }),
    [`PUT ${SETTINGS}`]: (req) => (refuse ? fail(400, 'VALIDATION_FAILED') : ok(req.body)),
    ...places,
  });
  render(<TopicSettingsPage />);
  await screen.findByText('四议两公开 · 阶段顺序');
  expect(stageInputs().map((i) => i.value)).toEqual(['党组织提议', '两委会商议', '决议公开']);
  expect((screen.getByPlaceholderText('户数') as HTMLInputElement).value).toBe('5');
  expect(screen.getByText('共 24 户，默认 3 户')).toBeTruthy();

  // Rename the second stage, move the last one up, add one.
  fireEvent.change(stageInputs()[1]!, { target: { value: '居民议事会商议' } });
  fireEvent.click(screen.getAllByText('上移')[1]!);
  fireEvent.click(button('添加阶段'));
  fireEvent.change(stageInputs()[3]!, { target: { value: '实施结果公开' } });

  // The estate, found below the community; the building has its threshold already.
  fireEvent.click(button('添加地点'));
  await screen.findByText('阳光花园 · 120 户');
  fireEvent.click(screen.getByText('下一级 ›'));
  await screen.findByText('1栋 · 24 户');
  expect(screen.getByText('已设置')).toBeTruthy();
  fireEvent.click(button('返回上一级'));
  await screen.findByText('阳光花园 · 120 户');
  fireEvent.click(screen.getAllByText('设门槛')[1]!);
  const estateInput = () => screen.getAllByPlaceholderText('户数')[1] as HTMLInputElement;
  // Proposed at the place's default, to change.
  expect(estateInput().value).toBe('6');
  fireEvent.change(estateInput(), { target: { value: '10' } });

  await act(async () => fireEvent.click(button('保存')));
  expect(screen.getByRole('alert').textContent).toBe('填写的内容有误，请检查后重试');
  expect(stageInputs().map((i) => i.value)).toEqual(['党组织提议', '决议公开', '居民议事会商议', '实施结果公开']);
  expect(estateInput().value).toBe('10');

  refuse = false;
  await act(async () => fireEvent.click(button('保存')));
  expect(sent.filter((r) => r.method === 'PUT').at(-1)!.body).toEqual({
    stages: ['党组织提议', '决议公开', '居民议事会商议', '实施结果公开'],
    cosignThresholds: [
      { nodeId: ids.building, households: 5 },
      { nodeId: ids.estate, households: 10 },
    ],
  });
  expect(Taro.showToast).toHaveBeenCalledWith(expect.objectContaining({ title: '已保存' }));
  expect(screen.queryByRole('alert')).toBeNull();
});

test('what the service would refuse is said before sending', async () => {
  logIn(staff());
  const sent = serve({ [`GET ${SETTINGS}`]: ok({ stages: ['党组织提议', '决议公开'], cosignThresholds: [] }) });
  render(<TopicSettingsPage />);
  await screen.findByText('暂未单独设置，均按默认门槛');
  fireEvent.change(stageInputs()[1]!, { target: { value: ' ' } });
  fireEvent.click(button('保存'));
  expect(screen.getByRole('alert').textContent).toBe('阶段名称不能为空');
  fireEvent.change(stageInputs()[1]!, { target: { value: '党组织提议' } });
  fireEvent.click(button('保存'));
  expect(screen.getByRole('alert').textContent).toBe('阶段名称不能重复');
  fireEvent.click(screen.getAllByText('删除')[1]!);
  // One stage is the least: it cannot be deleted.
  expect(screen.queryByText('删除')).toBeNull();
  expect(sent.filter((r) => r.method === 'PUT')).toEqual([]);
});

test('a failed load offers 重试; those without the staff right are told who sets the rules', async () => {
  logIn(staff());
  let settings = fail(503, 'SERVICE_UNAVAILABLE');
  serve({ [`GET ${SETTINGS}`]: () => settings });
  const { unmount } = render(<TopicSettingsPage />);
  await screen.findByText('服务暂不可用，请稍后再试');
  settings = ok({ stages: ['党组织提议'], cosignThresholds: [] });
  await act(async () => fireEvent.click(button('重试')));
  expect(stageInputs().map((i) => i.value)).toEqual(['党组织提议']);
  unmount();

  logIn(owner());
  render(<TopicSettingsPage />);
  await screen.findByText('议事规则由社区工作人员设置');
});
