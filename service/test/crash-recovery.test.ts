import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, describe, expect, it } from 'vitest';
import type { Job } from '@shared/api/jobs.js';
import { serviceChildEnv } from './helpers.js';

const ROOT = resolve(import.meta.dirname, '../..');

async function serve(dataDir: string): Promise<{ child: ChildProcess; url: string }> {
  if (!existsSync(join(ROOT, 'dist/service/src/cli/run.js'))) throw new Error('Run `npm run build` first (npm test does)');
  const child = spawn(process.execPath, [join(ROOT, 'bin/fstore.js'), 'serve', '--port', '0', '--data-dir', dataDir, '--log-level', 'warn'], {
    stdio: ['ignore', 'ignore', 'pipe'],
    env: serviceChildEnv(),
  });
  let stderr = '';
  const url = await new Promise<string>((ok, fail) => {
    const timer = setTimeout(() => fail(new Error(`no start in 30 s: ${stderr}`)), 30_000);
    child.stderr!.on('data', (c: Buffer) => {
      stderr += c.toString();
      const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(stderr);
      if (m) {
        clearTimeout(timer);
        ok(m[1]!);
      }
    });
  });
  return { child, url };
}

/** kill -9 of the service in the middle of a large file ingestion, then a restart. */
// Each test writes and kills a service over millions of rows: tens of seconds on a loaded 2-core runner.
describe('crash during ingestion', { timeout: 180_000 }, () => {
  const children: ChildProcess[] = [];
  afterAll(() => children.forEach((c) => c.kill('SIGKILL')));

  it('leaves no partial batch and reports the job as failed after a restart', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fstore-crash-'));
    const file = join(dir, 'big.parquet');
    const c = await (await DuckDBInstance.create(':memory:')).connect();
    await c.run(`COPY (SELECT 'u' || i AS usuario_id, TIMESTAMPTZ '2025-01-01 00:00:00+00' + to_seconds(i) AS event_timestamp,
      i % 100 AS usuario_a, i * 0.5 AS usuario_b FROM range(2000000) t(i)) TO '${file}' (FORMAT parquet)`);
    c.closeSync();

    const first = await serve(join(dir, 'data'));
    children.push(first.child);
    const created = await fetch(`${first.url}/api/jobs/ingest/usuario/eventos`, {
      method: 'POST',
      headers: { 'content-type': 'application/vnd.apache.parquet' },
      body: new Uint8Array(readFileSync(file)),
    });
    const { id } = (await created.json()) as Job;
    let job: Job;
    do {
      await new Promise((r) => setTimeout(r, 20));
      job = (await (await fetch(`${first.url}/api/jobs/${id}`)).json()) as Job;
    } while (job.state !== 'failed' && job.state !== 'succeeded' && !(job.progress.phase === 'writing offline' && job.progress.rows_done > 0));
    expect(job.progress.phase).toBe('writing offline'); // killed mid-write, not after
    first.child.kill('SIGKILL');
    await new Promise((r) => first.child.once('exit', r));

    const second = await serve(join(dir, 'data'));
    children.push(second.child);
    const after = (await (await fetch(`${second.url}/api/jobs/${id}`)).json()) as Job;
    expect(after.state).toBe('failed');
    expect(after.error).toMatchObject({ code: 'FSTORE_INTERRUPTED' });
    expect(after.error!.message).toMatch(/nothing of this job was committed/);
    const training = await fetch(`${second.url}/api/training/features`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ entity: 'usuario', feature_list: ['usuario_a'], start_date: '2024-01-01', end_date: '2026-01-01' }),
    });
    expect(((await training.json()) as { row_count: number }).row_count).toBe(0);
    second.child.kill('SIGTERM');
  }, 120_000);

  it('leaves the stored states intact when killed while merging a late, sparse batch into them', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fstore-crash-merge-'));
    const dense = join(dir, 'dense.parquet');
    const late = join(dir, 'late.parquet');
    const c = await (await DuckDBInstance.create(':memory:')).connect();
    // 200k keys with both features at 2025-01-01, then 2M late values of one feature (2024, ten per
    // key): the merge rewrites every key's states, in one transaction.
    await c.run(`COPY (SELECT 'u' || i AS usuario_id, TIMESTAMPTZ '2025-01-01 00:00:00+00' AS event_timestamp, i % 100 AS usuario_a, i * 0.5 AS usuario_b
      FROM range(200000) t(i)) TO '${dense}' (FORMAT parquet)`);
    await c.run(`COPY (SELECT 'u' || (i % 200000) AS usuario_id, TIMESTAMPTZ '2024-01-01 00:00:00+00' + to_seconds(i) AS event_timestamp, i % 7 AS usuario_a
      FROM range(2000000) t(i)) TO '${late}' (FORMAT parquet)`);
    c.closeSync();
    const ingest = async (url: string, file: string) =>
      (await (
        await fetch(`${url}/api/jobs/ingest/usuario/eventos`, { method: 'POST', headers: { 'content-type': 'application/vnd.apache.parquet' }, body: new Uint8Array(readFileSync(file)) })
      ).json()) as Job;
    const states = async (url: string) => {
      const res = await fetch(`${url}/api/training/features`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ entity: 'usuario', feature_list: ['usuario_a', 'usuario_b'], start_date: '2023-01-01', end_date: '2026-01-01', format: 'csv' }),
      });
      return res.text();
    };

    const first = await serve(join(dir, 'data'));
    children.push(first.child);
    let job = await ingest(first.url, dense);
    while (job.state !== 'succeeded' && job.state !== 'failed') {
      await new Promise((r) => setTimeout(r, 100));
      job = (await (await fetch(`${first.url}/api/jobs/${job.id}`)).json()) as Job;
    }
    expect(job.state).toBe('succeeded');
    const before = await states(first.url);
    expect(before.trim().split('\n').length).toBe(200_001);
    job = await ingest(first.url, late);
    do {
      await new Promise((r) => setTimeout(r, 20));
      job = (await (await fetch(`${first.url}/api/jobs/${job.id}`)).json()) as Job;
    } while (job.state !== 'failed' && job.state !== 'succeeded' && !(job.progress.phase === 'writing offline' && job.progress.rows_done > 0));
    expect(job.progress.phase).toBe('writing offline'); // staged; killed while the merge commits
    first.child.kill('SIGKILL');
    await new Promise((r) => first.child.once('exit', r));

    const second = await serve(join(dir, 'data'));
    children.push(second.child);
    expect((await states(second.url)) === before, 'the states after the crash differ from those before it').toBe(true);
    second.child.kill('SIGTERM');
  }, 240_000);
});
