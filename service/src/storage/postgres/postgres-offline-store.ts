import { join } from 'node:path';
import { quoteIdent, quoteLiteral } from '../../staging/typed-sql.js';
import type { ValueType } from '@shared/domain/value-types.js';
import { carriedTimeColumn, duckColumnType, groupTable, ident, INGESTED_COLUMN, isFeatureColumn, KEY_COLUMN, OFFLINE_SCHEMA, TIME_COLUMN, VIEW_SCHEMA } from '../offline-layout.js';
import {
  writeOnce,
  type DailySummary,
  type HistogramQuery,
  type LatestQuery,
  type LatestRow,
  type LegacyFeatureTypes,
  type NewestValue,
  type NewestValuesQuery,
  type MigrationReport,
  type OfflineColumnType,
  type OfflineBatch,
  type OfflineStore,
  type OfflineWriter,
  passthroughNames,
  type PointInTimeFileQuery,
  type PointInTimeQuery,
  type QuantileQuery,
  type RangeQuery,
  type RangeRow,
  type ValueSummary,
  type WindowQuery,
} from '../offline-store.js';
import { redactUrl } from '../redact-url.js';
import { escapeCopy, PgConnections, wrap, type PostgresStoreOptions } from './postgres-connection.js';
import { duckFromPgText, DuckFiles, duckString, readPgCsv, withTempDir } from './postgres-files.js';
import { PgOfflineCatalog } from './postgres-offline-catalog.js';
import { PgMonitoring } from './postgres-offline-monitoring.js';
import { anyWritten, jsonCell, lateralJoins, msFromTs, ownCells, tsFromMs, tsLiteral, windowClause, type Cell } from './postgres-offline-sql.js';
import { pgToJson, valueTypeOfPgColumn } from './postgres-typed-values.js';
import { PgGroupWriter } from './postgres-writer.js';
import { hasLegacyTable, migrateLegacy } from './postgres-legacy-migration.js';

export { POSTGRES_DEFAULTS, type PostgresStoreOptions } from './postgres-connection.js';

/**
 * Offline store on PostgreSQL: one typed table per feature group in the `fstore_offline` schema
 * (ADR 0008, docs/offline-store.md), the same layout as the embedded store. Writes stage chunks
 * with COPY in a temp table and merge them at commit, in one transaction holding the group's lock;
 * a dense Parquet file goes straight into the table (postgres-writer.ts). Point-in-time retrieval
 * is one LATERAL primary-key lookup per group table, assembled by PostgreSQL and streamed out
 * through a cursor or COPY; files in and out pass through an in-memory DuckDB as CSV, never as rows
 * in JavaScript. The catalog is read from PostgreSQL on every operation, so several service
 * instances can share the database. The long table of earlier versions (fstore_feature_values) is
 * neither read nor changed here (migration moves it).
 */
export class PostgresOfflineStore implements OfflineStore {
  readonly description: string;
  private readonly monitoring: PgMonitoring;
  private readonly files = new DuckFiles();
  needsMigration = false;

  private constructor(
    private readonly conn: PgConnections,
    url: string,
  ) {
    this.description = `PostgreSQL at ${redactUrl(url)}`;
    this.monitoring = new PgMonitoring(conn);
  }

  static async open(url: string, options: PostgresStoreOptions = {}): Promise<PostgresOfflineStore> {
    const conn = PgConnections.create(url, options);
    const store = new PostgresOfflineStore(conn, url);
    try {
      // Created only when missing: a role may use the schemas without the right to create one.
      await conn.withClient(async (c) => {
        for (const schema of [OFFLINE_SCHEMA, VIEW_SCHEMA]) {
          const [exists] = (await conn.one(c, 'SELECT EXISTS (SELECT 1 FROM pg_catalog.pg_namespace WHERE nspname = $1)', [schema])) as [boolean];
          if (exists) continue;
          await conn.run(c, `CREATE SCHEMA IF NOT EXISTS ${ident(schema)}`).catch((err: { code?: string }) => {
            if (err.code !== '23505' && err.code !== '42P06') throw err; // created meanwhile by another instance
          });
        }
      });
      store.needsMigration = await hasLegacyTable(conn);
    } catch (err) {
      await conn.end().catch(() => undefined);
      throw err;
    }
    return store;
  }

