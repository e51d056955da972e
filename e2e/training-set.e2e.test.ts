import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { apiClient } from './api.js';
import { launchBrowser, openPage } from './browser.js';
import { pickOption } from './new-feature-form.js';
import { startService, type RunningService } from './service-harness.js';

let service: RunningService;
let browser: Browser;
const work = mkdtempSync(join(tmpdir(), 'fstore-training-'));

const ENTITY = 'conta';
const GROUP = 'saldo';
const TTL_SECONDS = 10 * 24 * 3600;

/** The history: c1 changes three times, c2 once; the group's TTL is 10 days. */
const HISTORY = [
  { conta_id: 'c1', event_timestamp: '2025-01-01T00:00:00Z', conta_saldo: 100.5, conta_status: 'novo' },
  { conta_id: 'c1', event_timestamp: '2025-01-05T00:00:00Z', conta_saldo: 150, conta_status: 'ativo' },
  { conta_id: 'c1', event_timestamp: '2025-01-10T00:00:00Z', conta_saldo: 90.25, conta_status: 'bloqueado' },
  { conta_id: 'c2', event_timestamp: '2025-01-03T12:00:00Z', conta_saldo: 20, conta_status: 'novo' },
];

/** Label rows, and what point-in-time correctness makes of each (null: no value at or before the label time, within the TTL). */
const LABELS: { key: string; time: string; label: number; saldo: number | null; status: string | null; why: string }[] = [
  { key: 'c1', time: '2024-12-31T00:00:00Z', label: 0, saldo: null, status: null, why: 'before any history' },
  { key: 'c1', time: '2025-01-05T00:00:00Z', label: 1, saldo: 150, status: 'ativo', why: 'exactly at a change: at or before includes it' },
  { key: 'c1', time: '2025-01-07T12:00:00Z', label: 0, saldo: 150, status: 'ativo', why: 'between two changes: the earlier one' },
  { key: 'c1', time: '2025-01-12T00:00:00Z', label: 1, saldo: 90.25, status: 'bloqueado', why: 'after the last change' },
  { key: 'c2', time: '2025-01-04T00:00:00Z', label: 0, saldo: 20, status: 'novo', why: 'another key' },
  { key: 'c2', time: '2025-02-01T00:00:00Z', label: 1, saldo: null, status: null, why: 'the newest value is older than the TTL' },
  { key: 'c3', time: '2025-01-06T00:00:00Z', label: 0, saldo: null, status: null, why: 'a key with no history' },
];
const LABELS_CSV = ['entity_key,timestamp,label', ...LABELS.map((r) => `${r.key},${r.time},${r.label}`), ''].join('\n');
/** The label time is in `when`: the default `timestamp` column is missing. */
const LABELS_WITHOUT_TIMESTAMP_CSV = ['entity_key,when,label', 'c1,2025-01-07T12:00:00Z,1', ''].join('\n');

beforeAll(async () => {
  service = await startService();
  browser = await launchBrowser();
  await seed(service.url);
});

async function seed(url: string): Promise<void> {
  const client = apiClient(url);
  await client.entities.create({ name: ENTITY, join_key: 'conta_id', description: 'Conta corrente' });
  await client.featureGroups.create({ name: GROUP, entity: ENTITY, ttl_seconds: TTL_SECONDS });
  await client.features.create({ name: 'conta_saldo', value_type: 'FLOAT', entity: ENTITY, feature_group: GROUP, description: 'Saldo' });
  await client.features.create({ name: 'conta_status', value_type: 'STRING', entity: ENTITY, feature_group: GROUP, description: 'Situação' });
  const report = await client.ingestRows(ENTITY, GROUP, HISTORY);
  expect(report.rows).toBe(HISTORY.length);
}

afterAll(async () => {
  await browser?.close();
  await service?.stop();
  rmSync(work, { recursive: true, force: true });
});

