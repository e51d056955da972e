import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { apiClient } from './api.js';
import { launchBrowser, openPage, screenshotStates, SCREENSHOT_DIR } from './browser.js';
import { replaceEditorText, waitForCodeEditor } from './code-editor.js';
import { startService, type RunningService } from './service-harness.js';

let service: RunningService;
let browser: Browser;

/** On one line: the editor closes an opened bracket itself when a line break follows. */
const SCORE_TS =
  'export default function transform(row: any) { return { usuario_id: row.usuario_id, event_time: row.event_time, usuario_valor_sobre_renda: row.valor_transacao / row.usuario_renda }; }';

beforeAll(async () => {
  service = await startService();
  browser = await launchBrowser();
  const client = apiClient(service.url);
  await client.ingestRows('usuario', 'perfil', [
    { usuario_id: 'u1', event_timestamp: '2025-01-01T00:00:00Z', usuario_renda: 1000 },
    { usuario_id: 'u2', event_timestamp: '2025-01-05T00:00:00Z', usuario_renda: 500 },
  ]);
  await client.dataSources.create({ name: 'perfil_src', type: 'feature_group', feature_group: 'perfil' });
});

afterAll(async () => {
  await browser?.close();
  await service?.stop();
});

/** The studio on the group source, TypeScript, on demand, with one request input and its preview value. */
async function openWithInput(page: Page, value: string): Promise<void> {
  await page.goto(`${service.url}/#/transforms/new?source=perfil_src`);
  await waitForCodeEditor(page);
  await page.getByTestId('language-typescript').click();
  await page.locator('[data-testid="code-editor"][data-language="typescript"]').waitFor();
  await page.locator('#transform-entity').fill('usuario');
  await page.keyboard.press('Escape');
  await page.locator('#transform-name').fill('usuario_transacao');
  await page.getByTestId('transform-on-demand').click();
  await page.getByTestId('request-input-add').click();
  await page.getByTestId('request-input-name-0').fill('valor_transacao');
  await page.getByTestId('request-input-value-0').fill(value);
  await replaceEditorText(page, SCORE_TS);
}

describe('request inputs in the transform studio', () => {
  it('previews an on-demand transform with the request input value entered, and says what is wrong with a bad one', async () => {
    const { page, problems, close } = await openPage(browser);
    try {
      await openWithInput(page, '120');
      await page.keyboard.press('Control+Enter');
      await page.locator('[data-testid="preview-results"][data-stale="false"]').waitFor();
      const ratios = await page.locator('[data-testid="preview-row"] [data-column="usuario_valor_sobre_renda"]').allTextContents();
      expect(ratios).toEqual(['0.12', '0.24']);

      // A value that is not of the input's type: the service's message names it.
      await page.getByTestId('request-input-value-0').fill('muito');
      await page.getByTestId('run-preview').click();
      await expect.poll(() => page.getByTestId('preview-error').textContent()).toContain("'valor_transacao' must be a number (FLOAT)");
      await page.getByTestId('request-input-value-0').fill('50');
      await page.getByTestId('run-preview').click();
      await expect.poll(() => page.locator('[data-testid="preview-row"] [data-column="usuario_valor_sobre_renda"]').allTextContents()).toEqual(['0.05', '0.1']);
      expect(problems.list).toEqual([]);
    } finally {
      await close();
    }
  }, 120_000);

  it.skipIf(!SCREENSHOT_DIR)('screenshots the studio with a request input (with E2E_SCREENSHOT_DIR)', async () => {
    await screenshotStates(browser, 'transform-request-inputs', async (page) => {
      await openWithInput(page, '120');
      await page.keyboard.press('Control+Enter');
      await page.locator('[data-testid="preview-results"][data-stale="false"]').waitFor();
    });
  }, 120_000);
});
