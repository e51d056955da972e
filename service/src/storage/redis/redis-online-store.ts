import { Cluster, Redis, type ChainableCommander } from 'ioredis';
import { Packr } from 'msgpackr';
import { BackendUnavailableError } from '../../errors/app-error.js';
import type { OnlineGroupTarget, OnlineReadGroup, OnlineRow, OnlineStore, StoredValue } from '../online-store.js';
import { redactUrl } from '../redact-url.js';
import { CLUSTER_SLOTS, isRedisClusterUrl, keySlot, parseRedisClusterUrl, slotTag } from './redis-cluster-url.js';

/**
 * Event-time-aware write of one group of many keys, one script call per chunk of keys, atomic in
 * Redis. Per key and feature, the value is replaced only when its event time is >= the stored one.
 * `_t` keeps the newest event time of each hash, which drives physical expiry (newest + TTL); reads
 * enforce the TTL exactly regardless. Physical expiry waits a grace period past the TTL so reads can
 * still answer EXPIRED (with the event time) rather than NOT_FOUND for a while.
 * KEYS[1] = group index set, KEYS[1 + k] = hash of key k (on a cluster, all of one slot: the index
 * set is then the group's set for that slot).
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

type WriteCommand = (numKeys: number, ...args: (string | number | Buffer)[]) => Promise<unknown>;
/** A connection (one Redis or a cluster) with the write script defined on it. */
type ScriptedClient = (Redis | Cluster) & { fstoreWrite: WriteCommand };
type ScriptedPipeline = ChainableCommander & { fstoreWrite(numKeys: number, ...args: (string | number | Buffer)[]): ChainableCommander };

/** How long an expired group of a key is kept (to report EXPIRED) before Redis deletes it. */
const EXPIRED_GRACE_MS = 24 * 3_600_000;

/** Connect and per-command timeout unless configured (onlineStoreTimeoutMs). */
export const DEFAULT_TIMEOUT_MS = 2000;

/** Keys per write script call (and, on a cluster, per pipeline of calls): small enough that one does not stall Redis for long. */
const SCRIPT_CHUNK = 1000;

/** Script calls (or pipelines of them) sent to one server before the first of them is answered (see write). */
const WRITES_IN_FLIGHT = 2;

/** One write script call: its index set (KEYS[1]) and the positions of its rows in the batch. */
type WriteCall = { index: string; rows: number[] };

/**
 * Online store on Redis or a Redis Cluster (see docs/adr/0004). Layout on a single Redis: one hash
 * per (entity, group, entity key) `fs:v1:<entity>:<group>:<entity_key>` with fields `v:<feature>`
 * (JSON) and `t:<feature>` (event time ms), plus a set `fs:v1:idx:<entity>:<group>` of the group's
 * keys, so a group can be read, expired and deleted without touching other groups and without
 * scanning the keyspace. Entity and group names are snake_case (validated), so `:` cannot be
 * ambiguous; the entity key is last and may contain anything.
 *
 * On a cluster (`redis+cluster://`), the entity key is the hash tag: `fs:v1:<entity>:<group>:{<entity_key>}`
 * (literal braces), so every group of one entity key is in one slot, and the index is one set per
 * group and slot, `fs:v1:idx:<entity>:<group>:{<tag of the slot>}`, in the slot of the hashes it
 * lists. A write script call then names keys of one slot only (chunks are split by slot); reads
 * and writes go as one pipeline per node, the nodes in parallel.
 */
export class RedisOnlineStore implements OnlineStore {
  readonly description: string;
  private readonly redis: ScriptedClient;
  private readonly cluster: boolean;

