/**
 * How a staged batch becomes rows of a group table on PostgreSQL (ADR 0008; the embedded store's
 * duckdb-group-write.ts does the same in DuckDB). The batch is staged in a temp table
 * `fstore_staged(seq, entity_key, event_time, <feature>...)` with NULL meaning "not written". At
 * commit, inside the write's transaction and holding the group's lock (a first part that qualified
 * for the bulk path is already in the table then: postgres-writer.ts):
 *  1. the table gets any missing feature column (ADD COLUMN, no rewrite) or a changed type;
 *  2. repeats of (key, time) in the batch are merged, the last written value of each feature winning;
 *  3. a batch that writes every feature of every row and is newer than everything stored for its
 *     keys is inserted as is (bulk loads, dense files);
 *  4. otherwise the stored rows at or after each key's first new time (re-sent or later rows, which
 *     a late event changes) are merged with the batch, and each feature's newest value is carried
 *     forward from the key's last earlier row, so every row stays a full state; the affected rows
 *     are upserted in one statement. Work is bounded by the batch's keys' rows from that time.
 * PostgreSQL has no `last_value(... IGNORE NULLS)`. A feature written in only some of the merged
 * rows takes the newest value at or before each row as the maximum of (row number, value) pairs
 * over the key's rows in time order: one window pass for all such features (newestValue). Measured
 * against the islands trick (a running count numbers each feature's islands, then first_value over
 * (key, island): one window and sort per feature) and against joining each row to its feature's
 * newest row number: for 1M sparse rows of 10 features into an empty table the fill and insert took
 * 11.5 s, 35.1 s and 27 + 5.6 s; for 100k late rows into 1M, 5.2 s, 9.5 s and 6.9 + 1.5 s. A feature
 * written in none of the merged rows takes the key's earlier row's value by a join, and one written
 * in all of them needs nothing.
 */
import type { ValueType } from '@shared/domain/value-types.js';
import { AppError } from '../../errors/app-error.js';
import { carriedTimeColumn, groupTable, groupView, groupViewSelect, ident, INGESTED_COLUMN, KEY_COLUMN, pgColumnType, TIME_COLUMN } from '../offline-layout.js';
import type { Client, PgConnections } from './postgres-connection.js';
import type { PgOfflineCatalog } from './postgres-offline-catalog.js';
import { tsFromMs } from './postgres-offline-sql.js';
import { listConforms, listTypeComment, pgRetype } from './postgres-typed-values.js';
import { isListValueType } from '@shared/domain/value-types.js';

export const STAGED = 'fstore_staged';

/** PostgreSQL tables hold at most 1600 columns, dropped ones included. */
const MAX_COLUMNS = 1600;
/** Key, event time and ingestion time, then two columns per feature. */
export const MAX_TABLE_FEATURES = Math.floor((MAX_COLUMNS - 3) / 2);

/** Batches of at least this many rows get statistics before the merge joins them to the table. */
const ANALYZE_ROWS = 10_000;

export function createStagingSql(): string {
  return `CREATE TEMP TABLE ${STAGED} (seq bigint NOT NULL, entity_key text COLLATE "C" NOT NULL, event_time timestamptz NOT NULL) ON COMMIT DROP`;
}

/** The staging column of a feature (its value type's column type; NULL = not written). */
export function addStagingColumnSql(feature: string, valueType: ValueType): string {
  carriedTimeColumn(feature); // validates the name
  return `ALTER TABLE ${STAGED} ADD COLUMN ${ident(feature)} ${pgColumnType(valueType)}`;
}

/**
 * Adds the batch's new feature columns to the group table (creating it) and applies type changes.
 * Returns whether the schema changed.
 */