  write(batch: OfflineBatch, ingestedAt: number): Promise<number> {
    return writeOnce(this, batch, ingestedAt);
  }

  async migrate(types: LegacyFeatureTypes, onProgress: (message: string) => void = () => undefined): Promise<MigrationReport> {
    if (!(await hasLegacyTable(this.conn))) return { groups: 0, values: 0, elapsedMs: 0 };
    const report = await migrateLegacy(this.conn, (group) => this.beginWrite('', group, Date.now()), types, onProgress);
    this.needsMigration = false;
    return report;
  }

  async locate(features: readonly string[]): Promise<Map<string, OfflineColumnType[]>> {
    return this.conn.inTransaction(async (c) => {
      const catalog = await PgOfflineCatalog.load(this.conn, c, { features });
      return new Map([...catalog.byTable(features)].map(([group, members]) => [group, members.map((m) => ({ feature: m.feature, valueType: m.valueType }))]));
    }, 'read');
  }

  async beginWrite(_entity: string, featureGroup: string, ingestedAt: number): Promise<OfflineWriter> {
    return PgGroupWriter.begin(this.conn, this.files, featureGroup, ingestedAt);
  }

  async *range(query: RangeQuery): AsyncIterable<RangeRow[]> {
    const names = query.features.map((f) => f.name);
    yield* this.stream<RangeRow>(names, (catalog) => {
      const byTable = catalog.byTable(names);
      if (byTable.size === 0) return undefined;
      if (byTable.size === 1) {
        // One table: each of its rows is the state at its own time, no lookup needed.
        const [group, members] = [...byTable][0]!;
        return `SELECT s.${ident(KEY_COLUMN)}, ${msFromTs(`s.${ident(TIME_COLUMN)}`)}, ${ownCells(catalog, group, query.features).map(jsonCell).join(', ')}
                FROM ${groupTable(group)} s
                WHERE ${windowClause(query.start, query.end, 's.')} AND (${anyWritten(members.map((m) => m.feature), 's.')})
                ORDER BY s.${ident(KEY_COLUMN)}, s.${ident(TIME_COLUMN)}`;
      }
      const spine = [...byTable]
        .map(
          ([group, members]) => `SELECT ${ident(KEY_COLUMN)} AS entity_key, ${ident(TIME_COLUMN)} AS t FROM ${groupTable(group)}
                 WHERE ${windowClause(query.start, query.end)} AND (${anyWritten(members.map((m) => m.feature))})`,
        )
        .join(' UNION ');
      const { joins, cells } = lateralJoins(catalog, query.features);
      return `SELECT l.entity_key, ${msFromTs('l.t')}, ${cells.map(jsonCell).join(', ')}
              FROM (${spine}) l ${joins}
              ORDER BY l.entity_key, l.t`;
    });
  }

  async *pointInTime(query: PointInTimeQuery): AsyncIterable<(string | null)[][]> {
    const conn = this.conn;
    const client = await conn.connect();
    try {
      await conn.begin(client, 'write');
      await conn.query(client, 'CREATE TEMP TABLE fstore_labels (row_idx bigint, entity_key text COLLATE "C", t_ms bigint) ON COMMIT DROP');
      await conn.copyIn(client, 'COPY fstore_labels FROM STDIN (FORMAT text)', labelLines(query.entityKeys, query.times));
      await conn.query(client, 'ANALYZE fstore_labels');
      const catalog = await PgOfflineCatalog.load(conn, client, { features: query.features.map((f) => f.name) });
      const { joins, cells } = lateralJoins(catalog, query.features);
      const sql = `SELECT ${cells.map(jsonCell).join(', ')} FROM ${labelSpine()} ${joins} ORDER BY l.row_idx`;
      yield* conn.streamRows(client, sql, [], (row) => row as (string | null)[]);
      await conn.query(client, 'COMMIT');
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw wrap(err);
    } finally {
      client.release();
    }
  }

