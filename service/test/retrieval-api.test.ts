import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckDBInstance } from '@duckdb/node-api';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestService, type TestService } from './helpers.js';

const iso = (ms: number) => new Date(ms).toISOString();
const MIN = 60_000;

describe('online and training retrieval', () => {
  let s: TestService;
  const now = Date.now();

  beforeAll(async () => {
    s = await startTestService();
    await s.post('/api/feature-groups/', { name: 'sessao', entity: 'usuario', ttl_seconds: 3600 });
    await s.post('/api/feature-groups/', { name: 'perfil', entity: 'usuario' });
    // sessao (TTL 1h): u1 fresh (10 min old), u2 stale (2h old).
    await s.post('/api/ingest/usuario/sessao', {
      rows: [
        { usuario_id: 'u1', event_timestamp: iso(now - 10 * MIN), usuario_cliques: 7 },
        { usuario_id: 'u2', event_timestamp: iso(now - 120 * MIN), usuario_cliques: 3 },
      ],
    });
    // perfil (no TTL): fixed history for point-in-time checks.
    await s.post('/api/ingest/usuario/perfil', {
      rows: [
        { usuario_id: 'u1', event_timestamp: '2025-01-01T00:00:00Z', usuario_plano: 'free', usuario_score: 1.0 },
        { usuario_id: 'u1', event_timestamp: '2025-01-10T00:00:00Z', usuario_plano: 'pro', usuario_score: 2.5 },
        { usuario_id: 'u2', event_timestamp: '2025-01-05T00:00:00Z', usuario_plano: 'free', usuario_score: 0.5 },
      ],
    });
  });
  afterAll(() => s.close());

  const online = (keys: string[], features: string[]) =>
    s.post('/api/online/features', { entity: 'usuario', entity_keys: keys, feature_list: features });

  it('serves PRESENT, EXPIRED (older than the group TTL) and NOT_FOUND with event times', async () => {
    const res = await online(['u1', 'u2', 'u3'], ['usuario_cliques', 'plano']);
    expect(res.statusCode).toBe(200);
    const [u1, u2, u3] = res.json().results;
    expect(u1.features.usuario_cliques).toEqual({ value: 7, status: 'PRESENT', event_timestamp: iso(now - 10 * MIN) });
    expect(u2.features.usuario_cliques).toEqual({ value: null, status: 'EXPIRED', event_timestamp: iso(now - 120 * MIN) });
    expect(u3.features.usuario_cliques).toEqual({ value: null, status: 'NOT_FOUND', event_timestamp: null });
    expect(u1.features.plano).toMatchObject({ value: 'pro', status: 'PRESENT' });
    expect(res.json().features).toEqual(['usuario_cliques', 'usuario_plano']);
  });

  it('never lets a late, older event overwrite the newer online value (but keeps it offline)', async () => {
    const late = await s.post('/api/ingest/usuario/perfil', {
      rows: [{ usuario_id: 'u1', event_timestamp: '2025-01-05T00:00:00Z', usuario_plano: 'basic' }],
    });
    expect(late.json().online_values_written).toBe(0);
    expect((await online(['u1'], ['plano'])).json().results[0].features.plano.value).toBe('pro');
    const pit = await s.post('/api/training/point-in-time', {
      entity: 'usuario',
      feature_list: ['plano'],
      rows: [{ entity_key: 'u1', timestamp: '2025-01-06T00:00:00Z' }],
    });
    expect(pit.json().rows[0].plano).toBe('basic');
  });

  it('point in time: hand-computed values, equal timestamps included, labels passed through in order', async () => {
    const res = await s.post('/api/training/point-in-time', {
      entity: 'usuario',
      feature_list: ['plano', 'score'],
      rows: [
        { entity_key: 'u1', timestamp: '2024-12-31T23:59:59Z', churned: 0 },
        { entity_key: 'u1', timestamp: '2025-01-01T00:00:00Z', churned: 0 },
        { entity_key: 'u1', timestamp: '2025-01-09', churned: 1 },
        { entity_key: 'u1', timestamp: '2025-01-10T00:00:00Z', churned: 1 },
        { entity_key: 'u2', timestamp: '2025-02-01', churned: 0 },
        { entity_key: 'u9', timestamp: '2025-02-01', churned: 1 },
      ],
    });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.columns).toEqual(['entity_key', 'timestamp', 'churned', 'plano', 'score']);
    expect(body.rows.map((r: Record<string, unknown>) => [r['entity_key'], r['churned'], r['plano'], r['score']])).toEqual([
      ['u1', 0, null, null],
      ['u1', 0, 'free', 1],
      ['u1', 1, 'basic', 1], // plano's late event (01-05) is history; score unchanged since 01-01
      ['u1', 1, 'pro', 2.5],
      ['u2', 0, 'free', 0.5],
      ['u9', 1, null, null],
    ]);
  });

  it('point in time drops values older than the TTL as of each label time', async () => {
    const res = await s.post('/api/training/point-in-time', {
      entity: 'usuario',
      feature_list: ['cliques'],
      rows: [
        { entity_key: 'u1', timestamp: iso(now - 5 * MIN) },
        { entity_key: 'u1', timestamp: iso(now - 10 * MIN + 3600_000) }, // age exactly the TTL
        { entity_key: 'u1', timestamp: iso(now - 10 * MIN + 3600_000 + 1) },
        { entity_key: 'u1', timestamp: iso(now - 11 * MIN) }, // before the value existed
      ],
    });
    expect(res.json().rows.map((r: Record<string, unknown>) => r['cliques'])).toEqual([7, 7, null, null]);
  });

  it('range: one row per key and event time in the window; a bare end date covers the day', async () => {
    const res = await s.post('/api/training/features', {
      entity: 'usuario',
      feature_list: ['plano', 'score'],
      start_date: '2025-01-01',
      end_date: '2025-01-10',
    });
    expect(res.json().rows).toEqual([
      { entity_key: 'u1', event_timestamp: '2025-01-01T00:00:00.000Z', plano: 'free', score: 1 },
      { entity_key: 'u1', event_timestamp: '2025-01-05T00:00:00.000Z', plano: 'basic', score: 1 },
      { entity_key: 'u1', event_timestamp: '2025-01-10T00:00:00.000Z', plano: 'pro', score: 2.5 },
      { entity_key: 'u2', event_timestamp: '2025-01-05T00:00:00.000Z', plano: 'free', score: 0.5 },
    ]);
  });

  it('returns Parquet and CSV with typed columns', async () => {
    const res = await s.post('/api/training/point-in-time', {
      entity: 'usuario',
      feature_list: ['plano', 'score'],
      rows: [
        { entity_key: 'u1', timestamp: '2025-01-10T00:00:00Z', churned: 1 },
        { entity_key: 'u2', timestamp: '2025-01-01T00:00:00Z', churned: 0 },
      ],
      format: 'parquet',
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/vnd.apache.parquet');
    const file = join(mkdtempSync(join(tmpdir(), 'fstore-out-')), 'out.parquet');
    writeFileSync(file, res.rawPayload);
    const c = await (await DuckDBInstance.create(':memory:')).connect();
    const described = (await c.runAndReadAll(`DESCRIBE SELECT * FROM read_parquet('${file}')`)).getRowObjectsJS();
    expect(described.map((d) => [d['column_name'], d['column_type']])).toEqual([
      ['entity_key', 'VARCHAR'],
      ['timestamp', 'TIMESTAMP WITH TIME ZONE'],
      ['churned', 'BIGINT'],
      ['plano', 'VARCHAR'],
      ['score', 'DOUBLE'],
    ]);
    const rows = (await c.runAndReadAll(`SELECT entity_key, churned, plano, score FROM read_parquet('${file}')`)).getRowsJS();
    expect(rows).toEqual([
      ['u1', 1n, 'pro', 2.5],
      ['u2', 0n, null, null],
    ]);
    const csv = await s.post('/api/training/features', { entity: 'usuario', feature_list: ['plano'], start_date: '2025-01-05', end_date: '2025-01-05', format: 'csv' });
    expect(csv.body.trim().split('\n')).toEqual([
      'entity_key,event_timestamp,plano',
      'u1,2025-01-05 00:00:00+00,basic',
      'u2,2025-01-05 00:00:00+00,free',
    ]);
  });

  it('rejects unknown features, entities and malformed requests with clear errors', async () => {
    const unknown = await online(['u1'], ['plano', 'altura', 'peso']);
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().error).toMatchObject({ code: 'FSTORE_FEATURE_NOT_FOUND', details: { missing: ['altura', 'peso'] } });
    const entity = await s.post('/api/online/features', { entity: 'ghost', entity_keys: ['x'], feature_list: ['a'] });
    expect(entity.json().error.code).toBe('FSTORE_ENTITY_NOT_FOUND');
    const empty = await online([], ['plano']);
    expect(empty.statusCode).toBe(400);
    const dates = await s.post('/api/training/features', { entity: 'usuario', feature_list: ['plano'], start_date: '2025-13-01', end_date: 'soon' });
    expect(dates.statusCode).toBe(400);
    expect(dates.json().error.message).toContain("end_date 'soon' is not a date");
    const labels = await s.post('/api/training/point-in-time', {
      entity: 'usuario',
      feature_list: ['plano'],
      rows: [{ entity_key: 'u1', timestamp: 'yesterday' }],
    });
    expect(labels.statusCode).toBe(400);
    expect(labels.json().error.details.errors).toEqual([{ row: 1, column: 'timestamp', message: "timestamp 'yesterday' is not a date or ISO-8601 timestamp" }]);
  });
});

describe('durability across a restart', () => {
  it('keeps registry, online and offline data when the service is rebuilt on the same folder', async () => {
    const first = await startTestService();
    await first.post('/api/ingest/usuario/demografia', {
      rows: [
        { usuario_id: 'u1', event_timestamp: '2025-01-01T00:00:00Z', usuario_idade: 30 },
        { usuario_id: 'u1', event_timestamp: '2025-02-01T00:00:00Z', usuario_idade: 31 },
      ],
    });
    await first.close();
    const second = await startTestService(first.dataDir);
    try {
      expect((await second.get('/api/features/usuario_idade')).json().feature_group).toBe('demografia');
      const onlineRes = await second.post('/api/online/features', { entity: 'usuario', entity_keys: ['u1'], feature_list: ['idade'] });
      expect(onlineRes.json().results[0].features.idade).toMatchObject({ value: 31, status: 'PRESENT' });
      const training = await second.post('/api/training/features', { entity: 'usuario', feature_list: ['idade'], start_date: '2025-01-01', end_date: '2025-12-31' });
      expect(training.json().rows.map((r: Record<string, unknown>) => r['idade'])).toEqual([30, 31]);
    } finally {
      await second.close();
    }
  });
});