/** RFC 4180 enough for the service's CSV: quoted cells with doubled quotes, no newlines inside. */
function parseCsv(text: string): Record<string, string>[] {
  const parseLine = (line: string): string[] => {
    const cells: string[] = [];
    let cell = '';
    let isQuoted = false;
    for (let i = 0; i < line.length; i++) {
      const c = line[i];
      if (isQuoted) {
        if (c === '"' && line[i + 1] === '"') {
          cell += '"';
          i++;
        } else if (c === '"') isQuoted = false;
        else cell += c;
      } else if (c === '"') isQuoted = true;
      else if (c === ',') {
        cells.push(cell);
        cell = '';
      } else cell += c;
    }
    cells.push(cell);
    return cells;
  };
  const [header, ...rows] = text.split(/\r?\n/).filter((l) => l.length > 0);
  const columns = parseLine(header ?? '');
  return rows.map((line) => Object.fromEntries(parseLine(line).map((cell, i) => [columns[i] ?? `#${i}`, cell])));
}

async function chooseEntityAndFeatures(page: Page, features: string[]): Promise<void> {
  await pickOption(page, 'training-entity', ENTITY);
  await page.locator('#training-features').click();
  for (const feature of features) await page.locator(`[data-testid="feature-option"][data-feature-name="${feature}"]`).click();
  await page.keyboard.press('Escape');
}

/** Drops a file on an element the way the OS does: a DataTransfer with the file, and the drag events. */
async function dropFileOn(page: Page, selector: string, name: string, text: string): Promise<void> {
  const dataTransfer = await page.evaluateHandle(
    ({ name, text }) => {
      const transfer = new DataTransfer();
      transfer.items.add(new File([text], name, { type: 'text/csv' }));
      return transfer;
    },
    { name, text },
  );
  await page.dispatchEvent(selector, 'dragenter', { dataTransfer });
  await page.dispatchEvent(selector, 'dragover', { dataTransfer });
  await page.dispatchEvent(selector, 'drop', { dataTransfer });
  await dataTransfer.dispose();
}

