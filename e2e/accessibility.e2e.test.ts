import { AxeBuilder } from '@axe-core/playwright';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { SEED_FEATURE, postFeature } from './api.js';
import { launchBrowser, openPage } from './browser.js';
import { startService, type RunningService } from './service-harness.js';

let service: RunningService;
let browser: Browser;

/** Every route of the app, with data behind the ones that show it. */
const PAGES = [
  '/features',
  '/features/new',
  `/features/${SEED_FEATURE.name}`,
  '/feature-groups',
  '/entities',
  '/transforms',
  '/transforms/new',
  '/data-sources',
  '/ingest',
  '/training',
  '/jobs',
  '/monitoring',
  '/definitions',
  '/audit',
  '/no-such-page',
] as const;

beforeAll(async () => {
  service = await startService();
  browser = await launchBrowser();
  await postFeature(service.url, SEED_FEATURE);
  const csv = 'usuario_id,event_timestamp,usuario_idade\nu1,2025-01-01T00:00:00Z,25\nu2,2025-01-02T00:00:00Z,31\n';
  const ingested = await fetch(`${service.url}/api/jobs/ingest/usuario/perfil`, { method: 'POST', headers: { 'content-type': 'text/csv' }, body: csv });
  expect(ingested.status, await ingested.text()).toBe(202);
});

afterAll(async () => {
  await browser?.close();
  await service?.stop();
});

/** Waits until the page has loaded its data: no request for a moment and no loading indicator. */
async function settle(page: Page): Promise<void> {
  await page.waitForLoadState('networkidle');
  await page.getByTestId('loading').first().waitFor({ state: 'detached', timeout: 15_000 }).catch(() => undefined);
  await page.waitForLoadState('networkidle');
}

/** Serious and critical WCAG 2.1 A/AA violations, one line each with the elements concerned. */
async function seriousViolations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => `${n.target.join(' ')} ${n.failureSummary?.split('\n').slice(1).join(' ') ?? ''}`).join(' | ')}`);
}

describe('accessibility', () => {
  for (const colorScheme of ['light', 'dark'] as const) {
    it(`has no serious or critical axe violations on any page, ${colorScheme} theme`, async () => {
      const { page, close } = await openPage(browser, { colorScheme });
      try {
        const found: Record<string, string[]> = {};
        for (const path of PAGES) {
          await page.goto(`${service.url}/#${path}`);
          await settle(page);
          const violations = await seriousViolations(page);
          if (violations.length > 0) found[path] = violations;
        }
        expect(found).toEqual({});
      } finally {
        await close();
      }
    }, 240_000);
  }

  it('offers "Skip to content" as the first Tab stop, which moves focus to the page', async () => {
    const { page, close } = await openPage(browser);
    try {
      await page.goto(`${service.url}/#/features`);
      await settle(page);
      const skip = page.getByTestId('skip-link');
      const isOnScreen = async () => {
        const box = await skip.boundingBox();
        return box !== null && box.y + box.height > 0;
      };
      expect(await isOnScreen()).toBe(false);

      await page.keyboard.press('Tab');
      expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Skip to content');
      await expect.poll(isOnScreen).toBe(true);

      await page.keyboard.press('Enter');
      expect(await page.evaluate(() => document.activeElement?.id)).toBe('main-content');
      expect(page.url()).toContain('#/features');
      // The next Tab goes into the page, past the top bar and the navigation.
      await page.keyboard.press('Tab');
      expect(await page.evaluate(() => Boolean(document.activeElement?.closest('main')))).toBe(true);
    } finally {
      await close();
    }
  });

  it('draws a focus ring for the keyboard that hover does not', async () => {
    const { page, close } = await openPage(browser);
    try {
      await page.goto(`${service.url}/#/features`);
      await settle(page);
      const link = page.getByTestId('nav-entities');
      const outline = () => link.evaluate((el) => getComputedStyle(el).outlineStyle);
      await link.hover();
      expect(await outline()).toBe('none');
      await link.focus();
      await page.keyboard.press('Shift+Tab');
      await page.keyboard.press('Tab');
      expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('nav-entities');
      expect(await outline()).toBe('solid');
    } finally {
      await close();
    }
  });
});
