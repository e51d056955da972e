/**
 * The data pipeline's pages in pt-BR, with data: transforms (list, detail, the studio with a
 * preview result and the publish dialog), ingestion of a file up to its report, data sources and
 * jobs. Each page must show Portuguese texts and Brazilian numbers, so one left in English fails.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { isTerminal } from '@shared/api/jobs.js';
import { apiClient } from './api.js';
import { launchBrowser, openPage, screenshotStates } from './browser.js';
import { pickFile, typeDestination, USUARIOS_CSV, waitForCurrentPreview } from './ingest-files.js';
import { startService, type RunningService } from './service-harness.js';

let service: RunningService;
let browser: Browser;

/** u1: 10, 20, 60 -> 30; u2: 5, 10 -> 7.5 (shown "7,5" in pt-BR); u3: 100. */
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
const TRANSFORM = 'user_transaction_stats';
const SQL =
  'SELECT user_id, AVG(transaction_amount) AS avg_transaction_value, COUNT(*) AS transaction_count FROM transactions GROUP BY user_id';

beforeAll(async () => {
  service = await startService();
  browser = await launchBrowser();
  const client = apiClient(service.url);
  const upload = await client.uploads.create(TRANSACTIONS_CSV, { format: 'csv', filename: 'transactions.csv' });
  await client.dataSources.create({ name: 'transactions', type: 'file', upload_id: upload.upload_id, description: 'Transações de cartão' });
  await client.transforms.create({ name: TRANSFORM, language: 'sql', code: SQL, sources: ['transactions'], entity: 'user' });
  let job = await client.transforms.run(TRANSFORM, {});
  for (let i = 0; i < 120 && !isTerminal(job.state); i++) {
    await new Promise((resolve) => setTimeout(resolve, 250));
    job = await client.jobs.get(job.id);
  }
  expect(job.state).toBe('succeeded');
});

afterAll(async () => {
  await browser?.close();
  await service?.stop();
});

const inPortuguese = new WeakSet<Page>();

/**
 * Loads a page of the app afresh in pt-BR, whatever the browser prefers (as for a user who chose
 * it in the language menu): the choice is stored before the app starts.
 */
async function openInPortuguese(page: Page, path: string): Promise<void> {
  if (!inPortuguese.has(page)) {
    inPortuguese.add(page);
    await page.addInitScript(() => {
      // about:blank, between two loads, has no storage of its own.
      if (window.location.protocol.startsWith('http')) window.localStorage.setItem('fstore.language', 'pt-BR');
    });
  }
  await page.goto('about:blank');
  await page.goto(`${service.url}/#${path}`);
}

/** Waits for the studio's Monaco editor; longer than the shared helper, as screenshots run on a busy machine. */
async function waitForStudioEditor(page: Page): Promise<void> {
  await page.locator('[data-testid="code-editor"][data-ready="true"] .monaco-editor').waitFor({ timeout: 90_000 });
}

const seeText = (page: Page, text: string) => page.getByText(text, { exact: false }).first().waitFor({ timeout: 15_000 });

async function seeAll(page: Page, texts: readonly string[]): Promise<void> {
  for (const text of texts) await seeText(page, text);
}

/** The studio of the published transform with a preview of the seed's SQL on screen. */
async function showStudioWithPreview(page: Page): Promise<void> {
  await openInPortuguese(page, `/transforms/${TRANSFORM}/edit`);
  await waitForStudioEditor(page);
  await page.getByTestId('run-preview').click();
  await page.locator('[data-testid="preview-results"][data-stale="false"]').waitFor({ timeout: 30_000 });
}

/** The Ingest page with the usuarios file checked against its destination (nothing written yet). */
async function showIngestReview(page: Page): Promise<void> {
  await openInPortuguese(page, '/ingest');
  await pickFile(page, 'usuarios.csv', USUARIOS_CSV);
  await page.getByTestId('upload-done').waitFor();
  await typeDestination(page, 'entity', 'usuario');
  await typeDestination(page, 'group', 'demografia');
  await waitForCurrentPreview(page);
}

