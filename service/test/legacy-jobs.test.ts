import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { open } from 'lmdb';
import { afterAll, describe, expect, it } from 'vitest';
import type { Job } from '@shared/api/jobs.js';
import { startTestService } from './helpers.js';

const job = (id: string, state: Job['state'], phase: string): Job => ({
  id,
  kind: 'ingest_file',
  state,
  title: `ingest ${id}`,
  params: { entity: 'usuario', feature_group: 'g' },
  progress: { phase, rows_done: 3, rows_total: 3, rows_per_second: 1 },
  created_at: new Date(Date.now() - 60_000).toISOString(),
  started_at: null,
  finished_at: state === 'succeeded' ? new Date().toISOString() : null,
  created_by: 'tester',
  error: null,
  result: state === 'succeeded' ? { rows: 3 } : null,
});

/** A data folder of the release that kept jobs in `jobs.lmdb` and `job-logs/`, and monitoring in `monitoring.lmdb`: its history survives the upgrade. */
describe('job records of an earlier release', () => {
  const dir = mkdtempSync(join(tmpdir(), 'fstore-legacy-jobs-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('are imported into the registry on start, a running one reported interrupted, logs kept', async () => {
    const done = job('11111111-1111-4111-8111-111111111111', 'succeeded', 'done');
    const running = job('22222222-2222-4222-8222-222222222222', 'running', 'writing online');
    const legacy = open<Job, string>({ path: join(dir, 'jobs.lmdb'), compression: false });
    legacy.putSync(done.id, done);
    legacy.putSync(running.id, running);
    await legacy.close();
    mkdirSync(join(dir, 'job-logs'));
    writeFileSync(join(dir, 'job-logs', `${done.id}.json`), JSON.stringify({ lines: ['spark said hi'], dropped: 4 }));

    for (let start = 0; start < 2; start++) {
      // Twice: the import is idempotent, and a second start does not touch what the first settled.
      const s = await startTestService(dir);
      try {
        expect((await s.app.inject({ method: 'GET', url: `/api/jobs/${done.id}` })).json()).toEqual(done);
        expect((await s.app.inject({ method: 'GET', url: `/api/jobs/${done.id}/logs` })).json()).toEqual({ job_id: done.id, lines: ['spark said hi'], truncated: true });
        const interrupted = (await s.app.inject({ method: 'GET', url: `/api/jobs/${running.id}` })).json() as Job;
        expect(interrupted).toMatchObject({ state: 'failed', error: { code: 'FSTORE_INTERRUPTED' } });
        expect(interrupted.error!.message).toMatch(/offline history was committed/);
        const listed = (await s.app.inject({ method: 'GET', url: '/api/jobs/' })).json() as Job[];
        expect(listed.map((j) => j.id).sort()).toEqual([done.id, running.id]);
      } finally {
        await s.close();
      }
    }
  });

  it('monitoring rules, alerts and write counts of monitoring.lmdb are imported too', async () => {
    const data = mkdtempSync(join(tmpdir(), 'fstore-legacy-monitoring-'));
    const rule = { name: 'velho', type: 'freshness', entity: 'usuario', threshold: 60, created_at: '2025-01-01T00:00:00Z', created_by: 'ana', last_evaluated_at: null };
    const legacy = open<unknown, (string | number)[]>({ path: join(data, 'monitoring.lmdb'), compression: false });
    legacy.putSync(['rule', 'velho'], rule);
    legacy.putSync(['writes', 'usuario', 'g'], { entity: 'usuario', feature_group: 'g', newest_event_ms: 1000, values_total: 42, last_write_at: '2025-01-01T00:00:00Z' });
    await legacy.close();
    for (let start = 0; start < 2; start++) {
      const s = await startTestService(data);
      try {
        expect((await s.app.inject({ method: 'GET', url: '/api/monitoring/rules' })).json()).toEqual([rule]);
        expect(await s.ctx.stores.registry.monitoring.writes()).toEqual([expect.objectContaining({ feature_group: 'g', values_total: 42 })]);
      } finally {
        await s.close();
      }
    }
    rmSync(data, { recursive: true, force: true });
  });
});
