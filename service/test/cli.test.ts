import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serviceChildEnv } from './helpers.js';

const ROOT = resolve(import.meta.dirname, '../..');
const BIN = join(ROOT, 'bin/fstore.js');

function fstore(...args: string[]) {
  return spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', timeout: 60_000 });
}

/** The `fstore` command as a user runs it: a real process serving on a free port, driven by the CLI. */
// Each test spawns CLI processes (a tsx start each): seconds apiece, more on a loaded runner.
describe('fstore CLI', { timeout: 120_000 }, () => {
  let server: ChildProcess;
  let url = '';
  const dir = mkdtempSync(join(tmpdir(), 'fstore-cli-'));

  beforeAll(async () => {
    if (!existsSync(join(ROOT, 'dist/service/src/cli/run.js'))) {
      throw new Error('The CLI is not built: run `npm run build` (the README test command does this first)');
    }
    server = spawn(process.execPath, [BIN, 'serve', '--port', '0', '--data-dir', join(dir, 'data'), '--log-level', 'warn'], {
      stdio: ['ignore', 'ignore', 'pipe'],
      env: serviceChildEnv(),
    });
    let stderr = '';
    url = await new Promise<string>((resolvePromise, reject) => {
      const timer = setTimeout(() => reject(new Error(`fstore serve did not start in 30 s:\n${stderr}`)), 30_000);
      server.stderr!.on('data', (chunk: Buffer) => {
        stderr += chunk.toString();
        const match = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(stderr);
        if (match) {
          clearTimeout(timer);
          resolvePromise(match[1]!);
        }
      });
      server.on('exit', (code) => reject(new Error(`fstore serve exited with ${code}:\n${stderr}`)));
    });
  });
  afterAll(() => {
    server?.kill('SIGTERM');
  });

  it('prints help for every command', () => {
    const help = fstore('--help');
    expect(help.status).toBe(0);
    for (const command of ['serve', 'ingest', 'online', 'training', 'features']) expect(help.stdout).toContain(command);
    expect(fstore('serve', '--help').stdout).toContain('--data-dir');
  });

  it('ingests a file, reads online values, lists features and writes a Parquet training set', () => {
    const csv = join(dir, 'dados_usuarios.csv');
    writeFileSync(csv, 'usuario_id,usuario_idade,event_timestamp\nuser_123,25,2025-01-10T10:00:00Z\nuser_456,31,2025-01-11T10:00:00Z\n');
    const ingest = fstore('ingest', csv, '--entity', 'usuario', '--group', 'demografia', '--url', url);
    expect(ingest.status, ingest.stderr).toBe(0);
    expect(JSON.parse(ingest.stdout)).toMatchObject({ rows: 2, values_written: 2 });
    // Progress on stderr: the upload, then the job's phases (one line per phase off a terminal).
    expect(ingest.stderr).toMatch(/^uploading .*100% .*bytes$/m);
    expect(ingest.stderr).toMatch(/^writing offline .*\/2 rows/m);
    expect(ingest.stderr).toMatch(/^done .*2\/2 rows/m);
    expect(fstore('jobs', '--url', url).stdout).toMatch(/\tsucceeded\t.*ingest dados_usuarios\.csv|\tsucceeded\t/);

    const online = fstore('online', '-e', 'usuario', '-k', 'user_123,user_456', '-f', 'idade', '--url', url);
    expect(online.status, online.stderr).toBe(0);
    expect(JSON.parse(online.stdout).results.map((r: { features: { idade: { value: number } } }) => r.features.idade.value)).toEqual([25, 31]);

    const list = fstore('features', 'list', '--url', url);
    expect(list.stdout).toContain('usuario_idade\tusuario\tdemografia\tINT\tv1');

    const out = join(dir, 'train.parquet');
    const training = fstore('training', '-e', 'usuario', '-f', 'idade', '--start', '2025-01-01', '--end', '2025-01-31', '-o', out, '--url', url);
    expect(training.status, training.stderr).toBe(0);
    expect(statSync(out).size).toBeGreaterThan(100);
  });

  it('exports a group\'s offline table to Parquet and CSV, and names an unknown group', async () => {
    // History from the first test: user_123 is 25 from 2025-01-10, user_456 is 31 from 2025-01-11.
    const out = join(dir, 'demografia.csv');
    const csv = fstore('export-offline', 'demografia', '-o', out, '--url', url);
    expect(csv.status, csv.stderr).toBe(0);
    expect(readFileSync(out, 'utf8').trim().split('\n')).toEqual([
      'entity_key,event_time,usuario_idade',
      'user_123,2025-01-10 10:00:00+00,25',
      'user_456,2025-01-11 10:00:00+00,31',
    ]);
    const parquet = join(dir, 'demografia.parquet');
    expect(fstore('export-offline', 'demografia', '-o', parquet, '--carried-times', '--url', url).status).toBe(0);
    expect(statSync(parquet).size).toBeGreaterThan(0);
    const unknown = fstore('export-offline', 'no_such_group', '-o', join(dir, 'x.parquet'), '--url', url);
    expect(unknown.status).toBe(1);
    expect(unknown.stderr).toContain('FSTORE_FEATURE_GROUP_NOT_FOUND');
  });

  it('materializes one group or every online group, a window or incrementally, and refuses a mixed window', () => {
    // History from the first test: demografia holds 2 values (user_123, user_456), already online.
    const one = fstore('materialize', '--group', 'demografia', '--start', '2025-01-01', '--end', '2025-01-31', '--url', url);
    expect(one.status, one.stderr).toBe(0);
    expect(JSON.parse(one.stdout)).toMatchObject({ values_read: 2, keys: 2 });
    expect(one.stderr).toMatch(/^usuario\/demografia$/m);
    expect(one.stderr).toMatch(/^done /m);

    const all = fstore('materialize', '--incremental', '--url', url);
    expect(all.status, all.stderr).toBe(0);
    expect(all.stderr).toMatch(/^usuario\/demografia$/m);
    expect(JSON.parse(all.stdout.slice(0, all.stdout.indexOf('\n}') + 2))).toMatchObject({ values_read: 2 });
    // A second incremental run has nothing new.
    const again = fstore('materialize', '--group', 'demografia', '--incremental', '--url', url);
    expect(JSON.parse(again.stdout)).toMatchObject({ values_read: 0 });

    const queued = fstore('materialize', '--group', 'demografia', '--no-wait', '--url', url);
    expect(JSON.parse(queued.stdout)).toMatchObject({ kind: 'materialize', title: expect.stringContaining('usuario/demografia') });

    const mixed = fstore('materialize', '--incremental', '--start', '2025-01-01', '--url', url);
    expect(mixed.status).toBe(1);
    expect(mixed.stderr).toContain('--incremental takes what was ingested since the last run: give it without --start and --end');
    const unknown = fstore('materialize', '--group', 'no_such_group', '--url', url);
    expect(unknown.status).toBe(1);
    expect(unknown.stderr).toContain('FSTORE_FEATURE_GROUP_NOT_FOUND');
  });

  it('reports a rejected file with the job error and row details', () => {
    const bad = join(dir, 'bad.csv');
    writeFileSync(bad, 'usuario_id,usuario_idade\nuser_9,old\n');
    const res = fstore('ingest', bad, '-e', 'usuario', '-g', 'demografia', '--url', url);
    expect(res.status).toBe(1);
    expect(res.stderr).toContain('FSTORE_INGEST_REJECTED: 1 of 1 rows are invalid, so nothing was written');
    expect(res.stderr).toContain('"reason": "expected an integer for feature \'usuario_idade\' (INT)"');
  });

  it('reports service errors with their code and exits non-zero', () => {
    const bad = fstore('online', '-e', 'usuario', '-k', 'x', '-f', 'nope', '--url', url);
    expect(bad.status).toBe(1);
    expect(bad.stderr).toContain("FSTORE_FEATURE_NOT_FOUND: Entity 'usuario' has no feature named 'nope'");
    expect(bad.stderr).toMatch(/^\(request [0-9a-f-]{36}\)$/m); // the id the service logged it under
    const port = fstore('serve', '--port', 'abc');
    expect(port.status).not.toBe(0);
    expect(port.stderr).toContain("--port must be an integer 0-65535, got 'abc'");
  });

  it('runs a transform on the engine asked for, and names a missing Spark', async () => {
    // Reads the group ingested above.
    const post = (path: string, body: unknown) => fetch(`${url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    expect((await post('/api/data-sources/', { name: 'demografia_src', type: 'feature_group', feature_group: 'demografia' })).status).toBe(201);
    const code = 'SELECT usuario_id, usuario_idade * 2 AS usuario_idade_dobro FROM demografia_src';
    const published = await post('/api/transforms/', { name: 'idade_dobro', language: 'sql', code, sources: ['demografia_src'], entity: 'usuario' });
    expect(published.status, await published.clone().text()).toBe(201);
    const run = fstore('run-transform', 'idade_dobro', '--engine', 'duckdb', '--url', url);
    expect(run.status, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ engine: 'duckdb', rows: 2 });
    const spark = fstore('run-transform', 'idade_dobro', '--engine', 'spark', '--url', url);
    expect(spark.status).toBe(1);
    expect(spark.stderr).toContain('FSTORE_SPARK_UNAVAILABLE: Spark is not configured on this server');
  });

  it('builds a point-in-time training set from a label file, to a file or stdout, and names a missing column', () => {
    // History from the first test: user_123 is 25 from 2025-01-10, user_456 is 31 from 2025-01-11.
    const labels = join(dir, 'labels.csv');
    writeFileSync(labels, 'usuario_id,quando,churn\nuser_123,2025-01-09T00:00:00Z,1\nuser_123,2025-01-20T00:00:00Z,0\nuser_456,2025-01-20T00:00:00Z,1\n');
    const args = ['training', '-e', 'usuario', '-f', 'idade', '--labels', labels, '--key-column', 'usuario_id', '--time-column', 'quando', '--url', url];
    const out = join(dir, 'pit.csv');
    const toFile = fstore(...args, '-o', out);
    expect(toFile.status, toFile.stderr).toBe(0);
    expect(toFile.stderr).toMatch(/^uploading .*100% .*bytes$/m);
    expect(toFile.stderr).toMatch(/^done .*3\/3 rows/m);
    expect(toFile.stderr).toContain(`3 rows × 4 columns on embedded; wrote ${out}`);
    const expected = [
      'entity_key,timestamp,churn,idade',
      'user_123,2025-01-09 00:00:00+00,1,',
      'user_123,2025-01-20 00:00:00+00,0,25',
      'user_456,2025-01-20 00:00:00+00,1,31',
    ];
    expect(readFileSync(out, 'utf8').trim().split('\n')).toEqual(expected);
    const toStdout = fstore(...args);
    expect(toStdout.status, toStdout.stderr).toBe(0);
    expect(toStdout.stdout.trim().split('\n')).toEqual(expected);

    const missing = fstore('training', '-e', 'usuario', '-f', 'idade', '--labels', labels, '--url', url);
    expect(missing.status).toBe(1);
    expect(missing.stderr).toContain("FSTORE_VALIDATION_FAILED: The label file has no column 'entity_key' or 'timestamp' (its columns: usuario_id, quando, churn)");
    const neither = fstore('training', '-e', 'usuario', '-f', 'idade', '--url', url);
    expect(neither.status).toBe(1);
    expect(neither.stderr).toContain('give either --start and --end (a time window) or --labels <file> (point in time)');
    const spark = fstore(...args, '--engine', 'spark');
    expect(spark.status).toBe(1);
    expect(spark.stderr).toContain('FSTORE_SPARK_UNAVAILABLE: Spark is not configured on this server');
  });

  it('builds a training set from a query on a data source (--labels-source with --labels-query)', async () => {
    const csv = 'usuario_id,quando,churn\nuser_123,2025-01-09T00:00:00Z,1\nuser_123,2025-01-20T00:00:00Z,0\nuser_456,2025-01-20T00:00:00Z,1\n';
    const up = await fetch(`${url}/api/uploads/?format=csv&filename=churn.csv`, { method: 'POST', headers: { 'content-type': 'application/octet-stream' }, body: csv });
    const { upload_id } = (await up.json()) as { upload_id: string };
    const created = await fetch(`${url}/api/data-sources/`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'churn_events', type: 'file', upload_id }),
    });
    expect(created.status).toBe(201);
    const query = 'SELECT usuario_id AS entity_key, quando AS timestamp, churn FROM churn_events WHERE churn = 1 ORDER BY quando';
    const run = fstore('training', '-e', 'usuario', '-f', 'idade', '--labels-source', 'churn_events', '--labels-query', query, '--url', url);
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout.trim().split('\n')).toEqual(['entity_key,timestamp,churn,idade', 'user_123,2025-01-09 00:00:00+00,1,', 'user_456,2025-01-20 00:00:00+00,1,31']);
    const half = fstore('training', '-e', 'usuario', '-f', 'idade', '--labels-source', 'churn_events', '--url', url);
    expect(half.status).toBe(1);
    expect(half.stderr).toContain('give --labels-source and --labels-query together');
  });
});
