import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AxeBuilder } from '@axe-core/playwright';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { apiClient } from './api.js';
import { launchBrowser, openPage, SCREENSHOT_DIR, screenshotPage, screenshotStates } from './browser.js';
import { startService, type RunningService } from './service-harness.js';

let service: RunningService;
let browser: Browser;

beforeAll(async () => {
  service = await startService();
  browser = await launchBrowser();
  const client = apiClient(service.url);
  await client.featureGroups.create({ name: 'perfil', entity: 'usuario', description: 'Profile' });
  await client.featureGroups.create({ name: 'sessao', entity: 'usuario', description: 'Sessions' });
  await client.ingestRows('usuario', 'perfil', [{ usuario_id: 'u1', event_timestamp: '2025-01-10T00:00:00Z', usuario_idade: 31, usuario_renda: 5100.5 }]);
  await client.ingestRows('usuario', 'sessao', [{ usuario_id: 'u1', event_timestamp: '2025-01-09T00:00:00Z', usuario_cliques: 7 }]);
  await client.ingestRows('pedido', 'pedido_dados', [{ pedido_id: 'p1', event_timestamp: '2025-01-09T00:00:00Z', pedido_valor: 10.5 }]);
});

afterAll(async () => {
  await browser?.close();
  await service?.stop();
});

const pick = (page: Page, feature: string) => page.locator(`[data-testid="feature-row"][data-feature-name="${feature}"] [data-testid="select-feature"] input`).check();

