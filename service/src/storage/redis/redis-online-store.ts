import { Redis } from 'ioredis';
import { BackendUnavailableError } from '../../errors/app-error.js';
import type { OnlineGroupTarget, OnlineReadGroup, OnlineRow, OnlineStore, StoredValue } from '../online-store.js';
import { redactUrl } from '../redact-url.js';

/**
 * Event-time-aware write of one group of many keys, one script call per chunk of keys, atomic in
 * Redis. Per key and feature, the value is replaced only when its event time is >= the stored one.
 * `_t` keeps the newest event time of each hash, which drives physical expiry (newest + TTL); reads
 * enforce the TTL exactly regardless. Physical expiry waits a grace period past the TTL so reads can
 * still answer EXPIRED (with the event time) rather than NOT_FOUND for a while.
 * KEYS[1] = group index set, KEYS[1 + k] = hash of key k.
 * ARGV = ttl_ms, grace_ms, then per key k: entity_key, n, then n times (feature, json, t).
 */
const WRITE_SCRIPT = `
local ttl = tonumber(ARGV[1])
local grace = tonumber(ARGV[2])
local applied = 0
local a = 3
for k = 2, #KEYS do
  local hash = KEYS[k]
  local entity_key = ARGV[a]
  local n = tonumber(ARGV[a + 1])
  local first = a + 2
  -- In-order writes (every incoming time at or after the hash's newest) replace every field:
  -- one HGET instead of reading each feature's time.
  local newest = tonumber(redis.call('HGET', hash, '_t') or '-1')
  local oldest_incoming = nil
  for i = 0, n - 1 do
    local t = tonumber(ARGV[first + 3 * i + 2])
    if oldest_incoming == nil or t < oldest_incoming then oldest_incoming = t end
  end
  local stored = nil
  if oldest_incoming ~= nil and oldest_incoming < newest then
    local fields = {}
    for i = 0, n - 1 do fields[#fields + 1] = 't:' .. ARGV[first + 3 * i] end
    stored = redis.call('HMGET', hash, unpack(fields))
  end
  local updates = {}
  local changed = 0
  for i = 0, n - 1 do
    local f = first + 3 * i
    local t = tonumber(ARGV[f + 2])
    local current = stored and stored[i + 1]
    if (not current) or tonumber(current) <= t then
      updates[#updates + 1] = 'v:' .. ARGV[f]
      updates[#updates + 1] = ARGV[f + 1]
      updates[#updates + 1] = 't:' .. ARGV[f]
      updates[#updates + 1] = ARGV[f + 2]
      changed = changed + 1
      if t > newest then newest = t end
    end
  end
  if changed > 0 then
    updates[#updates + 1] = '_t'
    updates[#updates + 1] = tostring(newest)
    redis.call('HSET', hash, unpack(updates))
    redis.call('SADD', KEYS[1], entity_key)
    if ttl > 0 then redis.call('PEXPIREAT', hash, newest + ttl + grace) end
  end
  applied = applied + changed
  a = first + 3 * n
end
return applied
`;

/** How long an expired group of a key is kept (to report EXPIRED) before Redis deletes it. */
const EXPIRED_GRACE_MS = 24 * 3_600_000;

/** Connect and per-command timeout unless configured (onlineStoreTimeoutMs). */
export const DEFAULT_TIMEOUT_MS = 2000;

/** Keys per write script call: small enough that one call does not stall Redis for long. */
const SCRIPT_CHUNK = 1000;

/**
 * Online store on Redis (see docs/adr/0004). Layout: one hash per (entity, group, entity key)
 * `fs:v1:{entity}:{group}:{entity_key}` with fields `v:<feature>` (JSON) and `t:<feature>`
 * (event time ms), plus a set `fs:v1:idx:{entity}:{group}` of the group's keys, so a group can be
 * read, expired and deleted without touching other groups and without scanning the keyspace.
 * Entity and group names are snake_case (validated), so `:` cannot be ambiguous; the entity key is
 * last and may contain anything.
 */
export class RedisOnlineStore implements OnlineStore {
  readonly description: string;
  private readonly redis: Redis;

  constructor(
    url: string,
    private readonly timeoutMs = DEFAULT_TIMEOUT_MS,
  ) {
    this.description = `Redis at ${redactUrl(url)}`;
    this.redis = new Redis(url, {
      // Fail fast while Redis is down (503 to the client) instead of queueing requests; ioredis
      // keeps reconnecting in the background and commands work again once it is back.
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      commandTimeout: timeoutMs,
      connectTimeout: timeoutMs,
      // A command whose caller already got its 503 must not run later, on the next connection.
      autoResendUnfulfilledCommands: false,
      retryStrategy: (attempt) => Math.min(attempt * 100, 1000),
      lazyConnect: false,
    });
    // The number of keys is given per call (the chunk's keys plus the group index).
    this.redis.defineCommand('fstoreWrite', { lua: WRITE_SCRIPT });
    // Errors surface per request; the connection-level event only needs to not crash the process.
    this.redis.on('error', () => undefined);
  }

