import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestService, type TestService } from './helpers.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** One id follows a request: the caller's X-Request-Id (or a new one), echoed, and named in errors. */
describe('request ids', () => {
  let s: TestService;
  beforeAll(async () => {
    s = await startTestService();
  });
  afterAll(() => s.close());

  it('keeps the caller’s X-Request-Id and echoes it, on success and in the error body', async () => {
    const ok = await s.app.inject({ method: 'GET', url: '/api/features/', headers: { 'x-request-id': 'trace-4bf92f3577b34da6' } });
    expect(ok.statusCode).toBe(200);
    expect(ok.headers['x-request-id']).toBe('trace-4bf92f3577b34da6');
    const failed = await s.app.inject({ method: 'GET', url: '/api/features/nope', headers: { 'x-request-id': 'trace-1' } });
    expect(failed.statusCode).toBe(404);
    expect(failed.headers['x-request-id']).toBe('trace-1');
    expect(failed.json().error).toMatchObject({ code: 'FSTORE_FEATURE_NOT_FOUND', request_id: 'trace-1' });
  });

  it('gives a request without one (or with an unusable one) a new id, different each time', async () => {
    const a = await s.get('/health');
    const b = await s.get('/health');
    expect(a.headers['x-request-id']).toMatch(UUID);
    expect(b.headers['x-request-id']).toMatch(UUID);
    expect(a.headers['x-request-id']).not.toBe(b.headers['x-request-id']);
    // Too long, or with characters that do not belong in a log line or a header: replaced.
    for (const given of ['x'.repeat(129), 'a b', 'id\u0007bell', '']) {
      const res = await s.app.inject({ method: 'GET', url: '/health', headers: { 'x-request-id': given } });
      expect(res.headers['x-request-id'], JSON.stringify(given)).toMatch(UUID);
    }
  });

  it('names the request in every error shape: validation, unknown routes, malformed URLs', async () => {
    const bad = await s.post('/api/online/features', { entity: 'usuario' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.request_id).toBe(bad.headers['x-request-id']);
    const unknown = await s.get('/api/nothing-here');
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().error.request_id).toBe(unknown.headers['x-request-id']);
    const malformed = await s.get('/api/features/%E0%A4%A');
    expect(malformed.statusCode).toBe(400);
    expect(malformed.json().error.request_id).toBe(malformed.headers['x-request-id']);
  });

  it('lets browsers read the id (CORS exposes the header)', async () => {
    const res = await s.app.inject({ method: 'GET', url: '/health', headers: { origin: 'app://fstore' } });
    expect(String(res.headers['access-control-expose-headers'])).toContain('x-request-id');
  });
});
