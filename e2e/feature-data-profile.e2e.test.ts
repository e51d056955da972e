import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import type { Job } from '@shared/api/jobs.js';
import { launchBrowser, openPage, screenshotPage } from './browser.js';
import { startService, type RunningService } from './service-harness.js';

let service: RunningService;
let browser: Browser;

const MINUTE = 60_000;
const NOW = Date.now();
const iso = (ms: number) => new Date(ms).toISOString();

/** 100 stores: vendas 1.5..100.5 (s1 newest, a minute apart), cidade SP x50, RJ x30, BH x20. */
function csv(): string {
  const lines = ['loja_id,event_timestamp,loja_vendas,loja_cidade'];
  for (let i = 1; i <= 100; i++) lines.push(`s${i},${iso(NOW - i * MINUTE)},${i}.5,${i <= 50 ? 'SP' : i <= 80 ? 'RJ' : 'BH'}`);
  return `${lines.join('\n')}\n`;
}

async function ingestFile(url: string): Promise<Job> {
  const upload = (await (await fetch(`${url}/api/uploads/?filename=vendas.csv`, { method: 'POST', headers: { 'content-type': 'text/csv' }, body: csv() })).json()) as { upload_id: string };
  let job = (await (await fetch(`${url}/api/jobs/ingest/loja/vendas_diarias?upload=${upload.upload_id}`, { method: 'POST' })).json()) as Job;
  for (let i = 0; i < 200 && !['succeeded', 'failed', 'cancelled'].includes(job.state); i++) {
    await new Promise((r) => setTimeout(r, 100));
    job = (await (await fetch(`${url}/api/jobs/${job.id}`)).json()) as Job;
  }
  return job;
}

beforeAll(async () => {
  service = await startService();
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await service?.stop();
});

describe('the data profile of a feature', () => {
  it('shows the file that wrote it, its histogram, statistics, freshness, served values and a snippet to copy', async () => {
    const job = await ingestFile(service.url);
    expect(job.state, JSON.stringify(job.error)).toBe('succeeded');
    const { page, problems, close } = await openPage(browser, { permissions: ['clipboard-read', 'clipboard-write'] });
    try {
      await page.goto(`${service.url}/#/features/loja_vendas`);
      // Definition: the data source names the ingestion (file and job), not "Not recorded".
      const source = page.getByTestId('definition-source').getByTestId('ingestion-source');
      await source.waitFor();
      expect(await source.textContent()).toContain('vendas.csv');
      expect(await source.getByTestId('ingestion-job-link').getAttribute('href')).toBe(`#/jobs/${job.id}`);

      await page.getByTestId('tab-data').click();
      await page.getByTestId('profile-histogram').waitFor();
      expect(await page.locator('[data-testid="profile-histogram"] .recharts-bar-rectangle').count()).toBeGreaterThan(10);
      expect(await page.getByTestId('profile-count').textContent()).toContain('100');
      expect(await page.getByTestId('profile-null-rate').textContent()).toContain('0 %');
      expect(await page.getByTestId('profile-distinct').textContent()).toContain('100');
      const stat = (label: string) => page.locator(`[data-testid="profile-stat"][data-stat="${label}"]`).textContent();
      expect(await stat('Min')).toContain('1.5');
      expect(await stat('Median')).toContain('51');
      expect(await stat('Max')).toContain('100.5');
      expect(await page.getByTestId('profile-newest').textContent()).toMatch(/1 min 0\d s ago|ago/);
      expect(await page.getByTestId('profile-last-day').textContent()).toContain('100');

      const rows = page.getByTestId('latest-value-row');
      expect(await rows.count()).toBe(5);
      expect(await rows.first().textContent()).toMatch(/s1.*1\.5.*Served/);

      const snippet = page.getByTestId('snippet-code');
      expect(await snippet.textContent()).toContain('client.get_online_features("loja", ["s1", "s2"], ["loja_vendas"])');
      await page.getByTestId('copy-snippet').click();
      await expect.poll(() => page.getByTestId('copy-snippet').textContent()).toContain('Copied');
      expect(await page.evaluate(() => navigator.clipboard.readText())).toContain('FStoreClient(');
      await page.getByTestId('snippet-curl').click();
      expect(await snippet.textContent()).toContain('/api/online/features');
      await page.getByTestId('copy-snippet').click();
      await expect.poll(() => page.evaluate(() => navigator.clipboard.readText())).toContain('curl -X POST');
      expect(problems.list).toEqual([]);
    } finally {
      await close();
    }
    await screenshotPage(browser, 'feature-data-numeric', `${service.url}/#/features/loja_vendas?tab=data`, 'profile-tiles');
    await screenshotPage(browser, 'feature-definition', `${service.url}/#/features/loja_vendas`, 'ingestion-source');
  });

  it('shows the most frequent values of a text feature', async () => {
    const { page, problems, close } = await openPage(browser);
    try {
      await page.goto(`${service.url}/#/features/loja_cidade?tab=data`);
      const top = page.getByTestId('profile-top-values');
      await top.waitFor();
      expect(await page.locator('[data-testid="profile-top-values"] .recharts-bar-rectangle').count()).toBe(3);
      expect(await top.textContent()).toContain('SP');
      expect(await page.getByTestId('profile-distinct').textContent()).toContain('3');
      expect(await page.getByTestId('profile-statistics').count()).toBe(0);
      expect(problems.list).toEqual([]);
    } finally {
      await close();
    }
    await screenshotPage(browser, 'feature-data-text', `${service.url}/#/features/loja_cidade?tab=data`, 'profile-tiles');
  });
});
