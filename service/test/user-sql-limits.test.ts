/**
 * User SQL (transform previews and runs) cannot take the service down: each session has a time
 * limit, a thread count, a memory limit and a temp-space cap, is interrupted when its client leaves
 * or its job is cancelled, and at most `userSqlSessions` run at once, so serving, ingestion,
 * training and the web UI keep answering. Real DuckDB throughout; timing bounds are generous (the
 * failures they catch are minutes, not milliseconds).
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Job } from '@shared/api/jobs.js';
import type { ServiceConfig } from '../src/config/config-schema.js';
import { threadpoolShareProblem } from '../src/transforms/user-sql-limits.js';
import { startTestService, until, waitForJob, type TestService } from './helpers.js';
import { cpuCores, previewOf, RUNAWAY_SQL, sleep, within } from './runaway-sql.js';

/** Below this many cores the process is idle (no DuckDB query left running). */
const IDLE_CORES = 0.25;
/** Above this many cores a query is running (one DuckDB thread takes about one core). */
const BUSY_CORES = 0.5;

interface Fixture {
  s: TestService;
  sourceDir: string;
  uiDir: string;
}

/** A service with a small CSV source `t`, a web UI folder and one ingested value; closed after `fn`. */
async function withService(overrides: Partial<ServiceConfig>, fn: (f: Fixture) => Promise<void>): Promise<void> {
  const root = mkdtempSync(join(tmpdir(), 'fstore-sql-limits-'));
  const sourceDir = join(root, 'sources');
  const uiDir = join(root, 'ui');
  mkdirSync(sourceDir);
  mkdirSync(uiDir);
  writeFileSync(join(sourceDir, 't.csv'), 'user_id,amount\nu1,1\nu2,2\n');
  writeFileSync(join(uiDir, 'index.html'), '<!doctype html><title>FStore</title>');
  writeFileSync(join(uiDir, 'app.js'), `console.log(${JSON.stringify('x'.repeat(50_000))});`);
  const s = await startTestService(undefined, { fileSourceDirs: [sourceDir], webUiDir: uiDir, ...overrides });
  try {
    const source = await s.post('/api/data-sources/', { name: 't', type: 'file', path: join(sourceDir, 't.csv') });
    expect(source.statusCode, source.body).toBe(201);
    const ingested = await s.post('/api/ingest/usuario/perfil', { rows: [{ usuario_id: 'u1', event_timestamp: '2025-01-01T00:00:00Z', idade: 30 }] });
    expect(ingested.statusCode, ingested.body).toBe(200);
    await fn({ s, sourceDir, uiDir });
  } finally {
    await s.close();
  }
}

const runaway = (s: TestService) => s.post('/api/transforms/preview', previewOf(RUNAWAY_SQL, 't'));

/** Waits until a DuckDB query keeps a core busy, so a later "idle" reading means it was stopped. */
const untilBusy = (what: string) => until(`${what} to keep a core busy`, () => cpuCores(1000), (cores) => cores > BUSY_CORES, 20_000, 0);

/**
 * A published transform that is quick on the publish sample (the first 10,000 rows) and endless
 * over all rows: the 10,001st row asks for 10^13 rows of a lateral range.
 */
async function publishSlowTransform(s: TestService, sourceDir: string): Promise<void> {
  const rows = Array.from({ length: 10_001 }, (_, i) => `u${i},${i === 10_000 ? 10_000_000_000_000 : 1}`);
  writeFileSync(join(sourceDir, 'fanout.csv'), `user_id,n\n${rows.join('\n')}\n`);
  expect((await s.post('/api/data-sources/', { name: 'fanout', type: 'file', path: join(sourceDir, 'fanout.csv') })).statusCode).toBe(201);
  const published = await s.post('/api/transforms/', {
    name: 'slow_counts',
    language: 'sql',
    code: 'SELECT user_id, count(*) AS slow_k FROM fanout, range(fanout.n) r(y) GROUP BY user_id',
    sources: ['fanout'],
    entity: 'user',
  });
  expect(published.statusCode, published.body).toBe(201);
}

async function runningTransform(s: TestService): Promise<string> {
  const started = await s.post('/api/transforms/slow_counts/runs', {});
  expect(started.statusCode, started.body).toBe(202);
  const id = (started.json() as Job).id;
  await until('the run to reach its SQL', async () => (await s.get(`/api/jobs/${id}`)).json() as Job, (j) => j.progress.phase === 'running the transform' || (j.state !== 'running' && j.state !== 'queued'), 30_000, 50);
  return id;
}

async function slowCountsWritten(s: TestService): Promise<number> {
  const res = await s.post('/api/training/features', { entity: 'user', feature_list: ['slow_k'], start_date: '2000-01-01', end_date: '2100-01-01' });
  expect(res.statusCode, res.body).toBe(200);
  return (res.json() as { row_count: number }).row_count;
}

