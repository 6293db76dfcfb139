import type { Page } from 'playwright-core';
import { cameraPhoto } from './flows';
import { setUpPhones, type Phone } from './pages';

const phones = setUpPhones();
/** A photo of a few hundred KB. */
const BIG = { width: 1600, height: 1200 };

/** A phone of its own (separate storage, so a separate login), logged in as a demo user, on the 随手拍 tab. */
async function phone(name: string): Promise<Phone> {
  const opened = await phones.logIn(name);
  await opened.page.getByText('随手拍', { exact: true }).last().click();
  await opened.page.locator('.snap__title:visible').waitFor();
  return opened;
}

/** Picks a photo through the page's file chooser (the H5 camera/album) and waits for it to be uploaded. */
async function addPhoto(page: Page, name: string, buffer: Buffer): Promise<void> {
  const [chooser] = await Promise.all([
    page.waitForEvent('filechooser'),
    page.locator('.photo-uploader__add:visible').click(),
  ]);
  await chooser.setFiles({ name, mimeType: 'image/jpeg', buffer });
  await page.locator('.photo-uploader__tile--done:visible').waitFor();
}

/** The 待我处理 inbox from the 随手拍 tab, then the report with this text. */
async function openFromInbox(page: Page, text: string): Promise<void> {
  await page.locator('.snap__entries .at-list__item:visible', { hasText: '待我处理' }).click();
  await page.locator('.report-card:visible', { hasText: text }).click();
  await page.locator('.report-detail:visible').waitFor();
}

const detail = (page: Page) => page.locator('.report-detail:visible');
const stateOf = (page: Page) => detail(page).locator('.report-detail__head .report-state');
const action = (page: Page, label: string) => page.locator('.at-button:visible', { hasText: label });

const text = '1单元一楼楼道堆满纸箱和旧家具，挡住了消防通道';

test('a resident reports with a photo; the grid worker accepts and assigns it to 物业; 物业 resolves it with a photo; the resident rates it and it closes', async () => {
  // 王阿姨 (阳光花园1栋1单元302) snaps the hallway.
  const owner = await phone('王阿姨');
  await owner.page.locator('.at-button', { hasText: '拍一拍，立即报' }).click();
  await owner.page.locator('.category-grid__tile', { hasText: '安全隐患' }).waitFor();
  await addPhoto(owner.page, 'hallway.jpg', await cameraPhoto({ r: 150, g: 110, b: 70 }, BIG));
  await owner.page.locator('.category-grid__tile', { hasText: '环境卫生' }).click();
  await owner.page.getByText('如垃圾、楼道杂物、狗粪。8小时内受理，3天内办结').waitFor();
  await owner.page.locator('.report-new textarea').fill(text);
  await owner.page.getByText('未获取到位置，不影响提交').waitFor();
  await owner.page.locator('.at-button', { hasText: '提交' }).click();

  // Filed, the report opens: waiting to be accepted, in her unit, her photo, the first step of its timeline.
  await stateOf(owner.page).filter({ hasText: '待受理' }).waitFor();
  await detail(owner.page).getByText('幸福里社区 · 阳光花园 · 1栋 · 1单元').waitFor();
  await detail(owner.page).locator('.report-photos__photo').first().waitFor();
  await detail(owner.page).locator('.timeline__title', { hasText: '提交' }).waitFor();

  // 周网格 finds it in 待我处理, accepts it and assigns it to the property company.
  const grid = await phone('周网格');
  await openFromInbox(grid.page, text);
  await detail(grid.page).getByText('某居民').waitFor();
  await action(grid.page, '受理').first().click();
  await stateOf(grid.page).filter({ hasText: '已受理' }).waitFor();
  await action(grid.page, '派单').click();
  await grid.page.locator('.move-form .at-tag', { hasText: '物业' }).click();
  await action(grid.page, '确认派单').click();
  await stateOf(grid.page).filter({ hasText: '已派单' }).waitFor();
  await detail(grid.page).locator('.report-detail__row', { hasText: '处理人' }).getByText('物业').waitFor();

  // 孙物业 has it in 待我处理 and resolves it with a photo of the cleared hallway.
  const property = await phone('孙物业');
  await openFromInbox(property.page, text);
  await action(property.page, '办结').click();
  await addPhoto(property.page, 'cleared.jpg', await cameraPhoto({ r: 90, g: 160, b: 90 }, BIG));
  await property.page.locator('.move-form textarea').fill('楼道杂物已全部清走，消防通道已畅通');
  await action(property.page, '确认办结').click();
  await stateOf(property.page).filter({ hasText: '待确认' }).waitFor();

  // 王阿姨 sees the fix, confirms it with five stars, and the report is closed with its whole history.
  await owner.page.reload();
  await stateOf(owner.page).filter({ hasText: '待确认' }).waitFor();
  await detail(owner.page).getByText('楼道杂物已全部清走，消防通道已畅通').first().waitFor();
  await action(owner.page, '确认解决').click();
  await owner.page.locator('.move-form .at-rate__icon').nth(4).click();
  await owner.page.getByText('非常满意').waitFor();
  await owner.page.locator('.move-form textarea').fill('处理很及时，谢谢');
  await action(owner.page, '提交评价').click();
  await stateOf(owner.page).filter({ hasText: '已办结' }).waitFor();
  await detail(owner.page).getByLabel('5 星').waitFor();
  await detail(owner.page).locator('.timeline__title', { hasText: '确认' }).waitFor();
  const steps = await detail(owner.page).locator('.timeline__title').allInnerTexts();
  expect(steps).toEqual(['确认', '办结', '派单', '受理', '提交']);
  const who = await detail(owner.page).locator('.timeline__actor').allInnerTexts();
  expect(who).toEqual(['报告人 王**', '处理人 孙**', '受理人 周**', '受理人 周**', '报告人 王**']);

  // Back on her 随手拍 tab the report shows as closed.
  await owner.page.goBack();
  await owner.page
    .locator('.report-card:visible', { hasText: text })
    .locator('.report-state', { hasText: '已办结' })
    .waitFor();

  expect([...owner.problems, ...grid.problems, ...property.problems]).toEqual([]);
}, 180_000);
