import { describe, expect, it } from 'vitest';
import { ConfigError } from '../src/config/load-config.js';
import { openOnline } from '../src/storage/open-stores.js';
import { redactUrl } from '../src/storage/redact-url.js';
import { CLUSTER_SLOTS, isRedisClusterUrl, keySlot, parseRedisClusterUrl, slotTag } from '../src/storage/redis/redis-cluster-url.js';
import { clusterHashKey, clusterIndexKey, hashKey, indexKey } from '../src/storage/redis/redis-online-store.js';

// No server: the URL form, its errors, and the slot arithmetic (checked against a real cluster's
// CLUSTER KEYSLOT in service/test/services/redis-cluster-store.test.ts).
describe('Redis Cluster URL', () => {
  it('lists the seed nodes, with TLS and credentials', () => {
    expect(parseRedisClusterUrl('redis+cluster://127.0.0.1:7001,127.0.0.1:7002,cache-3:7003')).toEqual({
      nodes: [
        { host: '127.0.0.1', port: 7001 },
        { host: '127.0.0.1', port: 7002 },
        { host: 'cache-3', port: 7003 },
      ],
      tls: false,
      username: undefined,
      password: undefined,
      redacted: 'redis+cluster://127.0.0.1:7001,127.0.0.1:7002,cache-3:7003',
    });
    const tls = parseRedisClusterUrl('REDISS+CLUSTER://app:p%40ss:w@h1:6380,[::1]:6381,h3/0');
    expect(tls).toMatchObject({ tls: true, username: 'app', password: 'p@ss:w' });
    expect(tls.nodes).toEqual([
      { host: 'h1', port: 6380 },
      { host: '::1', port: 6381 },
      { host: 'h3', port: 6379 },
    ]);
    expect(tls.redacted).toBe('rediss+cluster://***@h1:6380,[::1]:6381,h3/0');
    expect(parseRedisClusterUrl('redis+cluster://:secret@h1:7001')).toMatchObject({ username: undefined, password: 'secret' });
    expect(isRedisClusterUrl('redis+cluster://h:1')).toBe(true);
    expect(isRedisClusterUrl('rediss+cluster://h:1')).toBe(true);
    expect(isRedisClusterUrl('redis://h:1')).toBe(false);
  });

  it.each([
    ['redis+cluster://', /no node given/],
    ['redis+cluster://h1:7001,,h2:7002', /'' is not host:port/],
    ['redis+cluster://h1:70x1', /'h1:70x1' has no valid port/],
    ['redis+cluster://h1:0', /no valid port/],
    ['redis+cluster://h1:65536', /no valid port/],
    ['redis+cluster://h1:7001/3', /only database 0, not '3'/],
    ['redis+cluster://h1:7001?password=x', /no query parameters/],
    ['redis+cluster://u:%zz@h1:7001', /percent-encoding/],
    ['redis+clusterx://h1:7001', /not a valid Redis Cluster URL/],
  ])('refuses %s with a config error naming FSTORE_ONLINE_STORE', (url, message) => {
    let error: unknown;
    try {
      parseRedisClusterUrl(url);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toContain('FSTORE_ONLINE_STORE');
    expect((error as Error).message).toMatch(message);
    expect((error as Error).message).not.toContain('%zz');
  });

  it('fails opening the store before any connection, without printing the password', async () => {
    const error = await openOnline('redis+cluster://app:s3cret@h1:7001/5', '/nonexistent', 500).catch((err: unknown) => err);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toBe("'onlineStore' (FSTORE_ONLINE_STORE) is redis+cluster://***@h1:7001/5: a Redis Cluster has only database 0, not '5'");
    const other = await openOnline('memcached://h1', '/nonexistent', 500).catch((err: unknown) => err);
    expect((other as Error).message).toContain('redis+cluster://host1:port,host2:port');
  });

  it('redacts host lists that URL does not parse', () => {
    expect(redactUrl('redis+cluster://app:s3cret@h1:7001,h2:7002')).toBe('redis+cluster://***@h1:7001,h2:7002');
    expect(redactUrl('redis+cluster://h1:7001,h2:7002')).toBe('redis+cluster://h1:7001,h2:7002');
    expect(redactUrl('redis+cluster://h1:7001,h2:7002/?password=s3cret')).toBe('redis+cluster://h1:7001,h2:7002/?password=***');
  });
});

describe('Redis Cluster slots', () => {
  it('computes CLUSTER KEYSLOT, hash tags included', () => {
    // Values from Redis (CLUSTER KEYSLOT) and its cluster specification.
    expect(keySlot('foo')).toBe(12182);
    expect(keySlot('k')).toBe(7629);
    expect(keySlot('fs:v1:e:g:{k}')).toBe(7629);
    expect(keySlot('{user1000}.following')).toBe(keySlot('user1000'));
    expect(keySlot('foo{}{bar}')).toBe(keySlot('foo{}{bar}')); // empty first tag: the whole key
    expect(keySlot('foo{}{bar}')).not.toBe(keySlot('bar'));
    expect(keySlot('foo{{bar}}zap')).toBe(keySlot('{bar'));
  });

  it('has a hash tag for every slot', () => {
    for (let slot = 0; slot < CLUSTER_SLOTS; slot++) expect(keySlot(`x{${slotTag(slot)}}`)).toBe(slot);
  });

  it('puts every key of one (entity, group, entity key) in one slot, and keeps the single-node layout', () => {
    for (const entityKey of ['42', 'user:1/ç "quoted" ☃', 'a}b', '', '{x}']) {
      const hash = clusterHashKey('customer', 'profile', entityKey);
      const slot = keySlot(hash);
      expect(keySlot(clusterIndexKey('customer', 'profile', slot))).toBe(slot);
    }
    // Every group of one entity key shares the slot (the key is the hash tag).
    expect(keySlot(clusterHashKey('customer', 'profile', '42'))).toBe(keySlot(clusterHashKey('customer', 'orders', '42')));
    // A single Redis keeps the layout of the data it already stores.
    expect(hashKey('customer', 'profile', '42')).toBe('fs:v1:customer:profile:42');
    expect(indexKey('customer', 'profile')).toBe('fs:v1:idx:customer:profile');
  });
});

describe('keySlot', () => {
  it('gives the same slot on its ASCII path as on its UTF-8 path', () => {
    expect(keySlot('user:1/ç "quoted" ☃')).toBe(keySlotOfBytes('user:1/ç "quoted" ☃'));
    for (const key of ['', '{', '}', '{}', 'a{b}c', 'a{}b}', 'fs:v1:e:g:{user-7}', 'x{0}', 'é{é}']) expect(keySlot(key), key).toBe(keySlotOfBytes(key));
  });
});

/** The reference: CRC16-XMODEM over the UTF-8 bytes of the hash tag or key, bit by bit. */
function keySlotOfBytes(key: string): number {
  let bytes = Buffer.from(key, 'utf8');
  const open = bytes.indexOf(0x7b);
  const close = open >= 0 ? bytes.indexOf(0x7d, open + 1) : -1;
  if (close > open + 1) bytes = bytes.subarray(open + 1, close);
  let crc = 0;
  for (const byte of bytes) {
    crc ^= byte << 8;
    for (let b = 0; b < 8; b++) crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
  }
  return crc % 16384;
}