describe('feature services in the app', () => {
  it('builds a service from features picked on the Features page, then lists and shows it', async () => {
    const { page, problems, close } = await openPage(browser);
    try {
      await page.goto(`${service.url}/#/feature-services`);
      await page.getByTestId('feature-services-empty').waitFor();

      await page.goto(`${service.url}/#/features`);
      await pick(page, 'usuario_renda');
      await pick(page, 'usuario_cliques');
      await expect.poll(() => page.getByTestId('feature-selection-bar').textContent()).toContain('2 features selected');

      // A feature of another entity cannot join them: the dialog says why and offers no create.
      await pick(page, 'pedido_valor');
      await page.getByTestId('create-service-button').click();
      await expect.poll(() => page.getByTestId('service-selection-problem').textContent()).toContain("serves one entity; the selection has 'usuario' and 'pedido'");
      expect(await page.getByTestId('create-service-submit').isDisabled()).toBe(true);
      await page.getByRole('button', { name: 'Cancel' }).click();
      await page.locator('[data-testid="feature-row"][data-feature-name="pedido_valor"] [data-testid="select-feature"] input').uncheck();

      await page.getByTestId('create-service-button').click();
      expect(await page.getByTestId('service-references').textContent()).toBe('perfil:usuario_rendasessao:usuario_cliques');
      // A name the registry refuses is explained before anything is sent.
      await page.getByTestId('service-name-input').fill('Credit Model');
      await page.getByTestId('create-service-submit').click();
      await expect.poll(() => page.getByTestId('create-service-dialog').textContent()).toContain("'credit_model'");
      await page.getByTestId('service-name-input').fill('credito_modelo');
      await page.getByLabel('Description').fill('Inputs of the credit model');
      await page.getByTestId('create-service-submit').click();

      await page.getByTestId('service-title').waitFor();
      expect(page.url()).toContain('#/feature-services/credito_modelo');
      expect(await page.getByTestId('notice').textContent()).toContain('Feature service credito_modelo created (version 1)');
      const rows = await page.getByTestId('service-feature-row').evaluateAll((r) => r.map((row) => row.getAttribute('data-feature-name')));
      expect(rows).toEqual(['usuario_renda', 'usuario_cliques']);
      expect(await page.getByTestId('service-snippets').textContent()).toContain('feature_service="credito_modelo"');
      await page.getByTestId('service-lineage').getByText('perfil').first().waitFor();

      await page.getByTestId('nav-feature-services').click();
      await page.locator('[data-testid="feature-service-row"][data-service-name="credito_modelo"]').waitFor();
      expect(await page.getByTestId('feature-services-table').textContent()).toContain('usuario_cliques');
      expect(problems.list).toEqual([]);
    } finally {
      await close();
    }
    // What the app created is what a model gets by name.
    const online = await apiClient(service.url).online({ feature_service: 'credito_modelo', entity_keys: ['u1'] });
    expect(online.results[0]!.features).toMatchObject({ usuario_renda: { value: 5100.5, status: 'PRESENT' }, usuario_cliques: { value: 7 } });
  });

  it('builds a training set from the service: its page links to the training page with the service chosen', async () => {
    const labels = join(mkdtempSync(join(tmpdir(), 'fstore-e2e-service-labels-')), 'labels.csv');
    // u1's profile is written on 01-10 and its sessions on 01-09: the first label sees only sessions.
    writeFileSync(labels, 'entity_key,timestamp,label\nu1,2025-01-09T12:00:00Z,0\nu1,2025-01-11T00:00:00Z,1\n');
    const { page, problems, close } = await openPage(browser);
    try {
      await page.goto(`${service.url}/#/feature-services/credito_modelo`);
      await page.getByTestId('train-with-service').click();
      await page.waitForURL(/#\/training\?feature_service=credito_modelo$/);
      await expect.poll(() => page.locator('#training-feature-service').textContent()).toContain('credito_modelo');
      expect(await page.getByTestId('features-from-service').getAttribute('aria-pressed')).toBe('true');
      await expect.poll(() => page.getByTestId('feature-service-columns').textContent()).toContain('usuario_rendausuario_cliques');
      expect(await page.getByTestId('feature-service-columns').textContent()).toContain('keys of usuario');

      await page.getByTestId('label-file-input').setInputFiles(labels);
      await page.getByTestId('upload-done').waitFor();
      await page.locator('#training-format').click();
      await page.getByRole('option', { name: /CSV/ }).click();
      await page.getByTestId('build-training-set').click();
      await page.locator('[data-testid="training-job"][data-state="succeeded"]').waitFor({ timeout: 30_000 });
      expect(await page.getByTestId('result-column').allTextContents()).toEqual(['entity_key', 'timestamp', 'label', 'usuario_renda', 'usuario_cliques']);
      const jobId = await page.getByTestId('training-job').getAttribute('data-job-id');
      const text = await (await fetch(`${service.url}/api/jobs/${jobId}/result`)).text();
      expect(text.trim().split('\n').map((line) => line.split(',').slice(2))).toEqual([
        ['label', 'usuario_renda', 'usuario_cliques'],
        ['0', '', '7'],
        ['1', '5100.5', '7'],
      ]);

      // Back to picking features: the service's choice does not linger as a pick list.
      await page.getByTestId('features-from-list').click();
      expect(await page.locator('#training-entity').textContent()).not.toContain('usuario');
      await page.getByTestId('features-from-service').click();
      await page.getByTestId('build-training-set').click();
      expect(await page.locator('#training-feature-service-helper-text').textContent()).toBe('Choose the feature service whose features become columns');
      expect(problems.list).toEqual([]);
    } finally {
      await close();
    }
  });

  it('archives and restores a service from its page', async () => {
    const { page, problems, close } = await openPage(browser);
    try {
      await page.goto(`${service.url}/#/feature-services/credito_modelo`);
      await page.getByTestId('archive-service').click();
      await page.getByTestId('restore-service').waitFor();
      await expect.poll(() => page.getByTestId('service-version').textContent()).toBe('v2');
      await page.getByTestId('restore-service').click();
      await page.getByTestId('archive-service').waitFor();
      await expect.poll(() => page.getByTestId('service-version').textContent()).toBe('v3');
      expect(problems.list).toEqual([]);
    } finally {
      await close();
    }
  });

  it('has no serious or critical axe violations on the services pages and the create dialog, in both themes', async () => {
    const serious = async (page: Page) =>
      (await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze()).violations
        .filter((v) => v.impact === 'serious' || v.impact === 'critical')
        .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(' | ')}`);
    for (const colorScheme of ['light', 'dark'] as const) {
      const { page, close } = await openPage(browser, { colorScheme });
      try {
        const found: Record<string, string[]> = {};
        await page.goto(`${service.url}/#/feature-services`);
        await page.getByTestId('feature-services-table').waitFor();
        found['list'] = await serious(page);
        await page.goto(`${service.url}/#/feature-services/credito_modelo`);
        await page.getByTestId('service-feature-row').first().waitFor();
        await page.getByTestId('version-row').first().waitFor();
        found['detail'] = await serious(page);
        await page.goto(`${service.url}/#/features`);
        await pick(page, 'usuario_idade');
        found['features with a selection'] = await serious(page);
        await page.getByTestId('create-service-button').click();
        await page.getByTestId('service-name-input').waitFor();
        found['create dialog'] = await serious(page);
        expect(found, colorScheme).toEqual({ list: [], detail: [], 'features with a selection': [], 'create dialog': [] });
      } finally {
        await close();
      }
    }
  }, 120_000);

  it.skipIf(!SCREENSHOT_DIR)('takes screenshots of the services list, a service and the create dialog (with E2E_SCREENSHOT_DIR)', async () => {
    await screenshotPage(browser, 'feature-services-list', `${service.url}/#/feature-services`, 'feature-services-table');
    await screenshotStates(browser, 'features-selected', async (page) => {
      await page.goto(`${service.url}/#/features`);
      await pick(page, 'usuario_idade');
      await pick(page, 'usuario_cliques');
    });
    await screenshotPage(browser, 'feature-service-detail', `${service.url}/#/feature-services/credito_modelo`, 'service-versions');
    await screenshotPage(browser, 'training-feature-service', `${service.url}/#/training?feature_service=credito_modelo`, 'feature-service-columns');
    await screenshotStates(
      browser,
      'feature-service-create',
      async (page) => {
        await page.goto(`${service.url}/#/features`);
        await pick(page, 'usuario_idade');
        await pick(page, 'usuario_cliques');
        await page.getByTestId('create-service-button').click();
        await page.getByTestId('service-name-input').fill('churn_modelo');
      },
      async (page, base) => {
        await page.screenshot({ path: `${base}.png` });
      },
    );
  });
});
