import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Job } from '@shared/api/jobs.js';
import { startTestService, type TestService } from './helpers.js';

describe('materialization (offline -> online)', () => {
  let s: TestService;
  const materialize = async (body: Record<string, unknown>): Promise<Job> => {
    const res = await s.post('/api/materialize', { entity: 'usuario', feature_group: 'historico', ...body });
    expect(res.statusCode, res.body).toBe(202);
    let job = res.json() as Job;
    while (!['succeeded', 'failed', 'cancelled'].includes(job.state)) {
      await new Promise((r) => setTimeout(r, 50));
      job = (await s.get(`/api/jobs/${job.id}`)).json();
    }
    return job;
  };
  const online = async (keys: string[]) =>
    ((await s.post('/api/online/features', { entity: 'usuario', entity_keys: keys, feature_list: ['score'] })).json().results as { features: { score: { value: unknown; status: string } } }[]).map(
      (r) => r.features.score.value ?? r.features.score.status,
    );

  beforeAll(async () => {
    s = await startTestService();
    await s.post('/api/feature-groups/', { name: 'historico', entity: 'usuario', online: false });
    await s.post('/api/ingest/usuario/historico', {
      rows: [
        { usuario_id: 'k1', event_timestamp: '2025-01-01T00:00:00Z', usuario_score: 1 },
        { usuario_id: 'k1', event_timestamp: '2025-01-02T00:00:00Z', usuario_score: 2 },
        { usuario_id: 'k2', event_timestamp: '2025-01-01T00:00:00Z', usuario_score: 3 },
      ],
    });
  });
  afterAll(() => s.close());

  it('refuses offline-only groups, unknown groups and contradictory requests before queueing', async () => {
    expect((await s.post('/api/materialize', { entity: 'usuario', feature_group: 'historico' })).json().error.message).toMatch(/offline-only/);
    expect((await s.post('/api/materialize', { entity: 'usuario', feature_group: 'nada' })).json().error.code).toBe('FSTORE_FEATURE_GROUP_NOT_FOUND');
    await s.put('/api/feature-groups/historico', { online: true });
    const both = await s.post('/api/materialize', { entity: 'usuario', feature_group: 'historico', incremental: true, start_date: '2025-01-01' });
    expect(both.json().error.message).toBe('Give either a time window or incremental: true, not both');
  });

  it('fills the online store with the newest value per key in a window', async () => {
    expect(await online(['k1', 'k2'])).toEqual(['NOT_FOUND', 'NOT_FOUND']);
    const job = await materialize({ start_date: '2025-01-01', end_date: '2025-01-31' });
    expect(job.state).toBe('succeeded');
    expect(job.result).toMatchObject({ values_read: 2, keys: 2, online_values_written: 2 });
    expect(await online(['k1', 'k2'])).toEqual([2, 3]);
  });

  it('never lets an older window overwrite newer online values', async () => {
    const job = await materialize({ start_date: '2025-01-01', end_date: '2025-01-01' });
    expect(job.result).toMatchObject({ values_read: 2, online_values_written: 1 }); // k2's equal-time value rewrites itself
    expect(await online(['k1'])).toEqual([2]);
  });

  it('runs incrementally from a watermark that only moves when a run completes', async () => {
    const first = await materialize({ incremental: true });
    expect(first.result).toMatchObject({ values_read: 2, watermark_before: '1970-01-01T00:00:00.000Z' });
    await s.post('/api/ingest/usuario/historico', { rows: [{ usuario_id: 'k3', event_timestamp: '2025-02-01T00:00:00Z', usuario_score: 9 }] });
    const second = await materialize({ incremental: true });
    expect(second.result).toMatchObject({ values_read: 1, keys: 1, watermark_before: first.result!['watermark_after'] });
    expect(await online(['k3'])).toEqual([9]);
    const third = await materialize({ incremental: true });
    expect(third.result).toMatchObject({ values_read: 0 });
  });
});