  static async open(url: string, options: { timeoutMs?: number } = {}): Promise<RedisOnlineStore> {
    const store = new RedisOnlineStore(url, options.timeoutMs);
    await store.ready();
    return store;
  }

  private async ready(): Promise<void> {
    if (this.redis.status === 'ready') return;
    const waitMs = Math.max(10_000, this.timeoutMs);
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new BackendUnavailableError('Redis', `no connection to ${this.description} within ${waitMs / 1000} s`)), waitMs);
      this.redis.once('ready', () => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  async write(target: OnlineGroupTarget, rows: OnlineRow[]): Promise<number> {
    const ttlMs = target.ttlSeconds === null ? 0 : target.ttlSeconds * 1000;
    const index = indexKey(target.entity, target.group);
    let applied = 0;
    // One script call per chunk of keys: a batch of 50k keys is 50 round trips, not 50k commands.
    for (let start = 0; start < rows.length; start += SCRIPT_CHUNK) {
      const chunk = rows.slice(start, start + SCRIPT_CHUNK);
      const keys = [index, ...chunk.map((row) => hashKey(target.entity, target.group, row.entityKey))];
      const args: (string | number)[] = [ttlMs, Math.max(ttlMs, EXPIRED_GRACE_MS)];
      for (const row of chunk) {
        const values = Object.entries(row.values);
        args.push(row.entityKey, values.length);
        for (const [feature, value] of values) args.push(feature, value.json, value.eventTime);
      }
      applied += Number(await this.guard(() => (this.redis as unknown as { fstoreWrite(n: number, ...a: (string | number)[]): Promise<unknown> }).fstoreWrite(keys.length, ...keys, ...args)));
    }
    return applied;
  }

  async read(entity: string, entityKeys: string[], groups: OnlineReadGroup[]): Promise<(StoredValue | undefined)[][][]> {
    // One pipeline: one HMGET per (key, group), one network round trip for the whole request.
    const pipeline = this.redis.pipeline();
    const fields = groups.map(({ features }) => features.flatMap((f) => [`v:${f}`, `t:${f}`]));
    for (const key of entityKeys) {
      for (let g = 0; g < groups.length; g++) pipeline.hmget(hashKey(entity, groups[g]!.group, key), ...fields[g]!);
    }
    const results = await this.exec(pipeline);
    let i = 0;
    return entityKeys.map(() =>
      groups.map(({ features }) => {
        const fields = results[i++]![1] as (string | null)[];
        return features.map((_, f) => {
          const json = fields[2 * f];
          const t = fields[2 * f + 1];
          return json !== null && json !== undefined && t ? { json, eventTime: Number(t) } : undefined;
        });
      }),
    );
  }

  async deleteGroup(entity: string, group: string): Promise<void> {
    const index = indexKey(entity, group);
    let cursor = '0';
    do {
      const [next, members] = await this.guard(() => this.redis.sscan(index, cursor, 'COUNT', 1000));
      cursor = next;
      if (members.length > 0) await this.guard(() => this.redis.unlink(...members.map((k) => hashKey(entity, group, k))));
    } while (cursor !== '0');
    await this.guard(() => this.redis.unlink(index));
  }

  async close(): Promise<void> {
    this.redis.disconnect();
  }

  private async exec(pipeline: ReturnType<Redis['pipeline']>): Promise<[Error | null, unknown][]> {
    const results = await this.guard(() => pipeline.exec());
    if (!results) throw new BackendUnavailableError('Redis', 'the pipeline was aborted');
    const failed = results.find(([err]) => err);
    if (failed) {
      this.dropIfHung(failed[0]);
      throw toUnavailable(failed[0]);
    }
    return results;
  }

  private async guard<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      this.dropIfHung(err);
      throw toUnavailable(err);
    }
  }

  /**
   * A command timed out on an open connection: Redis is hung or the network silently drops
   * packets. Every later command would queue behind it on that socket and wait its own timeout,
   * so drop the connection: until a new one is ready, requests are refused at once (no offline
   * queue), and nothing piles up in memory.
   */
  private dropIfHung(err: unknown): void {
    if (err instanceof Error && err.message === 'Command timed out' && this.redis.status === 'ready') this.redis.disconnect(true);
  }
}

function toUnavailable(err: unknown): Error {
  if (err instanceof BackendUnavailableError) return err;
  // A reply error is Redis answering (a bug or a wrong-type key), not Redis being unreachable.
  if (err instanceof Error && err.name === 'ReplyError') return err;
  const message = err instanceof Error ? err.message : String(err);
  return new BackendUnavailableError('Redis', message);
}

export function hashKey(entity: string, group: string, entityKey: string): string {
  return `fs:v1:${entity}:${group}:${entityKey}`;
}

export function indexKey(entity: string, group: string): string {
  return `fs:v1:idx:${entity}:${group}`;
}
