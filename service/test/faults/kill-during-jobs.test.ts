import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Job } from '@shared/api/jobs.js';
import { serveChild, type ServiceChild } from './serve-child.js';

const KEYS = 80_000; // more than one chunk of each online write (50 000 rows per ingestion chunk, 5 000 keys per materialization chunk)

/**
 * kill -9 of `fstore serve` (embedded stores) while a job writes to the online store — during
 * materialization, and during an ingestion's online phase. After a restart: the job says it was
 * interrupted and what that means, no wrong value is served (each one present equals the offline
 * store's), and re-running the job completes the online store.
 */
describe('kill -9 of the service during jobs (embedded stores)', () => {
  let dir: string;
  let parquet: Uint8Array;
  const children: ServiceChild[] = [];
  const serve = async (data: string) => {
    const s = await serveChild(data);
    children.push(s);
    return s;
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'fstore-fault-kill-'));
    const path = join(dir, 'batch.parquet');
    const c = await (await DuckDBInstance.create(':memory:')).connect();
    await c.run(`COPY (SELECT 'u' || i AS usuario_id, TIMESTAMPTZ '2025-01-01 00:00:00+00' + to_seconds(i) AS event_timestamp,
      i AS usuario_valor FROM range(${KEYS}) t(i)) TO '${path}' (FORMAT parquet)`);
    c.closeSync();
    parquet = new Uint8Array(readFileSync(path));
  });
  afterAll(() => {
    children.forEach((c) => c.child.kill('SIGKILL'));
    rmSync(dir, { recursive: true, force: true });
  });

  /** Polls the job until `ready(job)` or the job ends. */
  const watch = async (s: ServiceChild, id: string, ready: (job: Job) => boolean): Promise<Job> => {
    for (;;) {
      const job = (await s.call('GET', `/api/jobs/${id}`)).body as Job;
      if (ready(job) || ['failed', 'succeeded', 'cancelled'].includes(job.state)) return job;
      await new Promise((r) => setTimeout(r, 10));
    }
  };
  const finished = (s: ServiceChild, id: string) => watch(s, id, () => false);
  const writingOnline = (job: Job) => job.progress.phase === 'writing online' && job.progress.rows_done > 0;
  const ingest = async (s: ServiceChild) => (await s.call('POST', '/api/jobs/ingest/usuario/valores', parquet, 'application/vnd.apache.parquet')).body as Job;

  /** Every key's online value is either absent or the offline store's (value i for key ui). */
  const checkOnline = async (s: ServiceChild): Promise<{ present: number; wrong: string[] }> => {
    let present = 0;
    const wrong: string[] = [];
    for (let start = 0; start < KEYS; start += 10_000) {
      const keys = Array.from({ length: 10_000 }, (_, i) => `u${start + i}`);
      const res = await s.call('POST', '/api/online/features', { entity: 'usuario', entity_keys: keys, feature_list: ['valor'] });
      expect(res.status).toBe(200);
      for (const r of res.body.results as { entity_key: string; features: { valor: { value: unknown; status: string } } }[]) {
        if (r.features.valor.status !== 'PRESENT') continue;
        present++;
        if (r.features.valor.value !== Number(r.entity_key.slice(1))) wrong.push(`${r.entity_key}=${JSON.stringify(r.features.valor.value)}`);
      }
    }
    return { present, wrong };
  };
  const offlineRows = async (s: ServiceChild) =>
    (
      (
        await s.call('POST', '/api/training/features', {
          entity: 'usuario',
          feature_list: ['valor'],
          start_date: '2024-01-01',
          end_date: '2026-01-01',
          format: 'json',
        })
      ).body as { row_count: number }
    ).row_count;

  it('during materialization: the job is failed as interrupted, online values are right or absent, a re-run completes', async () => {
    const data = join(dir, 'materialize');
    const first = await serve(data);
    // An offline-only group first, so the batch reaches only the offline store; then online on.
    expect((await first.call('POST', '/api/feature-groups/', { name: 'valores', entity: 'usuario', online: false })).status).toBe(201);
    expect((await finished(first, (await ingest(first)).id)).state).toBe('succeeded');
    const put = await first.call('PUT', '/api/feature-groups/valores', { online: true });
    expect(put.status, JSON.stringify(put.body)).toBe(200);

    const job = (await first.call('POST', '/api/materialize', { entity: 'usuario', feature_group: 'valores' })).body as Job;
    const seen = await watch(first, job.id, writingOnline);
    expect(seen.state).toBe('running'); // killed mid-write, not after
    await first.kill();

    const second = await serve(data);
    const after = (await second.call('GET', `/api/jobs/${job.id}`)).body as Job;
    expect(after.state).toBe('failed');
    expect(after.error?.code).toBe('FSTORE_INTERRUPTED');
    expect(after.error?.message).toMatch(/materializ/i);
    expect(after.error?.message).toMatch(/re-run/i);
    expect((await second.call('GET', '/api/jobs?state=running')).body).toEqual([]);
    const partial = await checkOnline(second);
    expect(partial.wrong).toEqual([]);
    expect(partial.present).toBeLessThan(KEYS);

    const rerun = await finished(second, ((await second.call('POST', '/api/materialize', { entity: 'usuario', feature_group: 'valores' })).body as Job).id);
    expect(rerun.state).toBe('succeeded');
    expect(await checkOnline(second)).toEqual({ present: KEYS, wrong: [] });
    expect(await offlineRows(second)).toBe(KEYS);
    await second.stop();
  }, 180_000);

  it("during an ingestion's online phase: the offline batch is whole, the job says so, a re-run completes the online store", async () => {
    const data = join(dir, 'ingest');
    const first = await serve(data);
    const job = await ingest(first);
    const seen = await watch(first, job.id, writingOnline);
    expect(seen.state).toBe('running');
    await first.kill();

    const second = await serve(data);
    const after = (await second.call('GET', `/api/jobs/${job.id}`)).body as Job;
    expect(after.state).toBe('failed');
    expect(after.error?.code).toBe('FSTORE_INTERRUPTED');
    expect(after.error?.message).toMatch(/offline history was committed/);
    expect(await offlineRows(second)).toBe(KEYS); // the whole batch: it was committed before the online phase
    expect((await checkOnline(second)).wrong).toEqual([]);

    expect((await finished(second, (await ingest(second)).id)).state).toBe('succeeded');
    expect(await offlineRows(second)).toBe(KEYS); // idempotent: no duplicate rows
    expect(await checkOnline(second)).toEqual({ present: KEYS, wrong: [] });
    await second.stop();
  }, 180_000);
});
