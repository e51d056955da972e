/**
 * The analysis pages in pt-BR, with data: the Monitoring dashboard (drift with its charts, quality,
 * operations, alerts, the new rule dialog and its own checks), a training set built from a label
 * file, Definitions as code (export, and a folder planned and applied) and the audit log. Each must
 * show Portuguese texts and Brazilian numbers, so a page left in English fails.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { FStoreClient } from '@shared/api/client.js';
import { bundleToFiles } from '@shared/domain/definition-files.js';
import { apiClient } from './api.js';
import { launchBrowser, openPage, screenshotStates } from './browser.js';
import { pickOption } from './new-feature-form.js';
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

/** Both features spread evenly over [from, to); the plans repeat in order. */
const rows = (values: number[], plans: string[], from: number, to: number) =>
  values.map((v, i) => ({
    cliente_id: `c${i}`,
    event_timestamp: iso(from + ((to - from) * i) / values.length),
    [FEATURE]: Math.round(v * 1000) / 1000,
    [PLAN]: plans[i % plans.length],
  }));

const MONITORING =
  `/monitoring?entity=${ENTITY}` + `&baseline=${utcDate(NOW - 30 * DAY)}..${utcDate(NOW - 20 * DAY)}` + `&current=${utcDate(NOW - DAY)}..${utcDate(NOW)}`;

/** A training-set history: c1 changes over January 2025, c2 once; TTL 10 days. */
const ACCOUNT = 'conta';
const BALANCES = 'saldo';
const HISTORY = [
  { conta_id: 'c1', event_timestamp: '2025-01-01T00:00:00Z', conta_saldo: 100.5 },
  { conta_id: 'c1', event_timestamp: '2025-01-05T00:00:00Z', conta_saldo: 150 },
  { conta_id: 'c2', event_timestamp: '2025-01-03T12:00:00Z', conta_saldo: 20 },
];
/** Three label rows, two with a value as of their time (c3 has no history). */
const LABELS_CSV = ['entity_key,timestamp,label', 'c1,2025-01-06T00:00:00Z,1', 'c2,2025-01-04T00:00:00Z,0', 'c3,2025-01-06T00:00:00Z,0', ''].join('\n');

let service: RunningService;
let browser: Browser;
let client: FStoreClient;
const work = mkdtempSync(join(tmpdir(), 'fstore-language-analysis-'));

beforeAll(async () => {
  service = await startService();
  browser = await launchBrowser();
  client = apiClient(service.url);
  await client.entities.create({ name: ENTITY, description: 'Clientes' });
  await client.features.create({ name: FEATURE, entity: ENTITY, value_type: 'FLOAT', feature_type: 'NUMERIC', description: 'Score de crédito' });
  await client.features.create({ name: PLAN, entity: ENTITY, value_type: 'STRING', feature_type: 'CATEGORICAL', description: 'Plano' });
  await client.ingestRows(ENTITY, GROUP, rows(normals(1, 1000, 50, 10), ['free', 'pro'], NOW - 30 * DAY, NOW - 20 * DAY));
  await client.ingestRows(ENTITY, GROUP, rows(normals(2, 500, 65, 10), ['pro', 'pro', 'pro', 'free'], NOW - DAY + 60_000, NOW - 60_000));
  await client.monitoring.rules.save({ name: RULE, type: 'drift', entity: ENTITY, features: [FEATURE], baseline: { start: iso(NOW - 30 * DAY), end: iso(NOW - 20 * DAY) } });

  await client.entities.create({ name: ACCOUNT, join_key: 'conta_id', description: 'Conta corrente' });
  await client.featureGroups.create({ name: BALANCES, entity: ACCOUNT, ttl_seconds: 10 * 24 * 3600 });
  await client.features.create({ name: 'conta_saldo', value_type: 'FLOAT', entity: ACCOUNT, feature_group: BALANCES, description: 'Saldo' });
  await client.ingestRows(ACCOUNT, BALANCES, HISTORY);
});

afterAll(async () => {
  await browser?.close();
  await service?.stop();
  rmSync(work, { recursive: true, force: true });
});

/** Opens a page of the app in pt-BR, as a user who chose it in the language menu. */
async function openInPortuguese(page: Page, path: string): Promise<void> {
  // Stored before the app starts (no reload in between, which could race the router's hash).
  await page.addInitScript(() => window.localStorage.setItem('fstore.language', 'pt-BR'));
  await page.goto(`${service.url}/#${path}`);
  await page.getByTestId('language-menu').and(page.locator('[data-language="pt-BR"]')).waitFor();
}

