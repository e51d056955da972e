import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FeatureProfile } from '@shared/api/profile.js';
import { startTestService, waitForJob, type TestService } from './helpers.js';

const MINUTE = 60_000;
const DAY = 86_400_000;
const NOW = Date.now();
const iso = (ms: number) => new Date(ms).toISOString();

/** 100 stores: vendas 1..100 (newest first, a minute apart), nota on even rows only, cidade SP x50, RJ x30, BH x20. */
function csv(): string {
  const lines = ['loja_id,event_timestamp,loja_vendas,loja_nota,loja_cidade'];
  for (let i = 1; i <= 100; i++) {
    const cidade = i <= 50 ? 'SP' : i <= 80 ? 'RJ' : 'BH';
    lines.push(`s${i},${iso(NOW - i * MINUTE)},${i}.5,${i % 2 === 0 ? i : ''},${cidade}`);
  }
  return `${lines.join('\n')}\n`;
}

describe('feature profile API', () => {
  let s: TestService;
  let jobId: string;
  const profile = async (name: string, query = '') => {
    const res = await s.get(`/api/features/${name}/profile${query}`);
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as FeatureProfile;
  };

  beforeAll(async () => {
    s = await startTestService();
    const upload = await s.app.inject({ method: 'POST', url: '/api/uploads/?filename=vendas.csv', payload: csv(), headers: { 'content-type': 'text/csv' } });
    expect(upload.statusCode, upload.body).toBe(201);
    const job = await s.app.inject({ method: 'POST', url: `/api/jobs/ingest/loja/vendas_diarias?upload=${upload.json().upload_id as string}` });
    expect(job.statusCode, job.body).toBe(202);
    jobId = job.json().id as string;
    expect((await waitForJob(s, jobId)).state).toBe('succeeded');
  });
  afterAll(() => s?.close());

  it('profiles numbers: statistics, a histogram on round bins, freshness, served values and the file job', async () => {
    const p = await profile('loja_vendas');
    expect(p).toMatchObject({ feature: 'loja_vendas', entity: 'loja', feature_group: 'vendas_diarias', value_type: 'FLOAT', kind: 'numeric' });
    expect(p).toMatchObject({ count: 100, rows: 100, null_rate: 0, distinct: 100, min: 1.5, max: 100.5, top: [] });
    expect(p.mean).toBeCloseTo(51, 9);
    expect(p.quantiles['p50']).toBeCloseTo(51, 9);
    expect(p.window).toMatchObject({ end: iso(NOW - MINUTE), complete: true, history_values: 100 });
    // 1.5..100.5 in round bins of 5: [0, 5), [5, 10), ... [100, 105)
    expect(p.histogram[0]).toEqual({ lower: 0, upper: 5, count: 4 });
    expect(p.histogram.at(-1)).toEqual({ lower: 100, upper: 105, count: 1 });
    expect(p.histogram.reduce((n, b) => n + b.count, 0)).toBe(100);
    expect(p.freshness).toMatchObject({ newest_event_time: iso(NOW - MINUTE), values_last_day: 100 });
    expect(p.freshness.age_seconds).toBeGreaterThanOrEqual(59);
    // The most recently written keys, as online serving answers for them now.
    expect(p.latest.map((l) => l.entity_key)).toEqual(['s1', 's2', 's3', 's4', 's5']);
    expect(p.latest[0]).toEqual({ entity_key: 's1', value: 1.5, status: 'PRESENT', event_timestamp: iso(NOW - MINUTE) });
    expect(p.ingestion).toMatchObject({ kind: 'file_job', filename: 'vendas.csv', format: 'csv', job_id: jobId, values_written: 250 }); // 100 vendas + 50 notas + 100 cidades;
    expect(p.ingestion?.description).toContain('vendas.csv');
  });

  it('reports the null rate against the rows of the group', async () => {
    const p = await profile('loja_nota');
    expect(p).toMatchObject({ value_type: 'INT', count: 50, rows: 100, null_rate: 0.5, min: 2, max: 100 });
  });

  it('profiles text: the most frequent values and no histogram', async () => {
    const p = await profile('loja_cidade');
    expect(p).toMatchObject({ kind: 'categorical', count: 100, distinct: 3, min: null, max: null, histogram: [] });
    expect(p.top).toEqual([{ value: 'SP', count: 50 }, { value: 'RJ', count: 30 }, { value: 'BH', count: 20 }]);
    expect(p.latest[0]).toMatchObject({ entity_key: 's1', value: 'SP', status: 'PRESENT' });
  });

  it('profiles a feature with no data yet as empty, with no source', async () => {
    expect((await s.post('/api/features/', { name: 'loja_futuro', entity: 'loja', value_type: 'INT' })).statusCode).toBe(201);
    const p = await profile('loja_futuro');
    expect(p).toMatchObject({ count: 0, window: null, histogram: [], top: [], latest: [], ingestion: null, null_rate: null });
    expect(p.freshness).toEqual({ newest_event_time: null, age_seconds: null, values_last_day: 0 });
  });

  it('answers 404 for an unknown feature', async () => {
    const res = await s.get('/api/features/nao_existe/profile');
    expect(res.statusCode).toBe(404);
    expect(res.json()).toMatchObject({ error: { code: 'FSTORE_FEATURE_NOT_FOUND' } });
  });

  it('names JSON rows as the source when they wrote the feature last', async () => {
    const res = await s.post('/api/ingest/loja/vendas_diarias', { rows: [{ loja_id: 's1', event_timestamp: iso(NOW), loja_vendas: 7 }] });
    expect(res.statusCode, res.body).toBe(200);
    const p = await profile('loja_vendas');
    expect(p.ingestion).toMatchObject({ kind: 'rows', job_id: null, filename: null });
    expect(p.freshness.newest_event_time).toBe(iso(NOW));
  });

  it('bounds the work: the newest days holding about max_values values', async () => {
    const rows = [0, 1, 2].flatMap((day) =>
      Array.from({ length: 600 }, (_, i) => ({ loja_id: `h${i}`, event_timestamp: iso(NOW - (day + 0.5) * DAY + i), loja_historico: day })),
    );
    expect((await s.post('/api/ingest/loja/historico', { rows })).statusCode).toBe(200);
    const all = await profile('loja_historico');
    expect(all).toMatchObject({ count: 1800, min: 0, max: 2 });
    expect(all.window).toMatchObject({ complete: true, history_values: 1800 });
    const bounded = await profile('loja_historico', '?max_values=1000');
    expect(bounded.window).toMatchObject({ complete: false, history_values: 1800 });
    expect(bounded.count).toBeGreaterThanOrEqual(1000);
    expect(bounded.count).toBeLessThan(1800);
    expect((await s.get('/api/features/loja_historico/profile?max_values=5')).statusCode).toBe(400);
  });
});
