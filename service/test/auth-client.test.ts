import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFStoreClient, FStoreApiError, type FetchLike } from '@shared/api/client.js';
import type { IssuedApiKey } from '@shared/api/keys.js';
import { loadConfig } from '../src/config/load-config.js';
import { startServer } from '../src/server.js';
import { freshDataDir, startTestService, type TestService } from './helpers.js';

/** The shared TypeScript client with an API key, against a service with auth on. */
describe('TypeScript client with an API key', () => {
  let s: TestService;
  let key = '';
  let fetch: FetchLike;

  beforeAll(async () => {
    const dataDir = freshDataDir();
    const open = await startTestService(dataDir, { monitoringIntervalSeconds: 0 });
    key = ((await open.post('/api/keys', { name: 'ts-client', role: 'writer' })).json() as IssuedApiKey).key;
    await open.close();
    s = await startTestService(dataDir, { monitoringIntervalSeconds: 0, authEnabled: true });
    fetch = async (url, init) => {
      const res = await s.app.inject({
        method: (init?.method ?? 'GET') as 'GET',
        url: url.replace('http://fstore.test', ''),
        headers: init?.headers ?? {},
        ...(init?.body !== undefined ? { payload: init.body } : {}),
      });
      return { ok: res.statusCode < 400, status: res.statusCode, headers: { get: (n: string) => (res.headers[n.toLowerCase()] as string) ?? null }, json: async () => res.json(), text: async () => res.body };
    };
  });
  afterAll(() => s.close());

  it('sends the key on every call; without one the typed error says a key is required', async () => {
    const anonymous = createFStoreClient({ baseUrl: 'http://fstore.test', fetch });
    const error = await anonymous.entities.list().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FStoreApiError);
    expect(error).toMatchObject({ status: 401, code: 'FSTORE_UNAUTHENTICATED' });

    const client = createFStoreClient({ baseUrl: 'http://fstore.test', fetch, apiKey: key });
    const report = await client.ingestRows('cliente', 'perfil', [{ cliente_id: 'c1', cliente_idade: 30 }]);
    expect(report.values_written).toBe(1);
    const online = await client.online({ entity: 'cliente', entity_keys: ['c1'], feature_list: ['idade'] });
    expect(online.results[0]!.features['idade']).toMatchObject({ value: 30, status: 'PRESENT' });
    const archive = await client.entities.archive('cliente').catch((e: unknown) => e);
    expect(archive).toMatchObject({ status: 403, code: 'FSTORE_FORBIDDEN_ROLE' });
  });

  it('puts the key in the events URL (EventSource cannot send headers) and in authHeaders for uploads', async () => {
    const client = createFStoreClient({ baseUrl: 'http://fstore.test', fetch, apiKey: key });
    const url = client.jobs.eventsUrl('nope');
    expect(url).toBe(`http://fstore.test/api/jobs/nope/events?api_key=${encodeURIComponent(key)}`);
    const res = await s.app.inject({ method: 'GET', url: url.replace('http://fstore.test', '') });
    expect(res.json().error.code).toBe('FSTORE_JOB_NOT_FOUND');
    expect(client.authHeaders()).toEqual({ authorization: `Bearer ${key}` });
    expect(createFStoreClient({ baseUrl: 'http://fstore.test', fetch }).jobs.eventsUrl('x')).toBe('http://fstore.test/api/jobs/x/events');
  });
});

describe('network exposure', () => {
  it('reads the auth switches from the environment', () => {
    expect(loadConfig({ env: { FSTORE_AUTH: 'true', FSTORE_PUBLIC_METRICS: '1' } })).toMatchObject({ authEnabled: true, publicMetrics: true });
    expect(loadConfig({ env: {} })).toMatchObject({ authEnabled: false, publicMetrics: false });
    expect(() => loadConfig({ env: { FSTORE_AUTH: 'yes please' } })).toThrow(/'authEnabled' \(env FSTORE_AUTH\)/);
  });

  it('listens on a non-loopback address when auth is on', async () => {
    const port = await freePort();
    const config = loadConfig({ env: {}, overrides: { host: '0.0.0.0', port, logLevel: 'silent', authEnabled: true, dataDir: freshDataDir(), monitoringIntervalSeconds: 0 } });
    const { app, url } = await startServer(config);
    try {
      expect(url).toContain(`:${port}`);
      const res = await fetch(`http://127.0.0.1:${port}/api/entities/`);
      expect(res.status).toBe(401);
    } finally {
      await app.close();
    }
  });

  it('refuses a non-loopback address with auth off, naming both ways out', async () => {
    const config = loadConfig({ env: {}, overrides: { host: '0.0.0.0', port: 0, logLevel: 'silent', dataDir: freshDataDir() } });
    await expect(startServer(config)).rejects.toThrow(/Refusing to listen on 0\.0\.0\.0 with auth off.*FSTORE_AUTH=true.*FSTORE_ALLOW_UNAUTHENTICATED_REMOTE=true/);
  });
});

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}
