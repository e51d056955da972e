import { DuckDBInstance } from '@duckdb/node-api';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Job } from '@shared/api/jobs.js';
import { JobService } from '../src/jobs/job-service.js';
import { LmdbRegistryStore } from '../src/storage/embedded/lmdb-registry-store.js';
import { startTestService, type TestService } from './helpers.js';

async function bigParquet(rows: number, prefix = 'usuario'): Promise<Buffer> {
  const path = join(mkdtempSync(join(tmpdir(), 'fstore-big-')), 'big.parquet');
  const c = await (await DuckDBInstance.create(':memory:')).connect();
  await c.run(`COPY (SELECT 'u' || (i % 50000) AS usuario_id, TIMESTAMPTZ '2025-01-01 00:00:00+00' + to_seconds(i) AS event_timestamp,
    i % 97 AS ${prefix}_a, (i % 13) * 0.5 AS ${prefix}_b FROM range(${rows}) t(i)) TO '${path}' (FORMAT parquet)`);
  c.closeSync();
  return readFileSync(path);
}

describe('jobs', () => {
  let s: TestService;
  const submit = (body: Buffer | string, type: string, group = 'eventos') =>
    s.app.inject({ method: 'POST', url: `/api/jobs/ingest/usuario/${group}`, payload: body, headers: { 'content-type': type } });
  const waitTerminal = async (id: string): Promise<Job> => {
    for (let i = 0; i < 600; i++) {
      const job = (await s.get(`/api/jobs/${id}`)).json() as Job;
      if (['succeeded', 'failed', 'cancelled'].includes(job.state)) return job;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`job ${id} did not finish`);
  };

  beforeAll(async () => {
    s = await startTestService();
  });
  afterAll(() => s.close());

  it('ingests a file as a job: 202 at once, then progress to success with the report', async () => {
    const res = await submit(await bigParquet(120_000), 'application/vnd.apache.parquet');
    expect(res.statusCode).toBe(202);
    expect(res.json()).toMatchObject({ kind: 'ingest_file', title: 'ingest parquet upload into usuario/eventos' });
    const job = await waitTerminal(res.json().id);
    expect(job.state).toBe('succeeded');
    expect(job.progress).toMatchObject({ phase: 'done' });
    expect(job.result).toMatchObject({ rows: 120_000, values_written: 240_000 });
    expect(job.progress.rows_per_second).toBeGreaterThan(0);
    const listed = (await s.get('/api/jobs/?kind=ingest_file')).json() as Job[];
    expect(listed.map((j) => j.id)).toContain(job.id);
  });

  it('refuses a job list filtered by a state or kind that does not exist, naming it', async () => {
    for (const url of ['/api/jobs/?state=done', '/api/jobs/?kind=ingest']) {
      const res = await s.get(url);
      expect(res.statusCode).toBe(400);
      expect(res.json().error.code).toBe('FSTORE_VALIDATION_FAILED');
      expect(res.json().error.message).toMatch(/state|kind/);
    }
  });

  it('reports a rejected batch as a failed job carrying the row errors, and writes nothing', async () => {
    const res = await submit('usuario_id,usuario_a\nu1,notanumber\n', 'text/csv');
    const job = await waitTerminal(res.json().id);
    expect(job.state).toBe('failed');
    expect(job.error).toMatchObject({ code: 'FSTORE_INGEST_REJECTED' });
    expect((job.error!.details as { errors: unknown[] }).errors).toHaveLength(1);
  });

  it('cancels a running ingestion before its commit: nothing is written', async () => {
    const res = await submit(await bigParquet(400_000, 'cancelado'), 'application/vnd.apache.parquet', 'cancelado');
    const id = res.json().id as string;
    const cancel = await s.post(`/api/jobs/${id}/cancel`, {});
    expect(cancel.statusCode).toBe(200);
    const job = await waitTerminal(id);
    expect(job.state).toBe('cancelled');
    expect(job.error).toMatchObject({ code: 'FSTORE_CANCELLED' });
    // Cancelled before any registration, or registered but with no values: either way no history.
    const training = await s.post('/api/training/features', { entity: 'usuario', feature_list: ['cancelado_a'], start_date: '2024-01-01', end_date: '2026-01-01' });
    if (training.statusCode === 200) expect(training.json().row_count).toBe(0);
    else expect(training.json().error.code).toBe('FSTORE_FEATURE_NOT_FOUND');
  });

  it('streams progress as server-sent events until the job ends', async () => {
    await s.app.listen({ port: 0, host: '127.0.0.1' });
    const address = s.app.server.address() as { port: number };
    const base = `http://127.0.0.1:${address.port}`;
    const created = await fetch(`${base}/api/jobs/ingest/usuario/sse`, {
      method: 'POST',
      headers: { 'content-type': 'application/vnd.apache.parquet' },
      body: new Uint8Array(await bigParquet(60_000, 'sse')),
    });
    const { id } = (await created.json()) as Job;
    const events = await fetch(`${base}/api/jobs/${id}/events`);
    expect(events.headers.get('content-type')).toContain('text/event-stream');
    const text = await events.text(); // the stream ends when the job does
    const jobs = text
      .split('\n\n')
      .filter((e) => e.startsWith('event: job'))
      .map((e) => JSON.parse(e.split('\ndata: ')[1]!) as Job);
    expect(jobs.length).toBeGreaterThanOrEqual(2);
    expect(jobs.at(-1)!.state).toBe('succeeded');
  });

  it('404s unknown jobs', async () => {
    expect((await s.get('/api/jobs/nope')).json().error.code).toBe('FSTORE_JOB_NOT_FOUND');
  });
});

