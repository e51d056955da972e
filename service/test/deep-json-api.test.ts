import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_JSON_DEPTH } from '@shared/domain/json-value.js';
import { startTestService, waitForJob, type TestService } from './helpers.js';

/**
 * JSON values nested far too deeply (a 100,000-deep array, a 5,000-deep object) on every entry that
 * takes JSON values as data: a clear 4xx naming where and the limit, nothing written. They used to
 * overflow the stack in JSON.stringify: a 500 (and a Kafka batch that failed for ever). In a JSON or
 * NDJSON file they crashed the whole process (DuckDB's JSON reader, SIGSEGV).
 */
describe('deeply nested JSON values', () => {
  let s: TestService;
  const deepArray = '['.repeat(100_000) + ']'.repeat(100_000);
  const deepObject = '{"a":'.repeat(5000) + '1' + '}'.repeat(5000);
  const limit = new RegExp(`more than ${MAX_JSON_DEPTH} levels deep`);
  // Sent as text: building these values in the test and serialising them would overflow here too.
  const postText = (url: string, text: string) => s.app.inject({ method: 'POST', url, payload: text, headers: { 'content-type': 'application/json' } });
  const age = async (key: string) =>
    (await s.post('/api/online/features', { entity: 'usuario', entity_keys: [key], feature_list: ['usuario_idade'] })).json().results[0].features.usuario_idade.value;
  const history = async () =>
    (await s.post('/api/training/features', { entity: 'usuario', feature_list: ['usuario_idade'], start_date: '2020-01-01', end_date: '2030-01-01' })).json().row_count;

  let files: string;

  beforeAll(async () => {
    files = mkdtempSync(join(tmpdir(), 'fstore-deep-'));
    writeFileSync(join(files, 'ok.ndjson'), '{"usuario_id":"u1","note":"[[[[ brackets in text do not count"}\n');
    writeFileSync(join(files, 'deep.ndjson'), `{"usuario_id":"u1","note":1}\n{"usuario_id":"u2","note":${deepArray}}\n`);
    writeFileSync(join(files, 'labels.json'), `[{"entity_key":"u1","timestamp":"2025-06-01T00:00:00Z","label":${deepObject}}]`);
    s = await startTestService(undefined, { fileSourceDirs: [files] });
    const seeded = await s.post('/api/ingest/usuario/perfil', { rows: [{ usuario_id: 'u1', event_timestamp: '2025-01-01T00:00:00Z', usuario_idade: 30 }] });
    expect(seeded.statusCode, seeded.body).toBe(200);
  });
  afterAll(() => s.close());

  it('ingested rows: 422 naming the row and column, nothing written or registered', async () => {
    for (const deep of [deepArray, deepObject]) {
      const res = await postText(
        '/api/ingest/usuario/perfil',
        `{"rows":[{"usuario_id":"u1","event_timestamp":"2025-02-01T00:00:00Z","usuario_idade":31},{"usuario_id":"u2","usuario_nota":${deep}}]}`,
      );
      expect(res.statusCode, res.body.slice(0, 300)).toBe(422);
      const error = res.json().error;
      expect(error.code).toBe('FSTORE_INGEST_REJECTED');
      expect(error.message).toMatch(/row 2, column 'usuario_nota'/);
      expect(error.message).toMatch(limit);
      expect(error.details).toMatchObject({ invalid_rows: 1, rows: 2, errors: [{ row: 2, column: 'usuario_nota' }] });
    }
    expect(await age('u1')).toBe(30);
    expect(await history()).toBe(1);
    expect((await s.get('/api/features/usuario_nota')).statusCode).toBe(404);
  });

  it('pushed records (either shape): 422 naming the record and field, nothing written', async () => {
    for (const deep of [deepArray, deepObject]) {
      const good = '{"entity_key":"u1","feature_name":"usuario_idade","value":32,"timestamp":"2025-03-01T00:00:00Z"}';
      const single = await postText('/api/push', `{"records":[${good},{"entity_key":"u1","feature_name":"usuario_idade","value":${deep}}]}`);
      expect(single.statusCode, single.body.slice(0, 300)).toBe(422);
      expect(single.json().error.details.errors).toEqual([{ index: 1, reason: expect.stringMatching(/^'value': .*more than 64 levels deep/) }]);
      const row = await postText('/api/push', `{"records":[${good},{"entity":"usuario","feature_group":"perfil","entity_key":"u1","features":{"usuario_idade":${deep}}}]}`);
      expect(row.statusCode).toBe(422);
      expect(row.json().error.message).toMatch(/record 1: feature 'usuario_idade': .*more than 64 levels deep/);
      const time = await postText('/api/push', `{"records":[{"entity_key":"u1","feature_name":"usuario_idade","value":1,"timestamp":${deep}}]}`);
      expect(time.statusCode).toBe(422);
      expect(time.json().error.message).toMatch(/'timestamp': .*more than 64 levels deep/);
    }
    expect(await age('u1')).toBe(30);
    expect(await history()).toBe(1);
  });

  it('Kafka messages: the stream validator rejects the record (to the dead-letter topic) instead of throwing', async () => {
    // The consumer parses each message with JSON.parse and hands the records to this validator.
    const records = [deepArray, deepObject].map((deep) => JSON.parse(`{"entity_key":"u1","feature_name":"usuario_idade","value":${deep}}`) as Record<string, unknown>);
    records.push({ entity_key: 'u1', feature_name: 'usuario_idade', value: 33 });
    const { values, rejected, accepted } = await s.ctx.stream.validate(records);
    expect(rejected).toEqual([0, 1].map((index) => ({ index, reason: expect.stringMatching(limit) as unknown })));
    expect(accepted).toBe(1);
    expect(values.map((v) => v.json)).toEqual(['33']);
  });

  it('label rows of point-in-time requests: 400 naming the row and column', async () => {
    for (const deep of [deepArray, deepObject]) {
      const res = await postText(
        '/api/training/point-in-time',
        `{"entity":"usuario","feature_list":["usuario_idade"],"rows":[{"entity_key":"u1","timestamp":"2025-06-01T00:00:00Z","label":1},{"entity_key":"u1","timestamp":"2025-06-01T00:00:00Z","label":${deep}}]}`,
      );
      expect(res.statusCode, res.body.slice(0, 300)).toBe(400);
      expect(res.json().error.message).toMatch(/row 2: column 'label': .*more than 64 levels deep/);
    }
  });

  it('definitions bundles (plan and apply): 400 naming the object, nothing registered', async () => {
    // Found by the hostile-input property test: a feature named by a 100,000-deep array was a 500.
    for (const deep of [deepArray, deepObject]) {
      for (const action of ['plan', 'apply']) {
        const res = await postText(`/api/definitions/${action}`, `{"bundle":{"entities":[{"name":"loja"}],"features":[{"name":${deep}}]},"prune":false}`);
        expect(res.statusCode, res.body.slice(0, 300)).toBe(400);
        expect(res.json().error.message).toMatch(/feature 1: .*more than 64 levels deep/);
        expect(res.json().error.details).toEqual([{ path: '/features/0', message: expect.stringMatching(limit) }]);
      }
    }
    expect((await s.get('/api/entities/loja')).statusCode).toBe(404);
  });

  it(`values up to ${MAX_JSON_DEPTH} levels are judged by the usual rules (never a 500)`, async () => {
    const atLimit = '['.repeat(MAX_JSON_DEPTH) + ']'.repeat(MAX_JSON_DEPTH);
    const labels = await postText(
      '/api/training/point-in-time',
      `{"entity":"usuario","feature_list":["usuario_idade"],"rows":[{"entity_key":"u1","timestamp":"2025-06-01T00:00:00Z","label":${atLimit}}]}`,
    );
    expect(labels.statusCode, labels.body.slice(0, 300)).toBe(200);
    expect(JSON.stringify(labels.json().rows[0].label)).toBe(atLimit);
    const pushed = await postText('/api/push', `{"records":[{"entity_key":"u1","feature_name":"usuario_idade","value":${atLimit}}]}`);
    expect(pushed.json().error.message).toMatch(/expected an integer/);
    const rows = await postText('/api/ingest/usuario/perfil', `{"rows":[{"usuario_id":"u1","usuario_idade":${atLimit}}]}`);
    expect(rows.statusCode).toBe(422);
  });

  it('JSON and NDJSON files (uploads, server files and globs, upload previews, file sources, label files): refused before DuckDB reads them', async () => {
    const upload = await s.app.inject({ method: 'POST', url: '/api/ingest/usuario/perfil/upload', payload: `{"usuario_id":"u2","usuario_nota":${deepArray}}\n`, headers: { 'content-type': 'application/x-ndjson' } });
    expect(upload.statusCode, upload.body).toBe(422);
    expect(upload.json().error.message).toMatch(/line 1 nests arrays and objects more than 64 levels deep/);

    for (const path of [join(files, 'deep.ndjson'), join(files, '*.ndjson')]) {
      const job = await waitForJob(s, (await s.post('/api/jobs/ingest/usuario/perfil', { path })).json().id);
      expect(job.state).toBe('failed');
      expect(job.error?.message).toMatch(new RegExp(`line 2${path.includes('*') ? ` of ${join(files, 'deep.ndjson')}` : ''} nests`));
    }

    const kept = await s.app.inject({ method: 'POST', url: '/api/uploads/', payload: `[{"usuario_id":"u2","usuario_nota":${deepObject}}]`, headers: { 'content-type': 'application/json' } });
    expect(kept.statusCode, kept.body).toBe(201);
    const preview = await s.get(`/api/uploads/${kept.json().upload_id}/preview`);
    expect(preview.statusCode, preview.body).toBe(422);

    const source = await s.post('/api/data-sources/', { name: 'notas', type: 'file', path: join(files, 'deep.ndjson') });
    expect(source.statusCode, source.body).toBe(422);
    expect(source.json().error.message).toMatch(/Source 'notas' .* line 2 nests/);
    const fine = await s.post('/api/data-sources/', { name: 'notas', type: 'file', path: join(files, 'ok.ndjson') });
    expect(fine.statusCode, fine.body).toBe(201);

    const labels = await s.post('/api/jobs/training-set', { entity: 'usuario', feature_list: ['usuario_idade'], labels: { path: join(files, 'labels.json') } });
    // Label files are checked before the job is queued (issue 21): refused with the same reason.
    expect(labels.statusCode, labels.body).toBe(400);
    expect(labels.json().error.message).toMatch(/label file was not read: line 1 nests/);

    // Nothing was written, and the service is still up.
    expect(await age('u1')).toBe(30);
    expect(await history()).toBe(1);
    expect((await s.get('/api/features/usuario_nota')).statusCode).toBe(404);
  });
});
