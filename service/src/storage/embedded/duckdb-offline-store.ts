import type { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { inTransaction, openDuckDb, withConnection } from '../duckdb/duckdb-session.js';
import { Mutex } from '../../util/mutex.js';
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

/** Values per feature kept by approximate quantiles (a reservoir sample). */
const RESERVOIR = 16_384;
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

const SCHEMA = `
CREATE TABLE IF NOT EXISTS feature_values (
  entity        VARCHAR NOT NULL,
  feature_group VARCHAR NOT NULL,
  feature       VARCHAR NOT NULL,
  entity_key    VARCHAR NOT NULL,
  event_time_ms BIGINT  NOT NULL,
  value_json    VARCHAR NOT NULL,
  ingested_ms   BIGINT  NOT NULL
)`;

/**
 * Embedded offline store on DuckDB. History is one long table (entity, feature, key, event time,
 * JSON value): no per-group DDL, so no identifier ever reaches SQL, and point-in-time joins are
 * per-feature ASOF joins. Writes are serialised (DuckDB allows one writer) and transactional.
 */
export class DuckDbOfflineStore implements OfflineStore {
  readonly description: string;
  private readonly writes = new Mutex();

  private constructor(
    private readonly instance: DuckDBInstance,
    path: string,
  ) {
    this.description = `embedded DuckDB at ${path}`;
  }

  static async open(path: string): Promise<DuckDbOfflineStore> {
    const instance = await openDuckDb(path);
    await withConnection(instance, (c) => c.run(SCHEMA));
    return new DuckDbOfflineStore(instance, path);
  }

  write(batch: OfflineBatch, ingestedAt: number): Promise<number> {
    return writeOnce(this, batch, ingestedAt);
  }

  async beginWrite(entity: string, featureGroup: string, ingestedAt: number): Promise<OfflineWriter> {
    // Chunks go to a temp table of this connection without the write lock; only the final
    // transaction is serialised with other writers.
    const c = await this.instance.connect();
    await c.run('CREATE TEMP TABLE staging (seq BIGINT, feature VARCHAR, entity_key VARCHAR, event_time_ms BIGINT, value_json VARCHAR)');
    let seq = 0;
    let closed = false;
    const close = () => {
      if (!closed) c.closeSync();
      closed = true;
    };
    return {
      append: async (chunk) => {
        const appender = await c.createAppender('staging');
        try {
          for (let row = 0; row < chunk.entityKeys.length; row++) {
            const key = chunk.entityKeys[row]!;
            const time = BigInt(chunk.eventTimes[row]!);
            for (const column of chunk.columns) {
              const value = column.values[row];
              if (value === null || value === undefined) continue;
              appender.appendBigInt(BigInt(seq++));
              appender.appendVarchar(column.feature);
              appender.appendVarchar(key);
              appender.appendBigInt(time);
              appender.appendVarchar(value);
              appender.endRow();
            }
          }
        } finally {
          appender.closeSync();
        }
      },
      appendParquet: async (path) => {
        await c.run(
          'INSERT INTO staging SELECT seq + $2, feature, entity_key, event_time_ms, value_json FROM read_parquet($1)',
          [path, seq],
        );
        const max = await c.runAndReadAll('SELECT CAST(coalesce(max(seq), -1) AS DOUBLE) FROM staging');
        seq = Number(max.getRowsJS()[0]?.[0] ?? -1) + 1;
      },
      commit: () =>
        this.writes
          .run(() =>
            inTransaction(c, async () => {
              if (seq === 0) return 0;
              // Within a write the last occurrence of (key, feature, time) wins; across writes the
              // new value replaces the stored one. Both keep history free of duplicates.
              // A hash aggregate (not a window sort) keeps the highest seq per (feature, key, time).
              await c.run(`CREATE TEMP TABLE dedup AS
                SELECT feature, entity_key, event_time_ms, arg_max(value_json, seq) AS value_json FROM staging
                GROUP BY feature, entity_key, event_time_ms`);
              // Replacing stored values is only needed when these features already have history.
              const overlap = await c.runAndReadAll(
                'SELECT 1 FROM feature_values WHERE entity = $1 AND feature IN (SELECT DISTINCT feature FROM dedup) LIMIT 1',
                [entity],
              );
              if (overlap.currentRowCount > 0) {
                await c.run(
                  `DELETE FROM feature_values f USING dedup d
                   WHERE f.entity = $1 AND f.feature = d.feature AND f.entity_key = d.entity_key AND f.event_time_ms = d.event_time_ms`,
                  [entity],
                );
              }
              // Stored in (feature, key, time) order, so each feature's values sit in their own row
              // groups: scans for one feature skip the rest by zone map, and the per-feature ASOF
              // joins of point-in-time retrieval sort presorted input (3x faster than interleaved).
              const result = await c.run(
                `INSERT INTO feature_values SELECT $1, $2, feature, entity_key, event_time_ms, value_json, $3 FROM dedup
                 ORDER BY feature, entity_key, event_time_ms`,
                [entity, featureGroup, ingestedAt],
              );
              return Number(result.rowsChanged);
            }),
          )
          .finally(close),
      abort: async () => close(),
    };
  }

  async *range(query: RangeQuery): AsyncIterable<RangeRow[]> {
    const { sql, params } = asofSql(
      query.features,
      `(SELECT DISTINCT entity_key, event_time_ms AS t FROM feature_values
        WHERE entity = $1 AND feature IN (${query.features.map((_, i) => `$${i + 4}`).join(', ')})
          AND event_time_ms BETWEEN $2 AND $3)`,
      'l.entity_key, CAST(l.t AS DOUBLE)',
      'ORDER BY l.entity_key, l.t',
      4 + query.features.length,
    );
    const allParams = [query.entity, query.start, query.end, ...query.features.map((f) => f.name), ...params];
    yield* this.stream<RangeRow>(sql, allParams);
  }

  async *pointInTime(query: PointInTimeQuery): AsyncIterable<(string | null)[][]> {
    const connection = await this.instance.connect();
    try {
      await connection.run('CREATE TEMP TABLE labels (row_idx BIGINT, entity_key VARCHAR, t BIGINT)');
      const appender = await connection.createAppender('labels');
      for (let i = 0; i < query.entityKeys.length; i++) {
        appender.appendBigInt(BigInt(i));
        appender.appendVarchar(query.entityKeys[i]!);
        appender.appendBigInt(BigInt(query.times[i]!));
        appender.endRow();
      }
      appender.closeSync();
      const { sql, params } = asofSql(query.features, 'labels', '', 'ORDER BY l.row_idx', 2);
      yield* streamRows<(string | null)[]>(connection, sql, [query.entity, ...params]);
    } finally {
      connection.closeSync();
    }
  }

  async *latest(query: LatestQuery): AsyncIterable<LatestRow[]> {
    const params: (string | number)[] = [query.entity];
    const where = [`entity = $1`, `feature IN (${query.features.map((f) => `$${params.push(f)}`).join(', ')})`];
    if (query.start !== undefined) where.push(`event_time_ms >= $${params.push(query.start)}`);
    if (query.end !== undefined) where.push(`event_time_ms <= $${params.push(query.end)}`);
    if (query.ingestedAfter !== undefined) where.push(`ingested_ms > $${params.push(query.ingestedAfter)}`);
    yield* this.stream<LatestRow>(
      `SELECT entity_key, feature, arg_max(value_json, event_time_ms), CAST(max(event_time_ms) AS DOUBLE), CAST(max(ingested_ms) AS DOUBLE)
       FROM feature_values WHERE ${where.join(' AND ')} GROUP BY entity_key, feature ORDER BY entity_key, feature`,
      params,
    );
  }

  async summarize(query: WindowQuery & { probabilities: number[]; approximate?: boolean }): Promise<ValueSummary[]> {
    if (query.features.length === 0) return [];
    const { where, params } = windowWhere(query, (i) => `$${i}`);
    const probabilities = finiteList(query.probabilities);
    const rows = await withConnection(this.instance, async (c) => {
      const reader = await c.runAndReadAll(
        `WITH v AS (SELECT feature, value_json, TRY_CAST(value_json AS DOUBLE) AS x FROM feature_values WHERE ${where})
         SELECT feature, CAST(count(*) AS DOUBLE), CAST(count(x) AS DOUBLE), min(x), max(x), avg(x), stddev_samp(x),
                ${probabilities.length === 0 ? 'NULL' : query.approximate ? `reservoir_quantile(x, [${probabilities.join(', ')}], ${RESERVOIR})` : `quantile_cont(x, [${probabilities.join(', ')}])`},
                CAST(${query.approximate ? 'approx_count_distinct(value_json)' : 'count(DISTINCT value_json)'} AS DOUBLE)
         FROM v GROUP BY feature`,
        params,
      );
      return reader.getRowsJS();
    });
    return summariesFromRows(query.features, rows, probabilities.length);
  }

  async histogram(query: HistogramQuery): Promise<number[][][]> {
    if (query.features.length === 0 || query.windows.length === 0) return histogramFromRows(query, []);
    const { where, windowJoin, params } = windowsSql(query, (i) => `$${i}`);
    // Each value joins its feature's grid (a hash join on a tiny table); the bin is arithmetic.
    const grid = gridSql(query.grids, (i) => `$${i}`, (n) => `CAST(${n} AS DOUBLE)`, 2);
    const rows = await withConnection(this.instance, async (c) =>
      (
        await c.runAndReadAll(
          `SELECT win.w, v.feature, ${grid.bin} AS bin, CAST(count(*) AS DOUBLE)
           FROM (SELECT event_time_ms, feature, TRY_CAST(value_json AS DOUBLE) AS x FROM feature_values WHERE ${where}) v
           ${windowJoin}
           JOIN ${grid.values} ON g.feature = v.feature
           WHERE x IS NOT NULL GROUP BY ALL`,
          params,
        )
      ).getRowsJS(),
    );
    return histogramFromRows(query, rows);
  }

  async quantiles(query: QuantileQuery): Promise<{ count: number; quantiles: (number | null)[] }[]> {
    const empty = () => ({ count: 0, quantiles: query.probabilities.map(() => null) });
    if (query.features.length === 0) return [];
    const { where, params } = windowWhere(query, (i) => `$${i}`);
    const probabilities = finiteList(query.probabilities);
    // System sampling skips whole vectors before they are read and cast (about 8x less work at 10%).
    const sample = query.sample !== undefined && query.sample > 0 && query.sample < 1 ? ` USING SAMPLE ${finiteList([query.sample * 100])[0]} PERCENT (system)` : '';
    const rows = await withConnection(this.instance, async (c) =>
      (
        await c.runAndReadAll(
          `SELECT feature, CAST(count(x) AS DOUBLE), reservoir_quantile(x, [${probabilities.join(', ')}], ${RESERVOIR})
           FROM (SELECT feature, TRY_CAST(value_json AS DOUBLE) AS x FROM feature_values WHERE ${where}${sample}) GROUP BY feature`,
          params,
        )
      ).getRowsJS(),
    );
    const byFeature = new Map(rows.map((r) => [String(r[0]), r]));
    return query.features.map((feature) => {
      const r = byFeature.get(feature);
      if (!r || Number(r[1]) === 0) return empty();
      return { count: Number(r[1]), quantiles: (r[2] as unknown[]).map(numberOrNull) };
    });
  }

  async topValues(query: WindowQuery & { limit: number }): Promise<{ value: string; count: number }[][]> {
    if (query.features.length === 0) return [];
    const { where, params } = windowWhere(query, (i) => `$${i}`);
    const rows = await withConnection(this.instance, async (c) =>
      (
        await c.runAndReadAll(
          `SELECT feature, value_json, CAST(count(*) AS DOUBLE) AS n FROM feature_values WHERE ${where} GROUP BY feature, value_json
           QUALIFY row_number() OVER (PARTITION BY feature ORDER BY n DESC, value_json) <= ${Math.max(1, Math.floor(query.limit))}
           ORDER BY feature, n DESC, value_json`,
          params,
        )
      ).getRowsJS(),
    );
    return topValuesFromRows(query.features, rows);
  }

  async countRows(query: WindowQuery): Promise<number> {
    if (query.features.length === 0) return 0;
    const { where, params } = windowWhere(query, (i) => `$${i}`);
    return withConnection(this.instance, async (c) => {
      const reader = await c.runAndReadAll(`SELECT CAST(count(*) AS DOUBLE) FROM (SELECT DISTINCT entity_key, event_time_ms FROM feature_values WHERE ${where})`, params);
      return Number(reader.getRowsJS()[0]?.[0] ?? 0);
    });
  }

  async countKeys(query: WindowQuery): Promise<number> {
    if (query.features.length === 0) return 0;
    const { where, params } = windowWhere(query, (i) => `$${i}`);
    return withConnection(this.instance, async (c) => {
      const reader = await c.runAndReadAll(`SELECT CAST(count(DISTINCT entity_key) AS DOUBLE) FROM feature_values WHERE ${where}`, params);
      return Number(reader.getRowsJS()[0]?.[0] ?? 0);
    });
  }

  async daily(query: WindowQuery): Promise<DailySummary[]> {
    if (query.features.length === 0) return [];
    const { where, params } = windowWhere(query, (i) => `$${i}`);
    const rows = await withConnection(this.instance, async (c) =>
      (
        await c.runAndReadAll(
          `WITH v AS (SELECT feature, event_time_ms, TRY_CAST(value_json AS DOUBLE) AS x FROM feature_values WHERE ${where})
           SELECT feature, strftime(make_timestamp(event_time_ms * 1000), '%Y-%m-%d') AS day, CAST(count(*) AS DOUBLE), CAST(count(x) AS DOUBLE), avg(x), min(x), max(x)
           FROM v GROUP BY ALL ORDER BY feature, day`,
          params,
        )
      ).getRowsJS(),
    );
    return dailyFromRows(rows);
  }

  async countValues(entity: string, featureGroup: string): Promise<number> {
    return withConnection(this.instance, async (c) => {
      const reader = await c.runAndReadAll(
        'SELECT CAST(count(*) AS DOUBLE) FROM feature_values WHERE entity = $1 AND feature_group = $2',
        [entity, featureGroup],
      );
      return Number(reader.getRowsJS()[0]?.[0] ?? 0);
    });
  }

  async close(): Promise<void> {
    await this.writes.run(async () => this.instance.closeSync());
  }

  private async *stream<T>(sql: string, params: (string | number)[]): AsyncIterable<T[]> {
    const connection = await this.instance.connect();
    try {
      yield* streamRows<T>(connection, sql, params);
    } finally {
      connection.closeSync();
    }
  }
}


async function* streamRows<T>(c: DuckDBConnection, sql: string, params: (string | number)[]): AsyncIterable<T[]> {
  const result = await c.stream(sql, params);
  for await (const rows of result.yieldRowsJs()) yield rows as T[];
}

/**
 * Builds one ASOF LEFT JOIN per feature against a spine `l(entity_key, t)`: the latest value at or
 * before t, dropped when older than the feature's TTL. Feature names and TTLs are bound parameters
 * starting at $firstParam; only generated aliases (f0, f1, ...) appear in the SQL text.
 */
function asofSql(
  features: FeatureRef[],
  spine: string,
  leading: string,
  orderBy: string,
  firstParam: number,
): { sql: string; params: (string | number)[] } {
  const params: (string | number)[] = [];
  const joins: string[] = [];
  const selects: string[] = [];
  features.forEach((feature, i) => {
    const p = firstParam + i;
    params.push(feature.name);
    const alias = `f${i}`;
    joins.push(
      `ASOF LEFT JOIN (SELECT entity_key, event_time_ms, value_json FROM feature_values WHERE entity = $1 AND feature = $${p}) ${alias}
         ON l.entity_key = ${alias}.entity_key AND l.t >= ${alias}.event_time_ms`,
    );
    const ttlMs = feature.ttlSeconds === null ? null : feature.ttlSeconds * 1000;
    selects.push(
      ttlMs === null
        ? `${alias}.value_json`
        : `CASE WHEN l.t - ${alias}.event_time_ms <= ${Math.trunc(ttlMs)} THEN ${alias}.value_json END`,
    );
  });
  const select = [leading, ...selects].filter(Boolean).join(', ');
  return { sql: `SELECT ${select} FROM ${spine} l ${joins.join('\n')} ${orderBy}`, params };
}