describe('the data pipeline in pt-BR', () => {
  it('transforms: list, detail, the studio with a preview result, and the publish dialog', async () => {
    const { page, problems, close } = await openPage(browser, { locale: 'pt-BR' });
    try {
      await openInPortuguese(page, '/transforms');
      await seeAll(page, ['Cada publicação é uma nova versão', 'Nova transformação', 'Linguagem', 'Atualizada em']);

      await page.locator(`[data-testid="transform-row"][data-transform="${TRANSFORM}"]`).click();
      await page.getByTestId('transform-title').waitFor();
      await seeAll(page, ['Calcula 2 features de user em', 'Editar no estúdio', 'Executar agora', 'Linhagem', 'Definição', 'Features de saída', 'Coluna da chave da entidade']);
      expect(await page.getByTestId('run-engine').locator('..').textContent()).toContain('Padrão');

      await showStudioWithPreview(page);
      await seeAll(page, ['Resultados', 'Estatísticas das colunas', 'Mediana', 'Distintos', 'Configurações', 'Marque as tabelas que a transformação lê']);
      expect(await page.getByTestId('preview-row-count').textContent()).toBe('3 linhas');
      expect(await page.getByTestId('preview-summary').textContent()).toContain('amostra: as primeiras 10.000 linhas de cada fonte');
      const average = await page.locator('[data-testid="preview-row"]').evaluateAll((rows) =>
        rows.map((row) => [row.querySelector('[data-column="user_id"]')?.textContent, row.querySelector('[data-column="avg_transaction_value"]')?.textContent]),
      );
      expect(Object.fromEntries(average)['u2']).toBe('7,5');
      expect(await page.locator('[data-testid="column-role"][data-role="entity_key"]').first().textContent()).toBe('chave');

      await page.getByTestId('open-publish').click();
      await page.getByTestId('publish-plan').waitFor();
      await seeAll(page, ['Publicar user_transaction_stats', 'Dependentes', 'Publicar a versão 2']);
      expect(problems.list).toEqual([]);
    } finally {
      await close();
    }
    await screenshotStates(browser, 'pipeline-pt-BR-studio', showStudioWithPreview);
    await screenshotStates(browser, 'pipeline-pt-BR-publish', async (page) => {
      await openInPortuguese(page, `/transforms/${TRANSFORM}/edit`);
      await waitForStudioEditor(page);
      await page.getByTestId('open-publish').click();
      await page.getByTestId('publish-plan').waitFor();
    });
    await screenshotStates(browser, 'pipeline-pt-BR-transform', async (page) => {
      await openInPortuguese(page, `/transforms/${TRANSFORM}`);
      await page.getByTestId('transform-title').waitFor();
      await seeText(page, 'Features de saída');
    });
  }, 300_000);

  it('ingests a file: the check, then the job and its report', async () => {
    const { page, problems, close } = await openPage(browser, { locale: 'pt-BR' });
    try {
      await openInPortuguese(page, '/ingest');
      await seeAll(page, ['Solte um arquivo CSV, Parquet, JSON ou NDJSON em qualquer lugar desta janela', 'Escolher um arquivo', 'acompanhe-as na página']);
      await showIngestReview(page);
      await seeAll(page, ['Destino', 'Verificação', 'Schema inferido', 'Primeiras linhas', 'Todas as 3 linhas são válidas.', 'Chave da entidade', 'Nova entidade: usuario será criada']);
      expect(await page.getByTestId('ingest-button').textContent()).toBe('Ingerir 3 linhas');

      await page.getByTestId('ingest-button').click();
      await page.getByTestId('ingest-report').waitFor({ timeout: 30_000 });
      await seeAll(page, ['Ingestão', 'Valores gravados', 'Valores online', 'Ver as features', 'Ingerir outro arquivo']);
      expect(await page.getByTestId('ingest-report-summary').textContent()).toBe(
        '3 linhas ingeridas em usuario/demografia e 2 novas features registradas.',
      );
      expect(await page.getByTestId('job-phase').first().textContent()).toBe('Concluído');
      expect(problems.list).toEqual([]);
    } finally {
      await close();
    }
    await screenshotStates(browser, 'pipeline-pt-BR-ingest-check', showIngestReview);
  }, 300_000);

  it('data sources and jobs', async () => {
    const { page, problems, close } = await openPage(browser, { locale: 'pt-BR' });
    try {
      await openInPortuguese(page, '/data-sources');
      await seeAll(page, ['que as transformações leem como tabelas SQL', 'Adicionar fonte', 'Lê', 'Arquivo']);
      await page.getByTestId('add-source').click();
      await seeAll(page, ['Adicionar uma fonte de dados', 'Enviar um arquivo', 'Arquivo no servidor', 'Nome da fonte']);
      await page.keyboard.press('Escape');

      await openInPortuguese(page, '/data-sources/transactions');
      await seeAll(page, ['Reler colunas', 'Nova transformação a partir desta fonte', 'Lidas quando a fonte foi salva pela última vez']);

      await openInPortuguese(page, '/jobs');
      await seeAll(page, ['Operações longas', 'Atualizar', 'Execução de transformação', 'Concluído', 'Progresso']);
      await page.getByTestId('job-title').first().click();
      await page.getByTestId('job-detail').waitFor();
      await seeAll(page, ['Criado em', 'Iniciado em', 'Duração', 'linhas ingeridas em']);
      await page.getByLabel('Parâmetros').waitFor();
      expect(problems.list).toEqual([]);
    } finally {
      await close();
    }
    await screenshotStates(browser, 'pipeline-pt-BR-jobs', async (page) => {
      await openInPortuguese(page, '/jobs');
      await page.getByTestId('job-title').first().click();
      await page.getByTestId('job-detail').waitFor();
      await seeText(page, 'Iniciado em');
    });
    await screenshotStates(browser, 'pipeline-pt-BR-data-sources', async (page) => {
      await openInPortuguese(page, '/data-sources');
      await page.getByTestId('add-source').click();
      await seeText(page, 'Adicionar uma fonte de dados');
    });
  }, 300_000);
});