describe('user SQL under default limits', () => {
  it('five runaway previews leave online reads, ingestion, point-in-time training and static files answering within 5 s', { timeout: 180_000 }, async () => {
    await withService({}, async ({ s }) => {
      const previews = Array.from({ length: 5 }, () => runaway(s));
      await untilBusy('the runaway previews');
      const online = await within('online read', 5000, s.post('/api/online/features', { entity: 'usuario', entity_keys: ['u1'], feature_list: ['idade'] }));
      expect(online.value.statusCode, online.value.body).toBe(200);
      const ingest = await within('ingest of 3 rows', 5000, s.post('/api/ingest/usuario/perfil', { rows: ['u2', 'u3', 'u4'].map((k) => ({ usuario_id: k, event_timestamp: '2025-02-01T00:00:00Z', idade: 40 })) }));
      expect(ingest.value.statusCode, ingest.value.body).toBe(200);
      const training = await within(
        'point-in-time training',
        5000,
        s.post('/api/training/point-in-time', { entity: 'usuario', feature_list: ['idade'], rows: [{ entity_key: 'u1', timestamp: '2026-01-01T00:00:00Z' }] }),
      );
      expect(training.value.json().rows[0].idade).toBe(30);
      const page = await within('static file of the web UI', 5000, s.get('/app.js'));
      expect(page.value.statusCode).toBe(200);
      // Each runaway ends: at its time limit, or (waiting) at the queue's; closing the app stops the rest.
      void Promise.allSettled(previews);
    });
  });

  it('a preview whose client disconnects is interrupted: its CPU stops within seconds', { timeout: 120_000 }, async () => {
    await withService({}, async ({ s }) => {
      const url = await s.app.listen({ host: '127.0.0.1', port: 0 });
      const client = new AbortController();
      const request = fetch(`${url}/api/transforms/preview`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(previewOf(RUNAWAY_SQL, 't')),
        signal: client.signal,
      }).catch((err: unknown) => err);
      await untilBusy('the runaway preview');
      client.abort();
      expect(await request).toBeInstanceOf(Error);
      await sleep(1500);
      expect(await cpuCores(2000)).toBeLessThan(IDLE_CORES);
    });
  });

  it('cancelling a running SQL transform stops DuckDB within seconds: the job ends cancelled and writes nothing', { timeout: 180_000 }, async () => {
    await withService({}, async ({ s, sourceDir }) => {
      await publishSlowTransform(s, sourceDir);
      const id = await runningTransform(s);
      await untilBusy('the transform run');
      const cancel = await s.post(`/api/jobs/${id}/cancel`, {});
      expect(cancel.statusCode).toBe(200);
      const { value: job, ms } = await within('the cancelled run to end', 5000, waitForJob(s, id, 120));
      expect(job.state, JSON.stringify(job)).toBe('cancelled');
      expect(job.error?.code).toBe('FSTORE_CANCELLED');
      expect(ms).toBeLessThan(5000);
      expect(await cpuCores(2000)).toBeLessThan(IDLE_CORES);
      expect(await slowCountsWritten(s)).toBe(0);
    });
  });
});

