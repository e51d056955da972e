import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, openPage } from './browser.js';
import { startService, type RunningService } from './service-harness.js';

let service: RunningService;
let browser: Browser;

beforeAll(async () => {
  service = await startService();
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await service?.stop();
});

const colorMode = (page: Page) => page.evaluate(() => document.documentElement.dataset['colorMode']);
const background = (page: Page) => page.evaluate(() => getComputedStyle(document.body).backgroundColor);

/** Relative luminance of an `rgb(r, g, b)` string, 0 (black) to 1 (white). */
function luminance(rgb: string): number {
  const [r = 0, g = 0, b = 0] = (rgb.match(/\d+/g) ?? []).map(Number);
  return (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255;
}

describe('dark mode', () => {
  it('follows the OS preference, toggles, and remembers the choice', async () => {
    const { page, problems, close } = await openPage(browser, { colorScheme: 'light' });
    try {
      await page.goto(`${service.url}/#/features`);
      await page.getByTestId('color-mode-toggle').waitFor();
      expect(await colorMode(page)).toBe('light');
      expect(luminance(await background(page))).toBeGreaterThan(0.8);

      await page.getByTestId('color-mode-toggle').click();
      await expect.poll(() => colorMode(page)).toBe('dark');
      expect(luminance(await background(page))).toBeLessThan(0.2);
      expect(await page.getByTestId('color-mode-toggle').getAttribute('aria-label')).toBe('Switch to light mode');

      // The choice survives a reload even though the OS still prefers light.
      await page.reload();
      await page.getByTestId('color-mode-toggle').waitFor();
      expect(await colorMode(page)).toBe('dark');

      await page.getByTestId('color-mode-toggle').click();
      await expect.poll(() => colorMode(page)).toBe('light');
      expect(problems.list).toEqual([]);
    } finally {
      await close();
    }
  });

  it('starts dark when the OS prefers dark and nothing is stored', async () => {
    const { page, close } = await openPage(browser, { colorScheme: 'dark' });
    try {
      await page.goto(`${service.url}/#/features`);
      await page.getByTestId('color-mode-toggle').waitFor();
      expect(await colorMode(page)).toBe('dark');
      expect(luminance(await background(page))).toBeLessThan(0.2);
    } finally {
      await close();
    }
  });
});
