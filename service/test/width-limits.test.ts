/**
 * Wide batches (issue 19): a batch past maxBatchColumns and a group past maxGroupFeatures are
 * refused whole with FSTORE_LIMIT_EXCEEDED naming the limit, before anything is registered; a wide
 * batch under the limit costs time and memory linear in its values (1,000 columns of one row once
 * grew past 15 GB in the online "newest value per key" step and never answered).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestService, type TestService } from './helpers.js';

function wideRow(columns: number, key = 'w1'): Record<string, unknown> {
  const row: Record<string, unknown> = { entity_key: key, timestamp: '2025-01-01T00:00:00Z' };
  for (let i = 0; i < columns; i++) row[`wide_c${i}`] = i + 0.5;
  return row;
}

describe('columns per batch and features per group', () => {
  let s: TestService;
  beforeAll(async () => {
    s = await startTestService(undefined, { maxBatchColumns: 12, maxGroupFeatures: 6 });
  });
  afterAll(() => s.close());

  const registered = async () => ({
    features: (await s.get('/api/features/?include_archived=true')).json().map((f: { name: string }) => f.name).sort(),
    groups: (await s.get('/api/feature-groups/?include_archived=true')).json().map((g: { name: string }) => g.name).sort(),
  });

  it('refuses a row batch wider than maxBatchColumns, naming the limit, and registers nothing', async () => {
    const before = await registered();
    const res = await s.post('/api/ingest/wide/g_rows', { rows: [wideRow(20)] });
    expect(res.statusCode).toBe(422);
    expect(res.json().error.code).toBe('FSTORE_LIMIT_EXCEEDED');
    expect(res.json().error.message).toContain('22 columns');
    expect(res.json().error.message).toContain('maxBatchColumns');
    expect(await registered()).toEqual(before);
  });

  it('refuses an uploaded file wider than the limit and says so in the dry-run preview', async () => {
    const header = ['wide_id', ...Array.from({ length: 15 }, (_, i) => `wide_x${i}`)].join(',');
    const csv = `${header}\nk1,${Array.from({ length: 15 }, () => '1').join(',')}\n`;
    const res = await s.app.inject({ method: 'POST', url: '/api/ingest/wide/g_file/upload', payload: csv, headers: { 'content-type': 'text/csv' } });
    expect(res.statusCode).toBe(422);
    expect(res.json().error.code).toBe('FSTORE_LIMIT_EXCEEDED');
    const upload = (await s.app.inject({ method: 'POST', url: '/api/uploads/', payload: csv, headers: { 'content-type': 'text/csv' } })).json();
    const preview = await s.get(`/api/uploads/${upload.upload_id}/preview?entity=wide&feature_group=g_file`);
    expect(preview.statusCode, preview.body).toBe(200);
    expect(preview.json().problems.join(' ')).toContain('maxBatchColumns');
    expect((await registered()).groups).not.toContain('g_file');
  });

  it('refuses a batch that would take a group past maxGroupFeatures, registering none of its features', async () => {
    const first = await s.post('/api/ingest/wide/g_full', { rows: [{ entity_key: 'k', wide_a: 1, wide_b: 2, wide_c: 3, wide_d: 4 }] });
    expect(first.statusCode, first.body).toBe(200);
    const before = await registered();
    const res = await s.post('/api/ingest/wide/g_full', { rows: [{ entity_key: 'k', wide_a: 1, wide_e: 5, wide_f: 6, wide_g: 7 }] });
    expect(res.statusCode).toBe(422);
    expect(res.json().error).toMatchObject({ code: 'FSTORE_LIMIT_EXCEEDED', details: { limit: 'maxGroupFeatures', value: 6, held: 4, adding: 3 } });
    expect(res.json().error.message).toContain("Feature group 'g_full' holds 4 features");
    expect(await registered()).toEqual(before);
    // The registry enforces the same limit on features created one at a time.
    expect((await s.post('/api/features/', { name: 'wide_e', entity: 'wide', value_type: 'INT', feature_group: 'g_full' })).statusCode).toBe(201);
    expect((await s.post('/api/features/', { name: 'wide_f', entity: 'wide', value_type: 'INT', feature_group: 'g_full' })).statusCode).toBe(201);
    const full = await s.post('/api/features/', { name: 'wide_g', entity: 'wide', value_type: 'INT', feature_group: 'g_full' });
    expect(full.statusCode).toBe(422);
    expect(full.json().error.code).toBe('FSTORE_LIMIT_EXCEEDED');
  });

  it('refuses a pushed row record wider than the limit, writing nothing', async () => {
    const features = Object.fromEntries(Array.from({ length: 13 }, (_, i) => [`wide_c${i}`, i]));
    const res = await s.post('/api/push', { records: [{ entity: 'wide', feature_group: 'g_full', entity_key: 'k', features }] });
    expect(res.statusCode).toBe(422);
    expect(res.body).toContain('at most 12 (maxBatchColumns)');
  });
});

// Registering 1,000 features is one registry version each: tens of seconds on a loaded runner.
describe('a wide batch under the limit', { timeout: 180_000 }, () => {
  let s: TestService;
  beforeAll(async () => {
    s = await startTestService(undefined, { maxBatchColumns: 1002, maxGroupFeatures: 1000 });
  });
  afterAll(() => s.close());

  it('ingests one row of 1,000 columns and serves every value (no per-column aggregate blow-up)', async () => {
    const res = await s.post('/api/ingest/wide/g_thousand', { rows: [wideRow(1000)] });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ rows: 1, values_written: 1000, online_values_written: 1000 });
    const online = await s.post('/api/online/features', { entity: 'wide', entity_keys: ['w1'], feature_list: ['wide_c0', 'wide_c499', 'wide_c999'] });
    const features = online.json().results[0].features;
    expect([features.wide_c0.value, features.wide_c499.value, features.wide_c999.value]).toEqual([0.5, 499.5, 999.5]);
  }, 120_000); // registering 1,000 features is 1,000 registry versions
});