  constructor(
    url: string,
    private readonly timeoutMs = DEFAULT_TIMEOUT_MS,
  ) {
    // Fail fast while Redis is down (503 to the client) instead of queueing requests; ioredis
    // keeps reconnecting in the background and commands work again once it is back.
    const connection = {
      maxRetriesPerRequest: 1,
      commandTimeout: timeoutMs,
      connectTimeout: timeoutMs,
      // A command whose caller already got its 503 must not run later, on the next connection.
      autoResendUnfulfilledCommands: false,
    };
    const retry = (attempt: number) => Math.min(attempt * 100, 1000);
    this.cluster = isRedisClusterUrl(url);
    if (this.cluster) {
      const parsed = parseRedisClusterUrl(url);
      this.description = `Redis Cluster at ${parsed.redacted}`;
      this.redis = new Cluster(parsed.nodes, {
        enableOfflineQueue: false,
        clusterRetryStrategy: retry,
        slotsRefreshTimeout: timeoutMs,
        retryDelayOnFailover: 100,
        retryDelayOnClusterDown: 100,
        redisOptions: {
          ...connection,
          username: parsed.username,
          password: parsed.password,
          ...(parsed.tls ? { tls: {} } : {}),
        },
        lazyConnect: false,
      }) as ScriptedClient;
    } else {
      this.description = `Redis at ${redactUrl(url)}`;
      this.redis = new Redis(url, { ...connection, enableOfflineQueue: false, retryStrategy: retry, lazyConnect: false }) as ScriptedClient;
    }
    // The number of keys is given per call (the chunk's keys plus the group index).
    this.redis.defineCommand('fstoreWrite', { lua: WRITE_SCRIPT });
    // Errors surface per request; the connection-level event only needs to not crash the process.
    this.redis.on('error', () => undefined);
  }

