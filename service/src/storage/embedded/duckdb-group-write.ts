/**
 * How a staged batch becomes rows of a group table on DuckDB (ADR 0008). The batch is staged in a
 * temp table `staged(seq, entity_key, event_time_ms, <feature>...)` with NULL meaning "not
 * written". At commit, inside one transaction:
 *  1. the table gets any missing feature column (ADD COLUMN, no rewrite) or a changed type;
 *  2. repeats of (key, time) in the batch are merged, the last written value of each feature winning;
 *  3. a batch that writes every feature of every row and is newer than everything stored for its
 *     keys is appended as is (bulk loads, dense files);
 *  4. otherwise the stored rows at or after each key's first new time (re-sent or later rows, which
 *     a late event changes) are merged with the batch, and each feature's newest value is carried
 *     forward from the key's last earlier row, so every row stays a full state; the affected rows
 *     are replaced in one statement each. Work is bounded by the batch's keys' rows from that time.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import type { ValueType } from '@shared/domain/value-types.js';
import { carriedTimeColumn, groupTable, ident, INGESTED_COLUMN, KEY_COLUMN, TIME_COLUMN } from '../offline-layout.js';
import { duckTypeOf } from '../duckdb/duck-types.js';
import type { DuckDbOfflineCatalog } from './duckdb-offline-catalog.js';
import type { ParquetFacts as FileFacts } from '../offline-store.js';
import { duckRetype } from './duckdb-typed-values.js';

export const STAGED = 'staged';

/** The facts of the one Parquet file a write staged, by feature. */
export interface ParquetFacts extends Omit<FileFacts, 'values'> {
  values: ReadonlyMap<string, number>;
}

/** Adds the batch's new feature columns to the group table (creating it) and applies type changes. */
export async function ensureColumns(
  c: DuckDBConnection,
  catalog: DuckDbOfflineCatalog,
  group: string,
  columns: ReadonlyMap<string, ValueType>,
): Promise<boolean> {
  const table = groupTable(group);
  let changed = false;
  if (!catalog.hasTable(group)) {
    await c.run(
      `CREATE TABLE ${table} (${ident(KEY_COLUMN)} VARCHAR NOT NULL, ${ident(TIME_COLUMN)} TIMESTAMPTZ NOT NULL, ${ident(INGESTED_COLUMN)} TIMESTAMPTZ NOT NULL)`,
    );
    changed = true;
  }
  const existing = catalog.columnsOf(group);
  for (const [feature, valueType] of columns) {
    const current = existing.get(feature);
    if (current === valueType) continue;
    if (current === undefined) {
      await c.run(`ALTER TABLE ${table} ADD COLUMN ${ident(feature)} ${duckTypeOf(valueType)}`);
      await c.run(`ALTER TABLE ${table} ADD COLUMN ${ident(carriedTimeColumn(feature))} TIMESTAMPTZ`);
    } else {
      await retype(c, table, feature, current, valueType);
    }
    changed = true;
  }
  return changed;
}

/**
 * A value type change (a new version of the feature in the registry): the column is converted in
 * place when every stored value converts; otherwise the old column is kept under a `_retired_` name
 * (nothing is lost) and the feature starts a new, empty column.
 */
async function retype(c: DuckDBConnection, table: string, feature: string, from: ValueType, to: ValueType): Promise<void> {
  const col = ident(feature);
  const converted = duckRetype(col, from, to);
  const lost = await c.runAndReadAll(`SELECT count(*) FROM ${table} WHERE ${col} IS NOT NULL AND (${converted}) IS NULL`);
  if (Number(lost.getRowsJS()[0]?.[0] ?? 0) === 0) {
    await c.run(`ALTER TABLE ${table} ALTER ${col} SET DATA TYPE ${duckTypeOf(to)} USING ${converted}`);
    return;
  }
  const retired = `_retired_${Date.now()}_${feature}`;
  await c.run(`ALTER TABLE ${table} RENAME COLUMN ${col} TO ${ident(retired)}`);
  await c.run(`ALTER TABLE ${table} RENAME COLUMN ${ident(carriedTimeColumn(feature))} TO ${ident(`${retired}_time`)}`);
  await c.run(`ALTER TABLE ${table} ADD COLUMN ${col} ${duckTypeOf(to)}`);
  await c.run(`ALTER TABLE ${table} ADD COLUMN ${ident(carriedTimeColumn(feature))} TIMESTAMPTZ`);
}

/**
 * Merges the staged batch into the group table (whose columns already include the batch's).
 * `features` are all feature columns of the table, `batch` those the batch carries.
 */
