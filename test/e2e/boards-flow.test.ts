import type { Page } from 'playwright-core';
import { boardMonth, freezesAt } from '../../shared/boards';
import { manualClock } from '../../server/clock';
import { CROSS_COMMUNITY } from '../../server/data/tenant-scope';
import { button, cameraPhoto, chip, openFromHome, visible } from './flows';
import { openEntry, setUpPhones, type Phone } from './pages';

// The service's time is set by hand, so the month can close while the test runs: its jobs run when the test says.
const clock = manualClock(new Date());
const phones = setUpPhones({ clock });

/** A phone logged in as a demo user, on this month's 红黑榜 (from its entry on 首页). */
async function board(name: string): Promise<Phone> {
  const opened = await phones.logIn(name);
  await openFromHome(opened.page, '红黑榜');
  await visible(opened.page, '.board-banner__title').waitFor();
  return opened;
}

const link = (page: Page, label: string) => visible(page, '.board-links').getByText(label, { exact: true });
const stateIs = (page: Page, label: string) =>
  visible(page, '.board-card__head .board-badge').filter({ hasText: label }).first().waitFor();
const confirmModal = (page: Page) => visible(page, '.taro-model__confirm').click();

/** 发生地点: walks the place picker down by these names. */
async function where(page: Page, names: string[]): Promise<void> {
  const picker = visible(page, '.card').filter({ hasText: '发生地点' });
  for (const name of names) await picker.locator('.choice-chips__chip').filter({ hasText: name }).click();
  await picker.getByText(`已选：${names.filter((n) => n !== '幸福里社区').join(' ')}`).waitFor();
}

/** The neighbour picker: a unit walked down by these names, then the room. */
async function neighbour(page: Page, units: string[], room: string): Promise<void> {
  for (const name of units)
    await visible(page, '.unit-chooser .at-list__item').filter({ hasText: name }).first().click();
  await visible(page, '.neighbour-picker .choice-chips__chip')
    .filter({ hasText: new RegExp(`^${room}$`) })
    .click();
}

/** From 我的: 消息, then the message with this title about this entry, which opens the entry. */
async function openMessage(page: Page, title: string, about: string): Promise<void> {
  await openEntry(page, '消息');
  await visible(page, '.message').filter({ hasText: title }).filter({ hasText: about }).first().click();
  await visible(page, '.board-card__text').filter({ hasText: about }).waitFor();
}

/** From the board: 核实队列, then the entry with this text. */
async function openFromQueue(page: Page, about: string): Promise<void> {
  await link(page, '核实队列').click();
  await visible(page, '.board-card').filter({ hasText: about }).click();
  await visible(page, '.board-card__text').filter({ hasText: about }).waitFor();
}

const blackText = '二单元门口电动车堵住消防通道';
const redText = '帮三楼王阿姨把米扛上楼';