  async pointInTimeToFile(query: PointInTimeFileQuery): Promise<number> {
    return withTempDir(async (dir) => {
      const labels = join(dir, 'labels.csv');
      const joined = join(dir, 'joined.csv');
      // Labels to CSV, then into a temp table.
      await this.files.run((d) =>
        d.run(
          `COPY (SELECT CAST(row_idx AS BIGINT), CAST(entity_key AS VARCHAR) AS entity_key, CAST(label_time_ms AS BIGINT) FROM read_parquet($1))
           TO ${duckString(labels)} (FORMAT csv, HEADER false, FORCE_QUOTE (entity_key))`,
          [query.labels.path],
        ),
      );
      // The join inside PostgreSQL; its typed values out as CSV (row_idx, then one field per feature).
      const cells = await this.conn.inTransaction(async (c) => {
        await this.conn.query(c, 'CREATE TEMP TABLE fstore_labels (row_idx bigint, entity_key text COLLATE "C", t_ms bigint) ON COMMIT DROP');
        await this.conn.copyInFile(c, 'COPY fstore_labels FROM STDIN (FORMAT csv)', labels);
        await this.conn.query(c, 'ANALYZE fstore_labels');
        const catalog = await PgOfflineCatalog.load(this.conn, c, { features: query.features.map((f) => f.name) });
        const { joins, cells } = lateralJoins(catalog, query.features);
        const fields = cells.map((cell, i) => `${textCell(cell)} AS c${i}`);
        await this.conn.copyOutFile(
          c,
          `COPY (SELECT l.row_idx${fields.map((f) => `, ${f}`).join('')} FROM ${labelSpine()} ${joins}) TO STDOUT (FORMAT csv, FORCE_QUOTE *)`,
          joined,
        );
        return cells;
      });
      // Back to the label file by row_idx, typed as requested, with the passthrough columns.
      const features = query.features.map((f, i) => {
        const cell = cells[i]!;
        const target = duckColumnType(f.valueType);
        let value: string;
        if (cell.valueType === undefined) value = `CAST(NULL AS ${target})`;
        else {
          const stored = duckFromPgText(`r.c${i}`, cell.valueType);
          value = cell.valueType === f.valueType ? stored : `TRY_CAST(${stored} AS ${target})`;
        }
        return `${value} AS ${quoteIdent(f.column)}`;
      });
      const passthrough = query.labels.passthrough.map(passthroughNames).map(({ column, as }) => `l.${quoteIdent(column)} AS ${quoteIdent(as)}`);
      const options = query.output.format === 'parquet' ? '(FORMAT parquet, COMPRESSION zstd)' : '(FORMAT csv, HEADER true)';
      const columns = ['row_idx', ...cells.map((_, i) => `c${i}`)];
      return this.files.run(async (d) => {
        const result = await d.run(
          `COPY (SELECT ${[...passthrough, ...features].join(', ')}
                 FROM read_parquet($1) l LEFT JOIN ${readPgCsv(joined, columns)} r ON CAST(r.row_idx AS BIGINT) = l.row_idx
                 ORDER BY l.row_idx) TO ${duckString(query.output.path)} ${options}`,
          [query.labels.path],
        );
        return Number(result.rowsChanged);
      });
    });
  }

