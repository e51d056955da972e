import { Redis } from 'ioredis';
import { Packr } from 'msgpackr';
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
 * ARGV = ttl_ms, grace_ms, then one MessagePack array with per key k: [entity_key, oldest incoming
 * event time (number), newest incoming event time (text), ['v:<feature>', json, 't:<feature>',
 * time (text), ...]]. One packed argument, decoded in C (cmsgpack) and handed to HSET as it is: the
 * client encodes one buffer instead of three arguments per value, and the script builds no strings
 * for in-order keys. Times go as text because Redis formats every Lua number it is handed with
 * %.17g, which doubled the script's time (see docs/adr/0004).
 */
const WRITE_SCRIPT = `
local ttl = tonumber(ARGV[1])
local grace = tonumber(ARGV[2])
local items = cmsgpack.unpack(ARGV[3])
local applied = 0
local members = {}
for k = 1, #items do
  local item = items[k]
  local hash = KEYS[k + 1]
  local fields = item[4]
  local n = #fields
  local newest = tonumber(redis.call('HGET', hash, '_t') or '-1')
  local changed = 0
  local latest = newest
  if item[2] >= newest then
    -- In order (every incoming time at or after the hash's newest): every field is replaced,
    -- without reading each feature's stored time.
    latest = tonumber(item[3])
    fields[n + 1] = '_t'
    fields[n + 2] = item[3]
    redis.call('HSET', hash, unpack(fields))
    changed = n / 4
  else
    local names = {}
    for i = 3, n, 4 do names[#names + 1] = fields[i] end
    local stored = redis.call('HMGET', hash, unpack(names))
    local updates = {}
    for j = 1, #names do
      local t = tonumber(fields[4 * j])
      local current = stored[j]
      if (not current) or tonumber(current) <= t then
        updates[#updates + 1] = fields[4 * j - 3]
        updates[#updates + 1] = fields[4 * j - 2]
        updates[#updates + 1] = fields[4 * j - 1]
        updates[#updates + 1] = fields[4 * j]
        changed = changed + 1
        if t > latest then latest = t end
      end
    end
    if changed > 0 then
      updates[#updates + 1] = '_t'
      updates[#updates + 1] = string.format('%d', latest)
      redis.call('HSET', hash, unpack(updates))
    end
  end
  if changed > 0 then
    members[#members + 1] = item[1]
    if ttl > 0 then redis.call('PEXPIREAT', hash, string.format('%d', latest + ttl + grace)) end
  end
  applied = applied + changed
end
-- unpack() is bounded by Lua's C stack: add the index members in slices.
for s = 1, #members, 4000 do
  redis.call('SADD', KEYS[1], unpack(members, s, math.min(s + 3999, #members)))
end
return applied
`;

/** Plain MessagePack (no msgpackr record extension), which Redis's cmsgpack decodes. */
const packr = new Packr({ useRecords: false });

/** The write script, defined on the connection. */
type ScriptedRedis = Redis & { fstoreWrite(numKeys: number, ...args: (string | number | Buffer)[]): Promise<unknown> };

/** How long an expired group of a key is kept (to report EXPIRED) before Redis deletes it. */
const EXPIRED_GRACE_MS = 24 * 3_600_000;

/** Connect and per-command timeout unless configured (onlineStoreTimeoutMs). */
export const DEFAULT_TIMEOUT_MS = 2000;

/** Keys per write script call: small enough that one call does not stall Redis for long. */
const SCRIPT_CHUNK = 1000;

/** Script calls sent before the first of them is answered (see write). */
const WRITES_IN_FLIGHT = 2;

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
  private readonly redis: ScriptedRedis;

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
    }) as ScriptedRedis;
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
    const graceMs = Math.max(ttlMs, EXPIRED_GRACE_MS);
    const index = indexKey(target.entity, target.group);
    let applied = 0;
    // One script call per chunk of keys, and the next chunk is encoded while Redis runs the
    // previous one. Never more than WRITES_IN_FLIGHT calls: each call's timeout runs from when it
    // is sent, so a deep queue would time out behind its own predecessors.
    const inFlight: Promise<number>[] = [];
    try {
      for (let start = 0; start < rows.length; start += SCRIPT_CHUNK) {
        const call = this.writeChunk(index, target, rows, start, Math.min(start + SCRIPT_CHUNK, rows.length), ttlMs, graceMs);
        if (call) inFlight.push(call);
        if (inFlight.length >= WRITES_IN_FLIGHT) applied += await inFlight.shift()!;
      }
      while (inFlight.length > 0) applied += await inFlight.shift()!;
      return applied;
    } finally {
      // After a failure, the calls already sent settle before the error reaches the caller.
      await Promise.allSettled(inFlight);
    }
  }

  private writeChunk(index: string, target: OnlineGroupTarget, rows: OnlineRow[], from: number, to: number, ttlMs: number, graceMs: number): Promise<number> | undefined {
    const keys = [index];
    const items: [string, number, string, string[]][] = [];
    for (let r = from; r < to; r++) {
      const row = rows[r]!;
      const fields: string[] = [];
      let oldest = Infinity;
      let newest = -Infinity;
      for (const feature in row.values) {
        if (!Object.hasOwn(row.values, feature)) continue;
        const value = row.values[feature]!;
        fields.push(`v:${feature}`, value.json, `t:${feature}`, String(value.eventTime));
        if (value.eventTime < oldest) oldest = value.eventTime;
        if (value.eventTime > newest) newest = value.eventTime;
      }
      if (fields.length === 0) continue;
      keys.push(hashKey(target.entity, target.group, row.entityKey));
      items.push([row.entityKey, oldest, String(newest), fields]);
    }
    if (items.length === 0) return undefined;
    const packed = packr.pack(items);
    return this.guard(() => this.redis.fstoreWrite(keys.length, ...keys, ttlMs, graceMs, packed)).then(Number);
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
