/**
 * Size limits (maxBodyBytes) on every way a body arrives: JSON bodies, raw streamed uploads and
 * multipart uploads, on each upload route. Over the limit: 413 FSTORE_PAYLOAD_TOO_LARGE naming the
 * limit, and nothing written (no values, no registered features, no job, no file left behind).
 * Also: identifiers from data (column names, entity keys) cannot reach SQL or the stores unchecked.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestService, type TestService } from './helpers.js';

const LIMIT = 4096;

/** A CSV for user/profile whose size is just over the limit. */
function bigCsv(): string {
  let csv = 'user_id,user_note,event_timestamp\n';
  for (let i = 0; csv.length <= LIMIT; i++) csv += `u${i},${'x'.repeat(40)},2025-01-01T00:00:00Z\n`;
  return csv;
}

function multipart(content: string, filename = 'big.csv'): { payload: string; contentType: string } {
  const boundary = 'fstoreboundary';
  const payload =
    `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\nContent-Type: text/csv\r\n\r\n` +
    `${content}\r\n--${boundary}--\r\n`;
  return { payload, contentType: `multipart/form-data; boundary=${boundary}` };
}

describe('body and upload size limits', () => {
  let s: TestService;

  /** Everything a partial write would leave: values, features, groups, jobs, temp files. */
  const state = async () => ({
    online: (await s.post('/api/online/features', { entity: 'user', entity_keys: ['u0', 'u1'], feature_list: ['user_note'] })).body,
    features: (await s.get('/api/features/?include_archived=true')).body,
    groups: (await s.get('/api/feature-groups/?include_archived=true')).body,
    jobs: (await s.get('/api/jobs/')).body,
    tmp: readdirSync(join(s.dataDir, 'tmp'), { recursive: true }).sort(),
  });

  const expectTooLarge = (res: { statusCode: number; json(): unknown }) => {
    expect(res.statusCode).toBe(413);
    const { error } = res.json() as { error: { code: string; message: string } };
    expect(error.code).toBe('FSTORE_PAYLOAD_TOO_LARGE');
    return error.message;
  };

  beforeAll(async () => {
    s = await startTestService(undefined, { maxBodyBytes: LIMIT });
    expect((await s.post('/api/entities/', { name: 'user' })).statusCode).toBe(201);
    expect((await s.post('/api/features/', { name: 'user_note', entity: 'user', value_type: 'STRING' })).statusCode).toBe(201);
  });
  afterAll(() => s.close());

  it('a body just under the limit is accepted (the limit is the configured one, not a smaller one)', async () => {
    const small = bigCsv().split('\n').slice(0, 20).join('\n');
    expect(small.length).toBeLessThan(LIMIT);
    const res = await s.app.inject({ method: 'POST', url: '/api/ingest/user/profile/upload', payload: small, headers: { 'content-type': 'text/csv' } });
    expect(res.statusCode, res.body).toBe(200);
  });

  it('a JSON body over the limit', async () => {
    const before = await state();
    const rows = Array.from({ length: 100 }, (_, i) => ({ user_id: `u${i}`, user_note: 'y'.repeat(40), event_timestamp: '2025-02-01T00:00:00Z' }));
    expect(JSON.stringify({ rows }).length).toBeGreaterThan(LIMIT);
    expect(expectTooLarge(await s.post('/api/ingest/user/profile', { rows }))).toMatch(/too large|exceeds|limit/i);
    expect(await state()).toEqual(before);
  });

  it.each([
    ['POST /api/ingest/user/profile/upload', '/api/ingest/user/profile/upload'],
    ['POST /api/jobs/ingest/user/profile', '/api/jobs/ingest/user/profile'],
    ['POST /api/uploads/', '/api/uploads/'],
  ])('a raw streamed upload over the limit: %s', async (_label, url) => {
    const before = await state();
    const res = await s.app.inject({ method: 'POST', url, payload: bigCsv(), headers: { 'content-type': 'text/csv' } });
    expect(expectTooLarge(res)).toBe(`The upload exceeds the limit of ${LIMIT} bytes (maxBodyBytes)`);
    expect(await state()).toEqual(before);
  });

  it.each([
    ['POST /api/ingest/user/profile/upload', '/api/ingest/user/profile/upload'],
    ['POST /api/jobs/ingest/user/profile', '/api/jobs/ingest/user/profile'],
    ['POST /api/uploads/', '/api/uploads/'],
  ])('a multipart upload over the limit: %s', async (_label, url) => {
    const before = await state();
    const { payload, contentType } = multipart(bigCsv());
    const res = await s.app.inject({ method: 'POST', url, payload, headers: { 'content-type': contentType } });
    expect(expectTooLarge(res)).toBe(`The upload exceeds the limit of ${LIMIT} bytes (maxBodyBytes)`);
    expect(await state()).toEqual(before);
  });
});

