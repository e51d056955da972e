import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Job } from '@shared/api/jobs.js';
import type { TrainingSetSummary } from '@shared/api/serving.js';
import { startTestService, waitForJob, type TestService } from './helpers.js';

/**
 * Two values of one feature for the same key and event time: the most recently ingested one is
 * served online and used by range and point-in-time training (docs/serving.md, "Ties"). Runs on the
 * embedded stores and, in the services pass, on Redis and PostgreSQL.
 */
describe('ties on (key, event time): the most recently ingested value wins', () => {
  let s: TestService;
  const T = '2025-03-01T00:00:00.000Z';

  beforeAll(async () => {
    s = await startTestService();
    await s.post('/api/feature-groups/', { name: 'empate', entity: 'cliente' });
    await s.post('/api/feature-groups/', { name: 'historico_empate', entity: 'cliente', online: false });
  });
  afterAll(() => s.close());

  /** What every read path says of `feature` for `key` at T: online, range training, point-in-time (JSON and a job's file). */
  const everyRead = async (key: string, feature: string) => {
    const online = (await s.post('/api/online/features', { entity: 'cliente', entity_keys: [key], feature_list: [feature] })).json().results[0].features[feature];
    const range = await s.post('/api/training/features', { entity: 'cliente', feature_list: [feature], start_date: T, end_date: T });
    const rangeRows = (range.json().rows as Record<string, unknown>[]).filter((r) => r['entity_key'] === key);
    const pit = await s.post('/api/training/point-in-time', { entity: 'cliente', feature_list: [feature], rows: [{ entity_key: key, timestamp: T }] });
    return { online: online.status === 'PRESENT' ? online.value : online.status, range: rangeRows.map((r) => r[feature]), pit: pit.json().rows[0][feature] };
  };
  const ingest = (rows: Record<string, unknown>[]) => s.post('/api/ingest/cliente/empate', { rows });
  const push = (key: string, value: unknown) => s.post('/api/push', { records: [{ entity: 'cliente', feature_group: 'empate', entity_key: key, timestamp: T, features: { nivel: value } }] });

  it('a batch ingested again with the same key and time replaces the first everywhere', async () => {
    expect((await ingest([{ cliente_id: 'c1', event_timestamp: T, nivel: 1, nome: 'a' }])).statusCode).toBe(200);
    const again = await ingest([{ cliente_id: 'c1', event_timestamp: T, nivel: 2 }]);
    expect(again.json()).toMatchObject({ values_written: 1, online_values_written: 1 });
    expect(await everyRead('c1', 'nivel')).toEqual({ online: 2, range: [2], pit: 2 });
    // The feature the second batch did not carry keeps its value.
    expect(await everyRead('c1', 'nome')).toEqual({ online: 'a', range: ['a'], pit: 'a' });
  });

  it('within one batch, the later row of the same key and time wins', async () => {
    const res = await ingest([
      { cliente_id: 'c2', event_timestamp: T, nivel: 1 },
      { cliente_id: 'c2', event_timestamp: T, nivel: 3 },
      { cliente_id: 'c3', event_timestamp: T, nivel: 9 },
    ]);
    expect(res.json()).toMatchObject({ rows: 3, repeated_rows: 1, values_written: 2 });
    expect(await everyRead('c2', 'nivel')).toEqual({ online: 3, range: [3], pit: 3 });
  });

  it('pushes: a second push at the same time replaces the first, and the later record of one push wins', async () => {
    await push('c4', 5);
    await push('c4', 6);
    expect(await everyRead('c4', 'nivel')).toEqual({ online: 6, range: [6], pit: 6 });
    await s.post('/api/push', {
      records: [
        { entity_key: 'c4', feature_name: 'nivel', entity: 'cliente', value: 7, timestamp: T },
        { entity_key: 'c4', feature_name: 'nivel', entity: 'cliente', value: 8, timestamp: T },
      ],
    });
    expect(await everyRead('c4', 'nivel')).toEqual({ online: 8, range: [8], pit: 8 });
  });

  it('across paths: a file ingested after a push wins, and a push after it wins again', async () => {
    await push('c5', 10);
    await ingest([{ cliente_id: 'c5', event_timestamp: T, nivel: 11 }]);
    expect(await everyRead('c5', 'nivel')).toEqual({ online: 11, range: [11], pit: 11 });
    await push('c5', 12);
    expect(await everyRead('c5', 'nivel')).toEqual({ online: 12, range: [12], pit: 12 });
  });

  it('overlapping writes of one group: online values follow the order of the offline commits', async () => {
    // The file's online write is held after its offline commit; a push of the same key and time
    // commits offline after it, so the push is the most recently ingested value everywhere.
    const store = s.ctx.stores.online;
    const write = store.write.bind(store);
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    let reached!: () => void;
    const fileOnline = new Promise<void>((r) => (reached = r));
    let first = true;
    store.write = async (target, rows) => {
      if (first && target.group === 'empate') {
        first = false;
        reached();
        await held;
      }
      return write(target, rows);
    };
    try {
      const ingesting = ingest([{ cliente_id: 'c6', event_timestamp: T, nivel: 1 }]);
      await fileOnline;
      const pushed = push('c6', 2);
      await new Promise((r) => setTimeout(r, 300));
      release();
      expect((await ingesting).statusCode).toBe(200);
      expect((await pushed).statusCode).toBe(200);
    } finally {
      store.write = write;
    }
    expect(await everyRead('c6', 'nivel')).toEqual({ online: 2, range: [2], pit: 2 });
  });

  it('materialization copies the newest ingested value and never brings back the replaced one', async () => {
    const res = await s.post('/api/materialize', { entity: 'cliente', feature_group: 'empate', start_date: '2025-01-01', end_date: '2025-12-31' });
    expect(res.statusCode, res.body).toBe(202);
    expect((await waitForJob(s, (res.json() as Job).id)).state).toBe('succeeded');
    for (const [key, want] of [['c1', 2], ['c2', 3], ['c4', 8], ['c5', 12]] as const) {
      expect((await everyRead(key, 'nivel')).online, key).toBe(want);
    }
  });

  it('a training-set job from a label file uses the newest ingested value', async () => {
    const csv = `entity_key,timestamp\nc1,${T}\nc5,${T}\n`;
    const up = await s.app.inject({ method: 'POST', url: '/api/uploads/?format=csv&filename=labels.csv', payload: csv, headers: { 'content-type': 'application/octet-stream' } });
    const submitted = await s.post('/api/jobs/training-set', { entity: 'cliente', feature_list: ['nivel'], labels: { upload: up.json().upload_id } });
    expect(submitted.statusCode, submitted.body).toBe(202);
    const job = await waitForJob(s, (submitted.json() as Job).id);
    expect(job.state, JSON.stringify(job.error)).toBe('succeeded');
    const summary = (await s.get(`/api/jobs/${job.id}/summary`)).json() as TrainingSetSummary;
    expect(summary.preview.map((row) => row[2])).toEqual([2, 12]);
  });

  it('offline-only groups follow the same rule (what materialization would copy)', async () => {
    await s.post('/api/ingest/cliente/historico_empate', { rows: [{ cliente_id: 'h1', event_timestamp: T, saldo: 1.5 }] });
    await s.post('/api/ingest/cliente/historico_empate', { rows: [{ cliente_id: 'h1', event_timestamp: T, saldo: 2.5 }] });
    const pit = await s.post('/api/training/point-in-time', { entity: 'cliente', feature_list: ['saldo'], rows: [{ entity_key: 'h1', timestamp: T }] });
    expect(pit.json().rows[0].saldo).toBe(2.5);
  });
});
