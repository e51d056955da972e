import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestService, type TestService } from '../helpers.js';

const ROOT = resolve(import.meta.dirname, '../../..');
const services = (action: 'up' | 'down') =>
  execFileSync('bash', [`scripts/services/${action}.sh`, 'redis'], { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'], timeout: 60_000 });

/** Redis goes away while FStore serves: clean, fast 503s, then recovery without restarting FStore. */
describe('Redis outage', () => {
  let s: TestService;
  const read = () => s.post('/api/online/features', { entity: 'usuario', entity_keys: ['u1'], feature_list: ['idade'] });

  beforeAll(async () => {
    s = await startTestService();
    const ingest = await s.post('/api/ingest/usuario/demografia', { rows: [{ usuario_id: 'u1', usuario_idade: 30 }] });
    expect(ingest.statusCode).toBe(200);
  });
  afterAll(async () => {
    services('up'); // whatever happened, leave Redis running for the next tests
    await s.close();
  });

  it('answers 503 quickly while Redis is down and recovers by itself when it returns', async () => {
    expect((await read()).json().results[0].features.idade.status).toBe('PRESENT');
    services('down');
    const started = performance.now();
    const down = await read();
    const elapsed = performance.now() - started;
    expect(down.statusCode).toBe(503);
    expect(down.json().error.code).toBe('FSTORE_BACKEND_UNAVAILABLE');
    expect(down.json().error.message).toMatch(/^Redis is unavailable/);
    expect(elapsed).toBeLessThan(5000); // fail fast: no request queue waiting for Redis
    // Ingestion refuses too, and says why; the offline write happened before the online one and is
    // idempotent, so re-sending the batch after recovery repairs the online store.
    const ingest = await s.post('/api/ingest/usuario/demografia', { rows: [{ usuario_id: 'u2', usuario_idade: 40 }] });
    expect(ingest.statusCode).toBe(503);

    services('up');
    let recovered = await read();
    for (let i = 0; i < 100 && recovered.statusCode !== 200; i++) {
      await new Promise((r) => setTimeout(r, 200));
      recovered = await read();
    }
    expect(recovered.statusCode).toBe(200);
    const again = await s.post('/api/ingest/usuario/demografia', { rows: [{ usuario_id: 'u2', usuario_idade: 40 }] });
    expect(again.statusCode).toBe(200);
    const u2 = await s.post('/api/online/features', { entity: 'usuario', entity_keys: ['u2'], feature_list: ['idade'] });
    expect(u2.json().results[0].features.idade).toMatchObject({ value: 40, status: 'PRESENT' });
  });
});