describe('training sets from a label file', () => {
  it('builds a point-in-time correct training set on the embedded engine and downloads it', async () => {
    const labelsPath = join(work, 'labels.csv');
    writeFileSync(labelsPath, LABELS_CSV);
    const { page, problems, close } = await openPage(browser);
    try {
      await page.goto(`${service.url}/#/features`);
      await page.getByTestId('nav-training').click();
      await page.waitForURL(/#\/training$/);
      expect(await page.getByTestId('training-page').textContent()).toContain('latest value at or before');

      // Nothing chosen: each missing input is named, and nothing is sent.
      await page.getByTestId('build-training-set').click();
      expect(await page.locator('#training-entity-helper-text').textContent()).toContain('Choose the entity');
      expect(await page.locator('#training-features-helper-text').textContent()).toContain('at least one of its features');
      expect(await page.getByTestId('labels-error').textContent()).toContain('Choose or drop a label file');
      expect(await page.getByTestId('training-job').count()).toBe(0);

      await chooseEntityAndFeatures(page, ['conta_saldo', 'conta_status']);
      expect(await page.locator('#training-entity-helper-text').textContent()).not.toContain('Choose the entity');
      await page.getByTestId('label-file-input').setInputFiles(labelsPath);
      expect(await page.getByTestId('file-name').textContent()).toBe('labels.csv');
      await page.getByTestId('upload-done').waitFor();
      expect(await page.getByTestId('labels-error').count()).toBe(0);
      await pickOption(page, 'training-engine', 'embedded');
      await pickOption(page, 'training-format', 'csv');

      await page.getByTestId('build-training-set').click();
      const job = page.getByTestId('training-job');
      await job.waitFor();
      await page.locator('[data-testid="training-job"][data-state="succeeded"]').waitFor({ timeout: 30_000 });
      const jobId = await job.getAttribute('data-job-id');
      expect(jobId).toBeTruthy();
      expect(await job.getByTestId('job-progress').getAttribute('data-phase')).toBe('done');
      expect(await page.getByTestId('result-rows').textContent()).toBe(String(LABELS.length));
      expect(await page.getByTestId('result-column').allTextContents()).toEqual(expect.arrayContaining(['label', 'conta_saldo', 'conta_status']));
      // An embedded run that succeeded has no engine log to show.
      expect(await page.getByTestId('job-logs').count()).toBe(0);

      // Before download: each feature's coverage over all rows, and the first rows (issue 21).
      const preview = page.getByTestId('training-preview');
      await preview.waitFor();
      const covered = LABELS.filter((l) => l.saldo !== null).length;
      expect(await preview.locator('[data-testid="coverage-row"]').evaluateAll((rows) => rows.map((r) => [r.getAttribute('data-feature'), Number(r.getAttribute('data-share'))]))).toEqual([
        ['conta_saldo', covered / LABELS.length],
        ['conta_status', covered / LABELS.length],
      ]);
      expect(await preview.getByTestId('coverage-share').allTextContents()).toEqual(['57.1 %', '57.1 %']);
      expect(await preview.getByTestId('coverage-count').first().textContent()).toBe(`${covered} of ${LABELS.length}`);
      expect(await preview.getByTestId('preview-column').allTextContents()).toEqual(['entity_key', 'timestamp', 'label', 'conta_saldo', 'conta_status']);
      expect(await preview.getByTestId('preview-caption').textContent()).toBe(`All ${LABELS.length} rows`);
      const firstRows = await preview.getByTestId('training-preview-row').evaluateAll((rows) => rows.map((r) => [...r.querySelectorAll('td')].map((td) => td.textContent)));
      // A CSV set is previewed as its text ("150.0"); no value shows as a dash.
      const cell = (text: string | null | undefined) => (text === '—' ? null : text);
      expect(firstRows.map((r) => [r[0], r[3] === '—' ? null : Number(r[3]), cell(r[4])])).toEqual(LABELS.map((l) => [l.key, l.saldo, l.status]));

      // Download through the page (fetch + blob, as it would with an API key), then read the CSV.
      const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('download-training-set').click()]);
      expect(download.suggestedFilename()).toMatch(/\.csv$/);
      const downloaded = readFileSync((await download.path())!, 'utf8');
      const rows = parseCsv(downloaded);
      expect(rows).toHaveLength(LABELS.length);
      LABELS.forEach((expected, i) => {
        const row = rows[i]!;
        const context = `label row ${i + 1} (${expected.key} at ${expected.time}: ${expected.why})`;
        expect(row['entity_key'], context).toBe(expected.key);
        expect(Date.parse(row['timestamp'] ?? ''), context).toBe(Date.parse(expected.time));
        expect(Number(row['label']), context).toBe(expected.label);
        expect(row['conta_saldo'] === '' ? null : Number(row['conta_saldo']), context).toBe(expected.saldo);
        expect(row['conta_status'] === '' ? null : row['conta_status'], context).toBe(expected.status);
      });

      // The same file from the API, as a script would fetch it.
      const res = await fetch(`${service.url}/api/jobs/${jobId}/result`);
      expect(res.status).toBe(200);
      expect(await res.text()).toBe(downloaded);
      const listed = await apiClient(service.url).jobs.get(jobId!);
      expect(listed).toMatchObject({ kind: 'training_set', state: 'succeeded', result: { row_count: LABELS.length, format: 'csv', engine: 'embedded' } });
      expect(problems.list).toEqual([]);
    } finally {
      await close();
    }
  });

  it('names the missing time column of a dropped label file, then builds once the column is named', async () => {
    const { page, problems, close } = await openPage(browser);
    try {
      await page.goto(`${service.url}/#/training`);
      await chooseEntityAndFeatures(page, ['conta_saldo']);

      // Dropped on the page: it becomes the label file (the window-wide "drop to ingest" stays out of it).
      await dropFileOn(page, '[data-testid="label-drop-zone"]', 'labels-when.csv', LABELS_WITHOUT_TIMESTAMP_CSV);
      expect(await page.getByTestId('file-name').textContent()).toBe('labels-when.csv');
      expect(page.url()).toMatch(/#\/training$/);
      await page.getByTestId('upload-done').waitFor();
      await page.getByTestId('build-training-set').click();

      // Refused at once (4xx) or by the job: either way the error is on screen and names the column.
      const error = page.getByTestId('training-error');
      await error.waitFor({ timeout: 30_000 });
      const errorText = (await error.textContent()) ?? '';
      expect(errorText).toContain('timestamp');
      expect(errorText).toContain('FSTORE_VALIDATION_FAILED');
      // Refused before queueing (issue 21): next to the form field it names, in the form's words, not the API's.
      expect(await page.locator('#training-time-column-helper-text').textContent()).toBe(
        "Label time column: the label file has no column 'timestamp' (its columns: entity_key, when, label)",
      );
      expect(errorText).toContain('“Label time column”');
      expect(errorText).not.toContain('time_column');
      if ((await page.getByTestId('training-job').count()) > 0) {
        expect(await page.getByTestId('training-job').getAttribute('data-state')).toBe('failed');
        // A failure opens the engine log.
        expect(await page.getByTestId('job-logs').getAttribute('data-open')).toBe('true');
      }

      // Naming the time column fixes it (the same upload is used again); the field's refusal goes with the change.
      await page.locator('#training-time-column').fill('when');
      expect(await page.locator('#training-time-column-helper-text').textContent()).not.toContain('has no column');
      await page.getByTestId('upload-done').waitFor();
      await page.getByTestId('build-training-set').click();
      await page.locator('[data-testid="training-job"][data-state="succeeded"]').waitFor({ timeout: 30_000 });
      expect(await page.getByTestId('training-error').count()).toBe(0);
      expect(await page.getByTestId('result-rows').textContent()).toBe('1');
      expect(problems.list).toEqual([]);
    } finally {
      await close();
    }
  });

  it("clears a page-level 'cannot be reached' error by itself once the health poll sees the service back", { timeout: 90_000 }, async () => {
    const { page, problems, close } = await openPage(browser);
    try {
      await page.goto(`${service.url}/#/training`);
      await chooseEntityAndFeatures(page, ['conta_saldo']);
      await page.getByTestId('label-file-input').setInputFiles({ name: 'labels.csv', mimeType: 'text/csv', buffer: Buffer.from(LABELS_CSV) });
      await page.getByTestId('upload-done').waitFor();

      await service.halt();
      await page.getByTestId('build-training-set').click();
      const error = page.getByTestId('training-error');
      await error.waitFor();
      expect(await error.textContent()).toContain('cannot be reached');
      // The failed request makes the poll check at once: the banner agrees.
      await page.getByTestId('service-down-banner').waitFor({ timeout: 10_000 });

      await service.restart();
      // No click: the poll's next check (backing off from 2 s) finds the service and both go.
      await page.getByTestId('service-down-banner').waitFor({ state: 'detached', timeout: 30_000 });
      await error.waitFor({ state: 'detached', timeout: 5_000 });
      // A restarted service has cleared its uploads: the label file again, then the build goes through.
      await page.getByTestId('label-file-input').setInputFiles({ name: 'labels-again.csv', mimeType: 'text/csv', buffer: Buffer.from(LABELS_CSV) });
      await expect.poll(() => page.getByTestId('file-name').textContent()).toBe('labels-again.csv');
      await page.getByTestId('upload-done').waitFor();
      await page.getByTestId('build-training-set').click();
      await page.locator('[data-testid="training-job"][data-state="succeeded"]').waitFor({ timeout: 30_000 });
      // The browser logs the connections refused while the service is down, and any request in
      // flight as it stopped (reset); nothing else.
      expect(problems.list.filter((p) => !/ERR_CONNECTION_(REFUSED|RESET)/.test(p))).toEqual([]);
    } finally {
      await close();
    }
  });

  it('says plainly that Spark is not set up when the Spark engine is chosen on a service without it', async () => {
    // The harness starts the service without FSTORE_* settings: no sparkMaster, so nothing of Spark runs here.
    const { page, problems, close } = await openPage(browser);
    try {
      await page.goto(`${service.url}/#/training`);
      await chooseEntityAndFeatures(page, ['conta_saldo']);
      await page.getByTestId('label-file-input').setInputFiles({ name: 'labels.csv', mimeType: 'text/csv', buffer: Buffer.from(LABELS_CSV) });
      await page.getByTestId('upload-done').waitFor();
      await pickOption(page, 'training-engine', 'spark');
      await page.getByTestId('build-training-set').click();
      await page.getByTestId('spark-unavailable').waitFor({ timeout: 30_000 });
      expect(await page.getByTestId('training-error').textContent()).toContain('FSTORE_SPARK_UNAVAILABLE');
      expect(await page.getByTestId('spark-unavailable').textContent()).toContain('Embedded engine');
      // The refusal is a 501, which the browser logs as a failed resource (the harness lets only 4xx through).
      expect(problems.list.filter((p) => !p.includes('status of 501'))).toEqual([]);
    } finally {
      await close();
    }
  });
});

