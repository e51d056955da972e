import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { apiClient } from './api.js';
import { launchBrowser, openPage, SCREENSHOT_DIR, screenshotStates, type Shoot } from './browser.js';
import { editorText, replaceEditorText, waitForCodeEditor } from './code-editor.js';
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

/** u1: 10, 20, 60 -> 30 over 3; u2: 5, 10 -> 7.5 over 2; u3: 100 -> 100 over 1. */
const TRANSACTIONS_CSV = [
  'user_id,transaction_amount,event_time',
  'u1,10,2025-01-01T10:00:00Z',
  'u2,5,2025-01-01T11:00:00Z',
  'u1,20,2025-01-02T10:00:00Z',
  'u3,100,2025-01-02T12:00:00Z',
  'u2,10,2025-01-03T11:00:00Z',
  'u1,60,2025-01-03T10:00:00Z',
  '',
].join('\n');
const EXPECTED = {
  u1: { avg: '30', count: '3' },
  u2: { avg: '7.5', count: '2' },
  u3: { avg: '100', count: '1' },
};

const SEED_SQL =
  'SELECT user_id, AVG(transaction_amount) AS avg_transaction_value, COUNT(*) AS transaction_count FROM transactions GROUP BY user_id';
const TYPO_SQL = SEED_SQL.replace('AVG(transaction_amount)', 'AVG(transaction_amont)');
const TRANSFORM = 'user_transaction_stats';

/** The result grid as { user_id: { avg, count } }, read from the cells the user sees. */
async function previewByUser(page: Page): Promise<Record<string, { avg: string; count: string }>> {
  const rows = await page.getByTestId('preview-row').evaluateAll((elements) =>
    elements.map((row) => {
      const cell = (column: string) => row.querySelector(`[data-column="${column}"]`)?.textContent ?? '';
      return [cell('user_id'), { avg: cell('avg_transaction_value'), count: cell('transaction_count') }] as const;
    }),
  );
  return Object.fromEntries(rows);
}

/** Every URL the page requests, to check that Monaco and its workers come from the app, never a CDN. */
function recordRequests(page: Page): string[] {
  const urls: string[] = [];
  page.on('request', (request) => urls.push(request.url()));
  return urls;
}

const offOrigin = (urls: readonly string[]) => urls.filter((u) => !u.startsWith(service.url) && !u.startsWith('data:') && !u.startsWith('blob:'));

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

