import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { apiClient } from './api.js';
import { launchBrowser, openPage, SCREENSHOT_DIR, screenshotStates } from './browser.js';
import { pickOption } from './new-feature-form.js';
import { startService, type RunningService } from './service-harness.js';

let service: RunningService;
let browser: Browser;

/** A label file named as the ingest page expects a file of the entity: '<entity>_id' and event_timestamp. */
const LABELS_CSV = ['conta_id,event_timestamp,label', 'c1,2025-01-07T12:00:00Z,1', 'c2,2025-01-04T00:00:00Z,0', ''].join('\n');

beforeAll(async () => {
  service = await startService();
  browser = await launchBrowser();
  const client = apiClient(service.url);
  await client.entities.create({ name: 'conta', join_key: 'conta_id', description: 'Conta corrente' });
  await client.featureGroups.create({ name: 'saldo', entity: 'conta' });
  await client.features.create({ name: 'conta_saldo', value_type: 'FLOAT', entity: 'conta', feature_group: 'saldo', description: 'Saldo' });
  await client.ingestRows('conta', 'saldo', [{ conta_id: 'c1', event_timestamp: '2025-01-01T00:00:00Z', conta_saldo: 100.5 }]);
});

afterAll(async () => {
  await browser?.close();
  await service?.stop();
});

async function openWithLabels(page: Page): Promise<void> {
  await page.goto(`${service.url}/#/training`);
  await pickOption(page, 'training-entity', 'conta');
  await page.locator('#training-features').click();
  await page.locator('[data-testid="feature-option"][data-feature-name="conta_saldo"]').click();
  await page.keyboard.press('Escape');
  await page.getByTestId('label-file-input').setInputFiles({ name: 'labels.csv', mimeType: 'text/csv', buffer: Buffer.from(LABELS_CSV) });
  await page.getByTestId('upload-done').waitFor();
}

describe("training sets use the ingest page's conventions for the label file's columns", () => {
  it('finds the key and time columns, offers the columns as choices, and refuses a bad column in the form', async () => {
    const { page, problems, close } = await openPage(browser);
    try {
      await openWithLabels(page);
      const key = page.locator('#training-key-column');
      const time = page.locator('#training-time-column');
      await expect.poll(() => key.inputValue()).toBe('conta_id');
      expect(await time.inputValue()).toBe('event_timestamp');

      // The file's columns are the dropdown's choices.
      await key.click();
      await key.fill('');
      expect(await page.getByRole('option').allTextContents()).toEqual(['conta_id', 'event_timestamp', 'label']);
      await key.fill('nope');
      await page.keyboard.press('Escape');

      // Refused in the form, naming the field; no job is started.
      const jobsBefore = (await apiClient(service.url).jobs.list({ kind: 'training_set' })).length;
      await page.getByTestId('build-training-set').click();
      await expect
        .poll(() => page.locator('#training-key-column-helper-text').textContent())
        .toBe("Entity key column: the label file has no column 'nope' (its columns: conta_id, event_timestamp, label)");
      expect(await page.getByTestId('training-job').count()).toBe(0);
      expect((await apiClient(service.url).jobs.list({ kind: 'training_set' })).length).toBe(jobsBefore);

      // Choosing the column from the list builds it.
      await key.click();
      await key.fill('');
      await page.getByRole('option', { name: 'conta_id' }).click();
      await page.getByTestId('build-training-set').click();
      await page.locator('[data-testid="training-job"][data-state="succeeded"]').waitFor({ timeout: 30_000 });
      expect(await page.getByTestId('result-rows').textContent()).toBe('2');
      // The output keeps the label file's own key and time column names (issue 21), in the preview too.
      expect(await page.getByTestId('result-column').allTextContents()).toEqual(['conta_id', 'event_timestamp', 'label', 'conta_saldo']);
      await page.getByTestId('training-preview').waitFor();
      expect(await page.getByTestId('preview-column').allTextContents()).toEqual(['conta_id', 'event_timestamp', 'label', 'conta_saldo']);
      expect(problems.list).toEqual([]);
    } finally {
      await close();
    }
  });

  it.skipIf(!SCREENSHOT_DIR)('takes screenshots of the training page with the detected columns, the preview and a refusal (with E2E_SCREENSHOT_DIR)', async () => {
    await screenshotStates(browser, 'training-columns', async (page) => {
      await openWithLabels(page);
      await expect.poll(() => page.locator('#training-key-column').inputValue()).toBe('conta_id');
      await page.getByTestId('build-training-set').click();
      await page.locator('[data-testid="training-job"][data-state="succeeded"]').waitFor({ timeout: 30_000 });
      await page.getByTestId('training-preview').waitFor();
    }, async (page, base) => {
      await page.screenshot({ path: `${base}.png`, fullPage: true });
      // Then a refusal of the service shown next to the field it names: an empty time column means 'timestamp', which this file lacks.
      await page.locator('#training-time-column').fill('');
      await page.getByTestId('build-training-set').click();
      await page.getByTestId('training-error').waitFor();
      await page.screenshot({ path: `${base}-refused.png`, fullPage: true });
    });
  });
});
