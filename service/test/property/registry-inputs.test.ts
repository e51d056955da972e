/**
 * Property: hostile registry input (create, update, data sources, definitions plan) never gets a
 * 5xx, every rejection is a catalogue error, and a rejected request leaves the registry unchanged.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestService, type TestService } from '../helpers.js';
import { expectCleanAnswer, hostileSegment, hostileString, hostileValue, isRejected, jsonPayload, mutatedBody, RUNS } from './hostile-inputs.js';

const LISTS = ['/api/entities/', '/api/feature-groups/', '/api/features/', '/api/data-sources/', '/api/transforms/'];

describe('registry routes under hostile input', { timeout: 600_000 }, () => {
  let s: TestService;
  let sourceDir: string;

  const send = (method: 'POST' | 'PUT', url: string, body: unknown) =>
    s.app.inject({ method, url, payload: jsonPayload(body), headers: { 'content-type': 'application/json' } });

  /** The last request sent: a list that stops answering names what it came after. */
  let lastRequest = '(none yet)';

  /** Every registry list, as the API shows it: what "unchanged" is measured against. Each must answer. */
  const snapshot = async () =>
    Promise.all(
      LISTS.map(async (url) => {
        const res = await s.get(`${url}?include_archived=true`);
        expect(res.statusCode, `GET ${url} after ${lastRequest}: ${res.body.slice(0, 300)}`).toBe(200);
        return res.body;
      }),
    );

  /** Sends one request; if it was rejected, the registry must be exactly as before. */
  async function checkRequest(method: 'POST' | 'PUT', url: string, body: unknown, unavailable: string[] = []): Promise<void> {
    const before = await snapshot();
    const res = await send(method, url, body);
    lastRequest = `${method} ${url} ${jsonPayload(body).slice(0, 500)} -> ${res.statusCode}`;
    expectCleanAnswer(res, `${method} ${url} ${jsonPayload(body).slice(0, 300)}`, unavailable);
    if (isRejected(res)) expect(await snapshot(), `${method} ${url} was rejected but changed the registry`).toEqual(before);
  }

  beforeAll(async () => {
    sourceDir = mkdtempSync(join(tmpdir(), 'fstore-prop-sources-'));
    writeFileSync(join(sourceDir, 'events.csv'), 'user_id,amount,event_time\nu1,10,2025-01-01T00:00:00Z\n');
    s = await startTestService(undefined, { fileSourceDirs: [sourceDir] });
    for (const [url, body] of [
      ['/api/entities/', { name: 'user', description: 'A customer' }],
      ['/api/feature-groups/', { name: 'profile', entity: 'user', ttl_seconds: 3600 }],
      ['/api/features/', { name: 'user_age', entity: 'user', value_type: 'INT', feature_group: 'profile' }],
      ['/api/data-sources/', { name: 'events', type: 'file', path: join(sourceDir, 'events.csv') }],
    ] as const) {
      const res = await s.post(url, body);
      expect(res.statusCode, res.body).toBe(201);
    }
  });
  afterAll(() => s.close());

  it('the snapshot sees a change, so "unchanged" below can fail', async () => {
    const before = await snapshot();
    expect((await s.post('/api/entities/', { name: 'probe_entity' })).statusCode).toBe(201);
    expect(await snapshot()).not.toEqual(before);
  });

  it('entity create and update', async () => {
    await fc.assert(
      fc.asyncProperty(mutatedBody({ name: 'account', join_key: 'account_id', description: 'An account', tags: ['core'] }), (body) =>
        checkRequest('POST', '/api/entities/', body),
      ),
      { numRuns: RUNS },
    );
    await fc.assert(
      fc.asyncProperty(mutatedBody({ description: 'Updated', tags: ['x'], join_key: 'user_id' }), (body) => checkRequest('PUT', '/api/entities/user', body)),
      { numRuns: RUNS },
    );
  });

  it('feature group create and update', async () => {
    await fc.assert(
      fc.asyncProperty(mutatedBody({ name: 'activity', entity: 'user', description: 'd', owner: 'o', tags: ['t'], ttl_seconds: 60, online: true, source: null }), (body) =>
        checkRequest('POST', '/api/feature-groups/', body),
      ),
      { numRuns: RUNS },
    );
    await fc.assert(
      fc.asyncProperty(mutatedBody({ description: 'd', ttl_seconds: 120, online: false, tags: [] }), (body) => checkRequest('PUT', '/api/feature-groups/profile', body)),
      { numRuns: RUNS },
    );
  });

  it('feature create and update', async () => {
    await fc.assert(
      fc.asyncProperty(
        mutatedBody({
          name: 'user_score',
          entity: 'user',
          value_type: 'FLOAT',
          feature_type: 'NUMERIC',
          feature_group: 'profile',
          description: 'd',
          validation: { min: 0, max: 1, action: 'reject' },
        }),
        (body) => checkRequest('POST', '/api/features/', body),
      ),
      { numRuns: RUNS },
    );
    await fc.assert(
      fc.asyncProperty(mutatedBody({ description: 'd', value_type: 'INT', validation: { min: 0, action: 'reject' }, tags: ['a'] }), (body) =>
        checkRequest('PUT', '/api/features/user_age', body),
      ),
      { numRuns: RUNS },
    );
  });

  it('hostile names in the URL of every registry kind', async () => {
    const kinds = fc.constantFrom('entities', 'feature-groups', 'features', 'data-sources', 'transforms');
    await fc.assert(
      fc.asyncProperty(kinds, hostileSegment, fc.constantFrom('GET', 'PUT', 'DELETE', 'POST'), async (kind, name, method) => {
        const url = method === 'POST' ? `/api/${kind}/${name}/restore` : `/api/${kind}/${name}`;
        const before = await snapshot();
        const res = await s.app.inject({ method, url, ...(method === 'PUT' ? { payload: '{"description":"x"}', headers: { 'content-type': 'application/json' } } : {}) });
        expectCleanAnswer(res, `${method} ${url.slice(0, 300)}`);
        if (isRejected(res)) expect(await snapshot()).toEqual(before);
      }),
      { numRuns: RUNS },
    );
  });

  it('data source create: hostile paths, connections, tables and queries', async () => {
    const path = fc.oneof(
      hostileString,
      fc.constantFrom(join(sourceDir, '..', 'x.csv'), join(sourceDir, '*', 'x.csv'), `${sourceDir}/../../etc/passwd`, '/etc/passwd', '/proc/self/environ', join(sourceDir, "it's.csv")),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          mutatedBody({ name: 'more_events', type: 'file', path: join(sourceDir, 'events.csv'), format: 'csv' }),
          path.map((p) => ({ name: 'more_events', type: 'file', path: p })),
          fc.tuple(hostileString, hostileString).map(([table, connection]) => ({ name: 'pg_events', type: 'postgres', connection, table })),
          hostileValue.map((query) => ({ name: 'pg_events', type: 'postgres', connection: 'env:FSTORE_PROPERTY_NO_SUCH_VARIABLE', query })),
          hostileString.map((group) => ({ name: 'fg_events', type: 'feature_group', feature_group: group })),
        ),
        // A PostgreSQL source that cannot be reached (or whose env: variable is unset) is a 502.
        (body) => checkRequest('POST', '/api/data-sources/', body, ['FSTORE_SOURCE_UNAVAILABLE']),
      ),
      { numRuns: RUNS },
    );
  });

  it('definitions plan never writes, whatever the bundle', async () => {
    const object = fc.dictionary(fc.constantFrom('name', 'entity', 'value_type', 'type', 'path', 'code', 'sources', 'feature_group', '__proto__', 'constructor'), hostileValue, {
      maxKeys: 5,
    });
    const bundle = fc.record(
      { entities: fc.array(object, { maxLength: 3 }), feature_groups: fc.array(object, { maxLength: 3 }), features: fc.array(object, { maxLength: 3 }), data_sources: fc.array(object, { maxLength: 2 }), transforms: fc.array(object, { maxLength: 2 }) },
      { requiredKeys: [] },
    );
    await fc.assert(
      fc.asyncProperty(fc.oneof(bundle.map((b) => ({ bundle: b, prune: true })), mutatedBody({ bundle: { entities: [{ name: 'user' }] }, prune: false })), async (body) => {
        const before = await snapshot();
        const res = await send('POST', '/api/definitions/plan', body);
        expectCleanAnswer(res, `POST /api/definitions/plan ${jsonPayload(body).slice(0, 300)}`);
        expect(await snapshot()).toEqual(before);
      }),
      { numRuns: RUNS },
    );
  });
});