describe('user SQL limits from the configuration', () => {
  it('a runaway preview is cut off at userSqlPreviewTimeoutMs with FSTORE_TRANSFORM_TIMEOUT naming the limit', { timeout: 120_000 }, async () => {
    await withService({ userSqlPreviewTimeoutMs: 2000 }, async ({ s }) => {
      const { value: res, ms } = await within('the runaway preview', 20_000, runaway(s));
      expect(res.statusCode, res.body).toBe(422);
      const error = res.json().error;
      expect(error.code).toBe('FSTORE_TRANSFORM_TIMEOUT');
      expect(error.message).toContain('userSqlPreviewTimeoutMs');
      expect(error.details).toMatchObject({ limit: 'userSqlPreviewTimeoutMs', value: 2000 });
      expect(ms).toBeGreaterThanOrEqual(1900);
      expect(await cpuCores(2000)).toBeLessThan(IDLE_CORES);
      // The session is gone and the next preview works.
      expect((await s.post('/api/transforms/preview', previewOf('SELECT user_id, amount FROM t', 't'))).statusCode).toBe(200);
    });
  });

  it('a runaway SQL transform run fails at userSqlRunTimeoutMs, naming the limit, and writes nothing', { timeout: 180_000 }, async () => {
    await withService({ userSqlRunTimeoutMs: 3000 }, async ({ s, sourceDir }) => {
      await publishSlowTransform(s, sourceDir);
      const id = await runningTransform(s);
      const { value: job } = await within('the run to end', 30_000, waitForJob(s, id, 60));
      expect(job.state, JSON.stringify(job)).toBe('failed');
      expect(job.error).toMatchObject({ code: 'FSTORE_TRANSFORM_TIMEOUT', details: { limit: 'userSqlRunTimeoutMs', value: 3000 } });
      expect(job.error?.message).toContain('userSqlRunTimeoutMs');
      expect(await slowCountsWritten(s)).toBe(0);
    });
  });

  it('each session runs with the configured threads, memory_limit and max_temp_directory_size', async () => {
    await withService({ userSqlThreads: 1, userSqlMemoryLimit: '256MiB', userSqlTempDirectoryLimit: '1GiB' }, async ({ s }) => {
      const res = await s.post(
        '/api/transforms/preview',
        previewOf(
          "SELECT 'u' AS user_id, current_setting('threads') AS threads, current_setting('memory_limit') AS memory, current_setting('max_temp_directory_size') AS temp_cap",
          't',
        ),
      );
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json().rows[0]).toEqual({ user_id: 'u', threads: 1, memory: '256.0 MiB', temp_cap: '1.0 GiB' });
    });
  });

  it('a preview over userSqlMemoryLimit fails with FSTORE_TRANSFORM_MEMORY naming the limit', async () => {
    await withService({ userSqlMemoryLimit: '64MiB' }, async ({ s }) => {
      const res = await s.post('/api/transforms/preview', previewOf("SELECT 'u' AS user_id, len(list(x)) AS n FROM range(50000000) t(x)", 't'));
      expect(res.statusCode, res.body).toBe(422);
      const error = res.json().error;
      expect(error.code).toBe('FSTORE_TRANSFORM_MEMORY');
      expect(error.message).toContain('userSqlMemoryLimit');
      expect(error.details).toMatchObject({ limit: 'userSqlMemoryLimit', value: '64MiB' });
    });
  });

  it('a preview that spills past userSqlTempDirectoryLimit fails with FSTORE_TRANSFORM_MEMORY naming the limit', async () => {
    await withService({ userSqlMemoryLimit: '64MiB', userSqlTempDirectoryLimit: '10MiB' }, async ({ s }) => {
      const res = await s.post('/api/transforms/preview', previewOf("SELECT 'u' AS user_id, count(DISTINCT md5(x::VARCHAR)) AS n FROM range(3000000) t(x)", 't'));
      expect(res.statusCode, res.body).toBe(422);
      const error = res.json().error;
      expect(error.code).toBe('FSTORE_TRANSFORM_MEMORY');
      expect(error.message).toContain('userSqlTempDirectoryLimit');
      expect(error.details).toMatchObject({ limit: 'userSqlTempDirectoryLimit', value: '10MiB' });
    });
  });

  it('past userSqlSessions, previews queue; a full queue or a long wait answers 503 FSTORE_TRANSFORM_BUSY naming the limit', { timeout: 120_000 }, async () => {
    await withService({ userSqlSessions: 1, userSqlQueueLength: 1, userSqlQueueWaitMs: 1500, userSqlPreviewTimeoutMs: 6000 }, async ({ s }) => {
      const running = runaway(s);
      await untilBusy('the first runaway preview');
      const waiting = runaway(s);
      await sleep(200);
      const metrics = (await s.get('/metrics')).body;
      expect(metrics).toContain('fstore_user_sql_sessions{state="running"} 1');
      expect(metrics).toContain('fstore_user_sql_sessions{state="waiting"} 1');
      const { value: refused, ms } = await within('the preview past the queue', 3000, runaway(s));
      expect(refused.statusCode, refused.body).toBe(503);
      expect(refused.json().error).toMatchObject({ code: 'FSTORE_TRANSFORM_BUSY', details: { limit: 'userSqlQueueLength', value: 1 } });
      expect(refused.headers['retry-after']).toBeDefined();
      expect(ms).toBeLessThan(1000);
      const waited = await waiting;
      expect(waited.statusCode, waited.body).toBe(503);
      expect(waited.json().error).toMatchObject({ code: 'FSTORE_TRANSFORM_BUSY', details: { limit: 'userSqlQueueWaitMs', value: 1500 } });
      expect((await running).json().error.code).toBe('FSTORE_TRANSFORM_TIMEOUT');
      // The slot is free again.
      expect((await s.post('/api/transforms/preview', previewOf('SELECT user_id, amount FROM t', 't'))).statusCode).toBe(200);
    });
  });
});

describe('user SQL and the threadpool', () => {
  it('warns when userSqlSessions would leave fewer than 2 of the threadpool threads to the service', () => {
    expect(threadpoolShareProblem(2, undefined)).toBeUndefined();
    expect(threadpoolShareProblem(3, undefined)).toMatch(/userSqlSessions is 3 .* 4 threads .*UV_THREADPOOL_SIZE=5 or more/);
    expect(threadpoolShareProblem(4, '8')).toBeUndefined();
    expect(threadpoolShareProblem(7, '8')).toMatch(/UV_THREADPOOL_SIZE=9/);
    expect(threadpoolShareProblem(2, 'lots')).toBeUndefined();
  });
});
