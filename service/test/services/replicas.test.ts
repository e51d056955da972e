import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Job } from '@shared/api/jobs.js';
import { freshDataDir, serverStoresFor, startTestService, type TestService } from '../helpers.js';

/** How long a replica may serve from its registry lists before it re-reads them (registry-service.ts). */
const REGISTRY_BOUND_MS = 1000;
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Two service processes' worth of wiring (each its own app, data folder and caches) on the same
 * Redis, PostgreSQL and MongoDB-compatible registry, as replicas behind a load balancer run: a
 * registry change made through one is served by the other within the stated bound (docs/scaling.md).
 */
describe('replicas on shared backends', () => {
  let a: TestService;
  let b: TestService;
  const read = (s: TestService, features: string[]) => s.post('/api/online/features', { entity: 'cliente', entity_keys: ['c1'], feature_list: features });

  const sharedDir = freshDataDir();

  beforeAll(async () => {
    // Both evaluate alert rules every second, as replicas with a short monitoring interval would.
    a = await startTestService(freshDataDir(), { sharedDir, monitoringIntervalSeconds: 1 });
    const shared = await serverStoresFor(a.dataDir);
    b = await startTestService(freshDataDir(), { ...shared, sharedDir, monitoringIntervalSeconds: 1 });
    // B reads the registry once before the change, so its lists are cached when A changes it.
    expect((await b.get('/api/features/')).statusCode).toBe(200);
    expect((await read(b, ['cliente_score'])).statusCode).toBe(404);
  });
  afterAll(async () => {
    await b?.close();
    await a?.close();
  });

  it('serves on B what was registered and ingested through A, within the bound', async () => {
    expect((await a.post('/api/entities/', { name: 'cliente', join_key: 'cliente_id' })).statusCode).toBe(201);
    expect((await a.post('/api/feature-groups/', { name: 'risco', entity: 'cliente' })).statusCode).toBe(201);
    const created = await a.post('/api/features/', {
      name: 'cliente_score',
      description: 'score',
      value_type: 'FLOAT',
      entity: 'cliente',
      feature_group: 'risco',
      tags: ['replica'],
      owner: 'time-risco',
    });
    expect(created.statusCode).toBe(201);
    expect((await a.post('/api/ingest/cliente/risco', { rows: [{ cliente_id: 'c1', cliente_score: 0.7 }] })).statusCode).toBe(200);
    await pause(REGISTRY_BOUND_MS + 50);
    const served = await read(b, ['cliente_score']);
    expect(served.statusCode).toBe(200);
    expect(served.json().results[0].features.cliente_score).toMatchObject({ value: 0.7, status: 'PRESENT' });
    // The registry's own reads on B go to the store: no wait at all.
    expect((await b.get('/api/features/cliente_score')).json()).toMatchObject({ name: 'cliente_score', feature_group: 'risco' });
  });

  it('stops serving on B a feature archived through A, within the bound', async () => {
    expect((await read(b, ['cliente_score'])).statusCode).toBe(200);
    const archived = await a.app.inject({ method: 'DELETE', url: '/api/features/cliente_score' });
    expect(archived.statusCode).toBeLessThan(300);
    await pause(REGISTRY_BOUND_MS + 50);
    const after = await read(b, ['cliente_score']);
    expect(after.statusCode).toBe(404);
    expect(after.json().error.message).toContain('cliente_score');
  });

  it('an incremental materialization on B starts where the one on A left off (one shared watermark), and both at once run one after the other', async () => {
    const materialize = async (s: TestService): Promise<Job> => {
      const res = await s.post('/api/materialize', { entity: 'cliente', feature_group: 'saldo', incremental: true });
      expect(res.statusCode, res.body).toBe(202);
      let job = res.json() as Job;
      while (!['succeeded', 'failed', 'cancelled'].includes(job.state)) {
        await pause(50);
        job = (await s.get(`/api/jobs/${job.id}`)).json();
      }
      return job;
    };
    expect((await a.post('/api/ingest/cliente/saldo', { rows: [{ cliente_id: 'c1', event_timestamp: '2025-01-01T00:00:00Z', cliente_saldo: 10 }] })).statusCode).toBe(200);
    const onA = await materialize(a);
    expect(onA.result).toMatchObject({ values_read: 1, watermark_before: '1970-01-01T00:00:00.000Z' });
    expect((await b.post('/api/ingest/cliente/saldo', { rows: [{ cliente_id: 'c3', event_timestamp: '2025-01-02T00:00:00Z', cliente_saldo: 30 }] })).statusCode).toBe(200);
    await pause(REGISTRY_BOUND_MS + 50); // B learns of the group's feature, created through A
    const onB = await materialize(b);
    expect(onB.result).toMatchObject({ values_read: 1, keys: 1, watermark_before: onA.result!['watermark_after'] });
    // Both replicas at once: the runs hold the watermark's lease in turn, so one of them finds nothing new.
    expect((await a.post('/api/ingest/cliente/saldo', { rows: [{ cliente_id: 'c4', event_timestamp: '2025-01-03T00:00:00Z', cliente_saldo: 40 }] })).statusCode).toBe(200);
    const both = await Promise.all([materialize(a), materialize(b)]);
    expect(both.map((j) => j.state)).toEqual(['succeeded', 'succeeded']);
    expect(both.map((j) => j.result!['values_read']).sort()).toEqual([0, 1]);
  });

  it('a write on B of a group created through A lands in the same stores A reads', async () => {
    expect((await b.post('/api/ingest/cliente/perfil', { rows: [{ cliente_id: 'c2', cliente_idade: 41 }] })).statusCode).toBe(200);
    await pause(REGISTRY_BOUND_MS + 50); // A learns of the feature B's batch created
    const fromA = await a.post('/api/online/features', { entity: 'cliente', entity_keys: ['c2'], feature_list: ['idade'] });
    expect(fromA.statusCode).toBe(200);
    expect(fromA.json().results[0].features.idade).toMatchObject({ value: 41, status: 'PRESENT' });
  });

  it('with a shared folder: a file uploaded through A is ingested through B, and a training set built through B is downloaded through A', async () => {
    const csv = 'cliente_id,event_timestamp,cliente_renda\nc7,2025-03-01T00:00:00Z,5100\nc8,2025-03-01T00:00:00Z,6200\n';
    const uploaded = await a.app.inject({ method: 'POST', url: '/api/uploads/?format=csv&filename=renda.csv', payload: csv, headers: { 'content-type': 'text/csv' } });
    expect(uploaded.statusCode, uploaded.body).toBe(201);
    const { upload_id } = uploaded.json() as { upload_id: string };
    const started = await b.app.inject({ method: 'POST', url: `/api/jobs/ingest/cliente/renda?upload=${upload_id}` });
    expect(started.statusCode, started.body).toBe(202);
    const ingested = await b.ctx.jobs.waitFor((started.json() as Job).id);
    expect(ingested, JSON.stringify(ingested.error)).toMatchObject({ state: 'succeeded', result: { rows: 2 } });
    // The job is A's to see too (it is in the registry), with the same result.
    expect((await a.get(`/api/jobs/${ingested.id}`)).json()).toMatchObject({ state: 'succeeded', result: { rows: 2 } });

    const labels = await b.app.inject({ method: 'POST', url: '/api/uploads/?format=csv', payload: 'entity_key,timestamp,label\nc7,2025-03-02T00:00:00Z,1\n', headers: { 'content-type': 'text/csv' } });
    expect(labels.statusCode, labels.body).toBe(201);
    const built = await b.post('/api/jobs/training-set', { entity: 'cliente', feature_list: ['cliente_renda'], labels: { upload: (labels.json() as { upload_id: string }).upload_id }, format: 'csv' });
    expect(built.statusCode, built.body).toBe(202);
    const job = await b.ctx.jobs.waitFor((built.json() as Job).id);
    expect(job.state, JSON.stringify(job.error)).toBe('succeeded');
    const download = await a.get(`/api/jobs/${job.id}/result`);
    expect(download.statusCode, download.body).toBe(200);
    expect(download.body).toContain('5100');
  });

  it('an alert rule created through A is B\'s too; the two evaluate it every second, and its alert fires (and calls the webhook) once', async () => {
    const posts: { alert: { id: string; state: string; target: string } }[] = [];
    const hook = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        posts.push(JSON.parse(body) as (typeof posts)[number]);
        res.end('ok');
      });
    });
    await new Promise<void>((r) => hook.listen(0, '127.0.0.1', r));
    try {
      const webhook = `http://127.0.0.1:${(hook.address() as AddressInfo).port}/hook`;
      // 'saldo' was written through both replicas (event times in 2025): far older than a minute.
      const created = await a.post('/api/monitoring/rules', { name: 'saldo_fresco', type: 'freshness', entity: 'cliente', feature_group: 'saldo', threshold: 60, webhook_url: webhook });
      expect(created.statusCode, created.body).toBe(201);
      expect((await b.get('/api/monitoring/rules/saldo_fresco')).json()).toMatchObject({ name: 'saldo_fresco', created_by: expect.any(String) });
      await pause(4500); // four rounds of each replica's timer
      const firing = (await b.get('/api/monitoring/alerts?rule=saldo_fresco')).json() as { id: string; state: string }[];
      expect(firing).toHaveLength(1);
      expect(firing[0]!.state).toBe('firing');
      expect((await a.get('/api/monitoring/alerts?rule=saldo_fresco')).json()).toEqual(firing);
      expect(posts.map((p) => [p.alert.id, p.alert.state])).toEqual([[firing[0]!.id, 'firing']]);
      // Evaluated since by one replica or the other, never both in one round: still one alert, one call.
      const rule = (await a.get('/api/monitoring/rules/saldo_fresco')).json() as { last_evaluated_at: string | null };
      expect(rule.last_evaluated_at).not.toBeNull();
    } finally {
      await a.del('/api/monitoring/rules/saldo_fresco');
      await new Promise<void>((r) => hook.close(() => r()));
    }
  });
});
