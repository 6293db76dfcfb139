import type { Page } from 'playwright-core';
import { button, chip, visible } from './flows';
import { setUpPhones } from './pages';

const phones = setUpPhones();

/** An entry of 管理 (opened from 首页), on the community chosen among the admin's two. */
async function openConsolePage(page: Page, entry: string): Promise<void> {
  // The app afresh on 首页 (a console page has no tab bar to go back with).
  await page.goto(phones.baseUrl());
  await page.locator('.home__entries .at-list__item:visible', { hasText: '管理' }).click();
  await page.locator('.manage__entries .at-list__item:visible', { hasText: entry }).click();
  await chip(page, '幸福里社区').click();
}

const row = (page: Page, text: string) => visible(page, '.manage__row').filter({ hasText: text });
/** A place in the tree on the left (the detail beside lists residents of the same places). */
const place = (page: Page, name: string) => visible(page, '.manage__list .manage__row').filter({ hasText: name });

test('the admin imports an estate from CSV, grants a captain, adds a category, issues an Open311 key and sees a report filed with it', async () => {
  const admin = await phones.logIn('系统管理员');
  const { page } = admin;
  // At a desk: the console's two columns.
  await page.setViewportSize({ width: 1280, height: 900 });

  // 首页: the admin's work and the street's communities side by side.
  await page.getByText('首页', { exact: true }).last().click();
  await page.getByText('和平街道 · 各社区对比').waitFor();
  await visible(page, '.home__table-row').filter({ hasText: '和美社区' }).waitFor();

  // 批量导入: a bad row is named by its line; fixed, the estate is created.
  await openConsolePage(page, '批量导入');
  const csv = [
    '小区,楼栋,单元,房号,楼层,面积',
    '新苑,1栋,1单元,101,1,80.5',
    '新苑,1栋,1单元,102,x,80',
    '新苑,1栋,1单元,201,2,90',
  ];
  await visible(page, 'textarea').fill(csv.join('\n'));
  await button(page, '预览').click();
  await page.getByText('第3行：楼层"x"无效').waitFor();
  await button(page, '请先改正有误的行').waitFor();
  await visible(page, 'textarea').fill(csv.join('\n').replace(',x,', ',1,'));
  await button(page, '预览').click();
  await button(page, '确认导入 3 户').click();
  await page.getByText('新建 1 个小区、1 栋楼、1 个单元、3 户').waitFor();

  // 地点与角色: the new estate is in the tree; a resident of 阳光花园2栋 becomes its 楼长.
  await button(page, '查看地点').click();
  await place(page, '新苑').waitFor();
  await place(page, '阳光花园').click();
  await place(page, '2栋').click();
  const list = await visible(page, '.manage__list').boundingBox();
  const detail = await visible(page, '.manage__detail').boundingBox();
  expect(detail!.x).toBeGreaterThan(list!.x + list!.width - 1);
  await button(page, '授予角色…').click();
  await chip(page, '楼长').click();
  await row(page, '刘**').filter({ hasText: '501室' }).click();
  await button(page, '授予').click();
  await row(page, '楼长 · 刘**').waitFor();

  // 问题分类: a new one, handled by the property company.
  await openConsolePage(page, '问题分类');
  await visible(page, '.manage__link').filter({ hasText: '新增分类' }).click();
  await page.locator('input[placeholder="如 pets（英文，建后不可改）"]:visible').fill('pets');
  await page.locator('input[placeholder="2–12 个字"]:visible').fill('宠物管理');
  await chip(page, '物业').click();
  await button(page, '添加分类').click();
  await row(page, '宠物管理').waitFor();

  // 开放接口: the jurisdiction id and a key shown once.
  await openConsolePage(page, '开放接口');
  const jurisdiction = (await visible(page, '.manage__secret').first().innerText()).trim();
  expect(jurisdiction).toMatch(/^[0-9a-f]{24}$/);
  await page.locator('input[placeholder="如 12345市民热线"]:visible').fill('12345市民热线');
  await button(page, '签发密钥').click();
  const key = (
    await visible(page, '.manage__section').filter({ hasText: '的密钥' }).locator('.manage__secret').innerText()
  ).trim();
  await row(page, '12345市民热线').getByText('从未使用', { exact: false }).waitFor();

  // The hotline files a report through Open311 with the key and the jurisdiction id shown.
  const filed = await fetch(`${phones.baseUrl()}/open311/v2/requests.json`, {
    method: 'POST',
    body: new URLSearchParams({
      api_key: key,
      jurisdiction_id: jurisdiction,
      service_code: 'pets',
      address_string: '幸福里社区新苑1栋1单元',
      description: '新苑楼道里有流浪狗，请物业处理',
    }),
  });
  expect(filed.status).toBe(200);
  const [request] = (await filed.json()) as { service_request_id: string }[];
  expect(request!.service_request_id).toMatch(/^[0-9a-f]{24}$/);

  // The key shows it was used; the report waits for the admin on 首页's 待受理.
  await page.reload();
  await chip(page, '幸福里社区').click();
  await row(page, '12345市民热线').getByText('最近使用', { exact: false }).waitFor();
  await page.goto(phones.baseUrl());
  await visible(page, '.home__tile').filter({ hasText: '待受理' }).click();
  await page.getByText('新苑楼道里有流浪狗，请物业处理').waitFor();
  expect(admin.problems).toEqual([]);
}, 120_000);