describe('job events and browser origins', () => {
  let s: TestService;
  beforeAll(async () => {
    s = await startTestService(undefined, { corsOrigins: ['https://ui.example'] });
  });
  afterAll(() => s.close());

  it('allows only the configured origins and the desktop app on the server-sent-events stream', async () => {
    const job = await s.app.inject({ method: 'POST', url: '/api/jobs/ingest/usuario/cors', payload: 'usuario_id,cors_a\nu1,1\n', headers: { 'content-type': 'text/csv' } });
    expect(job.statusCode, job.body).toBe(202);
    const { id } = job.json() as Job;
    const events = (origin: string) => s.app.inject({ method: 'GET', url: `/api/jobs/${id}/events`, headers: { origin } });

    const evil = await events('https://evil.example');
    expect(evil.headers['content-type']).toContain('text/event-stream');
    expect(evil.headers['access-control-allow-origin']).toBeUndefined();
    expect((await events('https://ui.example')).headers['access-control-allow-origin']).toBe('https://ui.example');
    expect((await events('app://fstore')).headers['access-control-allow-origin']).toBe('app://fstore');
    // The same answer as every other route gives those origins.
    expect((await s.app.inject({ method: 'GET', url: `/api/jobs/${id}`, headers: { origin: 'https://evil.example' } })).headers['access-control-allow-origin']).toBeUndefined();
  });
});

describe('job records after a crash', () => {
  it('reports jobs that were running as failed, saying what was committed', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fstore-jobs-'));
    const first = await JobService.open(new LmdbRegistryStore(join(dir, 'registry.lmdb')));
    let release!: () => void;
    const blocked = new Promise<void>((r) => (release = r));
    const a = await first.submit('ingest_file', 'a', {}, 't', async (ctx) => {
      ctx.progress({ phase: 'writing offline', rowsDone: 10, rowsTotal: 100 });
      await blocked;
      return {};
    });
    const b = await first.submit('ingest_file', 'b', {}, 't', async (ctx) => {
      ctx.progress({ phase: 'writing online', rowsDone: 10, rowsTotal: null });
      await blocked;
      return {};
    });
    await new Promise((r) => setTimeout(r, 50));
    // Simulate the process dying: reopen the records without letting the runs finish.
    const second = await JobService.open(new LmdbRegistryStore(join(dir, 'registry.lmdb')));
    expect(await second.get(a.id)).toMatchObject({ state: 'failed', error: { code: 'FSTORE_INTERRUPTED' } });
    expect((await second.get(a.id)).error!.message).toMatch(/nothing of this job was committed/);
    expect((await second.get(b.id)).error!.message).toMatch(/offline history was committed/);
    release();
    await second.close();
  });
});
