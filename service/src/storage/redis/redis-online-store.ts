import { Redis } from 'ioredis';
import { BackendUnavailableError } from '../../errors/app-error.js';
import type { OnlineGroupTarget, OnlineReadGroup, OnlineRow, OnlineStore, StoredValue } from '../online-store.js';
import { redactUrl } from '../redact-url.js';

/**
 * Event-time-aware write of one group of one key, atomic in Redis. Per feature, the value is
 * replaced only when its event time is >= the stored one. `_t` keeps the newest event time of the
 * hash, which drives physical expiry (newest + TTL); reads enforce the TTL exactly regardless.
 * Physical expiry waits a grace period past the TTL so reads can still answer EXPIRED (with the
 * event time) rather than NOT_FOUND for a while.
 * KEYS[1] = hash, KEYS[2] = group index set. ARGV = ttl_ms, entity_key, grace_ms, then (feature, json, t)*.
 */
const WRITE_SCRIPT = `
local fields = {}
for i = 4, #ARGV, 3 do fields[#fields + 1] = 't:' .. ARGV[i] end
fields[#fields + 1] = '_t'
local stored = redis.call('HMGET', KEYS[1], unpack(fields))
local newest = tonumber(stored[#stored] or '-1')
local updates = {}
local applied = 0
for i = 4, #ARGV, 3 do
  local t = tonumber(ARGV[i + 2])
  local current = stored[(i - 1) / 3]
  if (not current) or tonumber(current) <= t then
    updates[#updates + 1] = 'v:' .. ARGV[i]
    updates[#updates + 1] = ARGV[i + 1]
    updates[#updates + 1] = 't:' .. ARGV[i]
    updates[#updates + 1] = ARGV[i + 2]
    applied = applied + 1
    if t > newest then newest = t end
  end
end
if applied > 0 then
  updates[#updates + 1] = '_t'
  updates[#updates + 1] = tostring(newest)
  redis.call('HSET', KEYS[1], unpack(updates))
  redis.call('SADD', KEYS[2], ARGV[2])
  local ttl = tonumber(ARGV[1])
  if ttl > 0 then redis.call('PEXPIREAT', KEYS[1], newest + ttl + tonumber(ARGV[3])) end
end
return applied
`;

/** How long an expired group of a key is kept (to report EXPIRED) before Redis deletes it. */
const EXPIRED_GRACE_MS = 24 * 3_600_000;

/** Connect and per-command timeout unless configured (onlineStoreTimeoutMs). */
export const DEFAULT_TIMEOUT_MS = 2000;

/** Keys stay below this many per pipeline so one huge batch does not stall Redis. */
const PIPELINE_CHUNK = 1000;

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
    this.redis.defineCommand('fstoreWrite', { numberOfKeys: 2, lua: WRITE_SCRIPT });
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
    for (let start = 0; start < rows.length; start += PIPELINE_CHUNK) {
      const pipeline = this.redis.pipeline();
      for (const row of rows.slice(start, start + PIPELINE_CHUNK)) {
        const args: (string | number)[] = [ttlMs, row.entityKey, Math.max(ttlMs, EXPIRED_GRACE_MS)];
        for (const [feature, value] of Object.entries(row.values)) args.push(feature, value.json, value.eventTime);
        (pipeline as unknown as { fstoreWrite(...a: (string | number)[]): void }).fstoreWrite(
          hashKey(target.entity, target.group, row.entityKey),
          index,
          ...args,
        );
      }
      const results = await this.exec(pipeline);
      for (const [, n] of results) applied += Number(n);
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