export async function ensureColumns(
  conn: PgConnections,
  c: Client,
  catalog: PgOfflineCatalog,
  group: string,
  columns: ReadonlyMap<string, ValueType>,
): Promise<boolean> {
  const table = groupTable(group);
  const existing = catalog.columnsOf(group);
  const added = [...columns].filter(([feature]) => !existing.has(feature));
  const retyped = [...columns].filter(([feature, valueType]) => {
    const current = existing.get(feature);
    return current !== undefined && (current.valueType !== valueType || !current.exact);
  });
  if (added.length === 0 && retyped.length === 0 && catalog.hasTable(group)) return false;

  const features = existing.size + added.length;
  if (features > MAX_TABLE_FEATURES) {
    throw new AppError(
      'FSTORE_LIMIT_EXCEEDED',
      `Feature group '${group}' would have ${features} features in its offline table; a PostgreSQL table holds at most ${MAX_TABLE_FEATURES} (1600 columns, two per feature)`,
      { limit: 'postgresTableFeatures', value: MAX_TABLE_FEATURES, features },
    );
  }
  // Retired columns of type changes (and dropped columns) still count towards PostgreSQL's limit.
  const attributes = (catalog.hasTable(group) ? catalog.attributesOf(group) : 3) + 2 * (added.length + retyped.length);
  if (attributes > MAX_COLUMNS) {
    throw new AppError(
      'FSTORE_LIMIT_EXCEEDED',
      `Feature group '${group}' would need ${attributes} columns in its offline table, counting columns kept from value type changes; PostgreSQL allows ${MAX_COLUMNS}`,
      { limit: 'postgresTableColumns', value: MAX_COLUMNS, columns: attributes },
    );
  }

  // A view pins the types and names of the columns it shows: it is rebuilt after the change.
  await conn.run(c, `DROP VIEW IF EXISTS ${groupView(group)}`);
  if (!catalog.hasTable(group)) {
    await conn.run(
      c,
      `CREATE TABLE IF NOT EXISTS ${table} (
         ${ident(KEY_COLUMN)} text COLLATE "C" NOT NULL,
         ${ident(TIME_COLUMN)} timestamptz NOT NULL,
         ${ident(INGESTED_COLUMN)} timestamptz NOT NULL,
         PRIMARY KEY (${ident(KEY_COLUMN)}, ${ident(TIME_COLUMN)}))`,
    );
  }
  if (added.length > 0) {
    // One statement, no rewrite: a column without a default is a catalog change only.
    const clauses = added.flatMap(([feature, valueType]) => [
      `ADD COLUMN ${ident(feature)} ${pgColumnType(valueType)}`,
      `ADD COLUMN ${ident(carriedTimeColumn(feature))} timestamptz`,
    ]);
    await conn.run(c, `ALTER TABLE ${table} ${clauses.join(', ')}`);
    for (const [feature, valueType] of added) await setListComment(conn, c, table, feature, valueType);
  }
  for (const [feature, valueType] of retyped) await retype(conn, c, table, feature, existing.get(feature)!.valueType, valueType);
  const names = [...existing.keys(), ...added.map(([feature]) => feature)];
  await conn.run(c, `CREATE VIEW ${groupView(group)} AS ${groupViewSelect(group, names)}`);
  return true;
}

async function setListComment(conn: PgConnections, c: Client, table: string, feature: string, valueType: ValueType): Promise<void> {
  const comment = listTypeComment(valueType);
  await conn.run(c, `COMMENT ON COLUMN ${table}.${ident(feature)} IS ${comment === null ? 'NULL' : `'${comment}'`}`);
}

/**
 * A value type change (a new version of the feature in the registry): the column is converted in
 * place when every stored value converts; otherwise the old column is kept under a `_retired_` name
 * (nothing is lost) and the feature starts a new, empty column. A conversion that fails midway is
 * undone with a savepoint (PostgreSQL 15 has no TRY_CAST to test values first).
 */
async function retype(conn: PgConnections, c: Client, table: string, feature: string, from: ValueType, to: ValueType): Promise<void> {
  const col = ident(feature);
  const target = pgColumnType(to);
  const [stored] = (await conn.one(c, `SELECT count(*)::float8 FROM ${table} WHERE ${col} IS NOT NULL`)) as [number];
  if (Number(stored) === 0) {
    await conn.run(c, `ALTER TABLE ${table} ALTER COLUMN ${col} TYPE ${target} USING NULL::${target}`);
    await setListComment(conn, c, table, feature, to);
    return;
  }
  const converted = pgRetype(col, from, to);
  if (converted !== undefined) {
    await conn.run(c, 'SAVEPOINT fstore_retype');
    try {
      if (isListValueType(to)) {
        const [bad] = (await conn.one(c, `SELECT count(*)::float8 FROM ${table} WHERE ${col} IS NOT NULL AND NOT ${listConforms(converted, to)}`)) as [number];
        if (Number(bad) > 0) throw new Error('some stored lists do not convert');
      }
      if (pgColumnType(from) !== target) await conn.run(c, `ALTER TABLE ${table} ALTER COLUMN ${col} TYPE ${target} USING ${converted}`);
      await setListComment(conn, c, table, feature, to);
      await conn.run(c, 'RELEASE SAVEPOINT fstore_retype');
      return;
    } catch {
      await conn.run(c, 'ROLLBACK TO SAVEPOINT fstore_retype');
    }
  }
  const retired = layoutName(`_retired_${Date.now()}_${feature}`);
  await conn.run(c, `ALTER TABLE ${table} RENAME COLUMN ${col} TO ${ident(retired)}`);
  await conn.run(c, `ALTER TABLE ${table} RENAME COLUMN ${ident(carriedTimeColumn(feature))} TO ${ident(layoutName(`${retired}_time`))}`);
  await conn.run(c, `ALTER TABLE ${table} ADD COLUMN ${col} ${target}, ADD COLUMN ${ident(carriedTimeColumn(feature))} timestamptz`);
  await setListComment(conn, c, table, feature, to);
}

