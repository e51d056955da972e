import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { FStoreClient } from '@shared/api/client.js';
import { apiClient } from './api.js';
import { launchBrowser, openPage, screenshotPage } from './browser.js';
import { startService, type RunningService } from './service-harness.js';
import { seededNormals as normals } from '../service/test/seeded-normals.js';

const DAY = 86_400_000;
const NOW = Date.now();
const iso = (ms: number) => new Date(ms).toISOString();
const utcDate = (ms: number) => iso(ms).slice(0, 10);

const ENTITY = 'cliente';
const GROUP = 'perfil';
const FEATURE = 'cliente_score';
const PLAN = 'cliente_plano';
const RULE = 'score_drift';
const BASELINE = { start: iso(NOW - 30 * DAY), end: iso(NOW - 20 * DAY) };


/** Rows of both features spread evenly over [from, to); the plans repeat in order. */
const rows = (values: number[], plans: string[], from: number, to: number) =>
  values.map((v, i) => ({
    cliente_id: `c${i}`,
    event_timestamp: iso(from + ((to - from) * i) / values.length),
    [FEATURE]: Math.round(v * 1000) / 1000,
    [PLAN]: plans[i % plans.length],
  }));

/** Windows (UTC days) that cover the baseline rows and the last day's rows. */
const DEEP_LINK =
  `/#/monitoring?entity=${ENTITY}` +
  `&baseline=${utcDate(NOW - 30 * DAY)}..${utcDate(NOW - 20 * DAY)}` +
  `&current=${utcDate(NOW - DAY)}..${utcDate(NOW)}`;

let service: RunningService;
let browser: Browser;
let client: FStoreClient;

beforeAll(async () => {
  service = await startService();
  browser = await launchBrowser();
  client = apiClient(service.url);
  await client.entities.create({ name: ENTITY, description: 'Clientes' });
  await client.features.create({ name: FEATURE, entity: ENTITY, value_type: 'FLOAT', feature_type: 'NUMERIC', description: 'Score de crédito' });
  await client.features.create({ name: PLAN, entity: ENTITY, value_type: 'STRING', feature_type: 'CATEGORICAL', description: 'Plano' });
  // Baseline: 1,000 scores 20-30 days ago around 50, half free and half pro; current: 500 scores in
  // the last day around 65, three quarters pro.
  await client.ingestRows(ENTITY, GROUP, rows(normals(1, 1000, 50, 10), ['free', 'pro'], NOW - 30 * DAY, NOW - 20 * DAY));
  await client.ingestRows(ENTITY, GROUP, rows(normals(2, 500, 65, 10), ['pro', 'pro', 'pro', 'free'], NOW - DAY + 60_000, NOW - 60_000));
  await client.monitoring.rules.save({ name: RULE, type: 'drift', entity: ENTITY, features: [FEATURE], baseline: BASELINE });
});

afterAll(async () => {
  await browser?.close();
  await service?.stop();
});

const driftRow = (page: Page, feature = FEATURE) => page.locator(`[data-testid="drift-row"][data-feature="${feature}"]`);

/** The `d` of the PSI line, once it has been drawn with at least one point. */
async function seriesPath(page: Page): Promise<string> {
  const line = page.locator('[data-testid="drift-series-chart"] path.recharts-line-curve');
  // Attached rather than visible: a flat line (equal scores) has an empty bounding box.
  await line.waitFor({ state: 'attached' });
  await expect.poll(async () => (await line.getAttribute('d')) ?? '', { timeout: 10_000 }).toMatch(/^M[\d.-]+,[\d.-]+/);
  return (await line.getAttribute('d')) ?? '';
}

