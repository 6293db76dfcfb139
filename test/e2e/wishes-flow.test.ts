import type { Page } from 'playwright-core';
import { button, cameraPhoto, chip, openFromHome, visible } from './flows';
import { setUpPhones, type Phone } from './pages';

const phones = setUpPhones();

/** A phone logged in as a demo user, on the 心愿墙 (from its entry on 首页). */
async function wall(name: string): Promise<Phone> {
  const opened = await phones.logIn(name);
  await openFromHome(opened.page, '微心愿');
  await button(opened.page, '我要许愿').waitFor();
  return opened;
}

const stateIs = (page: Page, label: string) =>
  visible(page, '.wish-card__head .wish-badge').filter({ hasText: label }).first().waitFor();

const text = '想要一台能插卡的收音机，平时一个人在家听听戏';

test('staff record a wish for an elderly neighbour and publish it; a volunteer claims and fulfils it with a photo; the proxy confirms with thanks; the done wall shows it with the masked name', async () => {
  // 李社工 records it for 李秀兰 of 阳光花园 3栋1单元101, who agrees to a masked name.
  const staff = await wall('李社工');
  await button(staff.page, '我要许愿').click();
  await chip(staff.page, '代他人录入').click();
  for (const place of ['阳光花园', '3栋', '1单元'])
    await visible(staff.page, '.unit-chooser .at-list__item').filter({ hasText: place }).first().click();
  await visible(staff.page, '.neighbour-picker .choice-chips__chip').filter({ hasText: '101' }).click();
  await visible(staff.page, 'input[placeholder="受助居民的姓名（不会公开）"]').fill('李秀兰');
  await visible(staff.page, '.wish-form textarea').fill(text);
  await chip(staff.page, '物品').click();
  await chip(staff.page, '独居老人').click();
  await visible(staff.page, '.at-switch')
    .filter({ hasText: '同意在心愿墙显示打码姓名' })
    .locator('.at-switch__switch')
    .click();
  await visible(staff.page, 'input[placeholder="不超过 300 元"]').fill('150');
  await button(staff.page, '提交心愿').click();
  await stateIs(staff.page, '待审核');
  await visible(staff.page, '.wish-card__fact').filter({ hasText: '代录：由' }).waitFor();
  await button(staff.page, '审核发布').click();
  await visible(staff.page, '.taro-model__confirm').click();
  await stateIs(staff.page, '待认领');

  // 吴志愿 finds it on the wall — as 3栋 李** — claims it as a volunteer and fulfils it with a photo.
  const volunteer = await wall('吴志愿');
  const card = visible(volunteer.page, '.wish-card').filter({ hasText: text });
  await card.filter({ hasText: '为3栋 李**' }).waitFor();
  await card.click();
  await button(volunteer.page, '认领').click();
  await chip(volunteer.page, '志愿者').click();
  await button(volunteer.page, '确认认领').click();
  await stateIs(volunteer.page, '已认领');
  await button(volunteer.page, '标记已实现').click();
  const [chooser] = await Promise.all([
    volunteer.page.waitForEvent('filechooser'),
    visible(volunteer.page, '.photo-uploader__add').click(),
  ]);
  await chooser.setFiles({
    name: 'radio.jpg',
    mimeType: 'image/jpeg',
    buffer: await cameraPhoto({ r: 200, g: 120, b: 60 }),
  });
  await visible(volunteer.page, '.photo-uploader__tile--done').waitFor();
  await visible(volunteer.page, 'textarea[placeholder^="说说怎样实现的"]').fill('收音机已送到老人家里，教会了插卡听戏');
  await button(volunteer.page, '提交').click();
  await stateIs(volunteer.page, '待确认');

  // 李社工, the proxy, confirms it with thanks.
  await staff.page.reload();
  await stateIs(staff.page, '待确认');
  await button(staff.page, '确认已实现').click();
  await visible(staff.page, 'textarea[placeholder="写一句感谢的话（选填，会显示在心愿墙上）"]').fill(
    '谢谢小吴，老人很开心',
  );
  await button(staff.page, '确定').click();
  await stateIs(staff.page, '已圆梦');

  // On 已圆梦 everyone sees the thanks signed with the masked name only.
  await volunteer.page.goBack();
  await chip(volunteer.page, '已圆梦').click();
  await visible(volunteer.page, '.wish-card__thanks')
    .filter({ hasText: '「谢谢小吴，老人很开心」—— 3栋 李**' })
    .waitFor();
  await expect(volunteer.page.getByText('李秀兰').count()).resolves.toBe(0);

  for (const phone of [staff, volunteer]) expect(phone.problems).toEqual([]);
});