test('a grid worker nominates a black entry, the household puts it right and staff withdraw it; a captain names a neighbour on the red board, she consents; the month closes and its board shows her name and nothing of the rectified entry', async () => {
  const month = boardMonth(clock.now());

  // 周网格 nominates a black entry about 阳光花园 2栋1单元501 (刘小刚's household).
  clock.set(new Date());
  const grid = await board('周网格');
  await button(grid.page, '我要提名').click();
  await chip(grid.page, '黑榜 · 不文明行为').click();
  await chip(grid.page, '占用消防通道').click();
  await where(grid.page, ['幸福里社区', '阳光花园', '2栋', '1单元']);
  await visible(grid.page, '.at-switch').filter({ hasText: '知道是哪一户' }).locator('.at-switch__switch').click();
  await neighbour(grid.page, ['阳光花园', '2栋', '1单元'], '501');
  await visible(grid.page, '.board-form textarea').fill(blackText);
  await button(grid.page, '提交提名').click();
  await stateIs(grid.page, '待核实');

  // 李社工 confirms it from the verification queue: the household is told first.
  const staff = await board('李社工');
  await openFromQueue(staff.page, blackText);
  await button(staff.page, '核实属实').click();
  await confirmModal(staff.page);
  await stateIs(staff.page, '待住户回应');

  // 刘小刚 finds it in 消息 and shows it put right, with a photo.
  const tenant = await phones.logIn('刘小刚');
  await openMessage(tenant.page, '有一条涉及您家的黑榜记录', blackText);
  await stateIs(tenant.page, '待住户回应');
  await visible(tenant.page, '.board-alert').filter({ hasText: '前回应或整改，整改后不上榜' }).waitFor();
  await button(tenant.page, '已整改（附照片）').click();
  const [chooser] = await Promise.all([
    tenant.page.waitForEvent('filechooser'),
    visible(tenant.page, '.photo-uploader__add').click(),
  ]);
  await chooser.setFiles({
    name: 'cleared.jpg',
    mimeType: 'image/jpeg',
    buffer: await cameraPhoto({ r: 90, g: 140, b: 200 }),
  });
  await visible(tenant.page, '.photo-uploader__tile--done').waitFor();
  await visible(tenant.page, 'textarea[placeholder="例如：楼道纸箱已全部清走"]').fill('电动车已挪走，门口通道已清空');
  await button(tenant.page, '提交').click();
  await stateIs(tenant.page, '待决定');
  await visible(tenant.page, '.board-card').filter({ hasText: '电动车已挪走，门口通道已清空' }).first().waitFor();

  // 李社工 sees the rectification and withdraws the entry: it is never published.
  await staff.page.reload();
  await stateIs(staff.page, '待决定');
  await visible(staff.page, '.board-card').filter({ hasText: '电动车已挪走，门口通道已清空' }).first().waitFor();
  await button(staff.page, '已整改，撤回不上榜').click();
  await visible(staff.page, 'textarea[placeholder^="核实整改情况"]').fill('现场核实通道已清空');
  await button(staff.page, '确定').click();
  await stateIs(staff.page, '已整改，不上榜');

  // 张楼长 nominates 王阿姨 of 1栋1单元302 for the red board, naming her.
  clock.set(new Date());
  const captain = await board('张楼长');
  await button(captain.page, '我要提名').click();
  await chip(captain.page, '邻里互助').click();
  await where(captain.page, ['阳光花园', '1栋', '1单元']);
  await neighbour(captain.page, ['1单元'], '302');
  await visible(captain.page, '.neighbour-picker .choice-chips__chip').filter({ hasText: '王**（业主）' }).click();
  await visible(captain.page, '.board-form textarea').fill(redText);
  await button(captain.page, '提交提名').click();
  await stateIs(captain.page, '待核实');

  // 李社工 confirms it: a red entry goes on the board at once, without her name until she agrees.
  await staff.page.goBack();
  await visible(staff.page, '.board-card').filter({ hasText: redText }).click();
  await button(staff.page, '核实属实').click();
  await confirmModal(staff.page);
  await stateIs(staff.page, '已上榜');
  await visible(staff.page, '.board-card__fact').filter({ hasText: '榜上显示：1栋1单元 一位居民' }).waitFor();

  // 王阿姨 is asked in 消息 and agrees to her name on the board.
  const owner = await phones.logIn('王阿姨');
  await openMessage(owner.page, '您上了红榜', redText);
  await visible(owner.page, '.at-switch')
    .filter({ hasText: '同意在红榜显示我的姓名' })
    .locator('.at-switch__switch')
    .click();
  await visible(owner.page, '.board-card__fact').filter({ hasText: '榜上显示：王阿姨' }).waitFor();

  // 00:00 Beijing time on the 1st: the freeze job runs and the month is frozen.
  clock.set(new Date(freezesAt(month).getTime() + 1000));
  expect(await phones.app().jobs.runDue()).toBeGreaterThan(0);
  expect(await phones.app().models.BoardSnapshot.countDocuments({ month }).setOptions(CROSS_COMMUNITY)).toBeGreaterThan(
    0,
  );

  // A neighbour opens the past month: 红榜 with her name, 黑榜 without the rectified entry.
  const [year, m] = month.split('-');
  const neighbourPhone = await board('吴志愿');
  await link(neighbourPhone.page, '往月榜单').click();
  await visible(neighbourPhone.page, '.board-card')
    .filter({ hasText: `${year}年${Number(m)}月` })
    .filter({ hasText: '已封榜' })
    .click();
  const page = neighbourPhone.page;
  await visible(page, '.board-banner__title')
    .filter({ hasText: `${year}年${Number(m)}月 · 已封榜` })
    .waitFor();
  await visible(page, '.board-card').filter({ hasText: '邻里互助' }).filter({ hasText: '王阿姨' }).waitFor();
  await chip(page, /^黑榜$/).click();
  // The month's published black entries are there (the demo's), the rectified one is not.
  await visible(page, '.board-card').filter({ hasText: '噪音扰民' }).first().waitFor();
  await expect(visible(page, '.board-card').filter({ hasText: '占用消防通道' }).count()).resolves.toBe(0);
  // Nor is it among the month's frozen lines (nor the red one missing from them).
  const models = phones.app().models;
  const rectified = await models.BoardEntry.findOne({ description: blackText }).setOptions(CROSS_COMMUNITY).lean();
  const named = await models.BoardEntry.findOne({ description: redText }).setOptions(CROSS_COMMUNITY).lean();
  expect([rectified?.state, named?.state]).toEqual(['rectified', 'published']);
  const frozen = await models.BoardLine.find({ month }).setOptions(CROSS_COMMUNITY).lean();
  expect(frozen.map((line) => String(line.entryId))).toContain(String(named!._id));
  expect(frozen.map((line) => String(line.entryId))).not.toContain(String(rectified!._id));

  for (const phone of [grid, staff, tenant, captain, owner, neighbourPhone]) expect(phone.problems).toEqual([]);
}, 180_000);
