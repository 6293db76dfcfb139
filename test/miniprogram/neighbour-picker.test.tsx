import { act, fireEvent, render, screen } from '@testing-library/react';
import type { HouseholdSummary } from '../../shared/schemas/places';
import { NeighbourPicker } from '../../miniprogram/components/neighbour-picker';
import { building, captain, ids, logIn, nodeView, ok, resetApp, serve, unit } from './fixtures';

beforeEach(resetApp);

const unit2 = { ...unit, id: ids.unit2, name: '2单元', path: ['幸福里社区', '阳光花园', '1栋', '2单元'] };
const households: HouseholdSummary[] = [
  {
    id: '800000000000000000000001',
    room: '101',
    floor: 1,
    areaHundredths: 8950,
    members: [{ name: '张*', relation: 'owner', userId: '600000000000000000000002' }],
  },
  {
    id: '800000000000000000000002',
    room: '201',
    floor: 2,
    areaHundredths: 8950,
    members: [
      { name: '王*', relation: 'owner', userId: '600000000000000000000003' },
      { name: '王**', relation: 'family', userId: '600000000000000000000004' },
    ],
  },
  { id: '800000000000000000000003', room: '202', floor: 2, areaHundredths: 8950, members: [] },
];

// The roots come memoised in a page: a new array on every render would reload the units.
const roots = [building];

function renderPicker(withMember: boolean) {
  logIn(captain());
  const sent = serve({
    [`GET /nodes/${ids.building}/children`]: ok([nodeView(unit, 3), nodeView(unit2, 0)]),
    [`GET /nodes/${ids.unit}/households`]: ok(households),
    [`GET /nodes/${ids.unit2}/households`]: ok([]),
  });
  const onChange = jest.fn();
  render(<NeighbourPicker roots={roots} withMember={withMember} onChange={onChange} />);
  return { sent, onChange };
}

test('unit, then room by floor, then a member: the member is reported with the household', async () => {
  const { onChange } = renderPicker(true);
  await screen.findByText('2单元');
  await act(async () => fireEvent.click(screen.getByText('1单元')));
  expect(screen.getByText('幸福里社区 · 阳光花园 · 1栋 · 1单元')).toBeTruthy();
  expect(screen.getByText('2层')).toBeTruthy();

  fireEvent.click(screen.getByText('201'));
  // A household alone is not the choice yet when a member is asked for.
  expect(onChange).toHaveBeenLastCalledWith(undefined);
  fireEvent.click(screen.getByText('王**（家庭成员）'));
  expect(onChange).toHaveBeenLastCalledWith({
    unitId: ids.unit,
    householdId: '800000000000000000000002',
    room: '201',
    member: { userId: '600000000000000000000004', displayName: '王**' },
  });

  fireEvent.click(screen.getByText('202'));
  expect(screen.getByText('这户还没有登记的成员')).toBeTruthy();
  expect(onChange).toHaveBeenLastCalledWith(undefined);

  // 更换单元 goes back to the units and clears the choice; an empty unit says so.
  fireEvent.click(screen.getByText('更换单元'));
  expect(onChange).toHaveBeenLastCalledWith(undefined);
  await screen.findByText('2单元');
  await act(async () => fireEvent.click(screen.getByText('2单元')));
  expect(await screen.findByText('这个单元还没有住户')).toBeTruthy();
});

test('without members the household is the choice', async () => {
  const { onChange } = renderPicker(false);
  await screen.findByText('1单元');
  await act(async () => fireEvent.click(screen.getByText('1单元')));
  fireEvent.click(screen.getByText('101'));
  expect(onChange).toHaveBeenLastCalledWith({ unitId: ids.unit, householdId: '800000000000000000000001', room: '101' });
  expect(screen.queryByText('为哪位邻居')).toBeNull();
});
