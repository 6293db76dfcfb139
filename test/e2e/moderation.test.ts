import type { Page } from 'playwright-core';
import { openEntry, setUpPhones } from './pages';

const phones = setUpPhones();
/** A phone of its own (separate storage, so a separate login), logged in as a demo user, on 我的. */
const phone = phones.logIn;

/** From 我的, the channel with this label (楼栋群, 社区群…) among 我的频道 (首页 lists them too, hidden). */
async function openChannel(page: Page, label: string): Promise<void> {
  await openEntry(page, '我的频道');
  await page.locator('.channel-card:visible', { hasText: label }).click();
  await page.locator('.channel:visible').waitFor();
}

const title = '周六义诊通知';
const body = '周六上午九点在小区广场义诊，测试待审词，请带好医保卡。';
const edited = '周六上午九点在小区广场义诊，请带好医保卡。';

test('a notice held for review reaches residents only after staff edit and publish it; a resident flags a notice', async () => {
  // The captain posts in the 楼栋群 of 阳光花园1栋; the text check holds it for review.
  const captain = await phone('张楼长');
  await openChannel(captain.page, '楼栋群');
  await captain.page.locator('.at-button', { hasText: '发布公告' }).click();
  await captain.page.locator('input[placeholder="2–40 个字"]').fill(title);
  await captain.page.locator('textarea').fill(body);
  await captain.page.locator('.at-button', { hasText: '发布' }).last().click();
  const mine = captain.page.locator('.notice', { hasText: title });
  await mine.locator('.at-tag', { hasText: '审核中' }).waitFor();

  // 王阿姨 lives in that building and does not see it.
  const owner = await phone('王阿姨');
  await openChannel(owner.page, '楼栋群');
  await owner.page.getByText('这里还没有公告').waitFor();
  expect(await owner.page.getByText(title).count()).toBe(0);

  // 李社工 opens 内容审核 from 我的, finds the case, redacts the text and publishes it.
  const staff = await phone('李社工');
  await staff.page.locator('.me__entries .at-list__item', { hasText: '内容审核' }).locator('.me__count').waitFor();
  await openEntry(staff.page, '内容审核');
  const item = staff.page.locator('.case', { hasText: title });
  await item.getByText('文字待复核').waitFor();
  await item.getByText('发布者 张**').waitFor();
  await item.locator('.at-button', { hasText: '编辑文字' }).click();
  // Being edited, the title is in an input: the card is found by its editor now.
  const editor = staff.page.locator('.case__editor');
  await editor.locator('textarea').fill(edited);
  await editor.locator('.at-button', { hasText: '保存并发布' }).click();
  await staff.page.getByText('没有待处理的内容').waitFor();
  await staff.page.locator('.at-segmented-control__item', { hasText: '已处理' }).click();
  await staff.page.locator('.case', { hasText: title }).getByText('处理结果：编辑后发布').waitFor();

  // Now 王阿姨 sees it, as edited.
  await owner.page.reload();
  const published = owner.page.locator('.notice', { hasText: title });
  await published.getByText(edited).waitFor();
  expect(await published.locator('.at-tag', { hasText: '审核中' }).count()).toBe(0);

  // The captain's 消息 opens without trouble, and the notice's 处理记录 tells what happened.
  await captain.page.reload();
  await mine.getByText(edited).waitFor();
  await mine.getByText('处理记录').click();
  await captain.page.getByText('编辑文字后发布 · 审核中 → 已发布').waitFor();
  await captain.page.goto(phones.baseUrl());
  await captain.page.getByText('我的', { exact: true }).last().click();
  await openEntry(captain.page, '消息');
  await captain.page
    .locator('.inbox')
    .getByText(/暂无消息|条未读|没有未读消息/)
    .first()
    .waitFor();
  expect(await captain.page.locator('.page-state[role="alert"]').count()).toBe(0);

  // 王阿姨 flags the welcome notice in the 社区群 and is thanked.
  await owner.page.goto(phones.baseUrl());
  await owner.page.getByText('我的', { exact: true }).last().click();
  await openChannel(owner.page, '社区群');
  const welcome = owner.page.locator('.notice', { hasText: '欢迎使用邻里小程序' });
  await welcome.getByText('举报').click();
  await owner.page.locator('.flag-sheet .at-tag', { hasText: '不实信息' }).click();
  await owner.page.locator('.flag-sheet textarea').fill('内容与实际不符');
  await owner.page.locator('.flag-sheet .at-button', { hasText: '提交举报' }).click();
  await owner.page.getByText('已提交，感谢反馈').waitFor();
  await owner.page.locator('.flag-sheet').waitFor({ state: 'detached' });
  await welcome.getByText('已举报').waitFor();

  // Staff see the flag in the queue.
  await staff.page.locator('.at-segmented-control__item', { hasText: '待处理' }).click();
  const flagged = staff.page.locator('.case', { hasText: '欢迎使用邻里小程序' });
  await flagged.getByText('居民举报').waitFor();
  await flagged.getByText(/不实信息：内容与实际不符/).waitFor();

  expect([...captain.problems, ...owner.problems, ...staff.problems]).toEqual([]);
}, 120_000);
