/**
 * The registry's pages in pt-BR, with data: the features list (selection and the new feature
 * service dialog), a feature's detail (definition, data profile with Brazilian numbers, versions,
 * diff, the deprecate dialog), the new feature form with its own validation, entities, feature
 * groups, feature services (list and detail), the framing of a service error and the page that
 * does not exist. Each must show Portuguese texts, so a page left in English fails.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { Job } from '@shared/api/jobs.js';
import { apiClient } from './api.js';
import { launchBrowser, openPage, screenshotStates } from './browser.js';
import { startService, type RunningService } from './service-harness.js';

let service: RunningService;
let browser: Browser;

const MINUTE = 60_000;
const NOW = Date.now();
const iso = (ms: number) => new Date(ms).toISOString();
const SERVICE = 'modelo_vendas';

/** 20 stores: vendas 1.5..20.5 (s1 newest, a minute apart, shown "1,5" in pt-BR), cidade SP or RJ. */
function csv(): string {
  const lines = ['loja_id,event_timestamp,loja_vendas,loja_cidade'];
  for (let i = 1; i <= 20; i++) lines.push(`s${i},${iso(NOW - i * MINUTE)},${i}.5,${i <= 12 ? 'SP' : 'RJ'}`);
  return `${lines.join('\n')}\n`;
}

async function ingestFile(url: string): Promise<Job> {
  const upload = (await (await fetch(`${url}/api/uploads/?filename=vendas.csv`, { method: 'POST', headers: { 'content-type': 'text/csv' }, body: csv() })).json()) as {
    upload_id: string;
  };
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
  const job = await ingestFile(service.url);
  expect(job.state, JSON.stringify(job.error)).toBe('succeeded');
  const client = apiClient(service.url);
  // A second version, for the versions and diff tabs.
  await client.features.update('loja_vendas', { description: 'Vendas do dia, em reais' });
  await client.featureServices.create({ name: SERVICE, description: '', tags: ['vendas'], features: ['vendas_diarias:loja_vendas', 'vendas_diarias:loja_cidade'] });
});

afterAll(async () => {
  await browser?.close();
  await service?.stop();
});

/** Opens a page of the app in pt-BR, whatever the browser prefers (as a user who chose it in the menu). */
async function openInPortuguese(page: Page, path: string): Promise<void> {
  // Stored before the app's scripts run, on every load of this page (a hash change alone would
  // not reload the app, and going to a first page raced with its start-up).
  await page.addInitScript(() => {
    try {
      window.localStorage.setItem('fstore.language', 'pt-BR');
    } catch {
      // about:blank has no storage
    }
  });
  await page.goto('about:blank');
  await page.goto(`${service.url}/#${path}`);
}

const seeText = (page: Page, text: string) => page.getByText(text, { exact: false }).first().waitFor({ timeout: 15_000 });

async function seeAll(page: Page, texts: readonly string[]): Promise<void> {
  for (const text of texts) await seeText(page, text);
}

const pick = (page: Page, feature: string) => page.locator(`[data-testid="feature-row"][data-feature-name="${feature}"] [data-testid="select-feature"] input`).check();

