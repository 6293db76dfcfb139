import type { FastifyInstance } from 'fastify';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { AppOptions } from '../../server/app';
import { PRIVACY_POLICY_VERSION } from '../../shared/privacy';
import { launchChromium, startServer, watchForErrors } from './browser';

export interface Phone {
  page: Page;
  /** Page and console errors seen on it so far (`watchForErrors`). */
  problems: string[];
}

/**
 * Chromium and the service for one test file's phones, started before its tests and closed after them with
 * every phone opened. Call it at the top of the file; `options` reach the service (a manual clock…).
 */
export function setUpPhones(options: Partial<AppOptions> = {}) {
  let browser: Browser;
  let server: { app: FastifyInstance; baseUrl: string };
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    [browser, server] = await Promise.all([launchChromium(), startServer(options)]);
  });
  afterAll(async () => {
    await Promise.all(contexts.map((context) => context.close()));
    await browser?.close();
    await server?.app.close();
  });

  /**
   * A phone of its own (separate storage, so a separate login) with the app open on 我的. Its user agreed to the
   * privacy policy on it before (no popup before location or photos) unless `privacyAgreed: false`.
   */
  async function open({ privacyAgreed = true }: { privacyAgreed?: boolean } = {}): Promise<Phone> {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'zh-CN' });
    contexts.push(context);
    if (privacyAgreed) {
      // As Taro's H5 setStorageSync keeps it (services/privacy.ts reads `linli.privacy`).
      const stored = JSON.stringify({
        data: { version: PRIVACY_POLICY_VERSION, agreedAt: '2026-12-01T00:00:00.000Z' },
      });
      await context.addInitScript({ content: `localStorage.setItem('linli.privacy', ${JSON.stringify(stored)});` });
    }
    const page = await context.newPage();
    const problems = watchForErrors(page);
    await page.goto(server.baseUrl);
    await page.getByText('我的', { exact: true }).last().click();
    return { page, problems };
  }

  /** A phone of its own, logged in as a demo user, on 我的. */
  async function logIn(name: string): Promise<Phone> {
    const phone = await open();
    await logInAsDemo(phone.page, name);
    return phone;
  }

  // The app itself, for what no phone can do: time passing (a ballot's closing job).
  return { open, logIn, baseUrl: () => server.baseUrl, app: () => server.app };
}

/** On 我的, logged out: picks the demo user from 演示账号 and waits for their profile. */
export async function logInAsDemo(page: Page, name: string): Promise<void> {
  await page.locator('.at-list__item', { hasText: name }).click();
  await page.locator('.me__name', { hasText: name }).waitFor();
}

/** An entry of 我的 (加入社区, 我的频道, 待审批…): tapping the row opens its page. */
export async function openEntry(page: Page, title: string): Promise<void> {
  await page.locator('.me__entries .at-list__item', { hasText: title }).click();
}
