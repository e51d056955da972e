import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { apiClient, SEED_FEATURE } from './api.js';
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

describe('a feature from creation to its second version', () => {
  let closePage: (() => Promise<void>) | undefined;
  afterEach(async () => closePage?.());

  it('creates the seed feature with the form, lists it, edits it and diffs the versions', async () => {
    const { page, problems, close } = await openPage(browser);
    closePage = close;

    await page.goto(`${service.url}/#/features`);
    await page.getByTestId('features-empty').waitFor();
    await page.getByTestId('new-feature-button').click();
    await page.waitForURL(/#\/features\/new$/);

    await fillNewFeatureForm(page, {
      name: SEED_FEATURE.name,
      description: SEED_FEATURE.description,
      valueType: SEED_FEATURE.value_type,
      featureType: SEED_FEATURE.feature_type,
      entity: SEED_FEATURE.entity,
      tags: [...SEED_FEATURE.tags],
    });
    await page.getByTestId('create-feature').click();

    // The detail page of the new feature, at version 1.
    await page.waitForURL(/#\/features\/usuario_idade$/);
    await expect.poll(() => page.getByTestId('feature-title').textContent()).toBe('usuario_idade');
    expect(await page.getByTestId('feature-version').textContent()).toBe('v1');
    // The service created the entity on the way and said so; the UI passes the warning on.
    expect(await page.getByTestId('feature-notice').textContent()).toContain("Entity 'usuario' did not exist");
    expect(await page.getByTestId('definition-description').textContent()).toContain('Idade do usuário');

    // Listed on the Features page with its entity, types and tags.
    await page.getByTestId('nav-features').click();
    const row = page.locator('[data-testid="feature-row"][data-feature-name="usuario_idade"]');
    await row.waitFor();
    const rowText = (await row.textContent()) ?? '';
    for (const expected of ['usuario', 'INT', 'Numeric', 'demografia', 'basico', 'v1', 'Active']) {
      expect(rowText).toContain(expected);
    }

    // Open it and see version 1.
    await row.getByRole('link', { name: 'usuario_idade' }).click();
    await page.waitForURL(/#\/features\/usuario_idade/);
    await page.getByTestId('tab-versions').click();
    await page.locator('[data-testid="version-row"][data-version="1"]').waitFor();
    expect(await page.getByTestId('version-row').count()).toBe(1);

    // Edit the description: the service records version 2.
    await page.getByTestId('edit-feature').click();
    const description = page.locator('#edit-description');
    await description.fill('Idade do usuário em anos completos');
    await page.getByTestId('save-feature').click();
    await page.getByTestId('feature-notice').waitFor();
    await expect.poll(() => page.getByTestId('feature-version').textContent()).toBe('v2');
    await page.locator('[data-testid="version-row"][data-version="2"]').waitFor();
    expect(await page.getByTestId('version-row').count()).toBe(2);

    // The diff of v1 -> v2 shows the description before and after.
    await page.getByTestId('tab-diff').click();
    const change = page.locator('[data-testid="diff-row"][data-field="description"]');
    await change.waitFor();
    expect(await change.getByTestId('diff-before').textContent()).toBe('Idade do usuário');
    expect(await change.getByTestId('diff-after').textContent()).toBe('Idade do usuário em anos completos');

    // The service agrees.
    const stored = await apiClient(service.url).features.get('usuario_idade');
    expect(stored.version).toBe(2);
    expect(stored.description).toBe('Idade do usuário em anos completos');
    expect(stored.tags).toEqual(['demografia', 'basico']);
    expect(problems.list).toEqual([]);
  });
});
