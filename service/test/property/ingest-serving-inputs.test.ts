/**
 * Property: hostile ingestion (rows and pushes), online and training requests never get a 5xx,
 * every rejection is a catalogue error, and a rejected ingestion writes nothing: the offline
 * history, the online values and the registry are exactly as before. Hostile values include JSON
 * nested far too deeply (`deepValue`).
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Job } from '@shared/api/jobs.js';
import { startTestService, waitForJob, type TestService } from '../helpers.js';
import { expectCleanAnswer, hostileKey, hostileSegment, hostileString, hostileValue, isRejected, jsonPayload, mutatedBody, RUNS, withOwnKey } from './hostile-inputs.js';

const GOOD_ROW = { user_id: 'u1', user_age: 30, user_city: 'SP', event_timestamp: '2025-01-02T00:00:00Z' };

describe('ingestion, online and training routes under hostile input', { timeout: 600_000 }, () => {
  let s: TestService;

  const post = (url: string, body: unknown) => s.app.inject({ method: 'POST', url, payload: jsonPayload(body), headers: { 'content-type': 'application/json' } });

  /**
   * What a partial write would change: the group's offline history (every value, through training
   * retrieval over all time), the online values, registered features and groups. Through the API
   * only, so the file also runs on the server stores (FSTORE_TEST_STORES=services).
   */
  const state = async () => ({
    offline: (await post('/api/training/features', { entity: 'user', feature_list: ['user_age', 'user_city'], start_date: '1970-01-01', end_date: '2100-01-01' })).json().rows as unknown[],
    online: (await post('/api/online/features', { entity: 'user', entity_keys: ['u1', 'u2', 'u3'], feature_list: ['user_age', 'user_city'] })).body,
    features: (await s.get('/api/features/?include_archived=true')).body,
    groups: (await s.get('/api/feature-groups/?include_archived=true')).body,
  });

  async function checkIngest(url: string, body: unknown): Promise<void> {
    const before = await state();
    const res = await post(url, body);
    expectCleanAnswer(res, `POST ${url.slice(0, 200)} ${jsonPayload(body).slice(0, 300)}`);
    if (isRejected(res)) expect(await state(), `POST ${url} was rejected but wrote something`).toEqual(before);
  }

  beforeAll(async () => {
    s = await startTestService();
    for (const [url, body] of [
      ['/api/entities/', { name: 'user' }],
      ['/api/feature-groups/', { name: 'profile', entity: 'user' }],
      ['/api/features/', { name: 'user_age', entity: 'user', value_type: 'INT', feature_group: 'profile', validation: { min: 0, max: 130, action: 'reject' } }],
      ['/api/features/', { name: 'user_city', entity: 'user', value_type: 'STRING', feature_group: 'profile' }],
      ['/api/ingest/user/profile', { rows: [{ user_id: 'u1', user_age: 25, user_city: 'RJ', event_timestamp: '2025-01-01T00:00:00Z' }] }],
    ] as const) {
      const res = await post(url, body);
      expect(res.statusCode, res.body).toBeLessThan(300);
    }
  });
  afterAll(() => s.close());

  it('the state sees a write, so "unchanged" below can fail', async () => {
    const before = await state();
    expect((await post('/api/ingest/user/profile', { rows: [{ ...GOOD_ROW, user_id: 'u2' }] })).statusCode).toBe(200);
    const after = await state();
    expect(after.offline.length).toBeGreaterThan(before.offline.length);
    expect(after.online).not.toEqual(before.online);
  });

  it('a batch with one hostile row among good ones is rejected whole or accepted whole', async () => {
    const hostileRow = mutatedBody(GOOD_ROW);
    await fc.assert(
      fc.asyncProperty(hostileRow, fc.nat(2), async (row, at) => {
        const rows: unknown[] = [{ ...GOOD_ROW, user_id: 'u3', user_age: 41 }, { ...GOOD_ROW, user_id: 'u2' }];
        rows.splice(at, 0, row);
        await checkIngest('/api/ingest/user/profile', { rows });
      }),
      { numRuns: RUNS },
    );
  });

  it('arbitrary rows and bodies', async () => {
    const row = fc.dictionary(hostileKey.filter((k) => k.length < 100), hostileValue, { maxKeys: 5 });
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.array(row, { maxLength: 4 }).map((rows) => ({ rows })), mutatedBody({ rows: [GOOD_ROW] })), (body) =>
        checkIngest('/api/ingest/user/profile', body),
      ),
      { numRuns: RUNS },
    );
  });

  it('pushes (the records Kafka messages carry): rejected whole or accepted whole; the stream validator never throws', async () => {
    const single = { entity_key: 'u1', feature_name: 'user_age', value: 33, timestamp: '2025-03-01T00:00:00Z' };
    const row = { entity: 'user', feature_group: 'profile', entity_key: 'u1', timestamp: '2025-03-02T00:00:00Z', features: { user_age: 34 } };
    const record = fc.oneof(
      mutatedBody(single),
      mutatedBody(row),
      fc.tuple(hostileKey, hostileValue).map(([k, v]) => ({ ...row, features: withOwnKey({}, k, v) })),
    );
    await fc.assert(
      fc.asyncProperty(record, fc.nat(1), async (hostile, at) => {
        const records: unknown[] = [{ ...single, value: 40, timestamp: '2025-03-03T00:00:00Z' }];
        records.splice(at, 0, hostile);
        await checkIngest('/api/push', { records });
        // The Kafka consumer hands parsed messages to the same validator: it must answer, not throw.
        const parsed = JSON.parse(jsonPayload(records)) as Record<string, unknown>[];
        const { rejected, accepted } = await s.ctx.stream.validate(parsed);
        expect(accepted + rejected.length).toBe(records.length);
      }),
      { numRuns: RUNS },
    );
  });

  it('hostile entity and group names in the ingest URL', async () => {
    await fc.assert(
      fc.asyncProperty(hostileSegment, hostileSegment, (entity, group) => checkIngest(`/api/ingest/${entity}/${group}`, { rows: [GOOD_ROW] })),
      { numRuns: RUNS },
    );
  });

  it('online reads', async () => {
    const valid = { entity: 'user', entity_keys: ['u1', 'u2'], feature_list: ['user_age', 'city'] };
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          mutatedBody(valid),
          fc.array(hostileString, { minLength: 1, maxLength: 5 }).map((keys) => ({ ...valid, entity_keys: keys })),
          fc.array(hostileString, { minLength: 1, maxLength: 5 }).map((features) => ({ ...valid, feature_list: features })),
        ),
        async (body) => {
          const before = await state();
          const res = await post('/api/online/features', body);
          expectCleanAnswer(res, `POST /api/online/features ${jsonPayload(body).slice(0, 300)}`);
          expect(await state()).toEqual(before);
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('training retrieval: range and point in time', async () => {
    const range = { entity: 'user', feature_list: ['user_age'], start_date: '2025-01-01', end_date: '2025-12-31', format: 'json' };
    const labels = { entity: 'user', feature_list: ['user_age', 'user_city'], rows: [{ entity_key: 'u1', timestamp: '2025-06-01T00:00:00Z', label: 1 }], format: 'csv' };
    const labelRow = fc.record({ entity_key: fc.oneof(hostileString, fc.integer(), fc.double()), timestamp: hostileString }).chain((r) =>
      fc.tuple(hostileKey, hostileValue).map(([k, v]) => (k === 'entity_key' || k === 'timestamp' ? r : { ...r, [k]: v })),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          mutatedBody(range).map((body) => ['/api/training/features', body] as const),
          fc.tuple(hostileString, hostileString).map(([start, end]) => ['/api/training/features', { ...range, start_date: start, end_date: end }] as const),
          mutatedBody(labels).map((body) => ['/api/training/point-in-time', body] as const),
          fc.array(labelRow, { minLength: 1, maxLength: 4 }).map((rows) => ['/api/training/point-in-time', { ...labels, format: 'json', rows }] as const),
        ),
        async ([url, body]) => {
          const res = await post(url, body);
          expectCleanAnswer(res, `POST ${url} ${jsonPayload(body).slice(0, 300)}`);
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('training-set jobs over hostile label files and bodies: a clean refusal or a job that ends with a catalogue error, stores untouched', async () => {
    const cell = fc.oneof(hostileString, fc.integer().map(String), fc.constant('2025-06-01T00:00:00Z'), fc.constant(''));
    const csvCell = (v: string) => `"${v.replace(/"/g, '""')}"`;
    const labelFile = fc
      .tuple(fc.constantFrom('entity_key', 'timestamp', 'label', 'user_age'), fc.array(fc.tuple(cell, cell, cell), { minLength: 0, maxLength: 4 }))
      .map(([third, rows]) => [`entity_key,timestamp,${third}`, ...rows.map((r) => r.map(csvCell).join(','))].join('\n'));
    const valid = { entity: 'user', feature_list: ['user_age'], labels: { upload: '00000000-0000-0000-0000-000000000000' }, format: 'csv' };
    await fc.assert(
      fc.asyncProperty(fc.oneof(labelFile, mutatedBody(valid)), async (input) => {
        const before = await state();
        let body = input;
        if (typeof input === 'string') {
          const uploaded = await s.app.inject({ method: 'POST', url: '/api/uploads/?format=csv', payload: input, headers: { 'content-type': 'text/csv' } });
          expect(uploaded.statusCode, uploaded.body).toBe(201);
          body = { ...valid, labels: { upload: (uploaded.json() as { upload_id: string }).upload_id } };
        }
        const res = await post('/api/jobs/training-set', body);
        expectCleanAnswer(res, `POST /api/jobs/training-set ${jsonPayload(body).slice(0, 300)}`);
        if (res.statusCode === 202) {
          const job = await waitForJob(s, (res.json() as Job).id);
          if (job.state !== 'succeeded') {
            expect(job.error?.code, JSON.stringify(job.error)).toMatch(/^FSTORE_/);
            expect(job.error?.code, `${JSON.stringify(job.error)} for ${jsonPayload(input).slice(0, 300)}`).not.toBe('FSTORE_INTERNAL');
          }
        }
        expect(await state()).toEqual(before);
      }),
      { numRuns: RUNS },
    );
  });
});
