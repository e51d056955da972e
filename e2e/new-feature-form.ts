/** Drives the New Feature form the way a user does: typing, picking from menus, Enter for tags. */
import type { Page } from 'playwright-core';

export interface FormValues {
  name: string;
  description?: string;
  valueType: string;
  featureType: string;
  entity: string;
  tags?: string[];
  source?: string;
}

export async function pickOption(page: Page, selectId: string, value: string): Promise<void> {
  await page.locator(`#${selectId}`).click();
  await page.locator(`[role="listbox"] [role="option"][data-value="${value}"]`).click();
  await page.locator('[role="listbox"]').waitFor({ state: 'detached' });
}

export async function fillNewFeatureForm(page: Page, values: FormValues): Promise<void> {
  await page.locator('#feature-name').fill(values.name);
  if (values.description !== undefined) await page.locator('#feature-description').fill(values.description);
  await pickOption(page, 'feature-value-type', values.valueType);
  await pickOption(page, 'feature-type', values.featureType);
  await page.locator('#feature-entity').fill(values.entity);
  await page.keyboard.press('Escape');
  for (const tag of values.tags ?? []) {
    await page.locator('#feature-tags').fill(tag);
    await page.locator('#feature-tags').press('Enter');
  }
  if (values.source !== undefined) await page.locator('#feature-source').fill(values.source);
}
