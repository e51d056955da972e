import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { apiClient, postFeature } from './api.js';
import { launchBrowser, openPage } from './browser.js';
import { dropFile, PEDIDOS_WITH_BAD_ROWS_CSV, pickFile, typeDestination, USUARIOS_CSV, waitForCurrentPreview } from './ingest-files.js';
import { pickOption } from './new-feature-form.js';
import { startService, type RunningService } from './service-harness.js';

let service: RunningService;
let browser: Browser;
/** The job started by the drag-and-drop test; the Jobs page test looks for it. */
let ingestJobId: string | undefined;

beforeAll(async () => {
  service = await startService();
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await service?.stop();
});

const texts = (page: Page, testId: string) => page.getByTestId(testId).allTextContents();
const schemaRow = (page: Page, column: string) => page.locator(`[data-testid="schema-row"][data-column="${column}"]`);

describe('ingesting a file from the app', () => {
  it('drops a CSV on the window, previews it, ingests it into a new group, and the values are served', async () => {
    const { page, problems, close } = await openPage(browser);
    try {
      // Dropped on another page: the window-wide drop zone opens the ingest flow.
      await page.goto(`${service.url}/#/features`);
      await page.getByTestId('features-empty').waitFor();
      await dropFile(page, 'usuarios.csv', USUARIOS_CSV);
      await page.waitForURL(/#\/ingest$/);
      expect(await page.getByTestId('file-name').textContent()).toBe('usuarios.csv');
      await page.getByTestId('upload-done').waitFor();

      // The preview: first rows and the columns with their source types, before any destination.
      await page.getByTestId('sample-table').waitFor();
      expect(await page.getByTestId('sample-row').count()).toBe(3);
      expect(await page.locator('[data-testid="sample-row"][data-row="1"]').textContent()).toContain('Recife');
      expect(await page.getByTestId('schema-row').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-column')))).toEqual([
        'usuario_id',
        'event_timestamp',
        'usuario_idade',
        'usuario_cidade',
      ]);
      expect(await page.getByTestId('ingest-button').isDisabled()).toBe(true);
      expect(await page.getByTestId('ingest-blockers').textContent()).toContain('Choose an entity');

      // A new entity and a new group: both announced as created on ingestion.
      await typeDestination(page, 'entity', 'usuario');
      await typeDestination(page, 'group', 'demografia');
      expect(await page.locator('#ingest-entity-helper-text').textContent()).toContain('will be created');
      expect(await page.locator('#ingest-group-helper-text').textContent()).toContain('will be created');
      await waitForCurrentPreview(page);

      // The inferred schema maps each column: key, time, and new features with their types.
      await schemaRow(page, 'usuario_idade').getByTestId('registration-chip').waitFor();
      expect(await schemaRow(page, 'usuario_id').getByTestId('schema-role').textContent()).toBe('Entity key');
      expect(await schemaRow(page, 'event_timestamp').getByTestId('schema-role').textContent()).toBe('Event time');
      expect(await schemaRow(page, 'usuario_idade').getByTestId('schema-value-type').textContent()).toBe('INT');
      expect(await schemaRow(page, 'usuario_cidade').getByTestId('schema-value-type').textContent()).toBe('STRING');
      expect(await schemaRow(page, 'usuario_idade').getByTestId('registration-chip').textContent()).toBe('New');

      // Each change re-runs the dry run: stamping with the ingestion time is announced...
      await pickOption(page, 'ingest-time-column', ':ingestion-time');
      await waitForCurrentPreview(page);
      await expect.poll(() => texts(page, 'preview-warning')).toContainEqual(expect.stringContaining('ingestion time'));
      // ...then the key and time columns are confirmed.
      await pickOption(page, 'ingest-key-column', 'usuario_id');
      await pickOption(page, 'ingest-time-column', 'event_timestamp');
      await waitForCurrentPreview(page);
      await page.getByTestId('preview-valid').waitFor();
      expect(await page.getByTestId('preview-warning').count()).toBe(0);

      // Ingest: the job's progress reaches done and the report says what was written.
      const ingest = page.getByTestId('ingest-button');
      expect(await ingest.textContent()).toContain('Ingest 3 rows');
      await ingest.click();
      await page.getByTestId('ingest-job').waitFor();
      await page.locator('[data-testid="job-progress"][data-phase="done"]').waitFor({ timeout: 30_000 });
      await page.getByTestId('ingest-report').waitFor();
      expect(await page.getByTestId('report-rows').textContent()).toBe('3');
      expect(await page.getByTestId('report-values').textContent()).toBe('6');
      expect(await page.getByTestId('ingest-report-summary').textContent()).toContain('registered 2 new features');
      const reported = page.locator('[data-testid="report-feature"][data-feature-name="usuario_idade"]');
      expect(await reported.getByRole('link').getAttribute('href')).toBe('#/features/usuario_idade');
      ingestJobId = (await page.getByTestId('open-job').getAttribute('href'))?.replace('#/jobs/', '');

      // The values are served online, with the types read from the file.
      const online = await apiClient(service.url).online({
        entity: 'usuario',
        entity_keys: ['u1', 'u2', 'u3'],
        feature_list: ['usuario_idade', 'usuario_cidade'],
      });
      const byKey = new Map(online.results.map((r) => [r.entity_key, r.features]));
      expect(byKey.get('u1')?.['usuario_idade']).toMatchObject({ value: 31, status: 'PRESENT' });
      expect(byKey.get('u2')?.['usuario_cidade']).toMatchObject({ value: 'Olinda', status: 'PRESENT' });
      expect(byKey.get('u3')?.['usuario_idade']?.event_timestamp).toMatch(/^2025-01-03T12:00:00/);
      const group = await apiClient(service.url).featureGroups.get('demografia');
      expect(group.entity).toBe('usuario');
      expect([...group.features].sort()).toEqual(['usuario_cidade', 'usuario_idade']);

      // The report links to the new feature's page.
      await reported.getByRole('link').click();
      await page.waitForURL(/#\/features\/usuario_idade$/);
      expect(problems.list).toEqual([]);
    } finally {
      await close();
    }
  });

  it('shows the rejected rows of a picked CSV in the preview and does not let it be ingested', async () => {
    await postFeature(service.url, { name: 'pedido_valor', value_type: 'FLOAT', entity: 'pedido', description: 'Valor do pedido' });
    const { page, problems, close } = await openPage(browser);
    try {
      await page.goto(`${service.url}/#/ingest`);
      await pickFile(page, 'pedidos.csv', PEDIDOS_WITH_BAD_ROWS_CSV);
      await page.getByTestId('sample-table').waitFor();

      // The entity is suggested from the pedido_id column, and it exists already.
      await page.getByTestId('use-entity-suggestion').click();
      expect(await page.locator('#ingest-entity').inputValue()).toBe('pedido');
      expect(await page.locator('#ingest-entity-helper-text').textContent()).toBe('Existing entity');
      await typeDestination(page, 'group', 'vendas');
      await waitForCurrentPreview(page);

      // Each bad row with its row number, column and reason, before anything is written.
      await page.getByTestId('rejected-rows').waitFor();
      expect(await page.getByTestId('rejected-rows-summary').textContent()).toContain('2 invalid rows');
      const valueRow = page.locator('[data-testid="rejected-row"][data-row="2"][data-column="pedido_valor"]');
      expect(await valueRow.getByTestId('rejected-row-reason').textContent()).toContain("expected a finite number for feature 'pedido_valor'");
      expect(await valueRow.textContent()).toContain('abc');
      const timeRow = page.locator('[data-testid="rejected-row"][data-row="3"][data-column="event_timestamp"]');
      expect(await timeRow.getByTestId('rejected-row-reason').textContent()).toContain('ISO-8601');
      // The bad cells are marked in the first rows too.
      expect(await page.locator('[data-testid="sample-row"][data-row="2"] [data-column="pedido_valor"]').getAttribute('data-invalid')).toBe('true');
      // The existing feature joins the group; the new column would be registered.
      expect(await schemaRow(page, 'pedido_valor').getByTestId('registration-chip').getAttribute('data-registration')).toBe('assign');
      expect(await schemaRow(page, 'pedido_canal').getByTestId('registration-chip').getAttribute('data-registration')).toBe('new');

      expect(await page.getByTestId('ingest-button').isDisabled()).toBe(true);
      expect(await page.getByTestId('ingest-blockers').textContent()).toContain('2 rows are invalid');

      // Nothing reached the registry.
      const client = apiClient(service.url);
      expect((await client.featureGroups.list()).map((g) => g.name)).not.toContain('vendas');
      expect((await client.features.list()).map((f) => f.name)).not.toContain('pedido_canal');
      expect(problems.list).toEqual([]);
    } finally {
      await close();
    }
  });

  it('lists the finished job on the Jobs page, with its report in the detail drawer', async () => {
    expect(ingestJobId, 'the drag-and-drop test started a job').toBeTruthy();
    const { page, problems, close } = await openPage(browser);
    try {
      await page.goto(`${service.url}/#/features`);
      await page.getByTestId('nav-jobs').click();
      const row = page.locator(`[data-testid="job-row"][data-job-id="${ingestJobId}"]`);
      await row.waitFor();
      expect(await row.getAttribute('data-state')).toBe('succeeded');
      const rowText = (await row.textContent()) ?? '';
      for (const expected of ['usuarios.csv', 'usuario/demografia', 'File ingestion', 'Succeeded', 'local']) {
        expect(rowText).toContain(expected);
      }
      expect(await page.getByTestId('job-row').count()).toBe(1);

      await row.getByTestId('job-title').click();
      await page.waitForURL(new RegExp(`#/jobs/${ingestJobId}$`));
      const detail = page.getByTestId('job-detail');
      await detail.waitFor();
      await detail.getByTestId('ingest-report').waitFor();
      expect(await detail.getByTestId('report-rows').textContent()).toBe('3');
      expect(await detail.getByTestId('cancel-job').count()).toBe(0);

      await page.getByTestId('close-job').click();
      await page.waitForURL(/#\/jobs$/);
      expect(problems.list).toEqual([]);
    } finally {
      await close();
    }
  });
});
