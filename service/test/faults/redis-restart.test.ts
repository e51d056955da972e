import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestService, type TestService } from '../helpers.js';
import { privateRedis, type PrivateServer } from './private-servers.js';
import { sustained, type Outcome } from './sustained-load.js';

/** Reads that hang longer than this count as hung: a bound for "it returned", not a performance target. */
const HANG_BOUND_MS = 10_000;
const KEYS = Array.from({ length: 20 }, (_, i) => `u${i}`);

/**
 * Redis (the online store) is killed and restarted while FStore serves a continuous stream of
 * online reads. Redis runs with the append-only file (fsync always), so its data survives.
 */
describe('Redis restart during sustained serving', () => {
  let redis: PrivateServer;
  let s: TestService;
  const read = async (): Promise<Outcome> => {
    const res = await s.post('/api/online/features', { entity: 'usuario', entity_keys: KEYS, feature_list: ['idade'] });
    const body = res.json();
    if (res.statusCode === 200) {
      const present = (body.results as { features: { idade: { status: string } } }[]).every((r) => r.features.idade.status === 'PRESENT');
      return { status: 200, code: present ? 'PRESENT' : 'NOT_PRESENT' };
    }
    return { status: res.statusCode, code: body.error?.code, message: body.error?.message };
  };

  beforeAll(async () => {
    redis = await privateRedis({ durable: true });
    s = await startTestService(undefined, { onlineStore: redis.url });
    const rows = KEYS.map((k, i) => ({ usuario_id: k, usuario_idade: 20 + i }));
    expect((await s.post('/api/ingest/usuario/demografia', { rows })).statusCode).toBe(200);
  });
  afterAll(async () => {
    await s?.close();
    await redis?.destroy();
  });

  it('answers every read during the outage with a prompt 503 naming Redis, and recovers by itself', async () => {
    const load = sustained(read, 4, HANG_BOUND_MS);
    await load.until((o) => o.filter((x) => x.status === 200).length >= 20);
    await redis.kill(); // kill -9: connections reset, no goodbye
    await load.until((o) => o.filter((x) => x.status === 503).length >= 20);
    const beforeRestart = load.outcomes.length;
    await redis.start();
    // Recovery is automatic: no FStore restart, no request from the operator.
    await load.until((o) => o.slice(beforeRestart).filter((x) => x.status === 200).length >= 50, 60);
    const outcomes = await load.stop();

    expect(load.hung, 'reads that did not return within the hang bound').toBe(0);
    const failures = outcomes.filter((o) => o.status !== 200);
    expect(failures.length).toBeGreaterThanOrEqual(20);
    for (const f of failures) {
      expect(f).toMatchObject({ status: 503, code: 'FSTORE_BACKEND_UNAVAILABLE' });
      expect(f.message).toMatch(/^Redis is unavailable/);
    }
    // Every successful read saw every value: the durable Redis kept them across the kill.
    expect(outcomes.filter((o) => o.status === 200).every((o) => o.code === 'PRESENT')).toBe(true);
    // Steady again once the first read succeeds after the restart. A read can still hit the 2 s
    // command timeout now and then in the seconds after the restart (seen about one run in four,
    // a clean 503 as checked above; docs/operations.md), so this is a share rather than "every
    // read": a stuck connection or flapping would fail it.
    const afterRecovery = outcomes.slice(beforeRestart).slice(outcomes.slice(beforeRestart).findIndex((o) => o.status === 200));
    const lateFailures = afterRecovery.filter((o) => o.status !== 200).length;
    expect(lateFailures, `failures among ${afterRecovery.length} reads after recovery`).toBeLessThanOrEqual(afterRecovery.length * 0.1);
    expect((await s.get('/health')).statusCode).toBe(200);
  });

  it('keeps /health answering while Redis is down, and ingestion refuses with the same clear error', async () => {
    await redis.stop();
    try {
      expect((await s.get('/health')).statusCode).toBe(200);
      const ingest = await s.post('/api/ingest/usuario/demografia', { rows: [{ usuario_id: 'u99', usuario_idade: 99 }] });
      expect(ingest.statusCode).toBe(503);
      expect(ingest.json().error.code).toBe('FSTORE_BACKEND_UNAVAILABLE');
    } finally {
      await redis.start();
    }
  });
});
