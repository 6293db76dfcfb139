import type { Page } from 'playwright-core';
import { manualClock } from '../../server/clock';
import { button, openFromHome, visible } from './flows';
import { setUpPhones, type Phone } from './pages';

// The service's time is set by hand, so check-out can come 50 minutes after check-in (which rounds to an hour).
const clock = manualClock(new Date());
const phones = setUpPhones({ clock });

/** A phone logged in as a demo user, on the 志愿服务 hub (from its entry on 首页). */
async function hub(name: string): Promise<Phone> {
  const opened = await phones.logIn(name);
  await openFromHome(opened.page, '志愿服务');
  await opened.page.locator('.volunteer-hub:visible').waitFor();
  return opened;
}

const stateIs = (page: Page, label: string) =>
  visible(page, '.volunteer-order__head .order-state').filter({ hasText: label }).waitFor();

/** The code the resident's phone shows now (fresh from the service). */
async function doorCode(resident: Page, title: string): Promise<string> {
  await resident.reload();
  await visible(resident, '.volunteer-order__door-title').filter({ hasText: title }).waitFor();
  return (await visible(resident, '.volunteer-order__door-code').innerText()).trim();
}

async function enterCode(volunteer: Page, code: string, label: string, after: string): Promise<void> {
  await visible(volunteer, '.volunteer-order__code-input input').fill(code);
  await button(volunteer, label).click();
  await stateIs(volunteer, after);
}

const text = '老伴腿脚不便，想请人陪他去社区医院复诊取药';

test('a resident orders help; the grid worker dispatches to the top suggestion; the volunteer accepts, checks in and out with the resident’s codes; the resident rates; the hours go up', async () => {
  // 吴志愿 starts with the demo's hours: 1.5 h from an earlier service.
  const volunteer = await hub('吴志愿');
  await visible(volunteer.page, '.volunteer-hub__hours').filter({ hasText: '1.5 小时' }).waitFor();

  // 王阿姨 orders elderly help for the next window.
  const owner = await hub('王阿姨');
  await button(owner.page, '我要点单').click();
  await visible(owner.page, '.volunteer-new .choice-chips__chip').filter({ hasText: '助老服务' }).click();
  await visible(owner.page, '.volunteer-new textarea').fill(text);
  await visible(owner.page, '.volunteer-new .choice-chips').nth(1).locator('.choice-chips__chip').first().click();
  await button(owner.page, '提交点单').click();
  await stateIs(owner.page, '待派单');

  // 周网格 finds it in the dispatch queue, sees why 吴** ranks first and dispatches to them.
  const grid = await hub('周网格');
  await visible(grid.page, '.volunteer-hub__tabs .choice-chips__chip').filter({ hasText: '派单队列' }).click();
  await visible(grid.page, '.order-card').filter({ hasText: text }).click();
  const first = visible(grid.page, '.suggestion').first();
  await first.locator('.suggestion__name', { hasText: '吴**' }).waitFor();
  await first.getByText(/擅长助老服务 · 在服务片区内/).waitFor();
  await first.locator('.at-button', { hasText: '派给TA' }).click();
  await stateIs(grid.page, '待接单');

  // 吴志愿 has it in 我的任务 and accepts it.
  await volunteer.page.reload();
  await visible(volunteer.page, '.volunteer-hub__tabs .choice-chips__chip').filter({ hasText: '我的任务' }).click();
  await visible(volunteer.page, '.order-card').filter({ hasText: text }).click();
  await button(volunteer.page, '接单').click();
  await stateIs(volunteer.page, '已接单');

  // At the door: the resident's check-in code, then 50 minutes later a new one to check out.
  await enterCode(volunteer.page, await doorCode(owner.page, '上门签到码'), '签到', '服务中');
  clock.advance(50 * 60_000);
  await enterCode(volunteer.page, await doorCode(owner.page, '服务签退码'), '签退', '待评价');
  await visible(volunteer.page, '.volunteer-order__hours').filter({ hasText: '计入服务时长 1 小时' }).waitFor();

  // 王阿姨 rates the service.
  await owner.page.reload();
  await visible(owner.page, '.at-rate__icon').nth(4).click();
  await button(owner.page, '提交评价').click();
  await stateIs(owner.page, '已评价');

  // Back on the hub, 吴志愿's hours went up by the hour.
  await volunteer.page.goBack();
  await volunteer.page.reload();
  await visible(volunteer.page, '.volunteer-hub__hours').filter({ hasText: '2.5 小时' }).waitFor();

  expect([...owner.problems, ...grid.problems, ...volunteer.problems]).toEqual([]);
}, 180_000);
