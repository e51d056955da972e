import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serviceChildEnv } from './helpers.js';

const ROOT = resolve(import.meta.dirname, '../..');
const BIN = join(ROOT, 'bin/fstore.js');

function fstore(...args: string[]) {
  return spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', timeout: 60_000 });
}

async function serve(dataDir: string): Promise<{ url: string; process: ChildProcess }> {
  const child = spawn(process.execPath, [BIN, 'serve', '--port', '0', '--data-dir', dataDir, '--log-level', 'warn'], { stdio: ['ignore', 'ignore', 'pipe'], env: serviceChildEnv() });
  let stderr = '';
  const url = await new Promise<string>((resolveUrl, reject) => {
    const timer = setTimeout(() => reject(new Error(`fstore serve did not start in 30 s:\n${stderr}`)), 30_000);
    child.stderr!.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      const match = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(stderr);
      if (match) {
        clearTimeout(timer);
        resolveUrl(match[1]!);
      }
    });
    child.on('exit', (code) => reject(new Error(`fstore serve exited with ${code}:\n${stderr}`)));
  });
  return { url, process: child };
}

/** Every file under `dir` with its text, for comparing two exports. */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const folder of readdirSync(dir)) for (const file of readdirSync(join(dir, folder))) out[`${folder}/${file}`] = readFileSync(join(dir, folder, file), 'utf8');
  return out;
}

/** `fstore export | plan | apply` on folders of YAML files, against real service processes. */
describe('fstore export, plan and apply', { timeout: 120_000 }, () => {
  const work = mkdtempSync(join(tmpdir(), 'fstore-defs-cli-'));
  let a: { url: string; process: ChildProcess };
  let b: { url: string; process: ChildProcess };
  const post = (url: string, path: string, body: unknown) =>
    fetch(`${url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }).then(async (r) => {
      if (!r.ok) throw new Error(`${path}: ${r.status} ${await r.text()}`);
      return r.json() as Promise<Record<string, unknown>>;
    });

  beforeAll(async () => {
    if (!existsSync(join(ROOT, 'dist/service/src/cli/run.js'))) throw new Error('The CLI is not built: run `npm run build` first');
    [a, b] = await Promise.all([serve(join(work, 'a')), serve(join(work, 'b'))]);
    await post(a.url, '/api/entities/', { name: 'conta', description: 'Uma conta de cliente', tags: ['core'] });
    await post(a.url, '/api/ingest/conta/saldos', { rows: [{ conta_id: 'c1', conta_saldo: 120.5, event_timestamp: '2025-01-01T00:00:00Z' }] });
    await post(a.url, '/api/data-sources/', { name: 'saldos_src', type: 'feature_group', feature_group: 'saldos' });
    await post(a.url, '/api/transforms/', {
      name: 'conta_saldo_mil',
      language: 'sql',
      code: 'SELECT conta_id, event_time,\n  conta_saldo / 1000 AS conta_saldo_mil\nFROM saldos_src',
      sources: ['saldos_src'],
      entity: 'conta',
      description: 'Saldo em milhares',
    });
  });
  afterAll(() => {
    a?.process.kill('SIGTERM');
    b?.process.kill('SIGTERM');
  });

  it('exports to YAML files with the transform code in its own file', () => {
    const exported = fstore('export', join(work, 'defs-a'), '--url', a.url);
    expect(exported.status, exported.stderr).toBe(0);
    const files = snapshot(join(work, 'defs-a'));
    expect(Object.keys(files).sort()).toEqual([
      'data_sources/saldos_src.yaml',
      'entities/conta.yaml',
      'feature_groups/saldos.yaml',
      'features/conta_saldo.yaml',
      'transforms/conta_saldo_mil.sql',
      'transforms/conta_saldo_mil.yaml',
    ]);
    expect(files['transforms/conta_saldo_mil.yaml']).toContain('code_file: conta_saldo_mil.sql');
    expect(files['transforms/conta_saldo_mil.sql']).toBe('SELECT conta_id, event_time,\n  conta_saldo / 1000 AS conta_saldo_mil\nFROM saldos_src\n');
    expect(files['entities/conta.yaml']).toBe('name: conta\njoin_key: conta_id\ndescription: Uma conta de cliente\ntags:\n  - core\n');
  });

  it('plans, applies to an empty service, and exports the same files again', () => {
    const plan = fstore('plan', join(work, 'defs-a'), '--url', b.url);
    expect(plan.status, plan.stderr).toBe(0);
    expect(plan.stdout).toContain('+ create     entity conta');
    expect(plan.stdout).toContain('+ create     transform conta_saldo_mil');
    expect(plan.stdout).toMatch(/Plan: 5 to create, 0 to update/);
    expect(plan.stdout).toContain('Warnings:');
    const apply = fstore('apply', join(work, 'defs-a'), '--url', b.url);
    expect(apply.status, apply.stderr).toBe(0);
    expect(apply.stdout).toContain('Applied 5 changes.');
    expect(fstore('export', join(work, 'defs-b'), '--url', b.url).status).toBe(0);
    expect(snapshot(join(work, 'defs-b'))).toEqual(snapshot(join(work, 'defs-a')));
    expect(fstore('plan', join(work, 'defs-a'), '--url', b.url).stdout).toMatch(/Plan: 0 to create, 0 to update, 0 to restore, 0 to archive, 5 unchanged/);
  });

  it('shows a change with its diff and impact, and reports bad files by name', () => {
    const sql = join(work, 'defs-a', 'transforms', 'conta_saldo_mil.sql');
    writeFileSync(sql, readFileSync(sql, 'utf8').replace('/ 1000', '/ 1000.0'));
    const plan = fstore('plan', join(work, 'defs-a'), '--url', b.url);
    expect(plan.stdout).toContain('~ update     transform conta_saldo_mil');
    expect(plan.stdout).toContain('re-run: transform conta_saldo_mil');
    expect(plan.stdout).toMatch(/code: ".*1000\.0/);

    writeFileSync(join(work, 'defs-a', 'features', 'broken.yaml'), 'name: [unclosed');
    const bad = fstore('plan', join(work, 'defs-a'), '--url', b.url);
    expect(bad.status).toBe(1);
    expect(bad.stderr).toMatch(/features\/broken\.yaml: not valid YAML/);
    writeFileSync(join(work, 'defs-a', 'features', 'broken.yaml'), 'name: other_name\nentity: conta\nvalue_type: INT\n');
    expect(fstore('plan', join(work, 'defs-a'), '--url', b.url).stderr).toMatch(/name 'other_name' differs from the file name 'broken'/);
    writeFileSync(join(work, 'defs-a', 'features', 'broken.yaml'), 'entity: conta\nvalue_type: NUMBER\n');
    const invalid = fstore('plan', join(work, 'defs-a'), '--url', b.url);
    expect(invalid.stderr).toMatch(/FSTORE_VALIDATION_FAILED: .*feature 'broken'/);
  });
});
