import type { FastifyInstance } from 'fastify';
import type { Browser, Page } from 'playwright-core';
import { launchChromium, startServer, watchForErrors } from './browser';

let browser: Browser;
let server: { app: FastifyInstance; baseUrl: string };
let page: Page;
let problems: string[];

beforeAll(async () => {
  [browser, server] = await Promise.all([launchChromium(), startServer()]);
});
afterAll(async () => {
  await browser?.close();
  await server?.app.close();
});
beforeEach(async () => {
  page = await browser.newPage({ viewport: { width: 390, height: 844 }, locale: 'zh-CN' });
  problems = watchForErrors(page);
});
afterEach(async () => {
  await page.close();
});

const tab = (text: string) => page.getByText(text, { exact: true }).last();

test('the H5 app loads from the service, shows the home page, and the tab bar with its icons works', async () => {
  await page.goto(server.baseUrl);
  await page.getByText('与邻为善 · 以邻为伴').waitFor();
  await page.getByText('欢迎来到邻里').waitFor();
  // Every tab shows its icon: loaded images, not empty boxes.
  const icons = await page
    .locator('.weui-tabbar__item img')
    .evaluateAll((images) => images.map((img) => Reflect.get(img, 'naturalWidth')));
  expect(icons).toEqual([81, 81, 81]);

  await tab('我的').click();
  await page.getByText('登录后可查看我的家庭、角色与消息').waitFor();
  await page.getByText('演示账号').waitFor();

  await tab('随手拍').click();
  await page.getByText('登录后随手拍身边的问题，并跟进处理进度').waitFor();
  expect(problems).toEqual([]);
});

test('when the API fails the page says so in Chinese and retry recovers', async () => {
  let failing = true;
  await page.route('**/api/channels', (route) =>
    failing
      ? route.fulfill({
          status: 503,
          contentType: 'application/json',
          body: JSON.stringify({ statusCode: 503, code: 'SERVICE_UNAVAILABLE', message: 'x', reqId: 'r' }),
        })
      : route.continue(),
  );
  await page.goto(server.baseUrl);
  await tab('我的').click();
  await page.locator('.at-list__item', { hasText: '王阿姨' }).click();
  await page.locator('.me__name', { hasText: '王阿姨' }).waitFor();
  await tab('首页').click();
  await page.getByText('服务暂不可用，请稍后再试').waitFor();
  failing = false;
  // taro-ui lays a transparent native button over its label; click the button as a finger would.
  await page.locator('.at-button', { hasText: '重试' }).click();
  await page.locator('.channel-card__label', { hasText: '单元群' }).waitFor();
  // The failed call itself is logged by the browser; nothing else may go wrong.
  expect(problems.filter((p) => !p.includes('503'))).toEqual([]);
});