const seeText = (page: Page, text: string) => page.getByText(text, { exact: false }).first().waitFor({ timeout: 20_000 });

/** Screenshots of a state; on failure, says what the page showed instead. */
async function shots(name: string, show: (page: Page) => Promise<void>): Promise<void> {
  await screenshotStates(browser, name, async (shot) => {
    try {
      await show(shot);
    } catch (error) {
      throw new Error(`${name}: ${String(error)}\nThe page showed: ${(await shot.locator('body').innerText()).slice(0, 2000)} at ${shot.url()}`);
    }
  });
}

async function seeAll(page: Page, texts: readonly string[]): Promise<void> {
  for (const text of texts) await seeText(page, text);
}

/** Chooses the account's balance and the label file, builds a CSV set and waits for it. */
async function buildTrainingSet(page: Page, labelsPath: string): Promise<void> {
  await pickOption(page, 'training-entity', ACCOUNT);
  await page.locator('#training-features').click();
  await page.locator('[data-testid="feature-option"][data-feature-name="conta_saldo"]').click();
  await page.keyboard.press('Escape');
  await page.getByTestId('label-file-input').setInputFiles(labelsPath);
  await page.getByTestId('upload-done').waitFor();
  await pickOption(page, 'training-format', 'csv');
  await page.getByTestId('build-training-set').click();
  await page.locator('[data-testid="training-job"][data-state="succeeded"]').waitFor({ timeout: 30_000 });
}

