/**
 * Desktop data-tool habits (issue 26 item 6) in Chromium: keyboard shortcuts and their sheet, the
 * desktop menu's commands (through a stand-in for the preload bridge), the studio's query history,
 * and the download of preview rows as CSV and Parquet.
 */
import { readFileSync } from 'node:fs';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { apiClient } from './api.js';
import { launchBrowser, openPage, screenshotStates } from './browser.js';
import { editorText, replaceEditorText, waitForCodeEditor } from './code-editor.js';
import { startService, type RunningService } from './service-harness.js';

let service: RunningService;
let browser: Browser;

const PAYMENTS_CSV = ['user_id,amount,event_time', 'u1,10,2025-01-01T10:00:00Z', 'u2,5,2025-01-01T11:00:00Z', 'u1,20,2025-01-02T10:00:00Z', ''].join('\n');
const GOOD_SQL = 'SELECT user_id, SUM(amount) AS total_amount, COUNT(*) AS payment_count FROM payments GROUP BY user_id ORDER BY user_id';
const TYPO_SQL = GOOD_SQL.replace('SUM(amount)', 'SUM(amont)');

beforeAll(async () => {
  service = await startService();
  browser = await launchBrowser();
  const upload = await fetch(`${service.url}/api/uploads/?format=csv&filename=payments.csv`, {
    method: 'POST',
    headers: { 'content-type': 'application/octet-stream' },
    body: PAYMENTS_CSV,
  });
  expect(upload.status).toBe(201);
  const { upload_id: uploadId } = (await upload.json()) as { upload_id: string };
  await apiClient(service.url).dataSources.create({ name: 'payments', type: 'file', upload_id: uploadId });
});

afterAll(async () => {
  await browser?.close();
  await service?.stop();
});

const hashPath = (page: Page) => new URL(page.url()).hash;
const focusedTestId = (page: Page) => page.evaluate(() => document.activeElement?.getAttribute('data-testid') ?? null);
const colorMode = (page: Page) => page.evaluate(() => document.documentElement.dataset['colorMode']);

/** Puts the focus on the page itself, out of any field. */
async function blur(page: Page): Promise<void> {
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
}

