import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { postFeature, SEED_FEATURE } from './api.js';
import { launchBrowser, openPage, SCREENSHOT_DIR, screenshotStates } from './browser.js';
import { pickFile, typeDestination, waitForCurrentPreview } from './ingest-files.js';
import { startService, type RunningService } from './service-harness.js';

let service: RunningService;
let browser: Browser;

/** A zip archive's start (an .xlsx is one) and bytes that are no text: a spreadsheet renamed to .csv. */
const SPREADSHEET_BYTES = Buffer.concat([Buffer.from('PK\x03\x04\x14\x00\x06\x00', 'latin1'), Buffer.from(Array.from({ length: 3000 }, (_, i) => (i * 37 + 11) % 256))]);

beforeAll(async () => {
  service = await startService();
  browser = await launchBrowser();
  await postFeature(service.url, SEED_FEATURE);
});

afterAll(async () => {
  await browser?.close();
  await service?.stop();
});

async function pickBytes(page: Page, name: string, buffer: Buffer): Promise<void> {
  await page.goto(`${service.url}/#/ingest`);
  await page.getByTestId('choose-file-input').setInputFiles({ name, mimeType: 'text/csv', buffer });
}

describe('ingestion messages in plain language', () => {
  it('says a binary file is not a text CSV, with no server path, and stops checking', async () => {
    const { page, problems, close } = await openPage(browser);
    try {
      await pickBytes(page, 'vendas.csv', SPREADSHEET_BYTES);
      const alert = page.getByTestId('error-alert');
      await alert.waitFor();
      const message = (await alert.textContent()) ?? '';
      expect(message).toContain('The file is not a text CSV');
      expect(message).not.toMatch(/\/tmp|uploads\/|sniffing/);
      expect(message.length).toBeLessThan(300);
      await expect.poll(() => page.getByTestId('ingest-blockers').textContent()).toBe('To ingest: The file could not be checked (see the message above)');
      expect(await page.getByTestId('preview-updating').count()).toBe(0);
      expect(problems.list).toEqual([]);
    } finally {
      await close();
    }
  });

  it('says an empty file is empty', async () => {
    const { page, close } = await openPage(browser);
    try {
      await pickBytes(page, 'vazio.csv', Buffer.alloc(0));
      await page.getByTestId('error-alert').waitFor();
      expect(await page.getByTestId('error-alert').textContent()).toContain('The file is empty');
      expect(await page.locator('body').textContent()).not.toContain('column0');
    } finally {
      await close();
    }
  });

  it('shows the detected source types, says what a dry run will store, and explains values written', async () => {
    const { page, close } = await openPage(browser);
    try {
      await page.goto(`${service.url}/#/ingest`);
      const csv = [
        'usuario_id,event_timestamp,idade,usuario_nota',
        'u1,2025-01-01T10:00:00Z,31,1.5',
        'u1,2025-01-01T10:00:00Z,32,2.5',
        'u2,2025-01-02T11:00:00Z,,3.5',
        '',
      ].join('\n');
      await pickFile(page, 'notas.csv', csv);
      const sourceType = (column: string) => page.locator(`[data-testid="schema-row"][data-column="${column}"] [data-testid="schema-source-type"]`);
      await sourceType('idade').waitFor();
      expect(await sourceType('idade').textContent()).toBe('BIGINT');
      expect(await sourceType('usuario_nota').textContent()).toBe('DOUBLE');
      expect(await sourceType('usuario_id').textContent()).toBe('VARCHAR');

      await typeDestination(page, 'entity', 'usuario');
      await typeDestination(page, 'group', 'notas');
      await waitForCurrentPreview(page);
      await expect.poll(() => page.getByTestId('preview-warning').allTextContents()).toContainEqual("Column 'idade' will be stored as feature 'usuario_idade'");

      await page.getByTestId('ingest-button').click();
      await page.getByTestId('ingest-report').waitFor({ timeout: 30_000 });
      expect(await page.getByTestId('report-values').textContent()).toBe('3');
      expect(await page.getByTestId('report-values-note').textContent()).toBe(
        "One value per filled cell: 3 rows × 2 features = 6 cells; 1 empty cell is not written; 1 row repeats the entity key and event time of another row: only the later row's values are kept.",
      );
    } finally {
      await close();
    }
  });

  it.skipIf(!SCREENSHOT_DIR)('takes screenshots of the ingest page with an error (with E2E_SCREENSHOT_DIR)', async () => {
    await screenshotStates(browser, 'ingest-error', async (page) => {
      await pickBytes(page, 'vendas.csv', SPREADSHEET_BYTES);
      await page.getByTestId('error-alert').waitFor();
    });
  });
});