describe('the transform studio', () => {
  it('adds a source, previews SQL, shows errors in place, publishes, runs, and traces the feature back to the source', async () => {
    const { page, problems, close } = await openPage(browser);
    const requests = recordRequests(page);
    try {
      // No transforms yet: the page explains what a transform is.
      await page.goto(`${service.url}/#/features`);
      await page.getByTestId('nav-transforms').click();
      await page.getByTestId('transforms-empty').waitFor();
      await page.getByTestId('new-transform').first().click();
      await page.waitForURL(/#\/transforms\/new$/);
      await waitForCodeEditor(page);

      // A data source from a CSV dropped on the "Add source" dialog (not on the window's ingest zone).
      await page.getByTestId('sources-empty').waitFor();
      await page.getByTestId('add-source').click();
      await page.getByTestId('add-source-dialog').waitFor();
      await dropFileOn(page, '[data-testid="add-source-dialog"] [data-testid="source-drop-zone"]', 'transactions.csv', TRANSACTIONS_CSV);
      expect(await page.getByTestId('drop-overlay').count()).toBe(0);
      await page.getByTestId('upload-done').waitFor();
      expect(await page.getByTestId('source-name-input').inputValue()).toBe('transactions');
      await page.getByTestId('create-source').click();
      await page.getByTestId('add-source-dialog').waitFor({ state: 'detached' });

      // The new source is listed with its columns and ticked as a source of the transform.
      const source = page.locator('[data-testid="source-item"][data-source="transactions"]');
      await source.waitFor();
      expect(await source.getByTestId('source-toggle').locator('input').isChecked()).toBe(true);
      expect(await source.getByTestId('source-column').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-column')))).toEqual([
        'user_id',
        'transaction_amount',
        'event_time',
      ]);

      // Settings; the editor suggests the source's columns after 'transactions.'.
      await page.locator('#transform-name').fill(TRANSFORM);
      await page.locator('#transform-entity').fill('user');
      await page.keyboard.press('Escape');
      await replaceEditorText(page, 'SELECT transactions.');
      await page.keyboard.press('Control+Space');
      const suggestions = page.locator('[data-testid="code-editor"] .suggest-widget.visible .monaco-list-row .label-name');
      await suggestions.first().waitFor();
      expect((await suggestions.allTextContents()).sort()).toEqual(['event_time', 'transaction_amount', 'user_id']);

      // The seed's SQL typed into the editor and run with Ctrl+Enter.
      await replaceEditorText(page, SEED_SQL);
      await page.keyboard.press('Control+Enter');

      // The grid shows the hand-computed averages and counts, with each column's role.
      await page.getByTestId('preview-table').waitFor();
      await page.locator('[data-testid="preview-results"][data-stale="false"]').waitFor();
      expect(await previewByUser(page)).toEqual(EXPECTED);
      expect(await page.getByTestId('preview-summary').textContent()).toContain('3 rows');
      const role = (column: string) => page.locator(`[data-testid="preview-column"][data-column="${column}"]`).getAttribute('data-role');
      expect(await role('user_id')).toBe('entity_key');
      expect(await role('avg_transaction_value')).toBe('feature');
      expect(await role('transaction_count')).toBe('feature');
      const avgStats = page.locator('[data-testid="stats-row"][data-column="avg_transaction_value"]');
      expect(await avgStats.textContent()).toContain('100');

      // A typo: the alert names the column and the editor marks it.
      await replaceEditorText(page, TYPO_SQL);
      await page.keyboard.press('Control+Enter');
      const error = page.getByTestId('preview-error');
      await error.waitFor();
      expect(await error.textContent()).toContain('transaction_amont');
      expect(await error.getAttribute('data-line')).toBe('1');
      await page.locator('[data-testid="code-editor"] .squiggly-error').first().waitFor();

      // Fixed: the preview runs again and the error and its marker go away.
      await replaceEditorText(page, SEED_SQL);
      await page.getByTestId('run-preview').click();
      await error.waitFor({ state: 'detached' });
      await page.locator('[data-testid="preview-results"][data-stale="false"]').waitFor();
      expect(await page.locator('[data-testid="code-editor"] .squiggly-error').count()).toBe(0);

      // Publish: the dialog lists what will be created, with the field values.
      await page.getByTestId('open-publish').click();
      const dialog = page.getByTestId('publish-dialog');
      await dialog.getByTestId('publish-plan').waitFor();
      const change = (kind: string, name: string) => dialog.locator(`[data-testid="plan-change"][data-kind="${kind}"][data-name="${name}"]`);
      expect(await change('transform', TRANSFORM).getAttribute('data-action')).toBe('create');
      expect(await change('feature', 'avg_transaction_value').getAttribute('data-action')).toBe('create');
      expect(await change('feature', 'transaction_count').getAttribute('data-action')).toBe('create');
      expect(await dialog.getByTestId('diff-row').count()).toBeGreaterThan(0);
      expect(await dialog.locator('[data-testid="plan-output-row"][data-feature="avg_transaction_value"]').textContent()).toContain('FLOAT');
      await dialog.getByTestId('confirm-publish').click();
      await dialog.getByTestId('publish-done').waitFor();

      // Run now: the job's progress in the dialog, until it succeeds.
      await dialog.getByTestId('run-now').click();
      await dialog.locator('[data-testid="transform-run"][data-state="succeeded"]').waitFor({ timeout: 45_000 });
      const online = await apiClient(service.url).online({ entity: 'user', entity_keys: ['u1', 'u2'], feature_list: ['avg_transaction_value', 'transaction_count'] });
      const byKey = new Map(online.results.map((r) => [r.entity_key, r.features]));
      expect(byKey.get('u1')?.['avg_transaction_value']).toMatchObject({ value: 30, status: 'PRESENT' });
      expect(byKey.get('u2')?.['transaction_count']).toMatchObject({ value: 2, status: 'PRESENT' });

      // The transform's page: lineage from the source to the features.
      await dialog.getByTestId('open-transform').click();
      await page.waitForURL(new RegExp(`#/transforms/${TRANSFORM}$`));
      await page.getByTestId('lineage').waitFor();
      const nodes = await page.getByTestId('lineage-node').evaluateAll((els) => els.map((e) => e.getAttribute('data-node-id')));
      expect(nodes).toEqual(
        expect.arrayContaining(['data_source:transactions', `transform:${TRANSFORM}`, `feature_group:${TRANSFORM}`, 'feature:avg_transaction_value']),
      );

      // The feature, found in the features list, says which transform computes it and traces back to the source.
      await page.getByTestId('nav-features').click();
      const row = page.locator('[data-testid="feature-row"][data-feature-name="avg_transaction_value"]');
      await row.waitFor();
      await row.getByRole('link', { name: 'avg_transaction_value' }).click();
      await page.waitForURL(/#\/features\/avg_transaction_value/);
      const computedBy = page.getByTestId('computed-by-transform');
      expect(await computedBy.textContent()).toBe(`Computed by transform ${TRANSFORM}`);
      expect(await computedBy.getByRole('link').getAttribute('href')).toBe(`#/transforms/${TRANSFORM}`);
      await page.getByTestId('tab-lineage').click();
      await page.locator('[data-testid="lineage-node"][data-node-id="data_source:transactions"]').waitFor();
      expect(await page.locator('[data-testid="lineage-node"][data-root="true"]').getAttribute('data-node-id')).toBe('feature:avg_transaction_value');
      await page.locator(`[data-testid="lineage-node"][data-node-id="transform:${TRANSFORM}"]`).getByRole('link').click();
      await page.waitForURL(new RegExp(`#/transforms/${TRANSFORM}$`));

      expect(offOrigin(requests)).toEqual([]);
      expect(problems.list).toEqual([]);
    } finally {
      await close();
    }
  });

  it('previews a TypeScript row transform and marks a compile error at its line', async () => {
    const client = apiClient(service.url);
    const upload = await fetch(`${service.url}/api/uploads/?format=csv&filename=payments.csv`, {
      method: 'POST',
      headers: { 'content-type': 'application/octet-stream' },
      body: TRANSACTIONS_CSV,
    });
    expect(upload.status).toBe(201);
    const { upload_id: uploadId } = (await upload.json()) as { upload_id: string };
    await client.dataSources.create({ name: 'payments', type: 'file', upload_id: uploadId });

    const { page, problems, close } = await openPage(browser);
    const requests = recordRequests(page);
    try {
      await page.goto(`${service.url}/#/transforms/new?source=payments`);
      await waitForCodeEditor(page);
      await page.getByTestId('language-typescript').click();
      await page.locator('[data-testid="code-editor"][data-language="typescript"]').waitFor();
      expect(await editorText(page)).toContain('export default function transform(row: Row)');
      await page.locator('#transform-entity').fill('user');
      await page.keyboard.press('Escape');

      // The starter runs once per row: key and time pass through, the flag is computed.
      // Brackets stay on one line: the editor closes an opened bracket itself when a line break follows.
      await replaceEditorText(
        page,
        'export default function transform(row: Row) { return { user_id: row.user_id, event_time: row.event_time, payment_is_large: Number(row.transaction_amount) > 50 }; }',
      );
      await page.keyboard.press('Control+Enter');
      await page.locator('[data-testid="preview-results"][data-stale="false"]').waitFor();
      expect(await page.getByTestId('preview-row').count()).toBe(6);
      const role = (column: string) => page.locator(`[data-testid="preview-column"][data-column="${column}"]`).getAttribute('data-role');
      expect(await role('user_id')).toBe('entity_key');
      expect(await role('event_time')).toBe('event_time');
      expect(await role('payment_is_large')).toBe('feature');
      const flags = await page.locator('[data-testid="preview-row"] [data-column="payment_is_large"]').allTextContents();
      expect(flags.filter((f) => f === 'true')).toHaveLength(2);

      // A syntax error on line 2: the alert says where, and the editor marks it.
      await replaceEditorText(page, 'const LIMIT = 50;\nexport default function transform(row: Row) { return { user_id: row.user_id, big: row.transaction_amount > }; }');
      await page.keyboard.press('Control+Enter');
      const error = page.getByTestId('preview-error');
      await error.waitFor();
      expect(await error.getAttribute('data-line')).toBe('2');
      await page.locator('[data-testid="code-editor"] .squiggly-error').first().waitFor();
      await page.getByTestId('reveal-error').click();

      // The TypeScript language service runs in its own worker, bundled with the app.
      expect(requests.some((u) => /\/assets\/ts\.worker-[\w-]+\.js$/.test(u))).toBe(true);
      expect(offOrigin(requests)).toEqual([]);
      expect(problems.list).toEqual([]);
    } finally {
      await close();
    }
  });
});

describe('the transform studio at 1024 px', () => {
  /** 200 sales, amounts 1..200 over 20 stores: median 100.5, ten bins of 20 values each. */
  const SALES_CSV = ['loja_id,amount,event_time', ...Array.from({ length: 200 }, (_, i) => `l${i % 20},${i + 1},2025-01-01T00:00:00Z`), ''].join('\n');
  const SALES_SQL = 'SELECT loja_id, amount FROM vendas';
  const SMALL = { width: 1024, height: 700 };

  beforeAll(async () => {
    const client = apiClient(service.url);
    const upload = await fetch(`${service.url}/api/uploads/?format=csv&filename=vendas.csv`, {
      method: 'POST',
      headers: { 'content-type': 'application/octet-stream' },
      body: SALES_CSV,
    });
    expect(upload.status).toBe(201);
    const { upload_id: uploadId } = (await upload.json()) as { upload_id: string };
    await client.dataSources.create({ name: 'vendas', type: 'file', upload_id: uploadId });
    // A feature named like a source column: autocomplete offers the name once.
    await client.features.create({ name: 'amount', entity: 'loja', value_type: 'FLOAT', feature_type: 'NUMERIC', description: 'Valor' });
  });

  /** The studio on the sales source, with the entity set and the editor ready. */
  async function openStudio(page: Page): Promise<void> {
    await page.goto(`${service.url}/#/transforms/new?source=vendas`);
    await waitForCodeEditor(page);
    await page.locator('#transform-entity').fill('loja');
    await page.keyboard.press('Escape');
  }

  async function previewSales(page: Page): Promise<void> {
    await replaceEditorText(page, SALES_SQL);
    await page.keyboard.press('Control+Enter');
    await page.locator('[data-testid="preview-results"][data-stale="false"]').waitFor();
  }

  it('autocomplete names each item by kind, each name once', async () => {
    const { page, problems, close } = await openPage(browser, { viewport: SMALL });
    try {
      await openStudio(page);
      await replaceEditorText(page, 'SELECT ');
      await page.keyboard.press('Control+Space');
      const rows = page.locator('[data-testid="code-editor"] .suggest-widget.visible .monaco-list-row');
      await rows.first().waitFor();
      const items = await rows.evaluateAll((elements) =>
        elements.map((row) => [row.querySelector('.label-name')?.textContent ?? '', row.querySelector('.details-label')?.textContent ?? '']),
      );
      const names = items.map(([name]) => name);
      expect(new Set(names).size).toBe(names.length);
      for (const [, kind] of items) expect(kind).toMatch(/^(source|column|feature)(, (column|feature))?$/);
      expect(items).toContainEqual(['vendas', 'source']);
      expect(items).toContainEqual(['amount', 'column, feature']);
      expect(problems.list).toEqual([]);
    } finally {
      await close();
    }
  });

  it('scrolls the page with the wheel over the editor, and resizes the editor with its handle', async () => {
    const { page, problems, close } = await openPage(browser, { viewport: SMALL });
    try {
      await openStudio(page);
      await replaceEditorText(page, SALES_SQL);
      const editor = page.getByTestId('code-editor');

      // The handle under the editor: dragged up 120 px, then one arrow key down (40 px).
      const heightOf = async () => Math.round((await editor.boundingBox())!.height);
      const start = await heightOf();
      const handle = page.getByTestId('editor-resize-handle');
      const grip = (await handle.boundingBox())!;
      await page.mouse.move(grip.x + grip.width / 2, grip.y + grip.height / 2);
      await page.mouse.down();
      await page.mouse.move(grip.x + grip.width / 2, grip.y + grip.height / 2 - 120, { steps: 5 });
      await page.mouse.up();
      await expect.poll(heightOf).toBe(start - 120);
      await handle.focus();
      await page.keyboard.press('ArrowDown');
      await expect.poll(heightOf).toBe(start - 80);
      expect(await handle.getAttribute('aria-valuenow')).toBe(String(start - 80));

      // The wheel over the editor, which has nothing to scroll, scrolls the page: the editor moves up.
      await page.evaluate(() => window.scrollTo(0, 0));
      const top = async () => (await editor.boundingBox())!.y;
      const before = await top();
      const box = (await editor.boundingBox())!;
      await page.mouse.move(box.x + box.width / 2, box.y + 40);
      await page.mouse.wheel(0, 300);
      await expect.poll(top).toBeLessThan(before - 100);
      expect(problems.list).toEqual([]);
    } finally {
      await close();
    }
  });

  it('shows percentiles and a histogram per numeric column, with the sample choice next to the results', async () => {
    const { page, problems, close } = await openPage(browser, { viewport: SMALL });
    try {
      await openStudio(page);
      await previewSales(page);
      const amount = page.locator('[data-testid="stats-row"][data-column="amount"]');
      expect(await amount.getByTestId('stats-p50').textContent()).toBe('100.5');
      expect(await amount.getByTestId('stats-p25').textContent()).toBe('50.75');
      const bars = amount.locator('[data-testid="stats-histogram"] rect');
      expect(await bars.evaluateAll((rects) => rects.map((r) => Number(r.getAttribute('data-count'))))).toEqual(new Array(10).fill(20));
      expect(await page.locator('[data-testid="stats-row"][data-column="loja_id"] [data-testid="stats-histogram"]').count()).toBe(0);
      expect(await page.getByTestId('preview-summary').textContent()).toContain('sample: the first 10,000 rows per source');

      // The sample choice sits right above the results it produced.
      const controls = (await page.getByTestId('sample-controls').boundingBox())!;
      const results = (await page.getByTestId('preview-results').boundingBox())!;
      expect(results.y - (controls.y + controls.height)).toBeLessThan(80);
      await page.locator('#sample-mode').click();
      await page.getByRole('option', { name: 'All rows' }).click();
      await page.getByTestId('sample-changed').waitFor();
      await page.getByTestId('run-preview').click();
      await page.getByTestId('sample-changed').waitFor({ state: 'detached' });
      await expect.poll(() => page.getByTestId('preview-summary').textContent()).toContain('sample: every row');
      expect(problems.list).toEqual([]);
    } finally {
      await close();
    }
  });

  it.skipIf(!SCREENSHOT_DIR)('screenshots the studio with results at 1024x700 and 1440x900, light and dark (with E2E_SCREENSHOT_DIR)', async () => {
    // What the window shows, not a full page: the editor and the start of its results at the top,
    // then the results and their statistics.
    const windowThenResults: Shoot = async (page, base) => {
      await page.screenshot({ path: `${base}.png` });
      await page.getByTestId('results-header').evaluate((el) => el.scrollIntoView({ block: 'start' }));
      await page.waitForTimeout(200);
      await page.screenshot({ path: `${base}-results.png` });
    };
    await screenshotStates(
      browser,
      'transform-studio',
      async (page) => {
        await openStudio(page);
        await previewSales(page);
      },
      windowThenResults,
    );
  });
});
