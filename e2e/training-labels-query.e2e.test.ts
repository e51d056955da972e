import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { apiClient } from './api.js';
import { launchBrowser, openPage, screenshotStates } from './browser.js';
import { pickOption } from './new-feature-form.js';
import { startService, type RunningService } from './service-harness.js';

let service: RunningService;
let browser: Browser;

const ENTITY = 'conta';
const SOURCE = 'eventos_conta';
/** c1's saldo changes on 01-01 and 01-10; c2's on 01-03. */
const HISTORY = [
  { conta_id: 'c1', event_timestamp: '2025-01-01T00:00:00Z', conta_saldo: 100.5 },
  { conta_id: 'c1', event_timestamp: '2025-01-10T00:00:00Z', conta_saldo: 90.25 },
  { conta_id: 'c2', event_timestamp: '2025-01-03T00:00:00Z', conta_saldo: 20 },
];
/** The data source the labels are queried from: events with a fraud flag (one row is not a label). */
const EVENTS_CSV = ['conta,ocorrido_em,tipo,fraude', 'c1,2025-01-05T00:00:00Z,pix,1', 'c1,2025-01-12T00:00:00Z,pix,0', 'c2,2025-01-04T00:00:00Z,ted,0', 'c2,2025-01-04T00:00:00Z,login,0', ''].join('\n');
const QUERY_WITHOUT_TIME = `SELECT conta AS entity_key, fraude FROM ${SOURCE}`;
const QUERY = `SELECT conta AS entity_key, ocorrido_em AS timestamp, fraude\nFROM ${SOURCE}\nWHERE tipo <> 'login'\nORDER BY ocorrido_em`;

beforeAll(async () => {
  service = await startService();
  browser = await launchBrowser();
  const client = apiClient(service.url);
  await client.entities.create({ name: ENTITY, join_key: 'conta_id', description: 'Conta corrente' });
  await client.featureGroups.create({ name: 'saldo', entity: ENTITY });
  await client.features.create({ name: 'conta_saldo', value_type: 'FLOAT', entity: ENTITY, feature_group: 'saldo', description: 'Saldo' });
  await client.ingestRows(ENTITY, 'saldo', HISTORY);
  const upload = await client.uploads.create(EVENTS_CSV, { format: 'csv', filename: 'eventos.csv' });
  await client.dataSources.create({ name: SOURCE, type: 'file', upload_id: upload.upload_id, description: 'Eventos das contas' });
});

afterAll(async () => {
  await browser?.close();
  await service?.stop();
});

async function fillQueryForm(page: Page, query: string): Promise<void> {
  await pickOption(page, 'training-entity', ENTITY);
  await page.locator('#training-features').click();
  await page.locator('[data-testid="feature-option"][data-feature-name="conta_saldo"]').click();
  await page.keyboard.press('Escape');
  await page.getByTestId('labels-from-query').click();
  await pickOption(page, 'training-label-source', SOURCE);
  await page.getByTestId('label-query').fill(query);
}

describe('training sets with labels from a SQL query on a data source', () => {
  it('asks for the source and the query, names a missing column of the result, then builds from the query', async () => {
    const { page, problems, close } = await openPage(browser);
    try {
      await page.goto(`${service.url}/#/training`);
      await page.getByTestId('labels-from-query').click();
      // No label file is asked for: the source and the query are.
      await page.getByTestId('build-training-set').click();
      expect(await page.locator('#training-label-source-helper-text').textContent()).toBe('Choose the data source the query runs on');
      expect(await page.locator('#training-label-query-helper-text').textContent()).toBe('Write the SELECT that gives the label rows');
      expect(await page.getByTestId('label-drop-zone').count()).toBe(0);

      await fillQueryForm(page, QUERY_WITHOUT_TIME);
      expect(await page.locator('#training-label-query-helper-text').textContent()).toContain('DuckDB, over the source');
      await page.getByTestId('build-training-set').click();
      // Refused before any job, next to the field it names.
      await page.getByTestId('training-error').waitFor();
      expect(await page.locator('#training-time-column-helper-text').textContent()).toBe(
        "Label time column: the query's result has no column 'timestamp' (its columns: entity_key, fraude)",
      );
      expect(await page.getByTestId('training-job').count()).toBe(0);

      await page.getByTestId('label-query').fill(QUERY);
      await page.getByTestId('build-training-set').click();
      await page.locator('[data-testid="training-job"][data-state="succeeded"]').waitFor({ timeout: 30_000 });
      expect(await page.getByTestId('training-error').count()).toBe(0);
      expect(await page.getByTestId('result-rows').textContent()).toBe('3');
      const preview = page.getByTestId('training-preview');
      await preview.waitFor();
      expect(await preview.getByTestId('preview-column').allTextContents()).toEqual(['entity_key', 'timestamp', 'fraude', 'conta_saldo']);
      const rows = await preview.getByTestId('training-preview-row').evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent)));
      // In the query's order: c2 on 01-04 (20), c1 on 01-05 (100.5, before the 01-10 change), c1 on 01-12 (90.25).
      expect(rows.map((r) => [r[0], r[2], Number(r[3])])).toEqual([
        ['c2', '0', 20],
        ['c1', '1', 100.5],
        ['c1', '0', 90.25],
      ]);
      const job = await apiClient(service.url).jobs.get((await page.getByTestId('training-job').getAttribute('data-job-id'))!);
      expect(job.params).toMatchObject({ labels: { source: SOURCE, query: QUERY } });
      expect(problems.list).toEqual([]);
    } finally {
      await close();
    }
  });

  it('screenshots: the query form and its finished set, light and dark', async () => {
    await screenshotStates(browser, 'training-labels-query', async (page) => {
      await page.goto(`${service.url}/#/training`);
      await fillQueryForm(page, QUERY);
      await page.getByTestId('build-training-set').click();
      await page.getByTestId('training-preview').waitFor({ timeout: 30_000 });
      // From the top, nothing focused: a full-page shot of a scrolled page repeats the fixed header.
      await page.evaluate(() => {
        (document.activeElement as HTMLElement | null)?.blur();
        window.scrollTo(0, 0);
      });
    });
  });
});
