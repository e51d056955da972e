/**
 * The two store setups every scenario reports: the embedded defaults (LMDB, DuckDB) and the server
 * backends (Redis, PostgreSQL, the MongoDB-compatible registry) started by scripts/services/up.sh.
 * Server URLs come from the environment, else from `bash scripts/services/env.sh`; each run gets a
 * fresh PostgreSQL and MongoDB database and its Redis keys carry the run id, so runs never see
 * each other's data (nor the tests').
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import pg from 'pg';
import { redactUrl } from '../service/src/storage/redact-url.js';
import { freshMongoDatabase, freshPostgresDatabase, scratchPostgresDatabase } from '../service/test/services/service-urls.js';
import { REPO_ROOT } from './child-process.js';
import type { BenchResult } from './scenarios/types.js';

/** Unique per bench process; goes into entity names, topics and consumer groups. */
export const RUN_ID = `${Date.now().toString(36)}${randomBytes(2).toString('hex')}`;

export interface Backend {
  name: 'embedded' | 'server';
  /** What the stores are, for the results table. */
  label: string;
  /** FSTORE_* settings for the service child. */
  env: Record<string, string>;
  /** Set for the server backend: the Redis the online store uses. */
  redisUrl?: string;
  /** Drops this run's databases and Redis keys. */
  cleanup(): Promise<void>;
}

const SERVICE_VARS = ['FSTORE_ONLINE_STORE', 'FSTORE_OFFLINE_STORE', 'FSTORE_REGISTRY', 'FSTORE_KAFKA_BROKERS'] as const;
type ServiceVar = (typeof SERVICE_VARS)[number];

/** The local services' URLs: exported ones win, else what scripts/services/env.sh prints. */
export function serviceUrls(): Record<ServiceVar, string | undefined> {
  const printed: Record<string, string> = {};
  if (SERVICE_VARS.some((v) => !process.env[v])) {
    try {
      const text = execFileSync('bash', ['scripts/services/env.sh'], { cwd: REPO_ROOT, encoding: 'utf8' });
      for (const line of text.split('\n')) {
        const eq = line.indexOf('=');
        if (eq > 0) printed[line.slice(0, eq)] = line.slice(eq + 1).trim();
      }
    } catch {
      // No services script output: only exported variables count.
    }
  }
  return Object.fromEntries(SERVICE_VARS.map((v) => [v, process.env[v] || printed[v]])) as Record<ServiceVar, string | undefined>;
}

export function embeddedBackend(): Backend {
  return { name: 'embedded', label: 'embedded (LMDB + DuckDB)', env: {}, cleanup: async () => undefined };
}

/**
 * The server backend, or the reason it cannot run (a service is not configured or not reachable):
 * callers print the reason and record no figure for it.
 */
export async function serverBackend(): Promise<Backend | string> {
  const urls = serviceUrls();
  const missing = (['FSTORE_ONLINE_STORE', 'FSTORE_OFFLINE_STORE', 'FSTORE_REGISTRY'] as const).filter((v) => !urls[v]);
  if (missing.length > 0) return `${missing.join(', ')} not set (start the services: npm run services:up)`;
  const redisUrl = urls.FSTORE_ONLINE_STORE!;
  const redisProblem = await redisUnreachable(redisUrl);
  if (redisProblem) return redisProblem;
  // service-urls.ts reads the URLs from the environment.
  for (const v of SERVICE_VARS) if (urls[v]) process.env[v] = urls[v];
  let offline: Awaited<ReturnType<typeof freshPostgresDatabase>>;
  let mongo: Awaited<ReturnType<typeof freshMongoDatabase>>;
  try {
    offline = await freshPostgresDatabase();
  } catch (err) {
    return `PostgreSQL at ${urls.FSTORE_OFFLINE_STORE} is not usable: ${(err as Error).message}`;
  }
  try {
    mongo = await freshMongoDatabase();
  } catch (err) {
    await offline.drop().catch(() => undefined);
    return `the registry server at ${urls.FSTORE_REGISTRY} is not usable: ${(err as Error).message}`;
  }
  return {
    name: 'server',
    label: 'server (Redis + PostgreSQL + FerretDB)',
    env: { FSTORE_ONLINE_STORE: redisUrl, FSTORE_OFFLINE_STORE: offline.url, FSTORE_REGISTRY: mongo.url },
    redisUrl,
    async cleanup() {
      await Promise.allSettled([offline.drop(), mongo.drop(), deleteRunKeys(redisUrl)]);
    },
  };
}

