import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import type { Job } from '@shared/api/jobs.js';
import { Redis } from 'ioredis';
import type { AppContext } from '../src/app-context.js';
import { buildApp, type BuildAppOptions } from '../src/http/app.js';
import type { ServiceConfig } from '../src/config/config-schema.js';
import { loadConfig } from '../src/config/load-config.js';
import { freshMongoDatabase, freshPostgresDatabase, redisUrlForDb } from './services/service-urls.js';

export interface TestService {
  app: FastifyInstance;
  /** The service's wiring, for tests that inject faults into a collaborator. */
  ctx: AppContext;
  dataDir: string;
  close(): Promise<void>;
  post(url: string, body: unknown, headers?: Record<string, string>): Promise<LightMyRequestResponse>;
  get(url: string): Promise<LightMyRequestResponse>;
  put(url: string, body: unknown, headers?: Record<string, string>): Promise<LightMyRequestResponse>;
  del(url: string): Promise<LightMyRequestResponse>;
}

export function freshDataDir(): string {
  return mkdtempSync(join(tmpdir(), 'fstore-test-'));
}

/**
 * Server-backed stores per data folder, when FSTORE_TEST_STORES=services: the same API tests then
 * run against Redis, PostgreSQL and the MongoDB-compatible server (vitest.services.config.ts).
 * A restart test reuses the data folder and so the same databases.
 */
const serverStores = new Map<string, Promise<Partial<ServiceConfig>>>();

/**
 * A Redis logical database no other test process is using: test files run in parallel worker
 * processes, so the number comes from a counter in Redis itself (databases 0-3 are left to tests
 * that pick their own). up.sh starts Redis with 1024 databases.
 */
async function nextRedisDb(): Promise<number> {
  const admin = new Redis(redisUrlForDb(0));
  try {
    const [, databases] = (await admin.config('GET', 'databases')) as [string, string];
    const n = await admin.incr('fstore:test:next-db');
    return 4 + (n % (Number(databases) - 4));
  } finally {
    admin.disconnect();
  }
}

async function storesFor(dataDir: string): Promise<Partial<ServiceConfig>> {
  if (process.env['FSTORE_TEST_STORES'] !== 'services') return {};
  let stores = serverStores.get(dataDir);
  if (!stores) {
    stores = (async () => {
      const onlineStore = redisUrlForDb(await nextRedisDb());
      const redis = new Redis(onlineStore);
      await redis.flushdb();
      redis.disconnect();
      const [pg, mongo] = await Promise.all([freshPostgresDatabase(), freshMongoDatabase()]);
      return { onlineStore, offlineStore: pg.url, registry: mongo.url };
    })();
    serverStores.set(dataDir, stores);
  }
  return stores;
}

/** The server URLs a test service on `dataDir` uses (FSTORE_TEST_STORES=services only). */
export async function serverStoresFor(dataDir: string): Promise<{ onlineStore: string; offlineStore: string; registry: string }> {
  const stores = await storesFor(dataDir);
  if (!stores.onlineStore || !stores.offlineStore || !stores.registry) throw new Error('not running with FSTORE_TEST_STORES=services');
  return stores as { onlineStore: string; offlineStore: string; registry: string };
}

/** A service on embedded stores in a temp folder (or `dataDir`, to test restarts), driven by inject(). */
export async function startTestService(dataDir = freshDataDir(), overrides: Partial<ServiceConfig> = {}, buildOptions: BuildAppOptions = {}): Promise<TestService> {
  const config = loadConfig({ env: {}, overrides: { dataDir, logLevel: (process.env['FSTORE_TEST_LOG_LEVEL'] as 'silent' | undefined) ?? 'silent', ...(await storesFor(dataDir)), ...overrides } });
  const { app, ctx } = await buildApp(config, buildOptions);
  await app.ready();
  const json = (method: 'POST' | 'PUT') => (url: string, body: unknown, headers: Record<string, string> = {}) =>
    app.inject({ method, url, payload: body as object, headers: { 'content-type': 'application/json', ...headers } });
  return {
    app,
    ctx,
    dataDir,
    close: () => app.close(),
    post: json('POST'),
    put: json('PUT'),
    get: (url) => app.inject({ method: 'GET', url }),
    del: (url) => app.inject({ method: 'DELETE', url }),
  };
}

/** The seed document's feature, verbatim. */
export const SEED_FEATURE = {
  name: 'usuario_idade',
  description: 'Idade do usuário',
  feature_type: 'NUMERIC',
  value_type: 'INT',
  entity: 'usuario',
  tags: ['demografia', 'basico'],
};

/** Polls `probe` until `done` accepts its value; fails naming `what` and the last value after `timeoutMs`. */
export async function until<T>(what: string, probe: () => Promise<T>, done: (v: T) => boolean, timeoutMs = 60_000, pollMs = 250): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last = await probe();
  while (!done(last)) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; last: ${JSON.stringify(last)}`);
    await new Promise((r) => setTimeout(r, pollMs));
    last = await probe();
  }
  return last;
}

/** Polls a job until it ends (succeeded, failed or cancelled); fails the test after `seconds`. */
export async function waitForJob(s: Pick<TestService, 'get'>, id: string, seconds = 60): Promise<Job> {
  const deadline = Date.now() + seconds * 1000;
  while (Date.now() < deadline) {
    const job = (await s.get(`/api/jobs/${id}`)).json() as Job;
    if (['succeeded', 'failed', 'cancelled'].includes(job.state)) return job;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`job ${id} did not finish in ${seconds} s`);
}

/**
 * The environment for a `fstore serve` child in tests: the caller's, without FSTORE_* settings, so
 * a shell that exported server URLs (npm run services:env) cannot point the child at them; one
 * process (FSTORE_WORKERS=1) unless the test asks for workers.
 */
export function serviceChildEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return { ...Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('FSTORE_'))), FSTORE_WORKERS: '1', ...extra };
}
