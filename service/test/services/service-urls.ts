import pg from 'pg';
import { MongoClient } from 'mongodb';

/**
 * URLs of the real servers these tests need, as printed by `npm run --silent services:env` (the
 * test command exports them). A missing URL fails the test loudly: a skipped backend test would
 * look like coverage that is not there.
 */
export function requiredUrl(name: 'FSTORE_ONLINE_STORE' | 'FSTORE_OFFLINE_STORE' | 'FSTORE_REGISTRY' | 'FSTORE_KAFKA_BROKERS' | 'FSTORE_TEST_REDIS_CLUSTER'): string {
  const url = process.env[name];
  if (!url) {
    const start = name === 'FSTORE_TEST_REDIS_CLUSTER' ? 'the local Redis Cluster (npm run services:up, or bash scripts/services/up.sh redis-cluster)' : 'the services (npm run services:up)';
    throw new Error(`${name} is not set: start ${start} and export $(npm run --silent services:env), or run npm test`);
  }
  return url;
}

/** A fresh PostgreSQL database for one test file, dropped afterwards. */
export function freshPostgresDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  return scratchPostgresDatabase(requiredUrl('FSTORE_OFFLINE_STORE'), 'fstore_test');
}

/**
 * A new database on the server of `baseUrl` named `<prefix>_<pid>_<random>`; drop() removes it with
 * its connections (also used by the benchmarks).
 */
export async function scratchPostgresDatabase(baseUrl: string, prefix: string): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `${prefix}_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
  const admin = new pg.Client({ connectionString: baseUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(baseUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const c = new pg.Client({ connectionString: baseUrl });
      await c.connect();
      try {
        await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } catch (err) {
        // FORCE may not signal an autovacuum worker (it belongs to the superuser) after a large load;
        // a plain DROP has PostgreSQL cancel autovacuum itself, once our own sessions are gone.
        if ((err as { code?: string }).code !== '42501') throw err;
        await c.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND usename = current_user AND pid <> pg_backend_pid()', [name]);
        await c.query(`DROP DATABASE IF EXISTS ${name}`);
      } finally {
        await c.end();
      }
    },
  };
}

/** A fresh MongoDB database for one test file, dropped afterwards. */
export async function freshMongoDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const base = requiredUrl('FSTORE_REGISTRY');
  const name = `fstore_test_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
  const url = new URL(base);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const client = new MongoClient(url.toString());
      await client.connect();
      await client.db().dropDatabase();
      await client.close();
    },
  };
}

/** A Redis logical database number per test file keeps keys apart (0 stays for manual use). */
export function redisUrlForDb(db: number): string {
  const url = new URL(requiredUrl('FSTORE_ONLINE_STORE'));
  url.pathname = `/${db}`;
  return url.toString();
}
