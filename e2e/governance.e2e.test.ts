import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { FStoreClient } from '@shared/api/client.js';
import { apiClient } from './api.js';
import { launchBrowser, openPage } from './browser.js';
import { startService, type RunningService } from './service-harness.js';

const ENTITY = 'usuario';
const GROUP = 'perfil';
const DEPRECATED = 'usuario_idade';
const REPLACEMENT = 'usuario_idade_anos';
const BUSY = 'usuario_score';
const SOURCE = 'perfil_src';
const TRANSFORM = 'usuario_renda_mil';
const REASON = 'Arredondada; use a idade em anos completos';
/** More of alice's events than one audit page (50) holds. */
const BUSY_UPDATES = 55;

let service: RunningService;
let browser: Browser;
let alice: FStoreClient;
let bob: FStoreClient;
const work = mkdtempSync(join(tmpdir(), 'fstore-governance-'));

beforeAll(async () => {
  service = await startService();
  browser = await launchBrowser();
  alice = apiClient(service.url, { user: 'alice' });
  bob = apiClient(service.url, { user: 'bob' });

  await alice.entities.create({ name: ENTITY, description: 'Uma pessoa usuária' });
  await alice.features.create({ name: DEPRECATED, entity: ENTITY, value_type: 'INT', description: 'Idade do usuário', tags: ['demografia'] });
  await alice.features.create({ name: REPLACEMENT, entity: ENTITY, value_type: 'INT', description: 'Idade em anos completos', tags: ['demografia'] });
  await alice.ingestRows(ENTITY, GROUP, [
    { usuario_id: 'u1', event_timestamp: '2025-01-01T00:00:00Z', [DEPRECATED]: 30, [REPLACEMENT]: 30, usuario_renda: 3000 },
    { usuario_id: 'u2', event_timestamp: '2025-01-02T00:00:00Z', [DEPRECATED]: 41, [REPLACEMENT]: 41, usuario_renda: 1500 },
  ]);
  // A feature group source and a SQL transform over it: the lineage runs group -> source -> transform -> feature.
  await bob.dataSources.create({ name: SOURCE, type: 'feature_group', feature_group: GROUP, description: 'O perfil como tabela' });
  await bob.transforms.create({
    name: TRANSFORM,
    language: 'sql',
    code: `SELECT usuario_id, event_time, usuario_renda / 1000.0 AS ${TRANSFORM} FROM ${SOURCE}`,
    sources: [SOURCE],
    entity: ENTITY,
    description: 'Renda em milhares',
  });
  await bob.features.create({ name: BUSY, entity: ENTITY, value_type: 'FLOAT', description: 'Score 0', tags: ['risco'] });
  for (let i = 1; i <= BUSY_UPDATES; i++) await alice.features.update(BUSY, { description: `Score ${i}` });
});

afterAll(async () => {
  await browser?.close();
  await service?.stop();
  rmSync(work, { recursive: true, force: true });
});

const auditRows = (page: Page) => page.getByTestId('audit-row');
const rowActors = (page: Page) => auditRows(page).evaluateAll((rows) => [...new Set(rows.map((r) => r.getAttribute('data-actor')))]);

/** Waits until the audit table settles on `count` rows whose actors are exactly `actors`. */
async function expectAuditRows(page: Page, count: number, actors: string[]): Promise<void> {
  await expect.poll(() => auditRows(page).count(), { timeout: 10_000 }).toBe(count);
  await expect.poll(() => rowActors(page)).toEqual(actors);
}

