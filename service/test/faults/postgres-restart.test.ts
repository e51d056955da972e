import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Job } from '@shared/api/jobs.js';
import { startTestService, waitForJob, type TestService } from '../helpers.js';
import { privatePostgres, type PrivateServer } from './private-servers.js';

const ROWS = 60_000; // two chunks of 50 000 rows: the restart lands between them
const FEATURES = 2;

/**
 * PostgreSQL (the offline store) restarts — an immediate stop, as in a crash — while a batch
 * ingestion job is writing to it. The batch is one transaction, so it is in the table entirely
 * or not at all; the job says it failed and why, and re-running it completes the batch.
 */
describe('PostgreSQL restart during a batch ingestion', () => {
  let postgres: PrivateServer;
  let s: TestService;
  let dir: string;
  let file: Buffer;

  /** Values of the group in PostgreSQL (the store's count over its group table; 0 before it exists). */
  const storedValues = (): Promise<number> => s.ctx.stores.offline.countValues('usuario', 'eventos');
  const submit = async (): Promise<Job> => {
    const res = await s.app.inject({
      method: 'POST',
      url: '/api/jobs/ingest/usuario/eventos',
      payload: file,
      headers: { 'content-type': 'application/vnd.apache.parquet' },
    });
    expect(res.statusCode).toBe(202);
    return res.json() as Job;
  };

  beforeAll(async () => {
    postgres = await privatePostgres();
    dir = mkdtempSync(join(tmpdir(), 'fstore-fault-pg-ingest-'));
    const path = join(dir, 'batch.parquet');
    const c = await (await DuckDBInstance.create(':memory:')).connect();
    await c.run(`COPY (SELECT 'u' || i AS usuario_id, TIMESTAMPTZ '2025-01-01 00:00:00+00' + to_seconds(i) AS event_timestamp,
      i % 100 AS usuario_a, i * 0.5 AS usuario_b FROM range(${ROWS}) t(i)) TO '${path}' (FORMAT parquet)`);
    c.closeSync();
    file = readFileSync(path);
    // Online embedded: this test is about the offline store, and a shared Redis database may be flushed by other runs.
    s = await startTestService(undefined, { offlineStore: postgres.url, onlineStore: null, offlineStoreConnectTimeoutMs: 2000 });
  });
  afterAll(async () => {
    await s?.close();
    await postgres?.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  it('leaves none of the batch, fails the job naming PostgreSQL, and a re-run writes the whole batch', async () => {
    const job = await submit();
    let seen: Job;
    do {
      await new Promise((r) => setTimeout(r, 20));
      seen = (await s.get(`/api/jobs/${job.id}`)).json() as Job;
    } while (!['failed', 'succeeded'].includes(seen.state) && !(seen.progress.phase === 'writing offline' && seen.progress.rows_done > 0));
    expect(seen.progress.phase).toBe('writing offline'); // the restart lands mid-write, not after
    expect(seen.progress.rows_done).toBeLessThan(ROWS);

    await postgres.restart(true); // pg_ctl stop -m immediate, then start (crash recovery)

    const ended = await waitForJob(s, job.id, 120);
    expect(ended.state).toBe('failed');
    expect(ended.error?.code, ended.error?.message).toBe('FSTORE_BACKEND_UNAVAILABLE');
    expect(ended.error?.message).toMatch(/^PostgreSQL is unavailable/);
    expect(await storedValues()).toBe(0); // no partial batch

    // The service reconnects by itself; the same job again writes everything, once.
    let rerun: Job | undefined;
    for (let attempt = 0; attempt < 20 && rerun?.state !== 'succeeded'; attempt++) {
      rerun = await waitForJob(s, (await submit()).id, 180);
      if (rerun.state !== 'succeeded') await new Promise((r) => setTimeout(r, 500));
    }
    expect(rerun?.state, JSON.stringify(rerun?.error)).toBe('succeeded');
    expect(await storedValues()).toBe(ROWS * FEATURES);
    const training = await s.post('/api/training/features', {
      entity: 'usuario',
      feature_list: ['usuario_a'],
      start_date: '2025-01-01',
      end_date: '2025-01-01T00:00:09Z',
      format: 'json',
    });
    expect(training.json().row_count).toBe(10);
  }, 240_000);
});
