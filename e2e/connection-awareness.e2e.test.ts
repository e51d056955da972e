import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, openPage } from './browser.js';
import { fillNewFeatureForm } from './new-feature-form.js';
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

const statusState = (page: Page) => page.getByTestId('service-status').getAttribute('data-state');

/** The banner's countdown ("Checking again in N s"), or -1 while it shows none. */
async function secondsToNextCheck(page: Page): Promise<number> {
  const text = (await page.getByTestId('service-down-banner').textContent()) ?? '';
  return Number(/Checking again in (\d+) s/.exec(text)?.[1] ?? -1);
}

describe('connection awareness', () => {
  it('shows a banner while the service is down, and clears it on Retry once the service is back', async () => {
    const { page, close } = await openPage(browser);
    try {
      await page.goto(`${service.url}/#/features`);
      await expect.poll(() => statusState(page)).toBe('up');
      expect(await page.getByTestId('service-down-banner').count()).toBe(0);

      await service.halt();
      // Found by the periodic check (every 10 s while up), with no user action.
      const banner = page.getByTestId('service-down-banner');
      await banner.waitFor({ timeout: 20_000 });
      expect(await banner.getAttribute('role')).toBe('alert');
      expect(await banner.textContent()).toContain('The FStore service is not answering');
      expect(await statusState(page)).toBe('down');

      // Retrying while it is still down keeps the banner.
      await page.getByTestId('service-retry').click();
      await expect.poll(async () => page.getByTestId('service-retry').textContent()).toBe('Retry now');
      expect(await banner.isVisible()).toBe(true);

      // Restart only once the next automatic check is 14 s or more away (backoff 2, 4, 8, 16 s), so
      // that it is Retry, not a scheduled check, that finds the service back.
      await expect.poll(() => secondsToNextCheck(page), { timeout: 40_000, interval: 250 }).toBeGreaterThanOrEqual(14);
      await service.restart();
      await page.getByTestId('service-retry').click();
      await banner.waitFor({ state: 'detached', timeout: 3_000 });
      expect(await statusState(page)).toBe('up');
    } finally {
      await close();
    }
  }, 120_000);

  it('shows a failed Create next to the Create button, on screen, at 1024x700', async () => {
    const { page, close } = await openPage(browser, { viewport: { width: 1024, height: 700 } });
    try {
      await page.goto(`${service.url}/#/features/new`);
      await fillNewFeatureForm(page, { name: 'loja_vendas', valueType: 'FLOAT', featureType: 'NUMERIC', entity: 'loja' });
      await service.halt();
      await page.getByTestId('create-feature').click();

      const error = page.getByTestId('server-error');
      await error.waitFor();
      const errorBox = (await error.boundingBox())!;
      const buttonBox = (await page.getByTestId('create-feature').boundingBox())!;
      expect(errorBox.y).toBeGreaterThanOrEqual(0);
      expect(errorBox.y + errorBox.height).toBeLessThanOrEqual(700);
      // Directly above the button, not at the top of the form.
      expect(buttonBox.y - (errorBox.y + errorBox.height)).toBeLessThan(48);
      expect(await error.textContent()).toContain('cannot be reached');
    } finally {
      await service.restart();
      await close();
    }
  });
});
