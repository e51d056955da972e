import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import QueryStream from 'pg-query-stream';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { BackendUnavailableError } from '../../errors/app-error.js';
import {
  writeOnce,
  type DailySummary,
  type FeatureRef,
  type LatestQuery,
  type LatestRow,
  type OfflineBatch,
  type OfflineStore,
  type OfflineWriter,
  type PointInTimeQuery,
  type QuantileQuery,
  type RangeQuery,
  type RangeRow,
  type HistogramQuery,
  type ValueSummary,
  type WindowQuery,
} from '../offline-store.js';
import {
  dailyFromRows,
  finiteList,
  gridSql,
  histogramFromRows,
  numberOrNull,
  summariesFromRows,
  topValuesFromRows,
  windowsSql,
  windowWhere,
} from '../monitoring-sql.js';

/**
 * A JSON number (the only values monitoring treats as numeric), cast to float8; anything else null.
 * Stored values are valid JSON text, and a JSON text starting with '-' or a digit is a number, so
 * the first character decides (a regex per value cost more than the rest of a histogram).
 * Subqueries computing it end in OFFSET 0: PostgreSQL would otherwise inline the expression into
 * every use of x, evaluating it several times per value.
 */
const NUMERIC = `CASE WHEN ascii(value_json) = 45 OR ascii(value_json) BETWEEN 48 AND 57 THEN value_json::float8 END`;
import { redactUrl } from '../redact-url.js';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS fstore_feature_values (
  -- COLLATE "C": byte-order comparison; names and keys need no locale rules, and it makes the
  -- sorts and index maintenance of bulk upserts several times cheaper.
  entity        text COLLATE "C" NOT NULL,
  feature_group text COLLATE "C" NOT NULL,
  feature       text COLLATE "C" NOT NULL,
  entity_key    text COLLATE "C" NOT NULL,
  event_time_ms bigint NOT NULL,
  value_json    text   NOT NULL,
  ingested_ms   bigint NOT NULL,
  -- Serves idempotent upserts and, scanned backwards, "latest at or before t" per feature and key.
  PRIMARY KEY (entity, feature, entity_key, event_time_ms)
);
-- Serves the range form's spine (keys and times of some features in a window).
CREATE INDEX IF NOT EXISTS fstore_feature_values_time ON fstore_feature_values (entity, feature, event_time_ms);
`;

const CHUNK_ROWS = 5000;
/** Writes of at least this many values re-analyze the history table (small stream batches leave it to autovacuum). */
const ANALYZE_AFTER_VALUES = 100_000;

export interface PostgresStoreOptions {
  /** Longest wait for one statement, COPY or chunk of a stream; 0 waits forever (offlineStoreTimeoutMs). */
  timeoutMs?: number;
  /** Longest wait for a connection, new or from the pool (offlineStoreConnectTimeoutMs). */
  connectTimeoutMs?: number;
  poolSize?: number;
}

export const POSTGRES_DEFAULTS = { timeoutMs: 600_000, connectTimeoutMs: 5000, poolSize: 8 } as const;

/**
 * Offline store on PostgreSQL (see docs/adr/0004). Same long layout as the embedded store. Writes
 * COPY the batch into a temp table and upsert it in one transaction; retrieval runs as set-based
 * SQL inside PostgreSQL (LATERAL index lookups per feature) and streams out through a cursor.
 * Only bound parameters carry names and values; generated aliases are the only identifiers.
 */
export class PostgresOfflineStore implements OfflineStore {
  readonly description: string;

  private constructor(
    private readonly pool: pg.Pool,
    url: string,
    private readonly timeoutMs: number,
  ) {
    this.description = `PostgreSQL at ${redactUrl(url)}`;
  }

  static async open(url: string, options: PostgresStoreOptions = {}): Promise<PostgresOfflineStore> {
    const { timeoutMs, connectTimeoutMs, poolSize } = { ...POSTGRES_DEFAULTS, ...options };
    // The pool bounds connections; a request waiting for one gives up after connectTimeoutMs, so
    // a hung server cannot make requests queue without end.
    const pool = new pg.Pool({ connectionString: url, max: poolSize, connectionTimeoutMillis: connectTimeoutMs, keepAlive: true });
    // A client losing its connection, idle in the pool or checked out between two queries (a
    // restart of PostgreSQL, a timeout here), must not crash the process: the next use fails.
    pool.on('error', () => undefined);
    pool.on('connect', (client) => client.on('error', () => undefined));
    const store = new PostgresOfflineStore(pool, url, timeoutMs);
    await store.withClient((c) => c.query(SCHEMA));
    return store;
  }

  write(batch: OfflineBatch, ingestedAt: number): Promise<number> {
    return writeOnce(this, batch, ingestedAt);
  }

  async beginWrite(entity: string, featureGroup: string, ingestedAt: number): Promise<OfflineWriter> {
    // One transaction from the first chunk to commit: chunks are COPYed into a temp table, and the
    // upsert into the history table happens at commit, so a failure anywhere leaves nothing.
    const c = await this.connect();
    let seq = 0;
    let done = false;
    const finish = async (sql: 'COMMIT' | 'ROLLBACK') => {
      if (done) return;
      done = true;
      try {
        await this.timed(c, c.query(sql));
      } finally {
        c.release();
      }
    };
    try {
      await this.timed(c, c.query('BEGIN'));
      await this.timed(
        c,
        c.query(
          'CREATE TEMP TABLE fstore_staging (seq bigint, feature text COLLATE "C", entity_key text COLLATE "C", event_time_ms bigint, value_json text) ON COMMIT DROP',
        ),
      );
    } catch (err) {
      await finish('ROLLBACK').catch(() => undefined);
      throw wrap(err);
    }
    return {
      append: async (chunk) => {
        try {
          const lines = copyLines(chunk, seq);
          await this.timed(c, pipeline(Readable.from(lines.generator), c.query(copyFrom('COPY fstore_staging FROM STDIN (FORMAT text)'))));
          seq = lines.nextSeq();
        } catch (err) {
          throw wrap(err);
        }
      },
      commit: async () => {
        try {
          const result = await this.timed(
            c,
            c.query(
              `INSERT INTO fstore_feature_values (entity, feature_group, feature, entity_key, event_time_ms, value_json, ingested_ms)
             SELECT DISTINCT ON (feature, entity_key, event_time_ms) $1, $2, feature, entity_key, event_time_ms, value_json, $3
             FROM fstore_staging ORDER BY feature, entity_key, event_time_ms, seq DESC
             ON CONFLICT (entity, feature, entity_key, event_time_ms)
             DO UPDATE SET value_json = EXCLUDED.value_json, ingested_ms = EXCLUDED.ingested_ms, feature_group = EXCLUDED.feature_group`,
              [entity, featureGroup, ingestedAt],
            ),
          );
          await finish('COMMIT');
          const written = result.rowCount ?? 0;
          // A bulk load outdates the statistics at once, and until autovacuum catches up the planner
          // may answer point-in-time lookups of features it has not seen through the time index (a
          // backward scan over every key per label row: minutes instead of seconds). Refresh now.
          if (written >= ANALYZE_AFTER_VALUES) await this.withClient((a) => a.query('ANALYZE fstore_feature_values')).catch(() => undefined);
          return written;
        } catch (err) {
          await finish('ROLLBACK').catch(() => undefined);
          throw wrap(err);
        }
      },
      abort: () => finish('ROLLBACK').catch(() => undefined),
    };
  }

  async *range(query: RangeQuery): AsyncIterable<RangeRow[]> {
    const names = query.features.map((f) => f.name);
    const spine = `(SELECT DISTINCT entity_key, event_time_ms AS t FROM fstore_feature_values
                    WHERE entity = $1 AND feature = ANY($2::text[]) AND event_time_ms BETWEEN $3 AND $4)`;
    const { sql, params } = lateralSql(query.features, spine, 'l.entity_key, l.t::float8', 'ORDER BY l.entity_key, l.t', 5);
    yield* this.stream<RangeRow>(sql, [query.entity, names, query.start, query.end, ...params], (row) => row as RangeRow);
  }

  async *pointInTime(query: PointInTimeQuery): AsyncIterable<(string | null)[][]> {
    const client = await this.connect();
    try {
      await this.timed(client, client.query('BEGIN'));
      await this.timed(client, client.query('CREATE TEMP TABLE fstore_labels (row_idx bigint, entity_key text COLLATE "C", t bigint) ON COMMIT DROP'));
      await this.timed(
        client,
        pipeline(Readable.from(labelLines(query.entityKeys, query.times)), client.query(copyFrom('COPY fstore_labels FROM STDIN (FORMAT text)'))),
      );
      await this.timed(client, client.query('ANALYZE fstore_labels'));
      const { sql, params } = lateralSql(query.features, 'fstore_labels', '', 'ORDER BY l.row_idx', 2);
      yield* this.streamRows(client, sql, [query.entity, ...params], (row) => row as (string | null)[]);
      await this.timed(client, client.query('COMMIT'));
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw wrap(err);
    } finally {
      client.release();
    }
  }

  async *latest(query: LatestQuery): AsyncIterable<LatestRow[]> {
    const params: unknown[] = [query.entity, query.features];
    const where = ['entity = $1', 'feature = ANY($2::text[])'];
    if (query.start !== undefined) where.push(`event_time_ms >= $${params.push(query.start)}`);
    if (query.end !== undefined) where.push(`event_time_ms <= $${params.push(query.end)}`);
    if (query.ingestedAfter !== undefined) where.push(`ingested_ms > $${params.push(query.ingestedAfter)}`);
    yield* this.stream<LatestRow>(
      `SELECT DISTINCT ON (entity_key, feature) entity_key, feature, value_json, event_time_ms::float8, ingested_ms::float8
       FROM fstore_feature_values WHERE ${where.join(' AND ')}
       ORDER BY entity_key, feature, event_time_ms DESC`,
      params,
      (row) => row as LatestRow,
    );
  }

  async summarize(query: WindowQuery & { probabilities: number[]; approximate?: boolean }): Promise<ValueSummary[]> {
    if (query.features.length === 0) return [];
    const { where, params } = windowWhere(query, (i) => `$${i}`);
    const probabilities = finiteList(query.probabilities);
    const quantiles = probabilities.length > 0 ? `percentile_cont(ARRAY[${probabilities.join(', ')}]::float8[]) WITHIN GROUP (ORDER BY x)` : 'NULL';
    const rows = await this.withClient(
      async (c) =>
        (
          await c.query({
            text: `WITH v AS (SELECT feature, value_json, ${NUMERIC} AS x FROM fstore_feature_values WHERE ${where} OFFSET 0)
                 SELECT feature, count(*)::float8, count(x)::float8, min(x), max(x), avg(x), stddev_samp(x), ${quantiles}, count(DISTINCT value_json)::float8
                 FROM v GROUP BY feature`,
            values: params,
            rowMode: 'array',
          })
        ).rows as unknown[][],
    );
    return summariesFromRows(query.features, rows, probabilities.length);
  }

  async histogram(query: HistogramQuery): Promise<number[][][]> {
    if (query.features.length === 0 || query.windows.length === 0) return histogramFromRows(query, []);
    const { where, windowJoin, params } = windowsSql(query, (i) => `$${i}`);
    // Each value joins its feature's grid; the bin is arithmetic. Feature i is $(2 + i) (windowsSql).
    const grid = gridSql(
      query.grids,
      (i) => `$${i}::text`,
      (n) => `${n}::float8`,
      2,
    );
    const rows = await this.withClient(
      async (c) =>
        (
          await c.query({
            text: `SELECT win.w, v.feature, ${grid.bin} AS bin, count(*)::float8
                 FROM (SELECT event_time_ms, feature, ${NUMERIC} AS x FROM fstore_feature_values WHERE ${where} OFFSET 0) v
                 ${windowJoin}
                 JOIN ${grid.values} ON g.feature = v.feature
                 WHERE x IS NOT NULL GROUP BY 1, 2, 3`,
            values: params,
            rowMode: 'array',
          })
        ).rows as unknown[][],
    );
    return histogramFromRows(query, rows);
  }

  /** Exact, whatever `sample` asks: a PostgreSQL sample scan cannot use the window's index. */
  async quantiles(query: QuantileQuery): Promise<{ count: number; quantiles: (number | null)[] }[]> {
    if (query.features.length === 0) return [];
    const { where, params } = windowWhere(query, (i) => `$${i}`);
    const probabilities = finiteList(query.probabilities);
    const quantiles = probabilities.length > 0 ? `percentile_cont(ARRAY[${probabilities.join(', ')}]::float8[]) WITHIN GROUP (ORDER BY x)` : 'NULL';
    // Only the count and the quantiles: the full summary's distinct count is a second sort of
    // every value, which drift (the caller) never reads.
    const rows = await this.withClient(
      async (c) =>
        (
          await c.query({
            text: `SELECT feature, count(x)::float8, ${quantiles}
                   FROM (SELECT feature, ${NUMERIC} AS x FROM fstore_feature_values WHERE ${where} OFFSET 0) v WHERE x IS NOT NULL GROUP BY feature`,
            values: params,
            rowMode: 'array',
          })
        ).rows as unknown[][],
    );
    const byFeature = new Map(rows.map((r) => [String(r[0]), r]));
    return query.features.map((feature) => {
      const r = byFeature.get(feature);
      if (!r || Number(r[1]) === 0) return { count: 0, quantiles: query.probabilities.map(() => null) };
      const values = Array.isArray(r[2]) ? (r[2] as unknown[]) : [];
      return { count: Number(r[1]), quantiles: query.probabilities.map((_, i) => numberOrNull(values[i])) };
    });
  }

  async topValues(query: WindowQuery & { limit: number }): Promise<{ value: string; count: number }[][]> {
    if (query.features.length === 0) return [];
    const { where, params } = windowWhere(query, (i) => `$${i}`);
    const limit = Math.max(1, Math.floor(query.limit));
    const rows = await this.withClient(
      async (c) =>
        (
          await c.query({
            text: `SELECT feature, value_json, n FROM (
                   SELECT feature, value_json, count(*)::float8 AS n,
                          row_number() OVER (PARTITION BY feature ORDER BY count(*) DESC, value_json) AS r
                   FROM fstore_feature_values WHERE ${where} GROUP BY feature, value_json) t
                 WHERE r <= ${limit} ORDER BY feature, n DESC, value_json`,
            values: params,
            rowMode: 'array',
          })
        ).rows as unknown[][],
    );
    return topValuesFromRows(query.features, rows);
  }

  async countRows(query: WindowQuery): Promise<number> {
    if (query.features.length === 0) return 0;
    const { where, params } = windowWhere(query, (i) => `$${i}`);
    return this.withClient(async (c) => {
      const r = await c.query(
        `SELECT count(*)::float8 AS n FROM (SELECT DISTINCT entity_key, event_time_ms FROM fstore_feature_values WHERE ${where}) t`,
        params,
      );
      return Number(r.rows[0].n);
    });
  }

  async countKeys(query: WindowQuery): Promise<number> {
    if (query.features.length === 0) return 0;
    const { where, params } = windowWhere(query, (i) => `$${i}`);
    return this.withClient(async (c) => {
      const r = await c.query(`SELECT count(DISTINCT entity_key)::float8 AS n FROM fstore_feature_values WHERE ${where}`, params);
      return Number(r.rows[0].n);
    });
  }

  async daily(query: WindowQuery): Promise<DailySummary[]> {
    if (query.features.length === 0) return [];
    const { where, params } = windowWhere(query, (i) => `$${i}`);
    const rows = await this.withClient(
      async (c) =>
        (
          await c.query({
            text: `WITH v AS (SELECT feature, event_time_ms, ${NUMERIC} AS x FROM fstore_feature_values WHERE ${where} OFFSET 0)
                 SELECT feature, to_char(to_timestamp(event_time_ms / 1000.0) AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS day,
                        count(*)::float8, count(x)::float8, avg(x), min(x), max(x)
                 FROM v GROUP BY 1, 2 ORDER BY 1, 2`,
            values: params,
            rowMode: 'array',
          })
        ).rows as unknown[][],
    );
    return dailyFromRows(rows);
  }

  async countValues(entity: string, featureGroup: string): Promise<number> {
    return this.withClient(async (c) => {
      const r = await c.query('SELECT count(*)::float8 AS n FROM fstore_feature_values WHERE entity = $1 AND feature_group = $2', [entity, featureGroup]);
      return Number(r.rows[0].n);
    });
  }

  async close(): Promise<void> {
    await this.pool.end();
  }

  private async *stream<T>(sql: string, params: unknown[], map: (row: unknown[]) => T): AsyncIterable<T[]> {
    const client = await this.connect();
    try {
      await this.timed(client, client.query('BEGIN READ ONLY'));
      yield* this.streamRows(client, sql, params, map);
      await this.timed(client, client.query('COMMIT'));
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw wrap(err);
    } finally {
      client.release();
    }
  }

  /**
   * Rows of a query through a cursor. The timeout applies to each wait for PostgreSQL, not to the
   * whole stream, so a long retrieval that keeps moving is never cut off.
   */
  private async *streamRows<T>(client: pg.PoolClient, sql: string, params: unknown[], map: (row: unknown[]) => T): AsyncIterable<T[]> {
    const stream = client.query(new QueryStream(sql, params, { batchSize: CHUNK_ROWS, rowMode: 'array' }));
    const rows = stream[Symbol.asyncIterator]() as AsyncIterator<unknown[]>;
    let chunk: T[] = [];
    for (;;) {
      const next = await this.timed(client, rows.next());
      if (next.done) break;
      chunk.push(map(next.value));
      if (chunk.length >= CHUNK_ROWS) {
        yield chunk;
        chunk = [];
      }
    }
    if (chunk.length > 0) yield chunk;
  }

  /**
   * Waits for `work` on `client` at most timeoutMs. On expiry the client's socket is destroyed
   * (what pg-pool itself does on a connect timeout): whatever was pending on it fails, and the
   * pool discards the client when it is released rather than hand a stuck connection to the next
   * request.
   */
  private async timed<T>(client: pg.PoolClient, work: Promise<T>): Promise<T> {
    if (this.timeoutMs <= 0) return work;
    let timer: NodeJS.Timeout | undefined;
    const expired = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        (client as unknown as { connection?: { stream?: { destroy(): void } } }).connection?.stream?.destroy();
        reject(new BackendUnavailableError('PostgreSQL', `no answer within ${this.timeoutMs} ms (offlineStoreTimeoutMs)`));
      }, this.timeoutMs);
    });
    work.catch(() => undefined); // it fails once the socket is gone; the timeout has been reported
    try {
      return await Promise.race([work, expired]);
    } finally {
      clearTimeout(timer);
    }
  }

  private async connect(): Promise<pg.PoolClient> {
    try {
      return await this.pool.connect();
    } catch (err) {
      throw wrap(err);
    }
  }

  private async withClient<T>(fn: (c: pg.PoolClient) => Promise<T>): Promise<T> {
    const client = await this.connect();
    try {
      return await this.timed(client, fn(client));
    } catch (err) {
      throw wrap(err);
    } finally {
      client.release();
    }
  }
}

/**
 * One LATERAL lookup per feature against a spine `l(entity_key, t)`: the latest value at or before
 * t (an index scan on the primary key), dropped when older than the feature's TTL.
 */
function lateralSql(features: FeatureRef[], spine: string, leading: string, orderBy: string, firstParam: number) {
  const params: string[] = [];
  const joins: string[] = [];
  const selects: string[] = [];
  features.forEach((feature, i) => {
    params.push(feature.name);
    const alias = `f${i}`;
    joins.push(`LEFT JOIN LATERAL (
        SELECT v.value_json, v.event_time_ms FROM fstore_feature_values v
        WHERE v.entity = $1 AND v.feature = $${firstParam + i} AND v.entity_key = l.entity_key AND v.event_time_ms <= l.t
        ORDER BY v.event_time_ms DESC LIMIT 1) ${alias} ON true`);
    selects.push(
      feature.ttlSeconds === null
        ? `${alias}.value_json`
        : `CASE WHEN l.t - ${alias}.event_time_ms <= ${Math.trunc(feature.ttlSeconds * 1000)} THEN ${alias}.value_json END`,
    );
  });
  const select = [leading, ...selects].filter(Boolean).join(', ');
  return {
    sql: `SELECT ${select} FROM ${spine} l ${joins.join('\n')} ${orderBy}`,
    params,
  };
}

/** COPY text format: tab-separated, with backslash, tab and newline escaped. */
function escapeCopy(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r');
}

/** COPY lines of a chunk, numbering values from `firstSeq` so later chunks win ties. */
function copyLines(batch: OfflineBatch, firstSeq: number): { generator: Generator<string>; nextSeq(): number } {
  let seq = firstSeq;
  function* generate(): Generator<string> {
    let buffer = '';
    for (let row = 0; row < batch.entityKeys.length; row++) {
      const time = batch.eventTimes[row]!;
      if (!Number.isFinite(time)) throw new Error(`row ${row + 1} has no valid event time`);
      const key = escapeCopy(batch.entityKeys[row]!);
      for (const column of batch.columns) {
        const value = column.values[row];
        if (value === null || value === undefined) continue;
        buffer += `${seq++}\t${escapeCopy(column.feature)}\t${key}\t${Math.trunc(time)}\t${escapeCopy(value)}\n`;
        if (buffer.length > 1 << 16) {
          yield buffer;
          buffer = '';
        }
      }
    }
    if (buffer) yield buffer;
  }
  return { generator: generate(), nextSeq: () => seq };
}

function* labelLines(keys: string[], times: number[]): Generator<string> {
  let buffer = '';
  for (let i = 0; i < keys.length; i++) {
    buffer += `${i}\t${escapeCopy(keys[i]!)}\t${Math.trunc(times[i]!)}\n`;
    if (buffer.length > 1 << 16) {
      yield buffer;
      buffer = '';
    }
  }
  if (buffer) yield buffer;
}

const CONNECTION_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', '57P01', '57P02', '57P03', '08000', '08003', '08006', '08001', '08004']);

function wrap(err: unknown): Error {
  const e = err as { code?: string; message?: string };
  if (err instanceof BackendUnavailableError) return err;
  if ((e.code && CONNECTION_CODES.has(e.code)) || /timeout exceeded when trying to connect|Connection terminated|is not queryable/i.test(e.message ?? '')) {
    return new BackendUnavailableError('PostgreSQL', e.message ?? String(err));
  }
  return err instanceof Error ? err : new Error(String(err));
}