describe('the Monitoring dashboard', () => {
  it('shows the shifted feature as drifted with its charts, then fires, lists and acknowledges its alert', async () => {
    const { page, problems, close } = await openPage(browser);
    try {
      await page.goto(`${service.url}${DEEP_LINK}`);

      // Drift: the feature is drifted, with a PSI far above the 0.2 threshold.
      const row = driftRow(page);
      await row.waitFor({ timeout: 30_000 });
      expect(await row.getAttribute('data-drifted')).toBe('true');
      expect(Number(await row.getAttribute('data-psi'))).toBeGreaterThan(0.2);
      expect(await row.getByTestId('drift-status').textContent()).toBe('Drifted');
      expect(await row.textContent()).toContain('1,000 / 500');

      // The selected feature's charts: PSI over the days of the current window, and the decile bins.
      await page.getByTestId('drift-detail').waitFor();
      expect(await seriesPath(page)).not.toBe('');
      expect(await page.locator('[data-testid="drift-series-chart"] .recharts-line-dots circle').count()).toBeGreaterThan(0);
      expect(await page.locator('[data-testid="drift-series-chart"] .recharts-reference-line').count()).toBe(1);
      const bars = page.locator('[data-testid="drift-bins-chart"] .recharts-bar-rectangle path');
      await bars.first().waitFor();
      await expect.poll(() => bars.count()).toBeGreaterThanOrEqual(10);

      // The categorical feature, listed after the more drifted score, opens its own charts: two plans, two windows.
      const plan = driftRow(page, PLAN);
      expect(await page.getByTestId('drift-row').evaluateAll((els) => els.map((e) => e.getAttribute('data-feature')))).toEqual([FEATURE, PLAN]);
      expect(await plan.getAttribute('data-drifted')).toBe('true');
      expect(Number(await plan.getAttribute('data-psi'))).toBeCloseTo(0.25 * (Math.log(1.5) + Math.log(2)), 2);
      await plan.click();
      await expect.poll(() => page.getByTestId('drift-detail').locator('h2').textContent()).toContain(PLAN);
      expect(page.url()).toContain(`feature=${PLAN}`);
      await expect.poll(() => bars.count()).toBe(4);
      await seriesPath(page);

      // Quality of the current window: the 500 values of the last day.
      await page.getByTestId('tab-quality').click();
      const quality = page.locator(`[data-testid="quality-table"] [data-testid="quality-row"][data-feature="${FEATURE}"]`);
      await quality.waitFor();
      expect(await quality.getByTestId('quality-count').textContent()).toBe('500');
      await page.locator('[data-testid="batch-quality-table"] [data-testid="batch-row"]').first().waitFor();
      expect(await page.locator('[data-testid="batch-quality-table"] [data-testid="batch-row"]').count()).toBe(2);
      expect(page.url()).toContain('tab=quality');

      // Operations: latency bars per route, and the group's freshness.
      await page.getByTestId('tab-operations').click();
      await page.locator('[data-testid="latency-chart"] .recharts-bar-rectangle path').first().waitFor();
      const freshness = page.locator(`[data-testid="freshness-table"] [data-testid="freshness-row"][data-group="${GROUP}"]`);
      await freshness.waitFor();
      expect(await freshness.getAttribute('data-stale')).toBe('false');

      // Alerts: Evaluate now fires the drift rule for the feature.
      await page.getByTestId('tab-alerts').click();
      await page.locator(`[data-testid="rule-row"][data-rule="${RULE}"]`).waitFor();
      await page.getByTestId('evaluate-button').click();
      await page.getByTestId('evaluation-summary').waitFor();
      const alert = page.locator(`[data-testid="alert-row"][data-rule="${RULE}"][data-target="${FEATURE}"]`);
      await alert.waitFor();
      expect(await alert.getAttribute('data-state')).toBe('firing');
      expect(await alert.getAttribute('data-acknowledged')).toBe('false');
      expect(Number(await alert.getByTestId('alert-value').textContent())).toBeGreaterThan(0.2);
      expect(await page.getByTestId('alert-row').first().getAttribute('data-target')).toBe(FEATURE);
      await expect.poll(() => page.getByTestId('firing-count').textContent()).toBe('1');

      // Acknowledge: the row says who, and the service agrees.
      await alert.getByTestId('ack-button').click();
      await page.locator(`[data-testid="alert-row"][data-target="${FEATURE}"][data-acknowledged="true"]`).waitFor();
      expect(await alert.getByTestId('acknowledged-by').textContent()).toContain('local');
      const [stored] = await client.monitoring.alerts.list({ rule: RULE });
      expect(stored).toMatchObject({ target: FEATURE, state: 'firing', acknowledged_by: 'local' });

      expect(problems.list).toEqual([]);
    } finally {
      await close();
    }
  });

  it('draws the charts in the dark theme, and explains an empty baseline window with windows that have data', async () => {
    const { page, problems, close } = await openPage(browser, { colorScheme: 'dark' });
    try {
      await page.goto(`${service.url}${DEEP_LINK}`);
      await driftRow(page).waitFor({ timeout: 30_000 });
      await seriesPath(page);
      // The line takes the dark theme's primary colour, not the light one.
      expect(await page.locator('[data-testid="drift-series-chart"] path.recharts-line-curve').getAttribute('stroke')).toBe('#8c9eff');

      // A baseline before any data: the page says so and offers windows inside the data.
      await page.goto(`${service.url}/#/monitoring?entity=${ENTITY}&baseline=2020-01-01..2020-01-31&current=${utcDate(NOW - DAY)}..${utcDate(NOW)}`);
      const notice = page.getByTestId('no-window-data');
      await notice.waitFor({ timeout: 30_000 });
      expect(await notice.textContent()).toContain('No values in the baseline window (1 Jan 2020 – 31 Jan 2020)');
      await expect.poll(() => notice.textContent()).toContain(`span ${new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' }).format(NOW - 30 * DAY)}`);
      await notice.getByTestId('use-suggested-windows').click();
      await notice.waitFor({ state: 'detached' });
      await expect.poll(async () => Number(await driftRow(page).getAttribute('data-psi'))).toBeGreaterThan(0.2);
      expect(page.url()).not.toContain('baseline=2020-01-01');

      expect(problems.list).toEqual([]);
    } finally {
      await close();
    }
  });

  it('creates a rule with the New rule dialog, checking the fields first', async () => {
    const { page, problems, close } = await openPage(browser);
    try {
      await page.goto(`${service.url}/#/monitoring?tab=alerts&entity=${ENTITY}`);
      await page.getByTestId('new-rule').click();
      const dialog = page.getByTestId('new-rule-dialog');
      await dialog.waitFor();

      // Nothing typed: the name is required; a name in the wrong case is explained.
      await dialog.getByTestId('save-rule').click();
      await dialog.getByText('Rule name must not be empty').waitFor();
      await dialog.getByTestId('rule-name-input').fill('Score Nulls');
      await dialog.getByText(/Rule name 'Score Nulls' is not snake_case/).waitFor();
      await dialog.getByTestId('rule-name-input').fill(RULE);
      await dialog.getByText(`Rule '${RULE}' already exists; pick another name`).waitFor();

      // A freshness rule for the group, saved, then listed.
      await dialog.getByTestId('rule-name-input').fill('perfil_fresh');
      await dialog.locator('#rule-type').click();
      await page.getByRole('option', { name: 'Freshness' }).click();
      await dialog.locator('#rule-group').click();
      await page.getByRole('option', { name: GROUP }).click();
      await dialog.getByTestId('rule-threshold-input').fill('3600');
      await dialog.getByTestId('save-rule').click();
      await dialog.waitFor({ state: 'detached' });
      await page.getByTestId('rule-created').waitFor();
      await page.locator('[data-testid="rule-row"][data-rule="perfil_fresh"]').waitFor();
      expect(await client.monitoring.rules.get('perfil_fresh')).toMatchObject({ type: 'freshness', entity: ENTITY, feature_group: GROUP, threshold: 3600 });

      expect(problems.list).toEqual([]);
    } finally {
      await close();
    }
  });
});