  static async open(url: string, options: { timeoutMs?: number } = {}): Promise<RedisOnlineStore> {
    const store = new RedisOnlineStore(url, options.timeoutMs);
    try {
      await store.ready();
    } catch (err) {
      await store.close();
      throw err;
    }
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

  /** On a cluster: the node serving `slot` (its group of nodes, as ioredis routes pipelines). */
  private nodeOf(slot: number): string {
    return (this.redis as Cluster).slots[slot]?.join(';') ?? '';
  }

  /** A cluster that lost its connection refuses at once, as a single Redis does without an offline queue. */
  private assertClusterReady(): void {
    if (this.cluster && this.redis.status !== 'ready') throw new BackendUnavailableError('Redis', `the connection to ${this.description} is not ready (${this.redis.status})`);
  }

  async write(target: OnlineGroupTarget, rows: OnlineRow[]): Promise<number> {
    const ttlMs = target.ttlSeconds === null ? 0 : target.ttlSeconds * 1000;
    const graceMs = Math.max(ttlMs, EXPIRED_GRACE_MS);
    const lanes = this.cluster ? this.clusterWriteLanes(target, rows) : [singleWriteLane(target, rows)];
    const send = (batch: WriteCall[]) => this.sendWrites(target, rows, batch, ttlMs, graceMs);
    const settled = await Promise.allSettled(lanes.map((lane) => runLane(lane, send)));
    const failed = settled.find((s) => s.status === 'rejected');
    if (failed) throw failed.reason;
    return settled.reduce((sum, s) => sum + (s.status === 'fulfilled' ? s.value : 0), 0);
  }

  /** Per node, batches of script calls of one slot each, up to SCRIPT_CHUNK keys per batch. */
  private clusterWriteLanes(target: OnlineGroupTarget, rows: OnlineRow[]): WriteCall[][][] {
    this.assertClusterReady();
    const bySlot = new Map<number, number[]>();
    for (let r = 0; r < rows.length; r++) {
      const slot = keySlot(clusterHashKey(target.entity, target.group, rows[r]!.entityKey));
      const list = bySlot.get(slot);
      if (list) list.push(r);
      else bySlot.set(slot, [r]);
    }
    const byNode = new Map<string, WriteCall[][]>();
    for (const [slot, slotRows] of bySlot) {
      const node = this.nodeOf(slot);
      let batches = byNode.get(node);
      if (!batches) byNode.set(node, (batches = [[]]));
      const index = clusterIndexKey(target.entity, target.group, slot);
      for (let start = 0; start < slotRows.length; start += SCRIPT_CHUNK) {
        const call = { index, rows: slotRows.slice(start, start + SCRIPT_CHUNK) };
        const last = batches[batches.length - 1]!;
        if (last.reduce((n, c) => n + c.rows.length, 0) + call.rows.length > SCRIPT_CHUNK) batches.push([call]);
        else last.push(call);
      }
    }
    return [...byNode.values()];
  }

  /** Sends one batch: a single script call as it is, several as one pipeline to their node. */
  private async sendWrites(target: OnlineGroupTarget, rows: OnlineRow[], batch: WriteCall[], ttlMs: number, graceMs: number): Promise<number> {
    const calls = batch.map((call) => packCall(target, rows, call, this.cluster)).filter((c) => c !== undefined);
    if (calls.length === 0) return 0;
    if (calls.length === 1) {
      const { keys, packed } = calls[0]!;
      return Number(await this.guard(() => this.redis.fstoreWrite(keys.length, ...keys, ttlMs, graceMs, packed)));
    }
    const pipeline = this.redis.pipeline() as ScriptedPipeline;
    for (const { keys, packed } of calls) pipeline.fstoreWrite(keys.length, ...keys, ttlMs, graceMs, packed);
    const results = await this.exec(pipeline);
    return results.reduce((sum, [, applied]) => sum + Number(applied), 0);
  }

  async read(entity: string, entityKeys: string[], groups: OnlineReadGroup[]): Promise<(StoredValue | undefined)[][][]> {
    // One HMGET per (key, group), one pipeline per server (one round trip for the whole request on
    // a single Redis; on a cluster, one per node, the nodes in parallel).
    const fields = groups.map(({ features }) => features.flatMap((f) => [`v:${f}`, `t:${f}`]));
    const results: (string | null)[][] = new Array(entityKeys.length * groups.length);
    if (!this.cluster) {
      const pipeline = this.redis.pipeline();
      for (const key of entityKeys) {
        for (let g = 0; g < groups.length; g++) pipeline.hmget(hashKey(entity, groups[g]!.group, key), ...fields[g]!);
      }
      (await this.exec(pipeline)).forEach(([, reply], i) => (results[i] = reply as (string | null)[]));
    } else {
      this.assertClusterReady();
      // Every group of one entity key is in one slot (the key is the hash tag).
      const byNode = new Map<string, { pipeline: ChainableCommander; positions: number[] }>();
      let i = 0;
      for (const key of entityKeys) {
        for (let g = 0; g < groups.length; g++, i++) {
          const hash = clusterHashKey(entity, groups[g]!.group, key);
          const node = this.nodeOf(keySlot(hash));
          let lane = byNode.get(node);
          if (!lane) byNode.set(node, (lane = { pipeline: this.redis.pipeline(), positions: [] }));
          lane.pipeline.hmget(hash, ...fields[g]!);
          lane.positions.push(i);
        }
      }
      await Promise.all(
        [...byNode.values()].map(async ({ pipeline, positions }) => {
          (await this.exec(pipeline)).forEach(([, reply], j) => (results[positions[j]!] = reply as (string | null)[]));
        }),
      );
    }
    let i = 0;
    return entityKeys.map(() =>
      groups.map(({ features }) => {
        const fields = results[i++]!;
        return features.map((_, f) => {
          const json = fields[2 * f];
          const t = fields[2 * f + 1];
          return json !== null && json !== undefined && t ? { json, eventTime: Number(t) } : undefined;
        });
      }),
    );
  }

  async deleteGroup(entity: string, group: string): Promise<void> {
    if (!this.cluster) return this.deleteIndexed(indexKey(entity, group), (k) => hashKey(entity, group, k));
    this.assertClusterReady();
    // One index set per slot. Per node, in batches of slots: one pipeline lists the sets (SSCAN,
    // answered at once for the many that do not exist), one deletes the hashes they list with the
    // sets. A set longer than one SSCAN page (a group of millions of keys) is then emptied page by page.
    const byNode = new Map<string, number[]>();
    for (let slot = 0; slot < CLUSTER_SLOTS; slot++) {
      const node = this.nodeOf(slot);
      const slots = byNode.get(node);
      if (slots) slots.push(slot);
      else byNode.set(node, [slot]);
    }
    const hashOf = (k: string) => clusterHashKey(entity, group, k);
    const long: string[] = [];
    await Promise.all(
      [...byNode.values()].map(async (slots) => {
        for (let start = 0; start < slots.length; start += SCRIPT_CHUNK) {
          const indexes = slots.slice(start, start + SCRIPT_CHUNK).map((slot) => clusterIndexKey(entity, group, slot));
          const listing = this.redis.pipeline();
          for (const index of indexes) listing.sscan(index, '0', 'COUNT', SCRIPT_CHUNK);
          const pages = await this.exec(listing);
          const deleting = this.redis.pipeline();
          pages.forEach(([, page], j) => {
            const [cursor, members] = page as [string, string[]];
            if (members.length > 0) deleting.unlink(...members.map(hashOf));
            if (cursor !== '0') long.push(indexes[j]!);
            else if (members.length > 0) deleting.unlink(indexes[j]!);
          });
          if (deleting.length > 0) await this.exec(deleting);
        }
      }),
    );
    for (const index of long) await this.deleteIndexed(index, hashOf);
  }

  /** Deletes the hashes an index set lists, then the set. */
  private async deleteIndexed(index: string, hashOf: (entityKey: string) => string): Promise<void> {
    let cursor = '0';
    do {
      const [next, members] = await this.guard(() => this.redis.sscan(index, cursor, 'COUNT', 1000));
      cursor = next;
      if (members.length > 0) await this.guard(() => this.redis.unlink(...members.map(hashOf)));
    } while (cursor !== '0');
    await this.guard(() => this.redis.unlink(index));
  }

  async close(): Promise<void> {
    this.redis.disconnect();
  }

  private async exec(pipeline: ChainableCommander): Promise<[Error | null, unknown][]> {
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
   * so drop the connection (on a cluster, every node's): until a new one is ready, requests are
   * refused at once (no offline queue), and nothing piles up in memory.
   */
  private dropIfHung(err: unknown): void {
    if (err instanceof Error && err.message === 'Command timed out' && this.redis.status === 'ready') this.redis.disconnect(true);
  }
}

/** A single Redis: one batch per chunk of SCRIPT_CHUNK rows, in row order, all in one index set. */
function singleWriteLane(target: OnlineGroupTarget, rows: OnlineRow[]): WriteCall[][] {
  const index = indexKey(target.entity, target.group);
  const batches: WriteCall[][] = [];
  for (let start = 0; start < rows.length; start += SCRIPT_CHUNK) {
    const end = Math.min(start + SCRIPT_CHUNK, rows.length);
    batches.push([{ index, rows: Array.from({ length: end - start }, (_, i) => start + i) }]);
  }
  return batches;
}

/**
 * Sends the batches of one server in order: the next batch is encoded while Redis runs the
 * previous one. Never more than WRITES_IN_FLIGHT batches: each call's timeout runs from when it is
 * sent, so a deep queue would time out behind its own predecessors.
 */
async function runLane(batches: WriteCall[][], send: (batch: WriteCall[]) => Promise<number>): Promise<number> {
  let applied = 0;
  const inFlight: Promise<number>[] = [];
  try {
    for (const batch of batches) {
      inFlight.push(send(batch));
      if (inFlight.length >= WRITES_IN_FLIGHT) applied += await inFlight.shift()!;
    }
    while (inFlight.length > 0) applied += await inFlight.shift()!;
    return applied;
  } finally {
    // After a failure, the calls already sent settle before the error reaches the caller.
    await Promise.allSettled(inFlight);
  }
}

/** The keys and the packed argument of one script call; undefined when no row has a value. */
function packCall(target: OnlineGroupTarget, rows: OnlineRow[], call: WriteCall, cluster: boolean): { keys: string[]; packed: Buffer } | undefined {
  const keys = [call.index];
  const items: [string, number, string, string[]][] = [];
  for (const r of call.rows) {
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
    keys.push(cluster ? clusterHashKey(target.entity, target.group, row.entityKey) : hashKey(target.entity, target.group, row.entityKey));
    items.push([row.entityKey, oldest, String(newest), fields]);
  }
  if (items.length === 0) return undefined;
  return { keys, packed: packr.pack(items) };
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

/** A cluster's hash of one (entity, group, entity key): the entity key is the hash tag. */
export function clusterHashKey(entity: string, group: string, entityKey: string): string {
  return `fs:v1:${entity}:${group}:{${entityKey}}`;
}

/** A cluster's index set of one group's keys in one slot (itself in that slot). */
export function clusterIndexKey(entity: string, group: string, slot: number): string {
  return `fs:v1:idx:${entity}:${group}:{${slotTag(slot)}}`;
}
