/**
 * Schema validation everywhere: every route of the OpenAPI document (generated from the schemas
 * Fastify validates with) bounds its path parameters, and every POST/PUT validates its body, unless
 * it is one of the listed routes that take no body or a raw file.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestService, type TestService } from './helpers.js';

/** POST routes without a JSON body schema, and why that is right. */
const WITHOUT_BODY_SCHEMA: Record<string, string> = {
  'POST /api/entities/{name}/restore': 'no body',
  'POST /api/feature-groups/{name}/restore': 'no body',
  'POST /api/features/{name}/restore': 'no body',
  'POST /api/data-sources/{name}/restore': 'no body',
  'POST /api/transforms/{name}/restore': 'no body',
  'POST /api/feature-services/{name}/restore': 'no body',
  'POST /api/data-sources/{name}/refresh': 'no body',
  'POST /api/jobs/{id}/cancel': 'no body',
  'POST /api/monitoring/evaluate': 'no body',
  'POST /api/monitoring/alerts/{id}/ack': 'no body',
  'POST /api/connections/{name}/test': 'no body',
  'POST /api/uploads/': 'a raw file or multipart body, streamed to disk under maxBodyBytes (hardening-limits.test.ts)',
  'POST /api/ingest/{entity}/{feature_group}/upload': 'a raw file or multipart body, streamed to disk under maxBodyBytes',
  'POST /api/jobs/ingest/{entity}/{feature_group}': 'a raw file, or JSON {path, format?} checked by fileSourceOf and resolveFileSource',
};

interface Operation {
  parameters?: { in: string; name: string; schema?: Record<string, unknown> }[];
  requestBody?: { content: Record<string, { schema: Record<string, unknown> }> };
}

describe('schema validation on every route', () => {
  let s: TestService;
  let operations: [string, Operation][];

  beforeAll(async () => {
    s = await startTestService();
    const doc = (await s.get('/openapi.json')).json() as { paths: Record<string, Record<string, Operation>> };
    operations = Object.entries(doc.paths).flatMap(([path, ops]) => Object.entries(ops).map(([method, op]) => [`${method.toUpperCase()} ${path}`, op] as [string, Operation]));
  });
  afterAll(() => s.close());

  it('sees the routes (so the checks below are not vacuous)', () => {
    expect(operations.length).toBeGreaterThan(60);
    expect(operations.map(([route]) => route)).toContain('POST /api/ingest/{entity}/{feature_group}');
  });

  it('bounds every path parameter: a length limit, an enum or an integer', () => {
    const unbounded = operations.flatMap(([route, op]) => {
      const declared = new Map((op.parameters ?? []).filter((p) => p.in === 'path').map((p) => [p.name, p.schema ?? {}]));
      const inPath = [...route.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!);
      return inPath
        .filter((name) => {
          const schema = declared.get(name);
          return schema === undefined || !(typeof schema['maxLength'] === 'number' || Array.isArray(schema['enum']) || schema['type'] === 'integer');
        })
        .map((name) => `${route}: ${name}`);
    });
    expect(unbounded).toEqual([]);
  });

  it('validates the body of every POST and PUT, strictly (unknown fields are rejected)', () => {
    const writes = operations.filter(([route]) => route.startsWith('POST ') || route.startsWith('PUT '));
    const missing = writes.filter(([route, op]) => !op.requestBody && !(route in WITHOUT_BODY_SCHEMA)).map(([route]) => route);
    expect(missing).toEqual([]);
    const loose = writes
      .filter(([, op]) => op.requestBody)
      .filter(([, op]) => {
        const schema = op.requestBody!.content['application/json']?.schema ?? {};
        return schema['type'] === 'object' && schema['additionalProperties'] !== false;
      })
      .map(([route]) => route);
    expect(loose).toEqual([]);
    // The list above must not go stale: every route in it exists and really has no body schema.
    const stale = Object.keys(WITHOUT_BODY_SCHEMA).filter((route) => !writes.some(([r, op]) => r === route && !op.requestBody));
    expect(stale).toEqual([]);
  });

  it('rejects an unknown field and a wrong type with the field named', async () => {
    const unknown = await s.post('/api/entities/', { name: 'user', is_admin: true });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().error).toMatchObject({ code: 'FSTORE_VALIDATION_FAILED', message: "body: unknown field 'is_admin'" });
    const wrongType = await s.post('/api/online/features', { entity: 'user', entity_keys: 'u1', feature_list: [{}] });
    expect(wrongType.statusCode).toBe(400);
    expect(wrongType.json().error.message).toMatch(/feature_list\/0/);
  });

  it('refuses numbers that only type coercion made infinite ("Infinity", "1e400"), in bodies and query strings', async () => {
    // Ajv coerces these strings to Infinity, which then passes `maximum` and `integer`. Query
    // strings are coerced, so the finite-number check refuses them there; a JSON body is validated
    // without coercion (validator-compilers.ts), so the text is refused as not an integer.
    const groups = (await s.get('/api/feature-groups/')).body;
    for (const ttl of ['Infinity', '-Infinity', '1e400']) {
      const res = await s.post('/api/feature-groups/', { name: 'sessions', entity: 'user', ttl_seconds: ttl });
      expect(res.statusCode).toBe(400);
      expect(res.json().error).toMatchObject({ code: 'FSTORE_VALIDATION_FAILED', message: expect.stringMatching(/^body\/ttl_seconds: must be integer/) });
    }
    expect((await s.get('/api/feature-groups/')).body).toBe(groups);
    const query = await s.get('/api/jobs/?limit=Infinity');
    expect(query.statusCode).toBe(400);
    expect(query.json().error.message).toBe('querystring/limit: must be a finite number');
    // Ordinary coercion still works: "5" is 5.
    expect((await s.get('/api/jobs/?limit=5')).statusCode).toBe(200);
  });

  it('answers a URL name past the router limit with the error shape, not the framework default', async () => {
    const res = await s.app.inject({ method: 'DELETE', url: `/api/entities/${'a'.repeat(101)}` });
    expect(res.statusCode).toBe(414);
    expect(res.json()).toEqual({ error: { code: 'FSTORE_VALIDATION_FAILED', message: 'A name in the URL is longer than the 100 characters allowed', request_id: res.headers['x-request-id'] } });
  });
});