describe('governance in the app', () => {
  it('deprecates a feature with a reason and a replacement; the page and the online API say so; restore undoes it', async () => {
    const { page, problems, close } = await openPage(browser);
    try {
      await page.goto(`${service.url}/#/features/${DEPRECATED}`);
      await expect.poll(() => page.getByTestId('feature-title').textContent()).toBe(DEPRECATED);
      const before = await alice.features.get(DEPRECATED);

      await page.getByTestId('deprecate-feature').click();
      const dialog = page.getByTestId('deprecate-dialog');
      // The reason is required: nothing is sent without it.
      await dialog.getByTestId('confirm-deprecate').click();
      await dialog.getByText('Say why, and what to use instead').waitFor();
      await dialog.getByTestId('deprecation-reason-input').fill(REASON);
      await dialog.locator('#deprecation-replaced-by').click();
      // Only features of the same entity, never the feature itself.
      const options = await page.locator('[role="listbox"] [role="option"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-value')));
      expect(options).toEqual(['', REPLACEMENT, 'usuario_renda', TRANSFORM, BUSY]);
      await page.locator(`[role="listbox"] [role="option"][data-value="${REPLACEMENT}"]`).click();
      await page.locator('[role="listbox"]').waitFor({ state: 'detached' });
      await dialog.getByTestId('confirm-deprecate').click();
      await dialog.waitFor({ state: 'detached' });

      const banner = page.getByTestId('deprecated-banner');
      await banner.waitFor();
      expect(await banner.getByTestId('deprecation-reason').textContent()).toBe(REASON);
      expect(await page.getByTestId('status-chip').first().textContent()).toBe('Deprecated');
      await expect.poll(() => page.getByTestId('feature-version').textContent()).toBe(`v${before.version + 1}`);

      // Still served, with a warning naming the feature.
      const online = await bob.online({ entity: ENTITY, entity_keys: ['u1'], feature_list: [DEPRECATED] });
      expect(online.results[0]!.features[DEPRECATED]).toMatchObject({ value: 30 });
      expect(online.warnings?.join('\n')).toMatch(new RegExp(`${DEPRECATED}.*deprecated|deprecated.*${DEPRECATED}`, 'i'));
      expect(await bob.features.get(DEPRECATED)).toMatchObject({ status: 'deprecated', deprecation: { reason: REASON, replaced_by: REPLACEMENT } });

      // The banner links to the replacement.
      await banner.getByTestId('replacement-link').click();
      await page.waitForURL(new RegExp(`#/features/${REPLACEMENT}$`));
      await expect.poll(() => page.getByTestId('feature-title').textContent()).toBe(REPLACEMENT);
      expect(await page.getByTestId('deprecated-banner').count()).toBe(0);

      // Restore makes it active again; the warning goes away.
      await page.goBack();
      await page.getByTestId('deprecated-banner').waitFor();
      await page.getByTestId('restore-feature').click();
      await page.getByTestId('deprecated-banner').waitFor({ state: 'detached' });
      await expect.poll(() => page.getByTestId('feature-version').textContent()).toBe(`v${before.version + 2}`);
      expect(await page.getByTestId('status-chip').first().textContent()).toBe('Active');
      expect((await bob.online({ entity: ENTITY, entity_keys: ['u1'], feature_list: [DEPRECATED] })).warnings ?? []).toEqual([]);

      // Then deprecated again, as it stays for the audit and export checks below.
      await page.getByTestId('deprecate-feature').click();
      await page.getByTestId('deprecation-reason-input').fill(REASON);
      await page.getByTestId('confirm-deprecate').click();
      await page.getByTestId('deprecated-banner').waitFor();

      expect(problems.list).toEqual([]);
    } finally {
      await close();
    }
  });

  it('shows naming hints under the fields of the New Feature form, without blocking it, and on the feature page', async () => {
    const { page, problems, close } = await openPage(browser);
    try {
      await page.goto(`${service.url}/#/features/new`);
      await page.locator('#feature-name').fill('value_2');
      await page.locator('#feature-entity').fill(ENTITY);
      await page.keyboard.press('Escape');
      const nameHints = page.getByTestId('name-hints');
      await expect
        .poll(() => nameHints.getByTestId('naming-hint').evaluateAll((els) => els.map((e) => e.getAttribute('data-rule'))))
        .toEqual(['entity_prefix', 'descriptive_name']);
      // A hint, not an error: the field stays valid.
      expect(await page.locator('#feature-name').getAttribute('aria-invalid')).toBe('false');
      // The description hint waits until the field has been visited.
      expect(await page.getByTestId('description-hints').count()).toBe(0);
      await page.locator('#feature-description').focus();
      await page.locator('#feature-description').blur();
      await page.getByTestId('description-hints').getByText("has no description").waitFor();

      // Created anyway; the feature page lists the same hints.
      await page.locator('#feature-value-type').click();
      await page.locator('[role="listbox"] [role="option"][data-value="FLOAT"]').click();
      await page.locator('[role="listbox"]').waitFor({ state: 'detached' });
      await page.getByTestId('create-feature').click();
      await page.waitForURL(/#\/features\/value_2$/);
      const pageHints = page.getByTestId('feature-naming-hints');
      await pageHints.waitFor();
      expect(await pageHints.getByTestId('naming-hint').evaluateAll((els) => els.map((e) => e.getAttribute('data-rule')))).toEqual([
        'entity_prefix',
        'description',
        'tags',
        'descriptive_name',
      ]);

      // The edit dialog's hints follow what is typed.
      await page.getByTestId('edit-feature').click();
      await page.getByTestId('description-hints').waitFor();
      await page.locator('#edit-description').fill('Valor de teste, sem unidade');
      await page.getByTestId('description-hints').waitFor({ state: 'detached' });
      expect(await page.getByTestId('tags-hints').count()).toBe(1);
      await page.keyboard.press('Escape');

      // The hints are advice only: archive the test feature so the definitions below stay small.
      await alice.features.archive('value_2');
      expect(problems.list).toEqual([]);
    } finally {
      await close();
    }
  });

  it('lists the deprecation in the audit log with its actor, and filters by actor, kind and object', async () => {
    const { page, problems, close } = await openPage(browser);
    try {
      const [deprecation] = await alice.audit({ kind: 'feature', name: DEPRECATED, limit: 1 });
      expect(deprecation).toMatchObject({ action: 'feature.deprecate', actor: 'local' });

      await page.goto(`${service.url}/#/audit`);
      const row = page.locator(`[data-testid="audit-row"][data-action="feature.deprecate"][data-name="${DEPRECATED}"]`).first();
      await row.waitFor();
      expect(await row.getByTestId('audit-actor').textContent()).toBe('local');
      expect(await row.getByTestId('audit-version').textContent()).toBe(`v${deprecation!.version_before} → v${deprecation!.version_after}`);
      // Newest first, as the service keeps them.
      const [newest] = await alice.audit({ limit: 1 });
      expect(await auditRows(page).first().getAttribute('data-action')).toBe(newest!.action);
      // A full first page, with more to load.
      expect(await auditRows(page).count()).toBe(50);

      // bob's events only: his source, transform and feature.
      await page.getByTestId('audit-actor-filter').fill('bob');
      await page.waitForURL(/actor=bob/);
      const bobs = await alice.audit({ actor: 'bob' });
      expect(bobs.length).toBeGreaterThanOrEqual(3);
      await expectAuditRows(page, bobs.length, ['bob']);
      expect(await page.getByTestId('audit-load-more').count()).toBe(0);
      expect(await page.getByTestId('audit-count').textContent()).toContain('the whole log for these filters');

      // Clicking an actor filters by that actor: alice has more than a page, and "load more" gets the rest.
      await page.getByTestId('audit-actor-filter').fill('');
      await page.waitForURL((url) => !url.hash.includes('actor='));
      await page.locator('[data-testid="audit-row"][data-actor="alice"]').first().getByTestId('audit-actor').click();
      await page.waitForURL(/actor=alice/);
      const alices = await alice.audit({ actor: 'alice', limit: 1000 });
      expect(alices.length).toBeGreaterThan(50);
      expect(alices.length).toBeLessThanOrEqual(100);
      await expectAuditRows(page, 50, ['alice']);
      await page.getByTestId('audit-load-more').click();
      await page.waitForURL(/limit=100/);
      await expectAuditRows(page, alices.length, ['alice']);
      expect(await page.getByTestId('audit-actor-filter').inputValue()).toBe('alice');

      // Kind and name: the transform's publish, linked to its page.
      await page.goto(`${service.url}/#/audit?kind=transform&name=${TRANSFORM}`);
      await expectAuditRows(page, 1, ['bob']);
      expect(await auditRows(page).first().getAttribute('data-action')).toBe('transform.create');
      await auditRows(page).first().getByTestId('audit-object-link').click();
      await page.waitForURL(new RegExp(`#/transforms/${TRANSFORM}$`));
      await expect.poll(() => page.getByTestId('transform-title').textContent()).toBe(TRANSFORM);

      // Nobody by that name: an empty state that offers to clear the filters.
      await page.goto(`${service.url}/#/audit?actor=nobody`);
      await page.getByTestId('audit-empty').getByText('No events match these filters').waitFor();

      expect(problems.list).toEqual([]);
    } finally {
      await close();
    }
  });

  it('exports the registry as definitions.tar, plans a changed folder with its field diff, and applies it', async () => {
    const { page, problems, close } = await openPage(browser);
    try {
      await page.goto(`${service.url}/#/definitions`);
      const files = page.getByTestId('definition-file');
      await files.first().waitFor();
      const paths = await files.evaluateAll((els) => els.map((e) => e.getAttribute('data-path')));
      const expected = [
        `data_sources/${SOURCE}.yaml`,
        `entities/${ENTITY}.yaml`,
        `feature_groups/${GROUP}.yaml`,
        `features/${DEPRECATED}.yaml`,
        `features/${REPLACEMENT}.yaml`,
        `transforms/${TRANSFORM}.sql`,
        `transforms/${TRANSFORM}.yaml`,
      ];
      expect(paths).toEqual(expect.arrayContaining(expected));
      // The transform's features are not files: the transform defines them.
      expect(paths).not.toContain(`features/${TRANSFORM}.yaml`);

      // Previewing a file shows its YAML.
      await page.locator(`[data-testid="definition-file"][data-path="transforms/${TRANSFORM}.yaml"]`).getByTestId('select-definition-file').click();
      const preview = page.getByTestId('definition-file-preview');
      await expect.poll(() => preview.getAttribute('data-path')).toBe(`transforms/${TRANSFORM}.yaml`);
      expect(await preview.getByTestId('code-block').textContent()).toContain(`code_file: ${TRANSFORM}.sql`);

      // One file on its own.
      const [single] = await Promise.all([
        page.waitForEvent('download'),
        page.locator(`[data-testid="definition-file"][data-path="transforms/${TRANSFORM}.sql"]`).getByTestId('download-definition-file').click(),
      ]);
      expect(single.suggestedFilename()).toBe(`${TRANSFORM}.sql`);
      expect(readFileSync((await single.path())!, 'utf8')).toContain(`AS ${TRANSFORM} FROM ${SOURCE}`);

      // The whole folder as a tar that `tar -xf` unpacks into definitions/.
      const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('download-definitions').click()]);
      expect(download.suggestedFilename()).toBe('definitions.tar');
      const tarPath = join(work, 'definitions.tar');
      await download.saveAs(tarPath);
      const listing = execFileSync('tar', ['-tf', tarPath], { encoding: 'utf8' }).split('\n');
      for (const path of expected) expect(listing).toContain(`definitions/${path}`);
      execFileSync('tar', ['-xf', tarPath], { cwd: work });
      const folder = join(work, 'definitions');
      const featureFile = join(folder, 'features', `${REPLACEMENT}.yaml`);
      expect(readFileSync(featureFile, 'utf8')).toContain('description: Idade em anos completos');
      expect(readFileSync(join(folder, 'transforms', `${TRANSFORM}.sql`), 'utf8')).toContain(`FROM ${SOURCE}`);

      // A broken copy first: the error names the file.
      const broken = join(work, 'broken');
      cpSync(folder, broken, { recursive: true });
      writeFileSync(join(broken, 'features', 'broken.yaml'), 'name: [unclosed');
      await page.getByTestId('tab-plan').click();
      await page.getByTestId('definitions-folder-input').setInputFiles(broken);
      const fileError = page.getByTestId('definition-files-error');
      await fileError.waitFor();
      expect(await fileError.textContent()).toContain('features/broken.yaml: not valid YAML');
      expect(await page.getByTestId('plan-section').count()).toBe(0);

      // The real folder, with one description changed (and a README that is not a definition).
      writeFileSync(featureFile, readFileSync(featureFile, 'utf8').replace('description: Idade em anos completos', 'description: Idade em anos completos, no dia da coleta'));
      writeFileSync(join(folder, 'README.md'), '# Definitions\n');
      await page.getByTestId('definitions-folder-input').setInputFiles(folder);
      await fileError.waitFor({ state: 'detached' });
      expect(await page.getByTestId('folder-summary').textContent()).toContain(`definitions: ${paths.length} definition files read, 1 other file ignored`);
      const change = page.locator(`[data-testid="plan-change"][data-kind="feature"][data-name="${REPLACEMENT}"]`);
      await change.waitFor();
      expect(await change.getAttribute('data-action')).toBe('update');
      expect(await change.getAttribute('data-breaking')).toBe('false');
      const diff = change.locator('[data-testid="diff-row"][data-field="description"]');
      expect(await diff.getByTestId('diff-before').textContent()).toBe('Idade em anos completos');
      expect(await diff.getByTestId('diff-after').textContent()).toBe('Idade em anos completos, no dia da coleta');
      expect(await page.getByTestId('plan-summary').textContent()).toMatch(/^Plan: 0 to create, 1 to update, 0 to restore, 0 to archive, \d+ unchanged, \d+ not listed \(kept\)\.$/);
      // Unchanged objects are counted, not listed, until asked for.
      expect(await page.locator('[data-testid="plan-change"][data-action="unchanged"]').count()).toBe(0);
      await page.getByTestId('show-unchanged').click();
      await page.locator(`[data-testid="plan-change"][data-name="${TRANSFORM}"][data-action="unchanged"]`).waitFor();
      // Archived objects are neither exported nor reported as missing from the folder.
      expect(await page.locator('[data-testid="plan-change"][data-name="value_2"]').count()).toBe(0);

      // Apply: the new version is reported, and the same folder now plans nothing.
      const before = await alice.features.get(REPLACEMENT);
      await page.getByTestId('apply-definitions').click();
      const applied = page.locator(`[data-testid="applied-change"][data-name="${REPLACEMENT}"]`);
      await applied.waitFor();
      expect(await applied.getAttribute('data-version')).toBe(String(before.version + 1));
      expect(await page.getByTestId('apply-result').textContent()).toContain('Applied 1 change: 1 updated.');
      await page.getByTestId('plan-no-changes').waitFor();
      expect(await page.getByTestId('apply-definitions').isDisabled()).toBe(true);
      const appliedHref = await applied.getByRole('link', { name: REPLACEMENT }).getAttribute('href');
      expect(appliedHref).toBe(`#/features/${REPLACEMENT}`);

      // Removing a feature's file and archiving what is not listed is breaking: apply asks first.
      rmSync(join(folder, 'features', `${BUSY}.yaml`));
      await page.getByTestId('definitions-folder-input').setInputFiles(folder);
      const busy = page.locator(`[data-testid="plan-change"][data-name="${BUSY}"]`);
      await expect.poll(() => busy.getAttribute('data-action')).toBe('not_listed');
      await page.getByTestId('prune-switch').click();
      await expect.poll(() => busy.getAttribute('data-action')).toBe('archive');
      expect(await busy.getAttribute('data-breaking')).toBe('true');
      expect(await page.getByTestId('plan-summary').textContent()).toContain('1 to archive');
      expect(await page.getByTestId('plan-summary').textContent()).not.toContain('not listed');
      await page.getByTestId('apply-definitions').click();
      const confirm = page.getByTestId('apply-confirm-dialog');
      await confirm.waitFor();
      expect(await confirm.textContent()).toContain(BUSY);
      await confirm.getByRole('button', { name: 'Cancel' }).click();
      await confirm.waitFor({ state: 'detached' });
      expect((await alice.features.get(BUSY)).status).toBe('active');

      // The applied version on the feature page.
      await page.goto(`${service.url}/${appliedHref}`);
      await expect.poll(() => page.getByTestId('feature-version').textContent()).toBe(`v${before.version + 1}`);
      expect(await page.getByTestId('definition-description').textContent()).toContain('no dia da coleta');

      expect(problems.list).toEqual([]);
    } finally {
      await close();
    }
  });

  it('follows the lineage of a transform-computed feature to its transform and its source', async () => {
    const { page, problems, close } = await openPage(browser);
    try {
      await page.goto(`${service.url}/#/features/${TRANSFORM}?tab=lineage`);
      await page.locator('[data-testid="lineage-node"][data-root="true"]').waitFor();
      const nodes = await page.getByTestId('lineage-node').evaluateAll((els) => els.map((e) => e.getAttribute('data-node-id')));
      expect(nodes).toEqual(expect.arrayContaining([`feature_group:${GROUP}`, `data_source:${SOURCE}`, `transform:${TRANSFORM}`, `feature:${TRANSFORM}`]));

      await page.locator(`[data-testid="lineage-node"][data-node-id="transform:${TRANSFORM}"]`).getByRole('link').click();
      await page.waitForURL(new RegExp(`#/transforms/${TRANSFORM}$`));
      await expect.poll(() => page.getByTestId('transform-title').textContent()).toBe(TRANSFORM);

      const lineage = page.getByTestId('transform-lineage');
      await lineage.locator(`[data-testid="lineage-node"][data-node-id="data_source:${SOURCE}"]`).getByRole('link').click();
      await page.waitForURL(new RegExp(`#/data-sources/${SOURCE}$`));
      await expect.poll(() => page.getByTestId('data-source-title').textContent()).toBe(SOURCE);

      // And back downstream from the source to the feature.
      await page.locator(`[data-testid="lineage-node"][data-node-id="feature:${TRANSFORM}"]`).getByRole('link').click();
      await page.waitForURL(new RegExp(`#/features/${TRANSFORM}`));
      await expect.poll(() => page.getByTestId('feature-title').textContent()).toBe(TRANSFORM);

      expect(problems.list).toEqual([]);
    } finally {
      await close();
    }
  });
});