describe('keyboard shortcuts', () => {
  it('opens the sheet, navigates, focuses search and toggles dark mode, never while typing', async () => {
    const { page, problems, close } = await openPage(browser);
    try {
      await page.goto(`${service.url}/#/features`);
      await page.getByTestId('feature-search').waitFor();

      await page.keyboard.press('Shift+?');
      const sheet = page.getByTestId('shortcuts-sheet');
      await sheet.getByTestId('shortcut-go-transforms').waitFor();
      expect(await sheet.getByTestId('shortcut-go-transforms').textContent()).toBe('TransformsGthenTorCtrl+5');
      expect(await sheet.getByTestId('shortcut-runPreview').textContent()).toContain('Ctrl+Enter');
      await page.keyboard.press('Escape');
      await sheet.waitFor({ state: 'detached' });

      // Typing in the search field: "?", "/" and "g t" are text, not shortcuts.
      await page.getByTestId('feature-search').click();
      await page.keyboard.type('?/gt');
      expect(await page.getByTestId('feature-search').inputValue()).toBe('?/gt');
      expect(await sheet.count()).toBe(0);
      expect(hashPath(page)).toMatch(/^#\/features/);
      await page.getByTestId('feature-search').fill('');
      await blur(page);

      await page.keyboard.press('g');
      await page.keyboard.press('t');
      await page.waitForURL(/#\/transforms$/);
      await page.keyboard.press('Control+2');
      await page.waitForURL(/#\/feature-groups$/);
      await page.locator('main h1').filter({ hasText: 'Feature groups' }).waitFor();

      // "/" on a page without a search field opens Features with its search focused.
      await page.keyboard.press('/');
      await page.waitForURL(/#\/features/);
      await expect.poll(() => focusedTestId(page)).toBe('feature-search');
      await blur(page);
      await page.keyboard.press('Control+k');
      await expect.poll(() => focusedTestId(page)).toBe('feature-search');
      await blur(page);

      const before = await colorMode(page);
      await page.keyboard.press('Control+Shift+L');
      await expect.poll(() => colorMode(page)).not.toBe(before);

      await page.getByTestId('shortcuts-button').click();
      await sheet.waitFor();
      await sheet.getByTestId('shortcuts-sheet-close').click();
      await sheet.waitFor({ state: 'detached' });
      expect(problems.list).toEqual([]);
    } finally {
      await close();
    }
  });

  it('names the sheet in Portuguese', async () => {
    const { page, close } = await openPage(browser, { locale: 'pt-BR' });
    try {
      await page.goto(`${service.url}/#/features`);
      await page.getByTestId('shortcuts-button').click();
      const sheet = page.getByTestId('shortcuts-sheet');
      await sheet.waitFor();
      expect(await sheet.locator('h2').first().textContent()).toBe('Atalhos de teclado');
      expect(await sheet.getByTestId('shortcut-go-data-sources').textContent()).toContain('Fontes de dados');
    } finally {
      await close();
    }
  });

  it('shows the sheet (screenshots)', async () => {
    await screenshotStates(browser, 'shortcuts-sheet', async (page) => {
      await page.goto(`${service.url}/#/features`);
      await page.getByTestId('feature-search').waitFor();
      await page.keyboard.press('Shift+?');
      await page.getByTestId('shortcuts-sheet').waitFor();
    });
  });
});

describe('the desktop menu', () => {
  it("acts on the menu's commands as the bridge delivers them", async () => {
    const { page, problems, close } = await openPage(browser);
    try {
      // Stands in for main/preload.cts: the same DesktopApi, with the menu's sender in our hands.
      await page.addInitScript(() => {
        const listeners: ((command: string) => void)[] = [];
        const w = window as unknown as Record<string, unknown>;
        w['__sendMenuCommand'] = (command: string) => listeners.forEach((l) => l(command));
        w['fstore'] = {
          getServiceInfo: async () => ({ url: window.location.origin, mode: { kind: 'bundled' } }),
          getSettings: async () => ({ serviceMode: { kind: 'bundled' } }),
          setServiceMode: async () => ({ serviceMode: { kind: 'bundled' } }),
          exportDefinitions: async () => ({ cancelled: true }),
          onMenuCommand: (listener: (command: string) => void) => {
            listeners.push(listener);
            return () => listeners.splice(listeners.indexOf(listener), 1);
          },
        };
      });
      const send = (command: string) => page.evaluate((c) => (window as unknown as { __sendMenuCommand(c: string): void }).__sendMenuCommand(c), command);
      await page.goto(`${service.url}/#/features`);
      await page.getByTestId('feature-search').waitFor();

      await send('go:jobs');
      await page.waitForURL(/#\/jobs$/);
      await send('new-transform');
      await page.waitForURL(/#\/transforms\/new$/);
      await send('import-definitions');
      await page.waitForURL(/#\/definitions\?tab=plan$/);
      await send('show-shortcuts');
      await page.getByTestId('shortcuts-sheet').waitFor();
      // No "browser tabs" caveat in the desktop app, where Ctrl+1..9 are the menu's.
      expect(await page.getByTestId('shortcuts-sheet').textContent()).not.toContain('browser tabs');
      await page.keyboard.press('Escape');
      const before = await colorMode(page);
      await send('toggle-dark-mode');
      await expect.poll(() => colorMode(page)).not.toBe(before);

      // The documentation opens as a new window, which the desktop shell hands to the OS browser.
      const [docs] = await Promise.all([page.context().waitForEvent('page'), send('open-documentation')]);
      await docs.waitForURL(new RegExp(`^${service.url}/docs`));
      await docs.close();
      expect(problems.list).toEqual([]);
    } finally {
      await close();
    }
  });
});

describe('the transform studio', () => {
  /** A new transform on `payments`: a good run, then a failed one. */
  async function runTwoPreviews(page: Page): Promise<void> {
    await page.goto(`${service.url}/#/transforms/new?source=payments`);
    await waitForCodeEditor(page);
    await page.locator('#transform-entity').fill('user');
    await page.keyboard.press('Escape');
    await replaceEditorText(page, GOOD_SQL);
    await page.keyboard.press('Control+Enter');
    await page.locator('[data-testid="preview-results"][data-stale="false"]').waitFor();
    await replaceEditorText(page, TYPO_SQL);
    await page.keyboard.press('Control+Enter');
    await page.getByTestId('preview-error').waitFor();
  }

  it('keeps every preview run in a history that restores its code, across reloads', async () => {
    const { page, problems, close } = await openPage(browser);
    try {
      await page.goto(`${service.url}/#/transforms/new?source=payments`);
      await page.getByTestId('query-history-empty').waitFor();
      await runTwoPreviews(page);

      const entries = page.getByTestId('query-history-entry');
      await expect.poll(() => entries.count()).toBe(2);
      expect(await entries.evaluateAll((els) => els.map((e) => e.getAttribute('data-ok')))).toEqual(['false', 'true']);
      expect(await entries.nth(1).textContent()).toContain('2 rows');
      expect(await entries.nth(0).textContent()).toContain('amont');

      // Kept in local storage: still there after a reload; a click puts the good code back.
      await page.reload();
      await waitForCodeEditor(page);
      await expect.poll(() => entries.count()).toBe(2);
      await entries.nth(1).click();
      await expect.poll(() => editorText(page)).toBe(GOOD_SQL);

      await page.getByTestId('query-history-clear').click();
      await page.getByTestId('query-history-empty').waitFor();
      expect(problems.list).toEqual([]);
    } finally {
      await close();
    }
  });

  it('downloads the previewed rows as CSV and as typed Parquet; Ctrl+S opens publishing', async () => {
    const { page, problems, close } = await openPage(browser);
    try {
      await runTwoPreviews(page);
      await replaceEditorText(page, GOOD_SQL);
      await page.keyboard.press('Control+Enter');
      await page.locator('[data-testid="preview-results"][data-stale="false"]').waitFor();

      const [csv] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-csv').click()]);
      expect(csv.suggestedFilename()).toBe('preview.csv');
      expect(readFileSync((await csv.path())!, 'utf8')).toBe('user_id,total_amount,payment_count\r\nu1,30,2\r\nu2,5,1\r\n');

      const [parquet] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-parquet').click()]);
      expect(parquet.suggestedFilename()).toBe('preview.parquet');
      const connection = await (await DuckDBInstance.create(':memory:')).connect();
      try {
        const file = (await parquet.path())!.replace(/'/g, "''");
        const reader = await connection.runAndReadAll(`SELECT * FROM read_parquet('${file}')`);
        expect(reader.columnNames()).toEqual(['user_id', 'total_amount', 'payment_count']);
        // Typed: the count stays BIGINT; SUM's HUGEINT is one Parquet has no type for, so DuckDB writes DOUBLE.
        expect(reader.getRowsJS()).toEqual([
          ['u1', 30, 2n],
          ['u2', 5, 1n],
        ]);
      } finally {
        connection.closeSync();
      }

      // Ctrl+S while typing in the editor: the publish dialog, not the browser's "save page".
      await page.locator('#transform-name').fill('payment_totals');
      await page.locator('[data-testid="code-editor"] .monaco-editor .view-lines').click();
      await page.keyboard.press('Control+s');
      await page.getByTestId('publish-dialog').waitFor();
      expect(problems.list).toEqual([]);
    } finally {
      await close();
    }
  });

  it('shows the history and the download buttons (screenshots)', async () => {
    await screenshotStates(browser, 'studio-history', async (page) => {
      await runTwoPreviews(page);
      await page.getByTestId('query-history-entry').nth(1).waitFor();
    });
  });
});

describe('saved connections', () => {
  it('adds, tests, edits and deletes a connection; a password is refused before it is sent, and the dialog says why', async () => {
    const { page, problems, close } = await openPage(browser);
    const posted: string[] = [];
    page.on('request', (r) => {
      if (r.method() !== 'GET' && r.url().includes('/api/connections')) posted.push(r.postData() ?? '');
    });
    try {
      await page.goto(`${service.url}/#/data-sources`);
      await page.getByTestId('connections-empty').waitFor();
      await page.getByTestId('add-connection').click();
      const dialog = page.getByTestId('connection-dialog');
      expect(await dialog.getByTestId('connection-no-password').textContent()).toContain('never holds a password');
      await dialog.getByTestId('connection-name').fill('warehouse');
      await dialog.getByTestId('connection-url').fill('postgres://reader:s3cret@127.0.0.1:1/shop');
      expect(await dialog.locator('#connection-url-helper-text').textContent()).toBe('No password or key file here: use env:VARIABLE');
      await dialog.getByTestId('connection-save').click();
      expect(posted).toEqual([]);

      await dialog.getByTestId('connection-url').fill('postgres://reader@127.0.0.1:1/shop');
      await dialog.getByTestId('connection-save').click();
      await dialog.waitFor({ state: 'detached' });
      const row = page.locator('[data-testid="connection-row"][data-connection="warehouse"]');
      await expect.poll(() => row.getByTestId('connection-url-cell').textContent()).toBe('postgres://reader@127.0.0.1:1/shop');

      // Nothing listens on port 1: the test says so, as an answer.
      await row.getByTestId('test-connection').click();
      // The notice still says "saved" until the test's answer arrives (up to its 5 s limit).
      await expect.poll(() => page.getByTestId('connection-notice').textContent(), { timeout: 15_000 }).toMatch(/^Could not connect: /);

      await row.getByTestId('edit-connection').click();
      expect(await dialog.getByTestId('connection-name').isDisabled()).toBe(true);
      await dialog.getByTestId('connection-url').fill('env:WAREHOUSE_URL');
      await dialog.getByTestId('connection-save').click();
      await dialog.waitFor({ state: 'detached' });
      await expect.poll(() => row.getByTestId('connection-url-cell').textContent()).toBe('env:WAREHOUSE_URL');
      expect((await apiClient(service.url).connections.get('warehouse')).url).toBe('env:WAREHOUSE_URL');
      expect(posted.join('\n')).not.toContain('s3cret');

      page.once('dialog', (d) => void d.accept());
      await row.getByTestId('delete-connection').click();
      await page.getByTestId('connections-empty').waitFor();
      expect(problems.list).toEqual([]);
    } finally {
      await close();
    }
  });

  it('in the desktop app, keeps the password with the shell and saves only the env: reference', async () => {
    const { page, problems, close } = await openPage(browser);
    const toService: string[] = [];
    page.on('request', (r) => {
      if (r.method() !== 'GET') toService.push(r.postData() ?? '');
    });
    try {
      // A stand-in for the preload bridge that records what the shell would encrypt.
      await page.addInitScript(() => {
        const w = window as unknown as Record<string, unknown>;
        const kept: [string, string][] = [];
        w['__kept'] = kept;
        w['fstore'] = {
          getServiceInfo: async () => ({ url: window.location.origin, mode: { kind: 'bundled' } }),
          getSettings: async () => ({ serviceMode: { kind: 'bundled' } }),
          setServiceMode: async () => ({ serviceMode: { kind: 'bundled' } }),
          exportDefinitions: async () => ({ cancelled: true }),
          onMenuCommand: () => () => undefined,
          saveConnectionSecret: async (name: string, url: string) => {
            kept.push([name, url]);
            return { names: [name], pendingRestart: [name] };
          },
          listConnectionSecrets: async () => ({ names: [], pendingRestart: [] }),
          deleteConnectionSecret: async () => ({ names: [], pendingRestart: [] }),
        };
      });
      await page.goto(`${service.url}/#/data-sources`);
      await page.getByTestId('add-connection').click();
      const dialog = page.getByTestId('connection-dialog');
      await dialog.getByTestId('connection-secret-url').waitFor();
      expect(await dialog.getByTestId('connection-no-password').textContent()).toContain('keeps it encrypted on this computer');
      await dialog.getByTestId('connection-name').fill('shop');
      await dialog.getByTestId('connection-secret-url').fill('postgres://reader:s3cret@db.example:5432/shop');
      expect(await dialog.getByTestId('connection-url').inputValue()).toBe('env:FSTORE_CONN_SHOP');
      await dialog.getByTestId('connection-save').click();
      await dialog.waitFor({ state: 'detached' });
      expect(await page.getByTestId('connection-notice').textContent()).toBe('Connection shop saved; restart the app to use its password');

      expect(await page.evaluate(() => (window as unknown as { __kept: unknown }).__kept)).toEqual([['FSTORE_CONN_SHOP', 'postgres://reader:s3cret@db.example:5432/shop']]);
      expect((await apiClient(service.url).connections.get('shop')).url).toBe('env:FSTORE_CONN_SHOP');
      expect(toService.join('\n')).not.toContain('s3cret');
      await apiClient(service.url).connections.delete('shop');
      expect(problems.list).toEqual([]);
    } finally {
      await close();
    }
  });

  it('shows the Connections section (screenshots)', async () => {
    await apiClient(service.url).connections.create({ name: 'warehouse', kind: 'postgres', url: 'env:WAREHOUSE_URL', description: 'Data warehouse, read-only role' });
    await apiClient(service.url).connections.create({ name: 'events', kind: 'kafka', url: 'broker-1:9092,broker-2:9092' });
    await screenshotStates(browser, 'connections', async (page) => {
      await page.goto(`${service.url}/#/data-sources`);
      await page.locator('[data-testid="connection-row"][data-connection="warehouse"]').waitFor();
      await page.getByTestId('add-connection').click();
      await page.getByTestId('connection-dialog').getByTestId('connection-url').fill('postgres://reader:s3cret@db:5432/shop');
    });
  });
});
