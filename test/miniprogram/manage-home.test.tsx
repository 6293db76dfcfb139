import { act, fireEvent, render, screen } from '@testing-library/react';
import Taro from '@tarojs/taro';
import HomePage from '../../miniprogram/pages/index';
import type { NodeRef } from '../../shared/schemas/people';
import { __leaveAndComeBack } from './doubles/taro';
import { community, gridWorker, joinRequest, logIn, newcomer, ok, report, resetApp, serve, staff } from './fixtures';

beforeEach(resetApp);

const street: NodeRef = { id: 'f00000000000000000000001', kind: 'street', name: '和平街道', path: ['和平街道'] };
const other: NodeRef = { id: 'c00000000000000000000002', kind: 'community', name: '和美社区', path: ['和美社区'] };
const tile = (label: string) => screen.getByText(label, { selector: '.home__tile-label' }).closest('.home__tile')!;

test('staff see what waits for them instead of 加入社区; each count opens its list; 管理 opens the console', async () => {
  logIn(staff());
  let cases = 2;
  serve({
    'GET /channels': ok([]),
    'GET /me': ok(staff()),
    'GET /reports': ok({
      items: [
        report(1, { state: 'submitted', overdue: true }),
        report(2, { state: 'submitted' }),
        report(3, { state: 'assigned' }),
      ],
      nextCursor: null,
    }),
    'GET /moderation/cases': () => ok({ items: Array.from({ length: cases }, () => ({})), nextCursor: null }),
    'GET /join-requests': ok([joinRequest()]),
  });
  render(<HomePage />);
  expect(await screen.findByText('我的待办')).toBeTruthy();
  await screen.findByText('待受理');
  expect(tile('待受理').textContent).toBe('2待受理');
  expect(tile('超期').textContent).toBe('1超期');
  expect(tile('待审核').textContent).toBe('2待审核');
  expect(tile('待审批').textContent).toBe('1待审批');
  expect(screen.queryByText('欢迎来到邻里')).toBeNull();

  fireEvent.click(tile('待受理'));
  expect(Taro.navigateTo).toHaveBeenLastCalledWith({ url: '/packages/report/handle/index' });
  fireEvent.click(tile('超期'));
  expect(Taro.navigateTo).toHaveBeenLastCalledWith({ url: '/packages/report/overdue/index' });
  fireEvent.click(tile('待审核'));
  expect(Taro.navigateTo).toHaveBeenLastCalledWith({ url: '/packages/admin/moderation/index' });
  fireEvent.click(tile('待审批'));
  expect(Taro.navigateTo).toHaveBeenLastCalledWith({ url: '/packages/community/approvals/index' });
  fireEvent.click(screen.getByText('管理'));
  expect(Taro.navigateTo).toHaveBeenLastCalledWith({ url: '/packages/manage/index/index' });

  // Decided elsewhere meanwhile: coming back shows the new count.
  cases = 0;
  await act(async () => __leaveAndComeBack());
  expect(tile('待审核').textContent).toBe('0待审核');
});

test('a grid worker sees the report queues only, and no 管理', async () => {
  logIn(gridWorker());
  const sent = serve({
    'GET /channels': ok([]),
    'GET /me': ok(gridWorker()),
    'GET /reports': ok({ items: [report(1, { state: 'submitted' })], nextCursor: 'more' }),
  });
  render(<HomePage />);
  await screen.findByText('待受理');
  expect(tile('待受理').textContent).toBe('50+待受理');
  expect(screen.queryByText('待审核')).toBeNull();
  expect(screen.queryByText('管理')).toBeNull();
  expect(sent.some((r) => r.path.startsWith('/moderation'))).toBe(false);
});

test('street staff compare their communities for a period, in a table and bars, and open one', async () => {
  const me = newcomer({
    id: '600000000000000000000002',
    roles: [{ id: '700000000000000000000002', role: 'street_staff', node: street }],
  });
  logIn(me);
  const sent = serve({
    'GET /channels': ok([]),
    'GET /me': ok(me),
    'GET /reports': ok({ items: [], nextCursor: null }),
    'GET /moderation/cases': ok({ items: [], nextCursor: null }),
    'GET /join-requests': ok([]),
    [`GET /streets/${street.id}/report-figures`]: ok({
      from: '2026-12-01T00:00:00.000Z',
      to: '2026-12-03T00:00:00.000Z',
      communities: [
        { community, total: 12, responseRate: 0.75, onTimeResolutionRate: 0.5, satisfaction: 0.9, overdue: 3 },
        { community: other, total: 4, responseRate: null, onTimeResolutionRate: null, satisfaction: null, overdue: 0 },
      ],
    }),
  });
  render(<HomePage />);
  expect(await screen.findByText('和平街道 · 各社区对比')).toBeTruthy();
  const row = (await screen.findByText('幸福里社区 ›')).closest('.home__table-row')!;
  expect(row.textContent).toBe('幸福里社区 ›1275%50%90%3');
  expect(screen.getByText('和美社区 ›').closest('.home__table-row')!.textContent).toBe('和美社区 ›4———0');
  // The bars show the rate chosen (响应率 first), then the overdue counts.
  expect(Array.from(document.querySelectorAll('.bars__value')).map((v) => v.textContent)).toEqual(['75', '0']);
  fireEvent.click(screen.getAllByText('当前超期').find((el) => el.closest('.at-tag'))!);
  expect(Array.from(document.querySelectorAll('.bars__value')).map((v) => v.textContent)).toEqual(['3', '0']);

  // Another period asks again.
  await act(async () => fireEvent.click(screen.getByText('上月')));
  expect(sent.filter((r) => r.path.startsWith('/streets/'))).toHaveLength(2);

  fireEvent.click(row);
  expect(Taro.navigateTo).toHaveBeenLastCalledWith({ url: `/packages/manage/index/index?community=${community.id}` });
});
