import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestService, type TestService } from './helpers.js';

describe('/metrics', () => {
  let s: TestService;
  beforeAll(async () => {
    s = await startTestService();
  });
  afterAll(() => s.close());

  it('exposes request latency per route in the Prometheus text format', async () => {
    await s.get('/health');
    await s.get('/api/features/');
    const res = await s.get('/metrics');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/plain');
    expect(res.body).toMatch(/fstore_http_request_duration_seconds_count\{method="GET",route="\/api\/features\/",status="200"\} 1/);
    expect(res.body).toContain('# TYPE fstore_kafka_consumer_lag gauge');
    // Node's default metrics unprefixed, as stock dashboards expect them.
    expect(res.body).toMatch(/^process_resident_memory_bytes \d+/m);
    expect(res.body).not.toContain('fstore_process_');
  });
});