  /**
   * Without an ingestion watermark (or with one before any ingestion), the newest state row of each
   * key at or before the window's end already holds every feature's newest value and the time it
   * was written: one row per key is read instead of the history. That row is also the key's newest
   * ingestion (every write rewrites a key's rows from its first new time on, the newest included).
   * After a watermark, the rows ingested since are unpivoted and the newest written value of each
   * (key, feature) kept, with the newest ingestion time of its rows.
   */
  async *latest(query: LatestQuery): AsyncIterable<LatestRow[]> {
    const key = ident(KEY_COLUMN);
    const time = ident(TIME_COLUMN);
    const ingested = ident(INGESTED_COLUMN);
    const start = query.start ?? Number.MIN_SAFE_INTEGER;
    const end = query.end ?? Number.MAX_SAFE_INTEGER;
    const watermark = query.ingestedAfter !== undefined && query.ingestedAfter > 0 ? query.ingestedAfter : undefined;
    yield* this.stream<LatestRow>(query.features, (catalog) => {
      const parts: string[] = [];
      for (const [group, members] of catalog.byTable(query.features)) {
        if (watermark === undefined) {
          const values = members.map((m) => {
            const written = `coalesce(s.${ident(carriedTimeColumn(m.feature))}, s.${time})`;
            return `(${quoteLiteral(m.feature)} COLLATE "C", CASE WHEN s.${ident(m.feature)} IS NOT NULL AND ${written} >= ${tsLiteral(start)} THEN ${pgToJson(`s.${ident(m.feature)}`, m.valueType)} END, ${written})`;
          });
          parts.push(
            `SELECT s.${key} AS entity_key, v.feature, v.x, v.t, s.${ingested} AS ing
             FROM (SELECT DISTINCT ON (${key}) * FROM ${groupTable(group)} WHERE ${time} <= ${tsLiteral(end)} ORDER BY ${key} DESC, ${time} DESC) s
             CROSS JOIN LATERAL (VALUES ${values.join(', ')}) AS v(feature, x, t)
             WHERE v.x IS NOT NULL`,
          );
        } else {
          const values = members.map(
            (m) => `(${quoteLiteral(m.feature)} COLLATE "C", CASE WHEN g.${ident(carriedTimeColumn(m.feature))} IS NULL THEN ${pgToJson(`g.${ident(m.feature)}`, m.valueType)} END)`,
          );
          parts.push(
            `SELECT DISTINCT ON (entity_key, feature) entity_key, feature, x, t, max(ing) OVER (PARTITION BY entity_key, feature) AS ing
             FROM (SELECT g.${key} AS entity_key, v.feature, v.x, g.${time} AS t, g.${ingested} AS ing
                   FROM ${groupTable(group)} g CROSS JOIN LATERAL (VALUES ${values.join(', ')}) AS v(feature, x)
                   WHERE v.x IS NOT NULL AND ${windowClause(start, end, 'g.')} AND g.${ingested} > ${tsLiteral(watermark)}) u
             ORDER BY entity_key, feature, t DESC`,
          );
        }
      }
      if (parts.length === 0) return undefined;
      return `SELECT entity_key, feature, x, ${msFromTs('t')}, ${msFromTs('ing')} FROM (${parts.join(' UNION ALL ')}) u ORDER BY entity_key, feature`;
    });
  }

  summarize(query: WindowQuery & { probabilities: number[]; approximate?: boolean }): Promise<ValueSummary[]> {
    return this.monitoring.summarize(query);
  }

  histogram(query: HistogramQuery): Promise<number[][][]> {
    return this.monitoring.histogram(query);
  }

  quantiles(query: QuantileQuery): Promise<{ count: number; quantiles: (number | null)[] }[]> {
    return this.monitoring.quantiles(query);
  }

  topValues(query: WindowQuery & { limit: number }): Promise<{ value: string; count: number }[][]> {
    return this.monitoring.topValues(query);
  }

  countRows(query: WindowQuery): Promise<number> {
    return this.monitoring.countRows(query);
  }

  countKeys(query: WindowQuery): Promise<number> {
    return this.monitoring.countKeys(query);
  }

  daily(query: WindowQuery): Promise<DailySummary[]> {
    return this.monitoring.daily(query);
  }

  newestValues(query: NewestValuesQuery): Promise<NewestValue[]> {
    return this.monitoring.newestValues(query);
  }

  async countValues(_entity: string, featureGroup: string): Promise<number> {
    const table = groupTable(featureGroup);
    return this.conn.inTransaction(async (c) => {
      const catalog = await PgOfflineCatalog.load(this.conn, c, { groups: [featureGroup] });
      const features = [...catalog.columnsOf(featureGroup).keys()];
      if (features.length === 0) return 0;
      const counts = features.map((f) => `count(*) FILTER (WHERE ${ident(f)} IS NOT NULL AND ${ident(carriedTimeColumn(f))} IS NULL)`);
      return Number((await this.conn.one(c, `SELECT (${counts.join(' + ')})::float8 FROM ${table}`))[0] ?? 0);
    }, 'read');
  }

