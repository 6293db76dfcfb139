import type { FastifyInstance } from 'fastify';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchChromium, startServer, watchForErrors } from './browser';

let browser: Browser;
let server: { app: FastifyInstance; baseUrl: string };
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  [browser, server] = await Promise.all([launchChromium(), startServer()]);
});
afterAll(async () => {
  await Promise.all(contexts.map((context) => context.close()));
  await browser?.close();
  await server?.app.close();
});

/** A phone of its own (separate storage, so a separate login) with the app open on 我的. */
async function phone(): Promise<{ page: Page; problems: string[] }> {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'zh-CN' });
  contexts.push(context);
  const page = await context.newPage();
  const problems = watchForErrors(page);
  await page.goto(server.baseUrl);
  await page.getByText('我的', { exact: true }).last().click();
  return { page, problems };
}

async function logInAsDemo(page: Page, name: string): Promise<void> {
  await page.locator('.at-list__item', { hasText: name }).click();
  await page.locator('.me__name', { hasText: name }).waitFor();
}

/** An entry of 我的 (加入社区, 我的频道, 待审批…): tapping the row opens its page. */
async function openEntry(page: Page, title: string): Promise<void> {
  await page.locator('.me__entries .at-list__item', { hasText: title }).click();
}

test('a newcomer joins with the captain’s invite code and, once approved, sees the four channels of their path', async () => {
  const captain = await phone();
  await logInAsDemo(captain.page, '张楼长');
  await openEntry(captain.page, '邀请邻居');
  // The captain's building (阳光花园1栋) opens at once; its units are the choice.
  await captain.page.locator('.at-list__item', { hasText: '1单元' }).click();
  await captain.page.locator('.invites__trail-path', { hasText: '幸福里社区 · 阳光花园 · 1栋 · 1单元' }).waitFor();
  await captain.page.locator('.at-button', { hasText: '生成邀请码' }).click();
  const code = (await captain.page.locator('.invite-code__value').innerText()).trim();
  expect(code).toMatch(/^[A-Z0-9]{8}$/);

  const newcomer = await phone();
  await logInAsDemo(newcomer.page, '新邻居小林');
  await openEntry(newcomer.page, '加入社区');
  await newcomer.page.locator('input[placeholder="粘贴或输入邀请码"]').fill(code);
  await newcomer.page.locator('.at-button', { hasText: '查看邀请' }).click();
  await newcomer.page.getByText('选择房号').waitFor();
  await newcomer.page.locator('.join__unit-name', { hasText: '幸福里社区 · 阳光花园 · 1栋 · 1单元' }).waitFor();
  await newcomer.page.locator('.at-tag', { hasText: '402' }).click();
  await newcomer.page.locator('.at-tag', { hasText: '租户' }).click();
  await newcomer.page.locator('.at-button', { hasText: '提交申请' }).click();
  await newcomer.page.getByText('等待楼长/单元长审核').waitFor();

  await newcomer.page.goBack();
  await openEntry(newcomer.page, '我的频道');
  await newcomer.page.getByText('加入社区后，这里会显示您的单元群、楼栋群、小区群和社区群。').waitFor();

  // Back on 我的, the captain sees one request waiting.
  await captain.page.goBack();
  await captain.page
    .locator('.me__entries .at-list__item', { hasText: '待审批' })
    .locator('.me__count', { hasText: '1' })
    .waitFor();
  await openEntry(captain.page, '待审批');
  const request = captain.page.locator('.approval', { hasText: '402室' });
  await request.getByText('租户').waitFor();
  expect(await request.locator('.approval__name').innerText()).toBe('新****');
  await request.locator('.at-button', { hasText: '通过' }).click();
  await captain.page.getByText('暂无待审批').waitFor();

  await newcomer.page.reload();
  await newcomer.page.locator('.channel-card').nth(3).waitFor();
  const cards = newcomer.page.locator('.channel-card');
  const names = await cards.locator('.channel-card__name').allInnerTexts();
  const labels = await cards.locator('.channel-card__label').allInnerTexts();
  const channels = names.map((name, i) => [name, labels[i]]);
  expect(channels).toEqual([
    ['1单元', '单元群'],
    ['1栋', '楼栋群'],
    ['阳光花园', '小区群'],
    ['幸福里社区', '社区群'],
  ]);

  // 首页 now shows the community and the same channels; a channel opens with its notices.
  await newcomer.page.goto(server.baseUrl);
  await newcomer.page.locator('.home__title', { hasText: '幸福里社区' }).waitFor();
  await newcomer.page.locator('.channel-card', { hasText: '社区群' }).click();
  await newcomer.page.getByText('欢迎使用邻里小程序').waitFor();
  expect([...captain.problems, ...newcomer.problems]).toEqual([]);
}, 120_000);