/** Entity names of this run contain RUN_ID, and FStore's Redis keys contain the entity name. */
async function deleteRunKeys(redisUrl: string): Promise<void> {
  const redis = new Redis(redisUrl);
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `fs:v1:*${RUN_ID}*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length > 0) await redis.unlink(...keys);
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}

/**
 * Both backends (the server one only when reachable); prints why the server one is left out.
 * `BENCH_BACKENDS=embedded` (or `server`) runs only that one, e.g. while profiling.
 */
export async function allBackends(scenario: string): Promise<Backend[]> {
  const backends = wantsBackend('embedded') ? [embeddedBackend()] : [];
  if (!wantsBackend('server')) return backends;
  const server = await serverBackend();
  if (typeof server === 'string') reportSkipped(scenario, server);
  else backends.push(server);
  return backends;
}

/** Runs a scenario on each backend of this run, cleaning each one up after it. */
export async function onEachBackend(scenario: string, run: (backend: Backend) => Promise<BenchResult[]>): Promise<BenchResult[]> {
  const results: BenchResult[] = [];
  for (const backend of await allBackends(scenario)) {
    try {
      results.push(...(await run(backend)));
    } finally {
      await backend.cleanup();
    }
  }
  return results;
}

/** Whether this run includes the backend: `BENCH_BACKENDS=embedded` (or `server`) runs only that one. */
export function wantsBackend(kind: 'embedded' | 'server'): boolean {
  const only = process.env['BENCH_BACKENDS']?.split(',').map((s) => s.trim());
  return !only || only.includes(kind);
}

/** Prints why a server variant records no figure. */
export function reportSkipped(scenario: string, reason: string): void {
  process.stderr.write(`bench: ${scenario} (server): skipped, no figure recorded: ${reason}\n`);
}

/** Why Redis at `url` cannot be used, or undefined when it answers. */
async function redisUnreachable(url: string): Promise<string | undefined> {
  const redis = new Redis(url, { lazyConnect: true, connectTimeout: 3000, maxRetriesPerRequest: 0, retryStrategy: () => null });
  redis.on('error', () => undefined);
  try {
    await redis.connect();
    await redis.ping();
    return undefined;
  } catch (err) {
    return `Redis at ${redactUrl(url)} is not reachable (${(err as Error).message}); start it with npm run services:up`;
  } finally {
    redis.disconnect();
  }
}

// ---- Offline and online stores only (the training, ingestion and drift scenarios drive the
// stores and their raw baselines directly, with a database of their own per run).

export interface ServerUrls {
  offline: string;
  online: string;
}

/** The server URLs, or a reason they cannot be used (printed by the caller; no figure is recorded). */
export async function serverBackends(): Promise<ServerUrls | { unavailable: string }> {
  const urls = serviceUrls();
  const offline = urls.FSTORE_OFFLINE_STORE;
  const online = urls.FSTORE_ONLINE_STORE;
  if (!offline || !online) return { unavailable: 'FSTORE_OFFLINE_STORE / FSTORE_ONLINE_STORE are not set and scripts/services/env.sh gave none' };
  const admin = new pg.Client({ connectionString: offline, connectionTimeoutMillis: 3000 });
  try {
    await admin.connect();
    await admin.query('SELECT 1');
  } catch (err) {
    return { unavailable: `PostgreSQL at ${redactUrl(offline)} is not reachable (${(err as Error).message}); start it with npm run services:up` };
  } finally {
    await admin.end().catch(() => undefined);
  }
  const redisProblem = await redisUnreachable(online);
  return redisProblem ? { unavailable: redisProblem } : { offline, online };
}

/** A fresh database on the server of `baseUrl`, dropped (with its connections) by drop(). */
export function freshBenchDatabase(baseUrl: string, label: string): Promise<{ url: string; drop(): Promise<void> }> {
  return scratchPostgresDatabase(baseUrl, `fstore_bench_${label}`);
}

/** The same Redis server on logical database `db` (the bench's keys stay apart from db 0). */
export function redisDb(url: string, db: number): string {
  const u = new URL(url);
  u.pathname = `/${db}`;
  return u.toString();
}
