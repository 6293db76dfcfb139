import type { Page } from 'playwright-core';
import sharp from 'sharp';

// What the flows share to find their way on a phone's page (H5 keeps earlier pages of the stack in the document,
// hidden, so only what is visible counts).

/** The elements matching `selector` on the page showing now. */
export const visible = (page: Page, selector: string) => page.locator(`${selector}:visible`);

/** A taro-ui button by its label. */
export const button = (page: Page, label: string) => page.locator('.at-button:visible', { hasText: label });

/** A chip of a `ChoiceChips` by its label. */
export const chip = (page: Page, label: string | RegExp) =>
  visible(page, '.choice-chips__chip').filter({ hasText: label });

/** 首页 and one of its entries (微心愿, 红黑榜, 志愿服务, 议事协商…). */
export async function openFromHome(page: Page, entry: string): Promise<void> {
  await page.getByText('首页', { exact: true }).last().click();
  await page.locator('.home__entries .at-list__item:visible', { hasText: entry }).click();
}

/** A photo as a phone camera would give it: a noisy JPEG of `colour`. */
export function cameraPhoto(
  colour: { r: number; g: number; b: number },
  size: { width: number; height: number } = { width: 1200, height: 900 },
): Promise<Buffer> {
  return sharp({
    create: { ...size, channels: 3, background: colour, noise: { type: 'gaussian', mean: 128, sigma: 30 } },
  })
    .jpeg({ quality: 80 })
    .toBuffer();
}