/**
 * The app on a service configured for Spark (local mode): the same label file built on Spark gives
 * the same file as the embedded join. Spark's settings come from scripts/provision/spark.sh (the test
 * command provisions it); missing, this fails loudly unless FSTORE_ALLOW_NO_SPARK=1 (never in CI).
 */
describe('training sets on Spark from the app', () => {
  const submit = process.env['FSTORE_SPARK_SUBMIT'];
  const jar = process.env['FSTORE_SPARK_JDBC_JAR'];
  const missing = !submit || !jar;
  if (missing && process.env['FSTORE_ALLOW_NO_SPARK'] === '1') console.warn('SKIPPED Spark e2e: FSTORE_SPARK_SUBMIT/FSTORE_SPARK_JDBC_JAR are not set');
  let sparkService: RunningService | undefined;

  beforeAll(async () => {
    if (missing) {
      if (process.env['FSTORE_ALLOW_NO_SPARK'] === '1') return;
      throw new Error('FSTORE_SPARK_SUBMIT and FSTORE_SPARK_JDBC_JAR are not set: run eval "$(bash scripts/provision/spark.sh)" first (npm test and npm run test:e2e do)');
    }
    sparkService = await startService({ FSTORE_SPARK_MASTER: 'local[2]', FSTORE_SPARK_SUBMIT: submit!, FSTORE_SPARK_JDBC_JAR: jar! });
    await seed(sparkService.url);
  }, 60_000);
  afterAll(async () => sparkService?.stop());

  it.skipIf(missing && process.env['FSTORE_ALLOW_NO_SPARK'] === '1')('builds on Spark, shows its log, and gives the embedded engine\'s file', { timeout: 300_000 }, async () => {
    const url = sparkService!.url;
    const client = apiClient(url);
    const { page, problems, close } = await openPage(browser);
    try {
      await page.goto(`${url}/#/training`);
      await chooseEntityAndFeatures(page, ['conta_saldo', 'conta_status']);
      await page.getByTestId('label-file-input').setInputFiles({ name: 'labels.csv', mimeType: 'text/csv', buffer: Buffer.from(LABELS_CSV) });
      await page.getByTestId('upload-done').waitFor();
      await pickOption(page, 'training-engine', 'spark');
      await pickOption(page, 'training-format', 'csv');
      await page.getByTestId('build-training-set').click();
      const job = page.getByTestId('training-job');
      await job.waitFor();
      await page.locator('[data-testid="training-job"][data-state="succeeded"]').waitFor({ timeout: 280_000 });
      const jobId = (await job.getAttribute('data-job-id'))!;
      expect(await page.getByTestId('result-rows').textContent()).toBe(String(LABELS.length));
      // A Spark run has a log, shown on the page.
      expect(await page.getByTestId('job-logs').count()).toBe(1);
      const sparkJob = await client.jobs.get(jobId);
      expect(sparkJob).toMatchObject({ kind: 'training_set', state: 'succeeded', result: { engine: 'spark' } });
      expect((await client.jobs.logs(jobId)).lines.some((l) => l.includes('SparkContext'))).toBe(true);

      // The same labels on the embedded engine, through the API: the same bytes.
      const onSpark = await (await fetch(`${url}/api/jobs/${jobId}/result`)).text();
      const labels = (sparkJob.params as { labels: { upload: string } }).labels;
      const embedded = await client.jobs.trainingSet({ entity: ENTITY, feature_list: ['conta_saldo', 'conta_status'], labels, format: 'csv', engine: 'embedded' });
      let done = await client.jobs.get(embedded.id);
      while (done.state === 'queued' || done.state === 'running') {
        await new Promise((r) => setTimeout(r, 100));
        done = await client.jobs.get(embedded.id);
      }
      expect(done.state, JSON.stringify(done.error)).toBe('succeeded');
      expect(onSpark).toBe(await (await fetch(`${url}/api/jobs/${embedded.id}/result`)).text());
      expect(parseCsv(onSpark).map((r) => r['conta_status'] || null)).toEqual(LABELS.map((l) => l.status));
      expect(problems.list).toEqual([]);
    } finally {
      await close();
    }
  });
});