describe('the Monitoring dashboard opened without a view, on historical data', () => {
  const at = (date: string) => Date.parse(`${date}T00:00:00Z`);
  const STORE = 'loja';
  const SALES = 'loja_vendas';
  let history: RunningService;
  let historyClient: FStoreClient;

  beforeAll(async () => {
    history = await startService();
    historyClient = apiClient(history.url);
    // 'aaa' sorts first and has no data: the page must not open on it.
    await historyClient.entities.create({ name: 'aaa', description: 'Sem dados' });
    await historyClient.entities.create({ name: STORE, description: 'Lojas' });
    await historyClient.features.create({ name: SALES, entity: STORE, value_type: 'FLOAT', feature_type: 'NUMERIC', description: 'Vendas' });
    const sales = (values: number[], from: number, to: number) =>
      values.map((v, i) => ({ loja_id: `l${i}`, event_timestamp: iso(from + ((to - from) * i) / values.length), [SALES]: Math.round(v * 10) / 10 }));
    // Two years ago: a month around 1,500, then the week up to 10 March 2024 around 2,000.
    await historyClient.ingestRows(STORE, 'vendas', sales(normals(5, 1500, 1500, 200), at('2024-02-01'), at('2024-03-04')));
    await historyClient.ingestRows(STORE, 'vendas', sales(normals(6, 700, 2000, 200), at('2024-03-04'), at('2024-03-10') + 18 * 3_600_000));
    for (let i = 0; i < 3; i++) await historyClient.online({ entity: STORE, entity_keys: ['l1'], feature_list: [SALES] });
  });

  afterAll(async () => {
    await history?.stop();
  });

  it('opens on the entity with data and the windows of its event times, with round bin labels', async () => {
    const { page, problems, close } = await openPage(browser, { viewport: { width: 1024, height: 700 } });
    try {
      await page.goto(`${history.url}/#/monitoring`);
      const row = driftRow(page, SALES);
      await row.waitFor({ timeout: 30_000 });
      // The last 7 days of data against the 30 before them, not the last 7 days of the wall clock.
      expect(page.url()).toContain(`entity=${STORE}`);
      expect(page.url()).toContain('current=2024-03-04..2024-03-10');
      expect(page.url()).toContain('baseline=2024-02-03..2024-03-03');
      expect(await row.getAttribute('data-drifted')).toBe('true');

      const ticks = page.locator('[data-testid="drift-bins-chart"] .recharts-xAxis-tick-labels .recharts-cartesian-axis-tick-value');
      await ticks.first().waitFor();
      const labels = await ticks.allTextContents();
      expect(labels.length).toBeGreaterThan(0);
      for (const label of labels) expect(label).toMatch(/^(< |≥ )?[\d.]+k?( – [\d.]+k?)?$/);
      expect(labels.some((l) => l.includes('k'))).toBe(true);
      expect(problems.list).toEqual([]);
    } finally {
      await close();
    }
  });

  it('creates an alert from the drift on screen that fires on the same windows', async () => {
    const { page, problems, close } = await openPage(browser);
    try {
      await page.goto(`${history.url}/#/monitoring`);
      const row = driftRow(page, SALES);
      await row.waitFor({ timeout: 30_000 });
      const psi = Number(await row.getAttribute('data-psi'));

      await page.getByTestId('create-drift-alert').click();
      const dialog = page.getByTestId('new-rule-dialog');
      await dialog.waitFor();
      expect(await dialog.getByTestId('rule-name-input').inputValue()).toBe(`${SALES}_drift`);
      expect(await dialog.locator('#rule-window-hours').inputValue()).toBe('168');
      expect(await dialog.getByTestId('rule-window-anchor-select').textContent()).toContain("With the newest value's day");
      expect(await dialog.locator('#rule-baseline-start').inputValue()).toBe('2024-02-03');
      await dialog.getByTestId('save-rule').click();
      await page.getByTestId('drift-alert-created').waitFor();

      expect(await historyClient.monitoring.rules.get(`${SALES}_drift`)).toMatchObject({
        type: 'drift',
        entity: STORE,
        features: [SALES],
        baseline: { start: '2024-02-03', end: '2024-03-03' },
        window_hours: 168,
        window_anchor: 'newest_event',
      });
      const [evaluation] = (await historyClient.monitoring.evaluate()).filter((e) => e.rule === `${SALES}_drift`);
      expect(evaluation).toMatchObject({ target: SALES, breached: true });
      expect(evaluation!.value).toBeCloseTo(psi, 3);
      expect(problems.list).toEqual([]);
    } finally {
      await close();
    }
  });

  it('charts serving latency apart from the other API routes, without the web UI', async () => {
    const { page, problems, close } = await openPage(browser);
    try {
      await page.goto(`${history.url}/#/monitoring?tab=operations`);
      const serving = page.getByTestId('serving-latency-chart');
      await serving.locator('.recharts-bar-rectangle path').first().waitFor({ timeout: 30_000 });
      const routesOf = (chart: string) => page.locator(`[data-testid="${chart}"] .recharts-yAxis-tick-labels .recharts-cartesian-axis-tick-value`).allTextContents();
      // SVG text wraps words into tspans: the space between method and route is not in textContent.
      expect((await routesOf('serving-latency-chart')).map((r) => r.replace(/^POST ?/, 'POST '))).toEqual(['POST /api/online/features']);
      const api = await routesOf('latency-chart');
      expect(api.length).toBeGreaterThan(0);
      for (const route of api) expect(route).toMatch(/^[A-Z]+ ?\/(api\/(?!online\/)|metrics|health)/);
      expect(await page.getByTestId('latency-card').textContent()).toMatch(/web UI's own pages and files \([\d,]+ requests\) are left out/);
      expect(problems.list).toEqual([]);
    } finally {
      await close();
    }
  });

  it('screenshots the dashboard opened with its defaults', async () => {
    await screenshotPage(browser, 'monitoring-defaults', `${history.url}/#/monitoring`, 'drift-bins-chart');
  });
});
