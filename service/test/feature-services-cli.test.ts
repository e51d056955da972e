import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveChild, type ServiceChild } from './faults/serve-child.js';

const ROOT = resolve(import.meta.dirname, '../..');
const BIN = join(ROOT, 'bin/fstore.js');

function fstore(...args: string[]) {
  return spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', timeout: 60_000 });
}

/** `fstore feature-services` and `--service` on online and training, against a real `fstore serve`. */
describe('fstore CLI: feature services', { timeout: 120_000 }, () => {
  let server: ServiceChild;
  let url = '';
  const dir = mkdtempSync(join(tmpdir(), 'fstore-cli-services-'));

  beforeAll(async () => {
    server = await serveChild(join(dir, 'data'));
    url = server.url;
    const csv = join(dir, 'perfil.csv');
    writeFileSync(csv, 'usuario_id,usuario_idade,usuario_plano,event_timestamp\nu1,25,pro,2025-01-10T10:00:00Z\nu2,31,free,2025-01-11T10:00:00Z\n');
    const ingest = fstore('ingest', csv, '--entity', 'usuario', '--group', 'perfil', '--url', url);
    expect(ingest.status, ingest.stderr).toBe(0);
  });
  afterAll(() => server?.stop());

  it('creates and lists a service, then reads online and training values by --service', () => {
    const created = fstore('feature-services', 'create', 'churn_modelo', '-f', 'perfil:idade,usuario_plano', '-d', 'Churn model inputs', '--url', url);
    expect(created.status, created.stderr).toBe(0);
    expect(JSON.parse(created.stdout)).toMatchObject({ name: 'churn_modelo', entity: 'usuario', features: ['usuario_idade', 'usuario_plano'], version: 1 });
    const listed = fstore('feature-services', 'list', '--url', url);
    expect(listed.stdout).toBe('churn_modelo\tusuario\tv1\tusuario_idade,usuario_plano\n');

    const online = fstore('online', '--service', 'churn_modelo', '-k', 'u1', '--url', url);
    expect(online.status, online.stderr).toBe(0);
    expect(JSON.parse(online.stdout).results[0].features).toMatchObject({ usuario_idade: { value: 25, status: 'PRESENT' }, usuario_plano: { value: 'pro' } });

    const training = fstore('training', '--service', 'churn_modelo', '--start', '2025-01-01', '--end', '2025-01-31', '--url', url);
    expect(training.status, training.stderr).toBe(0);
    expect(JSON.parse(training.stdout)).toMatchObject({ entity: 'usuario', row_count: 2, features: ['usuario_idade', 'usuario_plano'] });
  });

  it('says what is wrong: no features named, an unknown service, both forms', () => {
    const neither = fstore('online', '-e', 'usuario', '-k', 'u1', '--url', url);
    expect(neither.status).toBe(1);
    expect(neither.stderr).toContain('give --features (with --entity) or --service');
    const unknown = fstore('online', '--service', 'nenhum', '-k', 'u1', '--url', url);
    expect(unknown.status).toBe(1);
    expect(unknown.stderr).toContain("FSTORE_FEATURE_SERVICE_NOT_FOUND: Feature service 'nenhum' does not exist");
    const both = fstore('online', '--service', 'churn_modelo', '-e', 'usuario', '-f', 'usuario_idade', '-k', 'u1', '--url', url);
    expect(both.status).toBe(1);
    expect(both.stderr).toContain('not both');
  });
});
