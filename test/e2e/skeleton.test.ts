import type { FastifyInstance } from 'fastify';
import type { Browser, Page } from 'playwright-core';
import pkg from '../../package.json';
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

test('the H5 app loads from the service, shows the home page with live data, and the tab bar works', async () => {
  await page.goto(server.baseUrl);
  await page.getByText('与邻为善 · 以邻为伴').waitFor();
  await page.getByText(`版本 ${pkg.version}`, { exact: false }).waitFor();

  await page.getByText('我的', { exact: true }).last().click();
  await page.getByText('登录后可查看我的家庭、角色与消息').waitFor();

  await page.getByText('随手拍', { exact: true }).last().click();
  await page.getByText(/随手拍即将开放/).waitFor();
  expect(problems).toEqual([]);
});

test('when the API fails the page says so in Chinese and retry recovers', async () => {
  let failing = true;
  await page.route('**/api/app-info', (route) =>
    failing
      ? route.fulfill({
          status: 503,
          contentType: 'application/json',
          body: JSON.stringify({ statusCode: 503, code: 'SERVICE_UNAVAILABLE', message: 'x', reqId: 'r' }),
        })
      : route.continue(),
  );
  await page.goto(server.baseUrl);
  await page.getByText('服务暂不可用，请稍后再试').waitFor();
  failing = false;
  // taro-ui lays a transparent native button over its label; click the button as a finger would.
  await page.locator('.at-button', { hasText: '重试' }).click();
  await page.getByText(`版本 ${pkg.version}`, { exact: false }).waitFor();
  // The failed call itself is logged by the browser; nothing else may go wrong.
  expect(problems.filter((p) => !p.includes('503'))).toEqual([]);
});
