import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Cluster } from 'ioredis';
import { BackendUnavailableError } from '../../src/errors/app-error.js';
import { parseRedisClusterUrl, keySlot } from '../../src/storage/redis/redis-cluster-url.js';
import { clusterHashKey, clusterIndexKey, RedisOnlineStore } from '../../src/storage/redis/redis-online-store.js';
import { onlineStoreConformance } from '../conformance/online-store-suite.js';
import { requiredUrl } from './service-urls.js';

// The online store on a Redis Cluster (the local 3-master cluster of `up.sh redis-cluster`). Each
// test uses its own entity names, so no data needs clearing.
const url = requiredUrl('FSTORE_TEST_REDIS_CLUSTER');
const v = (json: string, eventTime: number) => ({ json, eventTime });

onlineStoreConformance('Redis Cluster', () => RedisOnlineStore.open(url));

describe('Redis Cluster layout', () => {
  let store: RedisOnlineStore;
  let admin: Cluster;
  const entity = `cl_${Math.random().toString(36).slice(2, 8)}`;

  beforeAll(async () => {
    store = await RedisOnlineStore.open(url);
    admin = new Cluster(parseRedisClusterUrl(url).nodes);
    await new Promise((resolve) => admin.once('ready', resolve));
  });
  afterAll(async () => {
    await store?.close();
    admin?.disconnect();
  });

  /** Keys of this test's entity on every master. */
  async function storedKeys(): Promise<string[]> {
    const keys = await Promise.all(admin.nodes('master').map((node) => node.keys(`fs:v1:*${entity}:*`)));
    return keys.flat();
  }

  it('is a cluster of three masters, described without credentials', async () => {
    expect(admin.nodes('master')).toHaveLength(3);
    expect(store.description).toBe(`Redis Cluster at ${parseRedisClusterUrl(url).redacted}`);
  });

  it("puts one entity key's hashes of every group and its index sets in one slot (CLUSTER KEYSLOT)", async () => {
    const node = admin.nodes('master')[0]!;
    for (const key of ['42', 'user:1/ç "quoted" ☃', 'a}b', '{x}', '']) {
      const slot = Number(await node.cluster('KEYSLOT', clusterHashKey(entity, 'g1', key)));
      expect(keySlot(clusterHashKey(entity, 'g1', key)), key).toBe(slot);
      if (key !== '' && !key.startsWith('{')) expect(Number(await node.cluster('KEYSLOT', clusterHashKey(entity, 'g2', key))), key).toBe(slot);
      expect(Number(await node.cluster('KEYSLOT', clusterIndexKey(entity, 'g1', slot))), key).toBe(slot);
    }
  });

  it('writes and reads back a batch spanning many slots on every node, two groups, then deletes one group', async () => {
    const keys = Array.from({ length: 20_000 }, (_, i) => `user-${i}`);
    // Group b has a TTL: its values are recent, else Redis would expire them physically at once.
    const now = Date.now();
    const slots = new Set(keys.map((k) => keySlot(clusterHashKey(entity, 'a', k))));
    expect(slots.size).toBeGreaterThan(10_000);
    expect(await store.write({ entity, group: 'a', ttlSeconds: null }, keys.map((entityKey, i) => ({ entityKey, values: { x: v(String(i), 1000 + i), y: v('"y"', 5) } })))).toBe(40_000);
    expect(await store.write({ entity, group: 'b', ttlSeconds: 3600 }, keys.map((entityKey, i) => ({ entityKey, values: { z: v(`${-i}`, now) } })))).toBe(20_000);
    // The older half of a re-sent batch is refused key by key, across slots.
    expect(await store.write({ entity, group: 'a', ttlSeconds: null }, keys.map((entityKey, i) => ({ entityKey, values: { x: v('"old"', i % 2 ? 0 : 1000 + i) } })))).toBe(10_000);

    const wanted = [...keys, 'missing'];
    const result = await store.read(entity, wanted, [
      { group: 'b', features: ['z'] },
      { group: 'a', features: ['y', 'x'] },
    ]);
    keys.forEach((_, i) => {
      expect(result[i], keys[i]).toEqual([[v(`${-i}`, now)], [v('"y"', 5), i % 2 ? v(String(i), 1000 + i) : v('"old"', 1000 + i)]]);
    });
    expect(result[keys.length]).toEqual([[undefined], [undefined, undefined]]);

    // Each master holds a share of the hashes.
    const perNode = await Promise.all(admin.nodes('master').map((node) => node.dbsize()));
    for (const n of perNode) expect(n).toBeGreaterThan(0);

    await store.deleteGroup(entity, 'a');
    const left = await storedKeys();
    expect(left.filter((k) => k.includes(`${entity}:a:`))).toEqual([]);
    expect(left.filter((k) => k.startsWith(`fs:v1:${entity}:b:`))).toHaveLength(20_000);
    expect((await store.read(entity, ['user-7'], [{ group: 'a', features: ['x'] }, { group: 'b', features: ['z'] }]))[0]).toEqual([[undefined], [v('-7', now)]]);
    await store.deleteGroup(entity, 'b');
    expect(await storedKeys()).toEqual([]);
  });

  it('answers 503 (backend unavailable) while a node hangs, and works again after', async () => {
    const quick = await RedisOnlineStore.open(url, { timeoutMs: 300 });
    try {
      const keys = Array.from({ length: 200 }, (_, i) => `hang-${i}`);
      await quick.write({ entity, group: 'h', ttlSeconds: null }, keys.map((entityKey) => ({ entityKey, values: { a: v('1', 1) } })));
      const node = admin.nodes('master')[1]!;
      await node.client('PAUSE', 1500, 'ALL');
      const error = await quick.read(entity, keys, [{ group: 'h', features: ['a'] }]).catch((err: unknown) => err);
      expect(error).toBeInstanceOf(BackendUnavailableError);
      const deadline = Date.now() + 15_000;
      let result: unknown;
      while (Date.now() < deadline) {
        result = await quick.read(entity, keys, [{ group: 'h', features: ['a'] }]).catch((err: unknown) => err);
        if (Array.isArray(result)) break;
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
      expect(result).toEqual(keys.map(() => [[v('1', 1)]]));
      await store.deleteGroup(entity, 'h');
    } finally {
      await quick.close();
    }
  });
});
