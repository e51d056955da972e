import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { FStoreApiError } from '@shared/api/client.js';
import { apiClient } from './api.js';
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

describe('the New Feature form', () => {
  it('explains a name that is not snake_case while typing and creates nothing on submit', async () => {
    const { page, problems, close } = await openPage(browser);
    try {
      await page.goto(`${service.url}/#/features/new`);
      await page.locator('#feature-name').fill('Usuario Idade');

      const nameField = page.locator('#feature-name');
      const help = page.locator('#feature-name-help');
      await expect.poll(() => help.textContent()).toContain('is not snake_case');
      expect(await help.textContent()).toContain("'usuario_idade'");
      expect(await nameField.getAttribute('aria-invalid')).toBe('true');

      await fillNewFeatureForm(page, {
        name: 'Usuario Idade',
        valueType: 'INT',
        featureType: 'NUMERIC',
        entity: 'usuario',
        tags: ['demografia'],
      });
      await page.getByTestId('create-feature').click();

      // Still on the form, with the message, and focus on the faulty field.
      await page.waitForTimeout(500);
      expect(page.url()).toMatch(/#\/features\/new$/);
      expect(await help.textContent()).toContain('is not snake_case');
      expect(await page.evaluate(() => document.activeElement?.id)).toBe('feature-name');

      // Nothing reached the registry.
      const client = apiClient(service.url);
      expect(await client.features.list({ include_archived: true })).toEqual([]);
      expect(await client.entities.list({ include_archived: true })).toEqual([]);
      const lookup = await client.features.get('usuario_idade').then(
        () => undefined,
        (err: unknown) => err,
      );
      expect(lookup).toBeInstanceOf(FStoreApiError);
      expect((lookup as FStoreApiError).status).toBe(404);

      // Fixing the name makes the message go away.
      await nameField.fill('usuario_idade');
      await expect.poll(() => nameField.getAttribute('aria-invalid')).toBe('false');
      expect(problems.list).toEqual([]);
    } finally {
      await close();
    }
  });
});