describe('the registry in pt-BR', () => {
  it('features: the list, a selection and the new feature service dialog', async () => {
    const { page, problems, close } = await openPage(browser, { locale: 'pt-BR' });
    try {
      await openInPortuguese(page, '/features');
      await page.getByTestId('feature-row').first().waitFor({ timeout: 60_000 });
      await seeAll(page, ['Todas as features registradas neste store', 'Nova feature', 'Tipo de valor', 'Tipo de feature', 'Mostrar arquivadas', 'Numérica', 'Categórica']);
      expect(await page.getByTestId('status-chip').first().textContent()).toBe('Ativo');

      await pick(page, 'loja_vendas');
      await seeAll(page, ['1 feature selecionada', 'Criar serviço de features']);
      await pick(page, 'loja_cidade');
      await seeText(page, '2 features selecionadas');
      await page.getByTestId('create-service-button').click();
      await page.getByTestId('create-service-dialog').waitFor({ timeout: 60_000 });
      await seeAll(page, ['Novo serviço de features', '2 features da entidade loja, nesta ordem:', 'Criar serviço']);
      await page.getByTestId('create-service-submit').click();
      await seeText(page, 'Dê um nome ao serviço');
      await page.keyboard.press('Escape');

      await page.getByTestId('feature-search').fill('nada_com_isso');
      await seeAll(page, ['Nenhuma feature corresponde a esses filtros', 'Limpar filtros']);
      expect(problems.list).toEqual([]);
    } finally {
      await close();
    }
    await screenshotStates(browser, 'registry-pt-BR-features', async (page) => {
      await openInPortuguese(page, '/features');
      await page.getByTestId('feature-row').first().waitFor({ timeout: 60_000 });
      await pick(page, 'loja_vendas');
      await seeText(page, '1 feature selecionada');
    });
  }, 300_000);

  it("a feature's detail: definition, data profile, versions, diff, and the deprecate dialog", async () => {
    const { page, problems, close } = await openPage(browser, { locale: 'pt-BR' });
    try {
      await openInPortuguese(page, '/features/loja_vendas');
      await page.getByTestId('feature-definition').waitFor({ timeout: 60_000 });
      await seeAll(page, ['Definição', 'Dados', 'Versões (2)', 'Linhagem', 'Descontinuar', 'Arquivar', 'Tipo de valor', 'Número decimal', 'Última alteração']);
      const source = page.getByTestId('definition-source').getByTestId('ingestion-source');
      await source.waitFor({ timeout: 60_000 });
      expect(await source.textContent()).toMatch(/arquivo vendas\.csv.* por /i);

      await page.getByTestId('tab-data').click();
      await page.getByTestId('profile-tiles').waitFor({ timeout: 60_000 });
      await seeAll(page, ['Taxa de nulos', 'Evento mais recente', 'Distribuição', 'Estatísticas', 'Mediana', 'Desvio padrão', 'Últimos valores', 'Como buscar']);
      expect(await page.getByTestId('latest-value-row').first().textContent()).toMatch(/^s1.*Servido$/);
      // Brazilian numbers: a decimal comma.
      expect(await page.locator('[data-testid="profile-stat"][data-stat="Min"]').textContent()).toBe('Mínimo1,5');

      await page.getByTestId('tab-versions').click();
      await seeAll(page, ['Autor', 'Resumo', 'Comparar com v1']);
      await page.getByTestId('tab-diff').click();
      await page.getByTestId('diff-table').waitFor({ timeout: 60_000 });
      await seeAll(page, ['Campo', 'Antes (v1)', 'Depois (v2)']);

      await page.getByTestId('deprecate-feature').click();
      await page.getByTestId('deprecate-dialog').waitFor({ timeout: 60_000 });
      await seeAll(page, ['Descontinuar loja_vendas?', 'Substituída por', 'Motivo']);
      await page.getByTestId('confirm-deprecate').click();
      await seeText(page, 'Diga por quê e o que usar no lugar');
      await page.keyboard.press('Escape');
      expect(problems.list).toEqual([]);
    } finally {
      await close();
    }
    await screenshotStates(browser, 'registry-pt-BR-feature-data', async (page) => {
      await openInPortuguese(page, '/features/loja_vendas?tab=data');
      await page.getByTestId('profile-tiles').waitFor({ timeout: 60_000 });
      await seeText(page, 'Taxa de nulos');
    });
    await screenshotStates(browser, 'registry-pt-BR-feature-definition', async (page) => {
      await openInPortuguese(page, '/features/loja_vendas');
      await page.getByTestId('feature-definition').waitFor({ timeout: 60_000 });
      await seeText(page, 'Última alteração');
    });
  }, 300_000);

  it('the new feature form and its checks', async () => {
    const { page, problems, close } = await openPage(browser, { locale: 'pt-BR' });
    try {
      await openInPortuguese(page, '/features/new');
      await page.getByTestId('new-feature-form').waitFor({ timeout: 60_000 });
      await seeAll(page, ['Defina uma feature uma vez', 'Identificação', 'Onde ela fica', 'Metadados', 'Prévia da requisição', 'Criar feature']);
      await page.getByTestId('feature-name-input').fill('loja_ticket_medio');
      await page.getByTestId('create-feature').click();
      await seeAll(page, ['Escolha o tipo dos valores armazenados', 'Informe a entidade que esta feature descreve']);
      await page.getByTestId('feature-name-input').fill('loja_vendas');
      await seeText(page, "A feature 'loja_vendas' já existe");
      expect(problems.list).toEqual([]);
    } finally {
      await close();
    }
    await screenshotStates(browser, 'registry-pt-BR-new-feature', async (page) => {
      await openInPortuguese(page, '/features/new');
      await page.getByTestId('feature-name-input').fill('loja_ticket_medio');
      await page.getByTestId('create-feature').click();
      await seeText(page, 'Escolha o tipo dos valores armazenados');
    });
  }, 300_000);

  it('entities, feature groups and feature services', async () => {
    const { page, problems, close } = await openPage(browser, { locale: 'pt-BR' });
    try {
      await openInPortuguese(page, '/entities');
      await page.getByTestId('entity-row').first().waitFor({ timeout: 60_000 });
      await seeAll(page, ['O que as features descrevem', 'Chave de junção', 'Descrição']);

      await openInPortuguese(page, '/feature-groups');
      await page.getByTestId('feature-group-row').first().waitFor({ timeout: 60_000 });
      await seeAll(page, ['Features de uma entidade que são ingeridas', 'Nome', 'Entidade', 'Versão']);

      await openInPortuguese(page, '/feature-services');
      await page.getByTestId('feature-service-row').first().waitFor({ timeout: 60_000 });
      await seeAll(page, ['Conjuntos nomeados e versionados', 'Montar a partir de features']);

      await page.getByTestId('feature-service-row').first().click();
      await page.getByTestId('service-title').waitFor({ timeout: 60_000 });
      await seeAll(page, ['Serve 2 features de loja', 'Gerar um conjunto de treino', 'na ordem em que as requisições as respondem', 'Como usar', 'Linhagem', 'Versões']);
      await seeText(page, 'Só existe uma versão');
      expect(problems.list).toEqual([]);
    } finally {
      await close();
    }
    await screenshotStates(browser, 'registry-pt-BR-feature-service', async (page) => {
      await openInPortuguese(page, `/feature-services/${SERVICE}`);
      await page.getByTestId('service-title').waitFor({ timeout: 60_000 });
      await seeText(page, 'Como usar');
    });
    await screenshotStates(browser, 'registry-pt-BR-feature-groups', async (page) => {
      await openInPortuguese(page, '/feature-groups');
      await page.getByTestId('feature-group-row').first().waitFor({ timeout: 60_000 });
    });
  }, 300_000);

  it("frames the service's errors in Portuguese, and a page that does not exist", async () => {
    const { page, close } = await openPage(browser, { locale: 'pt-BR' });
    try {
      await openInPortuguese(page, '/features/nao_existe');
      await page.getByTestId('error-alert').waitFor({ timeout: 60_000 });
      await seeAll(page, ['Feature não encontrada', 'Tentar de novo']);

      await openInPortuguese(page, '/lugar-nenhum');
      await seeAll(page, ['Esta página não existe', 'Ir para features']);
    } finally {
      await close();
    }
  }, 300_000);
});