  async exportGroup(featureGroup: string, output: { path: string; format: 'parquet' | 'csv' }, options: { carriedTimes?: boolean } = {}): Promise<number> {
    const table = groupTable(featureGroup);
    const writeFile = (select: string) =>
      this.files.run(async (d) => {
        const format = output.format === 'parquet' ? '(FORMAT parquet, COMPRESSION zstd)' : '(FORMAT csv, HEADER true)';
        return Number((await d.run(`COPY (${select}) TO ${duckString(output.path)} ${format}`)).rowsChanged);
      });
    return withTempDir(async (dir) => {
      const csv = join(dir, 'table.csv');
      const columns = await this.conn.inTransaction(async (c) => {
        const rows = (await this.conn.query(
          c,
          `SELECT a.attname::text, format_type(a.atttypid, a.atttypmod), col_description(a.attrelid, a.attnum)
           FROM pg_catalog.pg_attribute a JOIN pg_catalog.pg_class cl ON cl.oid = a.attrelid JOIN pg_catalog.pg_namespace n ON n.oid = cl.relnamespace
           WHERE n.nspname = $1 AND cl.relname = $2 AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum`,
          [OFFLINE_SCHEMA, featureGroup],
        )) as [string, string, string | null][];
        if (rows.length === 0) return undefined;
        // The view's columns (key, time, features) unless the carried times are asked for too.
        const kept = options.carriedTimes ? rows : rows.filter(([name]) => name === KEY_COLUMN || name === TIME_COLUMN || isFeatureColumn(name));
        const columns = kept.map(([name, pgType, comment]) => ({ name, valueType: exportType(name, pgType, comment) }));
        const fields = columns.map(({ name, valueType }) => (valueType === 'BOOL' ? `${ident(name)}::text` : ident(name)));
        await this.conn.copyOutFile(
          c,
          `COPY (SELECT ${fields.join(', ')} FROM ${table} ORDER BY ${ident(KEY_COLUMN)}, ${ident(TIME_COLUMN)}) TO STDOUT (FORMAT csv, FORCE_QUOTE *)`,
          csv,
        );
        return columns;
      }, 'read');
      if (!columns) return writeFile(`SELECT CAST(NULL AS VARCHAR) AS ${quoteIdent(KEY_COLUMN)}, CAST(NULL AS TIMESTAMPTZ) AS ${quoteIdent(TIME_COLUMN)} WHERE false`);
      const names = columns.map((_, i) => `c${i}`);
      const typed = columns.map(({ name, valueType }, i) => `${valueType === undefined ? `c${i}` : duckFromPgText(`c${i}`, valueType)} AS ${quoteIdent(name)}`);
      return writeFile(`SELECT ${typed.join(', ')} FROM ${readPgCsv(csv, names)}`);
    });
  }

  async close(): Promise<void> {
    await this.files.close();
    await this.conn.end();
  }

  // ---- reads ----

  /** Rows of the query `build` makes from the catalog (undefined: no rows), in a read-only transaction. */
  private async *stream<T>(features: readonly string[], build: (catalog: PgOfflineCatalog) => string | undefined): AsyncIterable<T[]> {
    const conn = this.conn;
    const client = await conn.connect();
    try {
      await conn.begin(client, 'read');
      const sql = build(await PgOfflineCatalog.load(conn, client, { features }));
      if (sql !== undefined) yield* conn.streamRows(client, sql, [], (row) => row as T);
      await conn.query(client, 'COMMIT');
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw wrap(err);
    } finally {
      client.release();
    }
  }
}

/** The label rows as the spine `l(row_idx, entity_key, t)` of the lookups. */
function labelSpine(): string {
  return `(SELECT row_idx, entity_key, ${tsFromMs('t_ms')} AS t FROM fstore_labels) l`;
}

/**
 * A cell as the CSV field DuckDB reads back typed (duckFromPgText): PostgreSQL's own text forms,
 * booleans as 'true'/'false'; NULL past the TTL.
 */
function textCell(cell: Cell): string {
  if (cell.valueType === undefined) return 'NULL::text';
  const text = `${cell.value}::text`;
  return cell.live === undefined ? text : `CASE WHEN ${cell.live} THEN ${text} END`;
}

/** The value type an exported column is read back as (undefined: left as text). */
function exportType(name: string, pgType: string, comment: string | null): ValueType | undefined {
  if (name === KEY_COLUMN) return 'STRING';
  const type = valueTypeOfPgColumn(pgType, comment);
  return type?.exact ? type.valueType : undefined;
}

function* labelLines(keys: string[], times: number[]): Generator<string> {
  let buffer = '';
  for (let i = 0; i < keys.length; i++) {
    const time = times[i]!;
    if (!Number.isFinite(time)) throw new Error(`label row ${i + 1} has no valid time`);
    buffer += `${i}\t${escapeCopy(keys[i]!)}\t${Math.trunc(time)}\n`;
    if (buffer.length > 1 << 16) {
      yield buffer;
      buffer = '';
    }
  }
  if (buffer) yield buffer;
}
