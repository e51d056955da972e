import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestService, type TestService } from './helpers.js';

/**
 * A JSON body states its own types, so it is validated without coercion; query strings and URL
 * parameters are text and keep theirs (validator-compilers.ts). Before, one coercing validator
 * took "3600" for an integer and ["x"] for a `null | text` field in bodies too.
 */
describe('request validation by part', () => {
  let s: TestService;
  beforeAll(async () => {
    s = await startTestService();
  });
  afterAll(() => s.close());

  it('a body value of another type is a 400 naming the field, and nothing is written', async () => {
    for (const [field, value] of [
      ['ttl_seconds', '3600'],
      ['ttl_seconds', true],
      ['description', 42],
      ['tags', 'one-tag'],
      ['source', ['x']],
    ] as const) {
      const res = await s.post('/api/entities/', { name: 'cliente' });
      expect(res.statusCode).toBeLessThan(500);
      const group = await s.post('/api/feature-groups/', { name: 'grupo_tipado', entity: 'cliente', [field]: value });
      expect(group.statusCode, `${field}=${JSON.stringify(value)}: ${group.body}`).toBe(400);
      expect(group.json().error.message).toContain(`body/${field}`);
    }
    expect((await s.get('/api/feature-groups/grupo_tipado')).statusCode).toBe(404);
    const ok = await s.post('/api/feature-groups/', { name: 'grupo_tipado', entity: 'cliente', ttl_seconds: 3600, tags: ['a'] });
    expect(ok.statusCode, ok.body).toBe(201);
    expect(ok.json().ttl_seconds).toBe(3600);
  });

  it('query strings are still read as text and coerced: numbers, booleans and one-item lists', async () => {
    const audit = await s.get('/api/audit?limit=1');
    expect(audit.statusCode, audit.body).toBe(200);
    expect(audit.json()).toHaveLength(1);
    expect((await s.get('/api/audit?limit=abc')).statusCode).toBe(400);
    const archived = await s.get('/api/feature-groups/?include_archived=true');
    expect(archived.statusCode, archived.body).toBe(200);
  });
});
