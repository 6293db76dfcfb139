import { owner } from '../miniprogram/demo-data';
import { order } from '../miniprogram/volunteer-fixtures';
import { allByClass, launchAs, ok, subpackagePages, tapText, until, untilEachOffersLogin } from './harness';

/** The 志愿服务 subpackage, compiled, as WeChat runs it. */

const accepted = order({
  state: 'accepted',
  volunteer: { id: 'd'.repeat(24), displayName: '吴**', phone: '138****0010', isMe: false },
  windowStart: new Date(Date.now() + 3600_000).toISOString(),
  windowEnd: new Date(Date.now() + 3 * 3600_000).toISOString(),
});

test('every volunteer page loads and, logged out, offers to log in', async () => {
  const pages = subpackagePages('packages/volunteer');
  expect(pages).toEqual([
    'packages/volunteer/index/index',
    'packages/volunteer/new/index',
    'packages/volunteer/order/index',
    'packages/volunteer/register/index',
    'packages/volunteer/record/index',
    'packages/volunteer/activities/index',
    'packages/volunteer/manage/index',
  ]);
  await untilEachOffersLogin(pages);
});

test('the hub lists my orders and opens one; the order shows the door code to the resident', async () => {
  const orderId = accepted.id;
  const { weapp } = launchAs(owner(), (_req, path) => {
    if (path === '/volunteers/me') return ok(null);
    if (path === '/volunteer-orders') return ok({ items: [accepted], nextCursor: null });
    if (path === `/volunteer-orders/${orderId}`) return ok(accepted);
    if (path === `/volunteer-orders/${orderId}/door-code`)
      return ok({ code: '204816', purpose: 'check_in', expiresAt: new Date(Date.now() + 120_000).toISOString() });
    return undefined;
  });
  const hub = weapp.open('packages/volunteer/index/index');
  await until(() => hub.text().includes('陪老人去医院取药'), 'my orders');
  expect(hub.text()).toContain('我要点单');
  expect(hub.text()).toContain('已接单');
  tapText(hub, '陪老人去医院取药');
  expect(weapp.navigations).toEqual([`/packages/volunteer/order/index?id=${orderId}`]);

  const order = weapp.open('packages/volunteer/order/index', { id: orderId });
  await until(() => order.text().includes('204816'), 'the door code');
  expect(order.text()).toContain('上门签到码');
  expect(allByClass(order.root, 'volunteer-order__door-code')).toHaveLength(1);
});
