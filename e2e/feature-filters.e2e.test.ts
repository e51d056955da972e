import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { postFeature, SEED_FEATURE } from './api.js';
import { launchBrowser, openPage } from './browser.js';
import { pickOption } from './new-feature-form.js';
import { startService, type RunningService } from './service-harness.js';

let service: RunningService;
let browser: Browser;

beforeAll(async () => {
  service = await startService();
  browser = await launchBrowser();
  await postFeature(service.url, SEED_FEATURE);
  await postFeature(service.url, {
    name: 'usuario_renda',
    description: 'Renda mensal do usuário',
    value_type: 'FLOAT',
    feature_type: 'NUMERIC',
    entity: 'usuario',
    tags: ['financeiro'],
  });
  await postFeature(service.url, {
    name: 'pedido_valor',
    description: 'Valor total do pedido',
    value_type: 'FLOAT',
    feature_type: 'NUMERIC',
    entity: 'pedido',
    tags: ['financeiro'],
  });
});

afterAll(async () => {
  await browser?.close();
  await service?.stop();
});

async function listedNames(page: Page): Promise<string[]> {
  const names = await page
    .getByTestId('feature-row')
    .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-feature-name') ?? ''));
  return names.sort();
}

async function expectListed(page: Page, expected: string[]): Promise<void> {
  await expect.poll(() => listedNames(page), { timeout: 10_000 }).toEqual([...expected].sort());
}

describe('the Features page filters', () => {
  it('narrows the list by search text and by entity', async () => {
    const { page, problems, close } = await openPage(browser);
    try {
      await page.goto(`${service.url}/#/features`);
      await expectListed(page, ['pedido_valor', 'usuario_idade', 'usuario_renda']);

      await page.getByTestId('feature-search').fill('renda');
      await expectListed(page, ['usuario_renda']);
      expect(page.url()).toContain('q=renda');

      await page.getByTestId('feature-search').fill('');
      await expectListed(page, ['pedido_valor', 'usuario_idade', 'usuario_renda']);

      await pickOption(page, 'feature-entity-filter', 'pedido');
      await expectListed(page, ['pedido_valor']);

      await pickOption(page, 'feature-entity-filter', 'usuario');
      await expectListed(page, ['usuario_idade', 'usuario_renda']);

      // Both filters at once.
      await page.getByTestId('feature-search').fill('idade');
      await expectListed(page, ['usuario_idade']);

      // A search with no match explains itself and offers to clear the filters.
      await page.getByTestId('feature-search').fill('nada_disso');
      await page.getByTestId('features-no-match').waitFor();
      await page.getByTestId('clear-filters').click();
      await expectListed(page, ['pedido_valor', 'usuario_idade', 'usuario_renda']);
      expect(await page.getByTestId('feature-search').inputValue()).toBe('');
      expect(problems.list).toEqual([]);
    } finally {
      await close();
    }
  });

  it('filters by tag and keeps the filters in a shareable URL', async () => {
    const { page, problems, close } = await openPage(browser);
    try {
      await page.goto(`${service.url}/#/features?tag=financeiro`);
      await expectListed(page, ['pedido_valor', 'usuario_renda']);
      await page.goto(`${service.url}/#/features?tag=financeiro&entity=usuario`);
      await expectListed(page, ['usuario_renda']);
      expect(problems.list).toEqual([]);
    } finally {
      await close();
    }
  });
});
