import { afterAll, beforeAll } from 'vitest';
import { Redis } from 'ioredis';
import { MongoRegistryStore } from '../../src/storage/mongo/mongo-registry-store.js';
import { PostgresOfflineStore } from '../../src/storage/postgres/postgres-offline-store.js';
import { RedisOnlineStore } from '../../src/storage/redis/redis-online-store.js';
import { offlineStoreConformance } from '../conformance/offline-store-suite.js';
import { onlineStoreConformance } from '../conformance/online-store-suite.js';
import { registryStoreConformance } from '../conformance/registry-store-suite.js';
import { freshMongoDatabase, freshPostgresDatabase, redisUrlForDb } from './service-urls.js';

// The same conformance suites as the embedded adapters, against the real servers.
const pgDb = freshPostgresDatabase();
const mongoDb = freshMongoDatabase();
const redisUrl = redisUrlForDb(3);

beforeAll(async () => {
  const redis = new Redis(redisUrl);
  await redis.flushdb();
  redis.disconnect();
});
afterAll(async () => {
  await (await pgDb).drop();
  await (await mongoDb).drop();
});

onlineStoreConformance('Redis', () => RedisOnlineStore.open(redisUrl));
offlineStoreConformance('PostgreSQL', async () => PostgresOfflineStore.open((await pgDb).url));
registryStoreConformance('MongoDB-compatible (FerretDB in CI)', async () => MongoRegistryStore.open((await mongoDb).url));