/** A bookkeeping name within PostgreSQL's 63 bytes (longer ones end in a hash of the whole). */
function layoutName(name: string): string {
  if (name.length <= 63) return name;
  let hash = 0;
  for (let i = 0; i < name.length; i++) hash = (Math.imul(hash, 31) + name.charCodeAt(i)) >>> 0;
  const suffix = hash.toString(16).padStart(8, '0');
  return `${name.slice(0, 63 - suffix.length - 1)}_${suffix}`;
}

/**
 * Merges the staged batch into the group table (whose columns already include the batch's).
 * `features` are all feature columns of the table with their value types, `batch` those the batch
 * carries. Returns the values written: non-null cells of the de-duplicated batch (less those at
 * `overlap`'s rows, already counted).
 */
export async function mergeStaged(
  conn: PgConnections,
  c: Client,
  group: string,
  features: ReadonlyMap<string, ValueType>,
  batch: readonly string[],
  ingestedAt: number,
  options: {
    /** Rows (k, t) this write already put in the table with every one of `features` written. */
    overlap?: { table: string; features: readonly string[] } | undefined;
    /** False when the staged rows are known to hold no (key, time) twice. */
    duplicates?: boolean;
  } = {},
): Promise<number> {
  const { overlap } = options;
  const table = groupTable(group);
  const q = ident;
  const t = (f: string) => ident(carriedTimeColumn(f));
  const key = q(KEY_COLUMN);
  const time = q(TIME_COLUMN);
  const all = [...features.keys()];
  const ingested = tsFromMs(String(Math.trunc(ingestedAt)));
  // Temp tables are dropped after a merge (a commit may merge into several tables); after an error
  // the rollback removes them.
  const temps: string[] = [];
  const dropTemps = async () => {
    for (const name of temps.splice(0)) await conn.run(c, `DROP TABLE ${name}`);
  };
  const temp = async (name: string, sql: string, analyze: boolean) => {
    temps.push(name);
    await conn.run(c, `CREATE TEMP TABLE ${name} ON COMMIT DROP AS ${sql}`);
    if (analyze) await conn.run(c, `ANALYZE ${name}`);
  };
  // Rows that write none of these features write nothing here.
  const anyValue = batch.map((f) => `${q(f)} IS NOT NULL`).join(' OR ');
  const counts = async (relation: string, cols: readonly string[]) =>
    (await conn.one(c, `SELECT count(*)::float8, ${cols.map((f) => `count(${q(f)})::float8`).join(', ')} FROM ${relation}`)).map(Number);
  let [rows, ...perFeature] = await counts(`${STAGED} WHERE ${anyValue}`, batch);
  if (!rows) return 0;
  const hasDuplicates =
    options.duplicates !== false &&
    ((await conn.one(c, `SELECT EXISTS (SELECT 1 FROM ${STAGED} WHERE ${anyValue} GROUP BY entity_key, event_time HAVING count(*) > 1)`))[0] as boolean);
  const [tableEmpty] = (await conn.one(c, `SELECT NOT EXISTS (SELECT 1 FROM ${table})`)) as [boolean];
  const large = rows >= ANALYZE_ROWS;

  // 2. One row per (key, time); each feature keeps its last written value.
  let batchRows: string;
  if (hasDuplicates) {
    await temp(
      'fstore_batch',
      `SELECT entity_key AS ${key}, event_time AS ${time},
              ${batch.map((f) => `(array_agg(${q(f)} ORDER BY seq DESC) FILTER (WHERE ${q(f)} IS NOT NULL))[1] AS ${q(f)}`).join(', ')}
       FROM ${STAGED} WHERE ${anyValue} GROUP BY entity_key, event_time`,
      large,
    );
    [rows, ...perFeature] = await counts('fstore_batch', batch);
    batchRows = 'fstore_batch';
  } else {
    batchRows = `(SELECT entity_key AS ${key}, event_time AS ${time}, ${batch.map(q).join(', ')} FROM ${STAGED} WHERE ${anyValue})`;
  }
  let written = perFeature.reduce((sum, n) => sum + n, 0);
  const shared = batch.filter((f) => overlap?.features.includes(f));
  if (overlap && shared.length > 0) {
    // Values replacing ones this very write put there were counted then.
    const [replaced] = await conn.one(
      c,
      `SELECT coalesce(sum(${shared.map((f) => `(b.${q(f)} IS NOT NULL)::int`).join(' + ')}), 0)::float8
       FROM ${batchRows} b JOIN ${overlap.table} o ON o.k = b.${key} AND o.t = b.${time}`,
    );
    written -= Number(replaced);
  }
  const dense = batch.length === all.length && perFeature.every((n) => n === rows);

  // Whether any stored row of the batch's keys is at or after the key's first new time (rows the
  // merge rewrites; without them every batch row is new, and nothing stored changes).
  const later =
    !tableEmpty &&
    ((await conn.one(
      c,
      `SELECT EXISTS (SELECT 1 FROM (SELECT ${key}, min(${time}) AS t0 FROM ${batchRows} b GROUP BY ${key}) n
                      JOIN ${table} s ON s.${key} = n.${key} AND s.${time} >= n.t0)`,
    ))[0] as boolean);

  const columns = all.flatMap((f) => [q(f), t(f)]).join(', ');
  if (dense && !later) {
    // 3. Every row is already a full state, and nothing is stored at or after it.
    await conn.run(
      c,
      `INSERT INTO ${table} (${key}, ${time}, ${q(INGESTED_COLUMN)}, ${all.map(q).join(', ')})
       SELECT ${key}, ${time}, ${ingested}, ${all.map(q).join(', ')} FROM ${batchRows} b ORDER BY ${key}, ${time}`,
    );
    await dropTemps();
    return written;
  }

  // 4. Events: the batch's rows, merged with stored rows at or after each key's first new time.
  if (!hasDuplicates) {
    await temp('fstore_batch', `SELECT * FROM ${batchRows} b`, large);
    batchRows = 'fstore_batch';
  }
  await temp('fstore_first_new', `SELECT ${key}, min(${time}) AS t0 FROM fstore_batch GROUP BY ${key}`, large);
  const fromBatch = new Set(batch);
  const typedNull = (f: string) => `NULL::${pgColumnType(features.get(f)!)}`;
  // A stored row contributes only the values written in it (not those it carried).
  const writtenThere = (f: string) => `CASE WHEN l.${t(f)} IS NULL THEN l.${q(f)} END`;
  await temp(
    'fstore_events',
    !later
      ? `SELECT ${key}, ${time}, ${all.map((f) => (fromBatch.has(f) ? q(f) : `${typedNull(f)} AS ${q(f)}`)).join(', ')} FROM fstore_batch`
      : `SELECT coalesce(b.${key}, l.${key}) AS ${key}, coalesce(b.${time}, l.${time}) AS ${time},
                ${all.map((f) => `${fromBatch.has(f) ? `coalesce(b.${q(f)}, ${writtenThere(f)})` : writtenThere(f)} AS ${q(f)}`).join(', ')}
         FROM fstore_batch b
         FULL JOIN (SELECT s.* FROM ${table} s JOIN fstore_first_new n ON s.${key} = n.${key} AND s.${time} >= n.t0) l
           ON l.${key} = b.${key} AND l.${time} = b.${time}`,
    false,
  );
  const [events = 0, ...eventCounts] = await counts('fstore_events', all);
  const full = new Set(all.filter((_, i) => eventCounts[i] === events));
  const mixed = all.filter((_, i) => eventCounts[i]! > 0 && eventCounts[i]! < events);
  const none = all.filter((_, i) => eventCounts[i] === 0);

  // The key's newest stored row before its first new time: the state the events continue, with
  // each value's written time.
  const needBase = !tableEmpty && full.size < all.length;
  if (needBase) {
    const carried = all.filter((f) => !full.has(f));
    await temp(
      'fstore_base',
      `SELECT n.${key}, b.${time}, ${carried.flatMap((f) => [`b.${q(f)}`, `CASE WHEN b.${q(f)} IS NOT NULL THEN coalesce(b.${t(f)}, b.${time}) END AS ${t(f)}`]).join(', ')}
       FROM fstore_first_new n
       CROSS JOIN LATERAL (SELECT * FROM ${table} s WHERE s.${key} = n.${key} AND s.${time} < n.t0 ORDER BY s.${time} DESC LIMIT 1) b`,
      false,
    );
  }

  const src = (f: string) => ident(`_src_${all.indexOf(f)}`);
  const assignments = [q(INGESTED_COLUMN), ...all.flatMap((f) => [q(f), t(f)])].map((col) => `${col} = EXCLUDED.${col}`);
  const baseJoin = needBase && none.length > 0 ? `LEFT JOIN fstore_base b ON b.${key} = e.${key}` : '';
  // Only rewritten stored rows conflict.
  const upsert = (select: string) =>
    conn.run(
      c,
      `INSERT INTO ${table} (${key}, ${time}, ${q(INGESTED_COLUMN)}, ${columns}) ${select}${later ? ` ON CONFLICT (${key}, ${time}) DO UPDATE SET ${assignments.join(', ')}` : ''}`,
    );
  // Mixed features: in one window pass over the merged rows in (key, time) order (the base row
  // first), each takes its value from the newest row at or before that holds one: the maximum of
  // (row number, value) pairs, compared on the number. Written times rise with the rows, so the
  // newest one is their maximum.
  const parts = [
    `SELECT 1 AS is_event, ${key}, ${time}, ${all.map(q).join(', ')}, ${mixed.map((f) => `CASE WHEN ${q(f)} IS NOT NULL THEN ${time} END AS ${src(f)}`).join(', ')}
     FROM fstore_events`,
  ];
  if (needBase) {
    parts.push(`SELECT 0, ${key}, ${time}, ${all.map((f) => (mixed.includes(f) ? q(f) : typedNull(f))).join(', ')}, ${mixed.map(t).join(', ')} FROM fstore_base`);
  }
  const w = `OVER (PARTITION BY ${key} ORDER BY ${time} ROWS UNBOUNDED PRECEDING)`;
  const filled = mixed.flatMap((f) => [`${newestValue(q(f), features.get(f)!, w)} AS ${q(f)}`, `max(${src(f)}) ${w} AS ${src(f)}`]);
  const passed = all.filter((f) => !mixed.includes(f)).map(q);
  const states = all.flatMap((f) => {
    if (full.has(f)) return [`e.${q(f)}`, 'NULL::timestamptz'];
    if (mixed.includes(f)) return [`e.${q(f)}`, `nullif(e.${src(f)}, e.${time})`];
    // Written in none of the events: the base row's value, if any, carried.
    return needBase ? [`b.${q(f)}`, `b.${t(f)}`] : [typedNull(f), 'NULL::timestamptz'];
  });
  const source =
    mixed.length === 0
      ? 'fstore_events e'
      : `(SELECT is_event, ${key}, ${time}, ${[...passed, ...filled].join(', ')}
          FROM (SELECT row_number() OVER (ORDER BY ${key}, ${time}) AS rn, * FROM (${parts.join(' UNION ALL ')}) u) n) e`;
  await upsert(`SELECT e.${key}, e.${time}, ${ingested}, ${states.join(', ')} FROM ${source} ${baseJoin} ${mixed.length > 0 ? 'WHERE e.is_event = 1' : ''} ORDER BY e.${key}, e.${time}`);
  await dropTemps();
  return written;
}


/**
 * The newest non-null value of a column over a window ordered by time, given the row number `rn`:
 * the maximum of [rn, value] arrays (arrays compare element by element, and rn is unique), one
 * aggregate that runs incrementally over the window. Doubles and integers pair with rn in their
 * own type; other types travel as text, which reads back exactly.
 */
function newestValue(col: string, valueType: ValueType, window: string): string {
  const newest = (pair: string) => `(max(CASE WHEN ${col} IS NOT NULL THEN ${pair} END) ${window})[2]`;
  if (valueType === 'FLOAT') return newest(`ARRAY[rn::float8, ${col}]`);
  if (valueType === 'INT') return newest(`ARRAY[rn, ${col}]`);
  return `${newest(`ARRAY[lpad(rn::text, 20, '0'), ${col}::text] COLLATE "C"`)}::${pgColumnType(valueType)}`;
}