describe('identifiers from data are checked before SQL and the stores', () => {
  let s: TestService;
  beforeAll(async () => {
    s = await startTestService();
  });
  afterAll(() => s.close());

  it('a column name written as SQL becomes no feature and runs no SQL', async () => {
    const column = 'x"; DROP TABLE feature_values; --';
    const res = await s.post('/api/ingest/user/profile', { rows: [{ user_id: 'u1', [column]: 1, event_timestamp: '2025-01-01T00:00:00Z' }] });
    expect(res.statusCode).toBe(422);
    expect(res.json().error.message).toContain('snake_case');
    expect((await s.get('/api/features/')).json()).toEqual([]);
    // The offline table is still there: a good batch goes in and reads back.
    expect((await s.post('/api/ingest/user/profile', { rows: [{ user_id: 'u1', user_n: 1, event_timestamp: '2025-01-01T00:00:00Z' }] })).statusCode).toBe(200);
    const training = await s.post('/api/training/features', { entity: 'user', feature_list: ['user_n'], start_date: '2025-01-01', end_date: '2025-01-01' });
    expect(training.json().rows).toEqual([expect.objectContaining({ entity_key: 'u1', user_n: 1 })]);
  });

  it('an entity key too long to be stored or read online is a row error, before anything is written', async () => {
    const rows = [
      { user_id: 'ok', user_n: 2, event_timestamp: '2025-01-02T00:00:00Z' },
      { user_id: 'k'.repeat(513), user_n: 3, event_timestamp: '2025-01-02T00:00:00Z' },
      { user_id: '\u{1F600}'.repeat(400), user_n: 4, event_timestamp: '2025-01-02T00:00:00Z' },
    ];
    const res = await s.post('/api/ingest/user/profile', { rows });
    expect(res.statusCode).toBe(422);
    expect(res.json().error.details.errors).toEqual([
      expect.objectContaining({ row: 2, column: 'user_id', reason: 'the entity key is longer than 512 characters (or 1536 bytes in UTF-8)' }),
      expect.objectContaining({ row: 3, column: 'user_id', reason: 'the entity key is longer than 512 characters (or 1536 bytes in UTF-8)' }),
    ]);
    const online = await s.post('/api/online/features', { entity: 'user', entity_keys: ['ok'], feature_list: ['user_n'] });
    expect(online.json().results[0].features.user_n.status).toBe('NOT_FOUND');
    // The longest accepted key is stored and read back online.
    const longest = 'k'.repeat(512);
    expect((await s.post('/api/ingest/user/profile', { rows: [{ user_id: longest, user_n: 5, event_timestamp: '2025-01-03T00:00:00Z' }] })).statusCode).toBe(200);
    const back = await s.post('/api/online/features', { entity: 'user', entity_keys: [longest], feature_list: ['user_n'] });
    expect(back.json().results[0].features.user_n).toMatchObject({ value: 5, status: 'PRESENT' });
  });
});
