import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestService, type TestService } from '../helpers.js';
import { blackholeProxy, type BlackholeProxy } from './blackhole-proxy.js';
import { privatePostgres, privateRedis, type PrivateServer } from './private-servers.js';
import { sustained, type Outcome } from './sustained-load.js';

/** A request not back after this long counts as hung: a bound for "it returned", not a performance target. */
const HANG_BOUND_MS = 15_000;

/**
 * Redis and PostgreSQL stop answering without closing anything (a black-hole proxy in front of
 * each): requests must end with a clear error within the configured timeouts, the service must
 * not pile up work, and it must keep answering what does not need the hung backend.
 */
describe('hung backends (black-hole proxies in front of Redis and PostgreSQL)', () => {
  let redis: PrivateServer;
  let postgres: PrivateServer;
  let redisProxy: BlackholeProxy;
  let pgProxy: BlackholeProxy;
  let s: TestService;

  const onlineRead = async (): Promise<Outcome> => {
    const res = await s.post('/api/online/features', { entity: 'usuario', entity_keys: ['u1', 'u2'], feature_list: ['idade'] });
    return { status: res.statusCode, code: res.json().error?.code, message: res.json().error?.message };
  };
  const trainingRead = async (): Promise<Outcome> => {
    const res = await s.post('/api/training/features', { entity: 'usuario', feature_list: ['idade'], start_date: '2000-01-01', end_date: '2100-01-01' });
    return { status: res.statusCode, code: res.json().error?.code, message: res.json().error?.message ?? `rows: ${res.json().row_count}` };
  };
  const health = async (): Promise<Outcome> => ({ status: (await s.get('/health')).statusCode });

  beforeAll(async () => {
    [redis, postgres] = await Promise.all([privateRedis(), privatePostgres()]);
    [redisProxy, pgProxy] = await Promise.all([blackholeProxy(redis.port), blackholeProxy(postgres.port)]);
    s = await startTestService(undefined, {
      onlineStore: `redis://127.0.0.1:${redisProxy.port}/0`,
      offlineStore: `postgres://postgres@127.0.0.1:${pgProxy.port}/postgres`,
      onlineStoreTimeoutMs: 1000,
      offlineStoreTimeoutMs: 3000,
      offlineStoreConnectTimeoutMs: 2000,
    });
    const ingest = await s.post('/api/ingest/usuario/demografia', {
      rows: [
        { usuario_id: 'u1', usuario_idade: 30 },
        { usuario_id: 'u2', usuario_idade: 40 },
      ],
    });
    expect(ingest.statusCode).toBe(200);
    expect((await onlineRead()).status).toBe(200);
    expect((await trainingRead()).status).toBe(200);
  });
  afterAll(async () => {
    await s?.close();
    await Promise.all([redisProxy?.close(), pgProxy?.close()]);
    await Promise.all([redis?.destroy(), postgres?.destroy()]);
  });

  it('fails online reads with 503 naming Redis, keeps /health answering, and recovers when Redis answers again', async () => {
    let heldBytes = 0;
    let answered = 0;
    redisProxy.blackhole();
    const reads = sustained(onlineRead, 8, HANG_BOUND_MS);
    const probes = sustained(health, 1, HANG_BOUND_MS);
    try {
      // Long enough for the first commands to reach their timeout and the client to give up on the connection.
      await reads.until((o) => o.length >= 200, 60);
      await probes.until((o) => o.length >= 20, 30);
    } finally {
      heldBytes = redisProxy.heldFromClients();
      answered = reads.outcomes.length;
      redisProxy.heal();
    }
    // Requests still in flight at heal() may succeed; judge those answered during the outage.
    const during = (await reads.stop()).slice(0, answered);
    const healthDuring = await probes.stop();
    expect(reads.hung).toBe(0);
    expect(probes.hung).toBe(0);
    expect(healthDuring.every((o) => o.status === 200)).toBe(true);
    // Nothing piled up: after the first timeouts the client gives up on the stuck connection and
    // refuses at once, rather than send every request into it (a read is ~190 bytes, so 200 of
    // them queued on the hung socket would be ~37 KB; without the fix this measured 37 200).
    expect(heldBytes).toBeLessThan(8000);
    for (const o of during) {
      expect(o).toMatchObject({ status: 503, code: 'FSTORE_BACKEND_UNAVAILABLE' });
      expect(o.message).toMatch(/^Redis is unavailable/);
    }
    const after = sustained(onlineRead, 2, HANG_BOUND_MS);
    await after.until((o) => o.filter((x) => x.status === 200).length >= 10, 60);
    await after.stop();
  });

  it('fails offline reads with 503 naming PostgreSQL within the query timeout, and recovers', async () => {
    let answered = 0;
    pgProxy.blackhole();
    const reads = sustained(trainingRead, 12, HANG_BOUND_MS); // more than the pool's connections
    const online = sustained(onlineRead, 1, HANG_BOUND_MS);
    try {
      await reads.until((o) => o.length >= 24, 60);
      await online.until((o) => o.length >= 20, 30);
    } finally {
      answered = reads.outcomes.length;
      pgProxy.heal();
    }
    const during = (await reads.stop()).slice(0, answered);
    const onlineDuring = await online.stop();
    expect(reads.hung).toBe(0);
    // Serving does not depend on PostgreSQL: online reads kept succeeding.
    expect(onlineDuring.every((o) => o.status === 200)).toBe(true);
    for (const o of during) {
      expect(o).toMatchObject({ status: 503, code: 'FSTORE_BACKEND_UNAVAILABLE' });
      expect(o.message).toMatch(/^PostgreSQL is unavailable/);
    }
    const after = sustained(trainingRead, 2, HANG_BOUND_MS);
    await after.until((o) => o.filter((x) => x.status === 200).length >= 5, 60);
    await after.stop();
  });
});