describe('the analysis pages in pt-BR', () => {
  it('monitoring: drift with its charts, quality, operations, alerts and the new rule dialog', async () => {
    const { page, problems, close } = await openPage(browser, { locale: 'pt-BR' });
    try {
      await openInPortuguese(page, MONITORING);
      const row = page.locator(`[data-testid="drift-row"][data-feature="${FEATURE}"]`);
      await row.waitFor({ timeout: 30_000 });
      await seeAll(page, ['Drift e qualidade dos valores das features', 'Drift por feature', 'Valores (ref. / atual)', 'Limite', 'contra a referência']);
      expect(await row.getByTestId('drift-status').textContent()).toBe('Com drift');
      // Brazilian numbers: thousands with a dot, decimals with a comma.
      expect(await row.textContent()).toContain('1.000 / 500');
      expect(await row.getByTestId('drift-psi').textContent()).toMatch(/^\d+,\d{3}$/);
      expect(await row.textContent()).toContain('numérica');

      // The feature's charts: titles, legend, axis ticks and the threshold line in Portuguese.
      await page.getByTestId('drift-detail').waitFor();
      await seeAll(page, ['PSI ao longo do tempo', 'Distribuição por decil da referência', 'Criar alerta']);
      const bins = page.getByTestId('drift-bins-chart');
      await bins.locator('.recharts-bar-rectangle path').first().waitFor();
      const legend = await bins.locator('.recharts-legend-wrapper').textContent();
      expect(legend).toContain('Referência');
      expect(legend).toContain('Atual');
      await page.getByTestId('drift-series-chart').getByText('limite 0,2').waitFor();
      // The share axis: "12 %" or "2,5 %", never "2.5 %".
      const shareTicks = async () => (await bins.locator('.recharts-cartesian-axis-tick-value').allTextContents()).filter((t) => t.endsWith('%'));
      await expect.poll(async () => (await shareTicks()).length, { timeout: 10_000 }).toBeGreaterThan(1);
      for (const tick of await shareTicks()) expect(tick).toMatch(/^\d+(,\d)? %$/);

      await page.getByTestId('tab-quality').click();
      await page.getByTestId('quality-table').waitFor();
      await seeAll(page, ['Qualidade dos dados', 'Taxa de nulos', 'Valores mais frequentes', 'Lotes de ingestão', 'Violações de regras', 'Janela atual']);

      await page.getByTestId('tab-operations').click();
      await page.getByTestId('freshness-table').waitFor();
      await seeAll(page, ['Valores gravados', 'Taxa de ingestão', 'Latência das requisições', 'Atualização e cobertura', 'Atualizado']);

      await page.getByTestId('tab-alerts').click();
      await page.locator(`[data-testid="rule-row"][data-rule="${RULE}"]`).waitFor();
      await seeAll(page, ['Disparados primeiro', 'Regras', 'Observa', 'referência']);
      await page.getByTestId('evaluate-button').click();
      await page.getByTestId('evaluation-summary').waitFor();
      expect(await page.getByTestId('evaluation-summary').textContent()).toMatch(/^Avaliados \d+ alvos? de 1 regra: \d+ acima do limite\.$/);
      const alert = page.locator(`[data-testid="alert-row"][data-rule="${RULE}"]`).first();
      await alert.waitFor();
      expect(await alert.textContent()).toContain('Disparado');
      expect(await alert.getByTestId('ack-button').textContent()).toBe('Reconhecer');

      // The new rule dialog: its own checks speak Portuguese.
      await page.getByTestId('new-rule').click();
      await page.getByTestId('new-rule-dialog').waitFor();
      await seeAll(page, ['Nova regra de alerta', 'PSI de cada feature na janela recente']);
      await page.getByTestId('rule-name-input').fill('Score Nulls');
      await seeText(page, "O nome da regra 'Score Nulls' não está em snake_case");
      await page.getByTestId('rule-name-input').fill(RULE);
      await seeText(page, `A regra '${RULE}' já existe; escolha outro nome`);
      await page.keyboard.press('Escape');
      expect(problems.list).toEqual([]);
    } finally {
      await close();
    }
    await shots('language-monitoring-drift', async (shot) => {
      await openInPortuguese(shot, MONITORING);
      await shot.locator('[data-testid="drift-bins-chart"] .recharts-bar-rectangle path').first().waitFor({ timeout: 30_000 });
      await shot.locator('[data-testid="drift-series-chart"] path.recharts-line-curve').waitFor({ state: 'attached' });
    });
    await shots('language-monitoring-quality', async (shot) => {
      await openInPortuguese(shot, `${MONITORING}&tab=quality`);
      await shot.locator('[data-testid="batch-quality-table"] [data-testid="batch-row"]').first().waitFor({ timeout: 30_000 });
    });
    await shots('language-monitoring-operations', async (shot) => {
      await openInPortuguese(shot, `${MONITORING}&tab=operations`);
      await shot.getByTestId('freshness-table').waitFor({ timeout: 30_000 });
    });
    await shots('language-monitoring-new-rule', async (shot) => {
      await openInPortuguese(shot, `${MONITORING}&tab=alerts`);
      await shot.getByTestId('new-rule').click();
      await shot.getByTestId('rule-name-input').fill('Score Nulls');
      await shot.getByText('não está em snake_case', { exact: false }).waitFor();
    });
    await shots('language-monitoring-alerts', async (shot) => {
      await openInPortuguese(shot, `${MONITORING}&tab=alerts`);
      await shot.locator(`[data-testid="alert-row"][data-rule="${RULE}"]`).first().waitFor({ timeout: 30_000 });
    });
  });

  it('training: a set built from a label file, with its checks, result and coverage', async () => {
    const labelsPath = join(work, 'rotulos.csv');
    writeFileSync(labelsPath, LABELS_CSV);
    const { page, problems, close } = await openPage(browser, { locale: 'pt-BR' });
    try {
      await openInPortuguese(page, '/training');
      await seeAll(page, ['Correto no tempo', 'Montar um conjunto de treino', 'Escolher features', 'Arquivo de rótulos', 'Formato de saída']);

      await page.getByTestId('build-training-set').click();
      expect(await page.locator('#training-entity-helper-text').textContent()).toBe('Escolha a entidade a que as linhas de rótulo se referem');
      expect(await page.getByTestId('labels-error').textContent()).toContain('Escolha ou solte um arquivo de rótulos');

      await buildTrainingSet(page, labelsPath);
      const preview = page.getByTestId('training-preview');
      await preview.waitFor();
      await seeAll(page, ['Conjunto de treino', 'Abrir em Jobs', 'Linhas', 'Colunas', 'Cobertura das features', 'Linhas com valor']);
      expect(await page.getByTestId('download-training-set').textContent()).toBe('Baixar CSV');
      expect(await preview.getByTestId('coverage-share').allTextContents()).toEqual(['66,7 %']);
      expect(await preview.getByTestId('coverage-count').first().textContent()).toBe('2 de 3');
      expect(await preview.getByTestId('preview-caption').textContent()).toBe('Todas as 3 linhas');
      expect(problems.list).toEqual([]);
    } finally {
      await close();
    }
    await shots('language-training-result', async (shot) => {
      await openInPortuguese(shot, '/training');
      await buildTrainingSet(shot, labelsPath);
      await shot.getByTestId('training-preview').waitFor({ timeout: 30_000 });
    });
    await shots('language-training', async (shot) => {
      await openInPortuguese(shot, '/training');
      await shot.getByTestId('build-training-set').click();
      await shot.locator('#training-entity-helper-text').waitFor();
    });
  });

  it('definitions: the export, and a folder planned and applied', async () => {
    const folder = join(work, 'definicoes');
    for (const file of bundleToFiles(await client.definitions.export())) {
      const path = join(folder, file.path);
      mkdirSync(dirname(path), { recursive: true });
      const text = file.path === `features/${PLAN}.yaml` ? file.text.replace('description: Plano', 'description: Plano contratado') : file.text;
      writeFileSync(path, text);
    }
    const { page, problems, close } = await openPage(browser, { locale: 'pt-BR' });
    try {
      await openInPortuguese(page, '/definitions');
      await page.getByTestId('definition-files').waitFor();
      await seeAll(page, ['Definições como código', 'Registro como arquivos', 'um por objeto', 'Baixar definitions.tar', 'gera a pasta']);

      await page.getByTestId('tab-plan').click();
      await seeAll(page, ['Solte uma pasta de definições aqui', 'Escolher uma pasta…']);
      await page.getByTestId('definitions-folder-input').setInputFiles(folder);
      await page.getByTestId('definition-plan').waitFor();
      expect(await page.getByTestId('folder-summary').textContent()).toContain('definicoes: ');
      expect(await page.getByTestId('folder-summary').textContent()).toContain('arquivos de definição lidos');
      expect(await page.getByTestId('plan-summary').textContent()).toMatch(/^Plano: 0 a criar, 1 a atualizar, 0 a restaurar, 0 a arquivar, \d+ sem alteração, 0 não listados \(mantidos\)\.$/);
      await seeText(page, 'Arquivar o que a pasta não lista');
      await page.getByTestId('definition-plan').getByText('Atualizar', { exact: true }).first().waitFor();
      expect(await page.getByTestId('apply-definitions').textContent()).toBe('Aplicar 1 alteração');
      await page.getByTestId('apply-definitions').click();
      await page.getByTestId('apply-result').waitFor();
      expect(await page.getByTestId('apply-result').textContent()).toContain('1 alteração aplicada: 1 atualizado.');
      await page.getByTestId('plan-no-changes').waitFor();
      expect(await page.getByTestId('plan-no-changes').textContent()).toBe('O registro já corresponde à pasta: aplicar não muda nada.');
      expect(problems.list).toEqual([]);
    } finally {
      await close();
    }
    await shots('language-definitions', async (shot) => {
      await openInPortuguese(shot, '/definitions');
      await shot.getByTestId('definition-files').waitFor();
    });
  });

  it('audit: the log with kinds, verbs and filters', async () => {
    const { page, problems, close } = await openPage(browser, { locale: 'pt-BR' });
    try {
      await openInPortuguese(page, '/audit');
      await page.getByTestId('audit-row').first().waitFor();
      await seeAll(page, ['Auditoria', 'Quem alterou qual definição', 'Todos os tipos', 'Nome do objeto', 'Nome de usuário exato', 'Horário', 'Ator', 'Ação', 'Objeto', 'Detalhes']);
      const created = page.locator(`[data-testid="audit-row"][data-action="entity.create"][data-name="${ENTITY}"]`);
      expect(await created.getByTestId('audit-action').textContent()).toBe('criar');
      expect(await created.textContent()).toContain('Entidade');
      expect(await created.getByTestId('audit-version').textContent()).toBe('novo → v1');
      expect(await page.getByTestId('audit-count').textContent()).toMatch(/eventos, o log inteiro$/);

      await pickOption(page, 'audit-kind', 'alert_rule');
      await page.locator('[data-testid="audit-row"][data-kind="alert_rule"]').first().waitFor();
      await seeAll(page, ['Regra de alerta', 'Limpar filtros', 'o log inteiro para esses filtros']);
      expect(problems.list).toEqual([]);
    } finally {
      await close();
    }
    await shots('language-audit', async (shot) => {
      await openInPortuguese(shot, '/audit');
      await shot.getByTestId('audit-row').first().waitFor();
    });
  });
});
