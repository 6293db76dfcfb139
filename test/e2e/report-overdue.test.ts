import { manualClock } from '../../server/clock';
import { fileReport } from '../helpers/reports';
import { loginDemo } from '../helpers/session';
import { visible } from './flows';
import { setUpPhones } from './pages';

const MIN = 60_000;
const clock = manualClock(new Date());
const phones = setUpPhones({ clock });
const text = '2栋电梯口的灭火器被挪走了，请尽快放回';

test('a report escalated for missing its accept deadline stays overdue: first in the community staff’s 待我处理 and counted on the figures page', async () => {
  const app = phones.app();
  // 王阿姨 filed it 90 minutes ago (安全隐患: accepted within an hour). Nobody answered; at its deadline the
  // job runner escalated it from the grid to the community, with a fresh deadline half an hour from now.
  const now = new Date();
  clock.set(new Date(now.getTime() - 90 * MIN));
  const owner = await loginDemo(app, 'owner');
  expect((await fileReport(app, owner, { category: 'safety', description: text })).statusCode).toBe(201);
  clock.set(new Date(now.getTime() - 30 * MIN));
  await app.jobs.runDue();
  clock.set(now);

  // 李社工 (community staff) opens 待我处理: the report is first, in red, late by the deadline it missed.
  const staff = await phones.logIn('李社工');
  await staff.page.getByText('随手拍', { exact: true }).last().click();
  await visible(staff.page, '.snap__entries .at-list__item').filter({ hasText: '其中 1 件已超期' }).waitFor();
  await visible(staff.page, '.snap__entries .at-list__item').filter({ hasText: '待我处理' }).click();
  const first = visible(staff.page, '.report-card').first();
  await first.filter({ hasText: text }).waitFor();
  expect(await first.getAttribute('class')).toContain('report-card--overdue');
  expect(await first.locator('.report-card__overdue').innerText()).toBe('已超期');
  expect(await first.locator('.report-card__late').innerText()).toMatch(/^受理已超期 (29|30)分钟$/);
  await first.getByText('社区响应').waitFor();
  await visible(staff.page, '.report-handle__overdue').filter({ hasText: '1 件已超期，请优先处理' }).waitFor();

  // On 数据统计 it counts in 当前超期 and is listed among 超期事项.
  await staff.page.goBack();
  await visible(staff.page, '.snap__entries .at-list__item').filter({ hasText: '数据统计' }).click();
  const overdue = visible(staff.page, '.figures__stat').filter({ hasText: '当前超期' });
  await overdue.locator('.figures__stat-value--late', { hasText: '1' }).waitFor();
  await visible(staff.page, '.figures__overdue').filter({ hasText: '安全隐患 · 受理超期 · 待受理' }).waitFor();

  expect(staff.problems).toEqual([]);
}, 120_000);