export async function mergeStaged(
  c: DuckDBConnection,
  group: string,
  features: readonly string[],
  batch: readonly string[],
  ingestedAt: number,
  /** The staged rows' facts as the caller measured them (one Parquet file read in place). */
  facts?: ParquetFacts,
): Promise<number> {
  const table = groupTable(group);
  const q = (f: string) => ident(f);
  const t = (f: string) => ident(carriedTimeColumn(f));
  const time = `CAST(epoch_ms(event_time_ms) AS TIMESTAMPTZ)`;

  // 2. One row per (key, time); arg_max skips NULLs, so each feature keeps its last written value.
  // Rows that write none of these features write nothing here. One pass over the staged rows
  // answers every question the paths below depend on.
  const anyValue = batch.map((f) => `${q(f)} IS NOT NULL`).join(' OR ');
  const stats =
    knownStats(facts, batch) ??
    (await one(
      c,
      `SELECT count(*) FILTER (WHERE ${anyValue}), count(DISTINCT (entity_key, event_time_ms)) FILTER (WHERE ${anyValue}),
              CAST(min(event_time_ms) FILTER (WHERE ${anyValue}) AS DOUBLE), ${batch.map((f) => `count(${q(f)})`).join(', ')}
       FROM ${STAGED}`,
    ));
  const rows = Number(stats[0]);
  if (rows === 0) return 0;
  const unique = rows === Number(stats[1]);
  const stored = await one(c, `SELECT CAST(epoch_ms(max(${q(TIME_COLUMN)})) AS DOUBLE) FROM ${table}`);
  const newestStored = stored[0] === null || stored[0] === undefined ? null : Number(stored[0]);
  const hasLater = newestStored !== null && Number(stats[2]) <= newestStored;
  const batchCols = batch.map(q).join(', ');
  const fromStaged = `SELECT entity_key AS ${q(KEY_COLUMN)}, ${time} AS ${q(TIME_COLUMN)}, ${batchCols} FROM ${STAGED} WHERE ${anyValue}`;
  const ingested = `CAST(epoch_ms(${Math.trunc(ingestedAt)}) AS TIMESTAMPTZ)`;
  if (unique && !hasLater && batch.length === features.length && stats.slice(3).every((n) => Number(n) === rows)) {
    // 3. Every row is already a full state: straight from the staged rows into the table.
    await c.run(
      `INSERT INTO ${table} BY NAME SELECT *, ${ingested} AS ${q(INGESTED_COLUMN)} FROM (${fromStaged}) ORDER BY ${q(KEY_COLUMN)}, ${q(TIME_COLUMN)}`,
    );
    return stats.slice(3).reduce<number>((sum, n) => sum + Number(n), 0);
  }
  await c.run(
    unique
      ? `CREATE TEMP TABLE batch AS ${fromStaged}`
      : `CREATE TEMP TABLE batch AS SELECT entity_key AS ${q(KEY_COLUMN)}, ${time} AS ${q(TIME_COLUMN)}, ${batch.map((f) => `arg_max(${q(f)}, seq) AS ${q(f)}`).join(', ')}
         FROM ${STAGED} WHERE ${anyValue} GROUP BY entity_key, event_time_ms`,
  );
  try {
    const counts = await one(c, `SELECT count(*), ${batch.map((f) => `count(${q(f)})`).join(', ')} FROM batch`);
    const batchRows = Number(counts[0]);
    const perFeature = counts.slice(1).map(Number);
    const written = perFeature.reduce((sum, n) => sum + n, 0);
    const dense = batch.length === features.length && perFeature.every((n) => n === batchRows);

    if (dense && !hasLater) {
      // 3. (after merging repeats) Every row is a full state.
      await c.run(
        `INSERT INTO ${table} BY NAME SELECT ${q(KEY_COLUMN)}, ${q(TIME_COLUMN)}, ${ingested} AS ${q(INGESTED_COLUMN)}, ${batchCols}
         FROM batch ORDER BY ${q(KEY_COLUMN)}, ${q(TIME_COLUMN)}`,
      );
      return written;
    }

    // 4. Events: the batch's rows, merged with stored rows at or after each key's first new time.
    await c.run(`CREATE TEMP TABLE first_new AS SELECT ${q(KEY_COLUMN)}, min(${q(TIME_COLUMN)}) AS t FROM batch GROUP BY ALL`);
    const allCols = features.map(q).join(', ');
    const fromBatch = `SELECT ${q(KEY_COLUMN)}, ${q(TIME_COLUMN)}, ${features.map((f) => (batch.includes(f) ? q(f) : `NULL AS ${q(f)}`)).join(', ')} FROM batch`;
    if (hasLater) {
      await c.run(
        `CREATE TEMP TABLE later AS SELECT s.* FROM ${table} s JOIN first_new n ON s.${q(KEY_COLUMN)} = n.${q(KEY_COLUMN)} AND s.${q(TIME_COLUMN)} >= n.t`,
      );
      // A stored row contributes only the values written in it (not those it carried).
      const writtenThere = features.map((f) => `CASE WHEN ${t(f)} IS NULL THEN ${q(f)} END AS ${q(f)}`).join(', ');
      await c.run(
        `CREATE TEMP TABLE events AS SELECT ${q(KEY_COLUMN)}, ${q(TIME_COLUMN)}, ${features.map((f) => `arg_max(${q(f)}, pri) AS ${q(f)}`).join(', ')}
         FROM (SELECT 1 AS pri, * FROM (${fromBatch}) UNION ALL SELECT 0 AS pri, ${q(KEY_COLUMN)}, ${q(TIME_COLUMN)}, ${writtenThere} FROM later)
         GROUP BY ALL`,
      );
    } else {
      await c.run(`CREATE TEMP TABLE events AS ${fromBatch}`);
    }
    const eventCounts = await one(c, `SELECT count(*), ${features.map((f) => `count(${q(f)})`).join(', ')} FROM events`);
    const gaps = features.filter((_, i) => Number(eventCounts[i + 1]) < Number(eventCounts[0]));

    // Each feature with gaps carries its last value (and that value's time) forward, starting from
    // the key's newest stored row before its first new time.
    const stateOf = (f: string) =>
      gaps.includes(f)
        ? `last_value(${q(f)} IGNORE NULLS) OVER w AS ${q(f)},
           nullif(last_value(CASE WHEN ${q(f)} IS NOT NULL THEN src_${features.indexOf(f)} END IGNORE NULLS) OVER w, ${q(TIME_COLUMN)}) AS ${t(f)}`
        : `${q(f)}, NULL AS ${t(f)}`;
    const sources = gaps.map((f) => `${q(TIME_COLUMN)} AS src_${features.indexOf(f)}`);
    let union = `SELECT 1 AS is_event, ${q(KEY_COLUMN)}, ${q(TIME_COLUMN)}, ${allCols}${sources.length ? `, ${sources.join(', ')}` : ''} FROM events`;
    if (gaps.length > 0 && newestStored !== null) {
      const baseCols = gaps.map((f) => `b.${q(f)}, coalesce(b.${t(f)}, b.${q(TIME_COLUMN)}) AS src_${features.indexOf(f)}`);
      union += ` UNION ALL BY NAME SELECT 0 AS is_event, b.${q(KEY_COLUMN)}, b.${q(TIME_COLUMN)}, ${baseCols.join(', ')}
        FROM (SELECT unnest(arg_max(s, s.${q(TIME_COLUMN)})) FROM ${table} s JOIN first_new n ON s.${q(KEY_COLUMN)} = n.${q(KEY_COLUMN)} AND s.${q(TIME_COLUMN)} < n.t
              GROUP BY n.${q(KEY_COLUMN)}) b`;
    }
    await c.run(
      gaps.length === 0
        ? `CREATE TEMP TABLE states AS SELECT ${q(KEY_COLUMN)}, ${q(TIME_COLUMN)}, ${features.map(stateOf).join(', ')} FROM events`
        : `CREATE TEMP TABLE states AS SELECT ${q(KEY_COLUMN)}, ${q(TIME_COLUMN)}, ${features.map(stateOf).join(', ')}
           FROM (${union})
           WINDOW w AS (PARTITION BY ${q(KEY_COLUMN)} ORDER BY ${q(TIME_COLUMN)} ROWS UNBOUNDED PRECEDING)
           QUALIFY is_event = 1`,
    );
    if (hasLater) {
      await c.run(
        `DELETE FROM ${table} s USING later l WHERE s.${q(KEY_COLUMN)} = l.${q(KEY_COLUMN)} AND s.${q(TIME_COLUMN)} = l.${q(TIME_COLUMN)}`,
      );
    }
    await c.run(
      `INSERT INTO ${table} BY NAME SELECT *, ${ingested} AS ${q(INGESTED_COLUMN)} FROM states ORDER BY ${q(KEY_COLUMN)}, ${q(TIME_COLUMN)}`,
    );
    return written;
  } finally {
    for (const temp of ['batch', 'first_new', 'later', 'events', 'states']) await c.run(`DROP TABLE IF EXISTS ${temp}`);
  }
}

/**
 * The answer of the stats query above from the caller's facts, when they tell it exactly: a file
 * whose every row writes every feature (otherwise rows writing none of these features would have to
 * be told apart, which the facts do not say).
 */
function knownStats(facts: ParquetFacts | undefined, batch: readonly string[]): unknown[] | undefined {
  if (!facts || facts.rows === 0 || facts.oldestEventMs === null) return undefined;
  const values = batch.map((f) => facts.values.get(f));
  if (values.some((n) => n !== facts.rows)) return undefined;
  // Only "all unique" or "not all unique" matters below: rows - 1 stands for any repeat.
  return [facts.rows, facts.repeatedKeyTimes ? facts.rows - 1 : facts.rows, facts.oldestEventMs, ...values];
}

async function one(c: DuckDBConnection, sql: string, params?: (string | number)[]): Promise<unknown[]> {
  const reader = await c.runAndReadAll(sql, params);
  return reader.getRowsJS()[0] ?? [];
}
