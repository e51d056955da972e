import type { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { quoteIdent, quoteLiteral } from '../../staging/typed-sql.js';
import { Mutex } from '../../util/mutex.js';
import { inTransaction, openDuckDb, withConnection } from '../duckdb/duckdb-session.js';
import { carriedTimeColumn, groupTable, groupView, groupViewSelect, ident, KEY_COLUMN, OFFLINE_SCHEMA, TIME_COLUMN, VIEW_SCHEMA } from '../offline-layout.js';
import { duckTypeOf } from '../duckdb/duck-types.js';
import {
  writeOnce,
  type DailySummary,
  type HistogramQuery,
  type LatestQuery,
  type LegacyFeatureTypes,
  type NewestValue,
  type NewestValuesQuery,
  type MigrationReport,
  type LatestRow,
  type OfflineBatch,
  type OfflineColumnType,
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
import { DuckDbOfflineCatalog } from './duckdb-offline-catalog.js';
import { DuckDbMonitoring } from './duckdb-offline-monitoring.js';
import { anyWritten, asofJoins, jsonCell, msInt, windowClause } from './duckdb-offline-sql.js';
import { ensureColumns, mergeStaged, STAGED, type ParquetFacts } from './duckdb-group-write.js';
import { hasLegacyTable, migrateLegacy } from './duckdb-legacy-migration.js';
import { duckFromJson, duckToJson } from './duckdb-typed-values.js';

/**
 * Embedded offline store on DuckDB: one typed table per feature group (ADR 0008,
 * docs/offline-store.md). Writes are serialised (DuckDB allows one writer) and transactional;
 * retrieval is one ASOF JOIN per group table, assembled by the engine.
 */
export class DuckDbOfflineStore implements OfflineStore {
  readonly description: string;
  private readonly writes = new Mutex();
  private readonly catalog = new DuckDbOfflineCatalog();
  private readonly monitoring: DuckDbMonitoring;
  needsMigration = false;

  private constructor(
    private readonly instance: DuckDBInstance,
    path: string,
  ) {
    this.description = `embedded DuckDB at ${path}`;
    this.monitoring = new DuckDbMonitoring(instance, this.catalog);
  }

  static async open(path: string): Promise<DuckDbOfflineStore> {
    const instance = await openDuckDb(path);
    const store = new DuckDbOfflineStore(instance, path);
    await withConnection(instance, async (c) => {
      await c.run(`CREATE SCHEMA IF NOT EXISTS ${ident(OFFLINE_SCHEMA)}`);
      await c.run(`CREATE SCHEMA IF NOT EXISTS ${ident(VIEW_SCHEMA)}`);
      await store.catalog.load(c);
      store.needsMigration = await hasLegacyTable(c);
    });
    return store;
  }

  async migrate(types: LegacyFeatureTypes, onProgress: (message: string) => void = () => undefined): Promise<MigrationReport> {
    return this.writes.run(() =>
      withConnection(this.instance, async (c) => {
        if (!(await hasLegacyTable(c))) return { groups: 0, values: 0, elapsedMs: 0 };
        try {
          const report = await inTransaction(c, () => migrateLegacy(c, this.catalog, types, onProgress));
          this.needsMigration = false;
          return report;
        } finally {
          await this.catalog.load(c);
        }
      }),
    );
  }

  write(batch: OfflineBatch, ingestedAt: number): Promise<number> {
    return writeOnce(this, batch, ingestedAt);
  }

  async beginWrite(_entity: string, featureGroup: string, ingestedAt: number): Promise<OfflineWriter> {
    groupTable(featureGroup); // validates the name before anything is staged
    // Chunks are staged in a temp table of this connection without the write lock; only the
    // merge into the group table is serialised with other writers.
    const c = await this.instance.connect();
    const columns = new Map<string, OfflineColumnType['valueType']>();
    let seq = 0;
    let closed = false;
    const close = () => {
      if (!closed) c.closeSync();
      closed = true;
    };
    try {
      await c.run(`CREATE TEMP TABLE ${STAGED} (seq BIGINT, entity_key VARCHAR, event_time_ms BIGINT)`);
    } catch (err) {
      close();
      throw err;
    }
    // A write of one Parquet file (a file ingestion) reads it in place: `staged` is a view over it
    // until anything else is appended, when it becomes a table.
    let inPlace = false;
    // What the caller measured of that file; it stops describing the staged rows once more are added.
    let fileFacts: ParquetFacts | undefined;
    const materialize = async () => {
      fileFacts = undefined;
      if (!inPlace) return;
      await c.run(`CREATE TEMP TABLE staged_copy AS SELECT * FROM ${STAGED}`);
      await c.run(`DROP VIEW ${STAGED}`);
      await c.run(`ALTER TABLE staged_copy RENAME TO ${STAGED}`);
      const max = await c.runAndReadAll(`SELECT CAST(coalesce(max(seq), -1) AS DOUBLE) FROM ${STAGED}`);
      seq = Number(max.getRowsJS()[0]?.[0] ?? -1) + 1;
      inPlace = false;
    };
    const addColumns = async (types: readonly OfflineColumnType[]) => {
      await materialize();
      for (const { feature, valueType } of types) {
        const known = columns.get(feature);
        if (known === valueType) continue;
        if (known !== undefined) throw new Error(`feature '${feature}' is written as ${known} and ${valueType} in one batch`);
        carriedTimeColumn(feature); // validates the name
        await c.run(`ALTER TABLE ${STAGED} ADD COLUMN ${ident(feature)} ${duckTypeOf(valueType)}`);
        columns.set(feature, valueType);
      }
    };
    return {
      append: async (chunk) => {
        await addColumns(chunk.columns);
        seq = await appendJsonChunk(c, chunk, seq);
      },
      appendParquet: async (path, types, _onRows, facts) => {
        const names = types.map((t) => ident(t.feature));
        const select = `SELECT seq, entity_key, event_time_ms${names.length ? `, ${names.join(', ')}` : ''} FROM read_parquet(${quoteLiteral(path)})`;
        if (seq === 0 && !inPlace && columns.size === 0) {
          for (const { feature, valueType } of types) {
            carriedTimeColumn(feature); // validates the name
            columns.set(feature, valueType);
          }
          await c.run(`DROP TABLE ${STAGED}`);
          await c.run(`CREATE TEMP VIEW ${STAGED} AS ${select}`);
          inPlace = true;
          if (facts) fileFacts = { ...facts, values: new Map(types.map((t, i) => [t.feature, facts.values[i]!])) };
          seq = 1;
          return;
        }
        await addColumns(types);
        await c.run(`INSERT INTO ${STAGED} BY NAME SELECT seq + $1 AS seq, * EXCLUDE (seq) FROM (${select})`, [seq]);
        const max = await c.runAndReadAll(`SELECT CAST(coalesce(max(seq), -1) AS DOUBLE) FROM ${STAGED}`);
        seq = Number(max.getRowsJS()[0]?.[0] ?? -1) + 1;
      },
      commit: () =>
        this.writes
          .run(async () => {
            if (seq === 0 || columns.size === 0) return 0;
            let schemaChanged = false;
            const written = await inTransaction(c, async () => {
              // A feature whose column lives in another group's table (it moved in the registry)
              // is written there; every other feature of the batch belongs to this group's table.
              const homes = new Map<string, Map<string, OfflineColumnType['valueType']>>();
              for (const [feature, valueType] of columns) {
                const group = this.catalog.find(feature)?.group ?? featureGroup;
                let own = homes.get(group);
                if (!own) homes.set(group, (own = new Map()));
                own.set(feature, valueType);
              }
              for (const [group, own] of homes) if (await ensureColumns(c, this.catalog, group, own)) schemaChanged = true;
              // New tables and columns are visible to this transaction only until it commits: the
              // shared catalog learns of them after the commit, or readers on other connections
              // would name columns they cannot see yet (a 500 during a long first write).
              let layout = this.catalog;
              if (schemaChanged) {
                layout = new DuckDbOfflineCatalog();
                await layout.load(c);
                for (const group of homes.keys()) await c.run(`CREATE OR REPLACE VIEW ${groupView(group)} AS ${groupViewSelect(group, [...layout.columnsOf(group).keys()])}`);
              }
              let count = 0;
              for (const [group, own] of homes) {
                count += await mergeStaged(c, group, [...layout.columnsOf(group).keys()], [...own.keys()], ingestedAt, homes.size === 1 ? fileFacts : undefined);
              }
              return count;
            });
            if (schemaChanged) await this.catalog.load(c);
            return written;
          })
          .finally(close),
      abort: async () => close(),
    };
  }

  async *range(query: RangeQuery): AsyncIterable<RangeRow[]> {
    const names = query.features.map((f) => f.name);
    const tables = [...this.catalog.byTable(names).keys()];
    if (tables.length === 0) return;
    const spine = tables
      .map((group) => {
        const own = this.catalog.byTable(names).get(group)!.map((m) => m.feature);
        return `SELECT ${ident(KEY_COLUMN)} AS entity_key, ${ident(TIME_COLUMN)} AS t FROM ${groupTable(group)}
                WHERE ${windowClause(query.start, query.end)} AND (${anyWritten(own)})`;
      })
      .join(' UNION ');
    const { joins, cells } = asofJoins(this.catalog, query.features);
    yield* this.stream<RangeRow>(
      `SELECT l.entity_key, CAST(l.t_ms AS DOUBLE), ${cells.map(jsonCell).join(', ')}
       FROM (SELECT entity_key, t, epoch_ms(t) AS t_ms FROM (${spine})) l ${joins}
       ORDER BY l.entity_key, l.t`,
    );
  }

  async *pointInTime(query: PointInTimeQuery): AsyncIterable<(string | null)[][]> {
    const connection = await this.instance.connect();
    try {
      await connection.run('CREATE TEMP TABLE labels (row_idx BIGINT, entity_key VARCHAR, t_ms BIGINT)');
      const appender = await connection.createAppender('labels');
      for (let i = 0; i < query.entityKeys.length; i++) {
        appender.appendBigInt(BigInt(i));
        appender.appendVarchar(query.entityKeys[i]!);
        appender.appendBigInt(BigInt(Math.trunc(query.times[i]!)));
        appender.endRow();
      }
      appender.closeSync();
      const { joins, cells } = asofJoins(this.catalog, query.features);
      yield* streamRows<(string | null)[]>(
        connection,
        `SELECT ${cells.map(jsonCell).join(', ')}
         FROM (SELECT row_idx, entity_key, t_ms, CAST(epoch_ms(t_ms) AS TIMESTAMPTZ) AS t FROM labels) l ${joins}
         ORDER BY l.row_idx`,
      );
    } finally {
      connection.closeSync();
    }
  }

  async pointInTimeToFile(query: PointInTimeFileQuery): Promise<number> {
    const { joins, cells } = asofJoins(this.catalog, query.features);
    const features = query.features.map((f, i) => {
      const cell = cells[i]!;
      const target = duckTypeOf(f.valueType);
      const value = cell.valueType === undefined ? `CAST(NULL AS ${target})` : cell.valueType === f.valueType ? cell.value : `TRY_CAST(${cell.value} AS ${target})`;
      return `${value} AS ${quoteIdent(f.column)}`;
    });
    const passthrough = query.labels.passthrough.map(passthroughNames).map(({ column, as }) => `l.${quoteIdent(column)} AS ${quoteIdent(as)}`);
    const options = query.output.format === 'parquet' ? '(FORMAT parquet, COMPRESSION zstd)' : '(FORMAT csv, HEADER true)';
    return withConnection(this.instance, async (c) => {
      const result = await c.run(
        `COPY (SELECT ${[...passthrough, ...features].join(', ')}
               FROM (SELECT *, label_time_ms AS t_ms, CAST(epoch_ms(label_time_ms) AS TIMESTAMPTZ) AS t FROM read_parquet($1)) l ${joins}
               ORDER BY l.row_idx) TO '${query.output.path.replace(/'/g, "''")}' ${options}`,
        [query.labels.path],
      );
      return Number(result.rowsChanged);
    });
  }

  async *latest(query: LatestQuery): AsyncIterable<LatestRow[]> {
    const parts: string[] = [];
    for (const [group, members] of this.catalog.byTable(query.features)) {
      const where: string[] = [];
      if (query.start !== undefined || query.end !== undefined) where.push(windowClause(query.start ?? Number.MIN_SAFE_INTEGER, query.end ?? Number.MAX_SAFE_INTEGER));
      const on = members.map((m) => `(${ident(m.feature)}, ${ident(`t_${m.feature}`)}) AS ${ident(m.feature)}`).join(', ');
      if (query.ingestedAfter === undefined) {
        // Rows are states: the newest row per key holds every feature's newest value in the
        // window and the time it was written (kept when that is inside the window too).
        const values = members.map(
          (m) =>
            `${duckToJson(ident(m.feature), m.valueType)} AS ${ident(m.feature)}, epoch_ms(coalesce(${ident(carriedTimeColumn(m.feature))}, ${ident(TIME_COLUMN)})) AS ${ident(`t_${m.feature}`)}`,
        );
        const from = ` WHERE v IS NOT NULL${query.start === undefined ? '' : ` AND t >= ${msInt(query.start)}`}`;
        parts.push(
          `SELECT entity_key, feature, v, t, ing FROM (UNPIVOT (
             SELECT ${ident(KEY_COLUMN)} AS entity_key, epoch_ms(ingested_at) AS ing, ${values.join(', ')} FROM ${groupTable(group)}
             ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
             QUALIFY row_number() OVER (PARTITION BY ${ident(KEY_COLUMN)} ORDER BY ${ident(TIME_COLUMN)} DESC) = 1)
           ON ${on} INTO NAME feature VALUE v, t)${from}`,
        );
        continue;
      }
      // After a watermark: the values written in rows ingested since, newest per key and feature.
      where.push(`ingested_at > CAST(epoch_ms(${msInt(query.ingestedAfter)}) AS TIMESTAMPTZ)`);
      const values = members.map(
        (m) =>
          `CASE WHEN ${ident(carriedTimeColumn(m.feature))} IS NULL THEN ${duckToJson(ident(m.feature), m.valueType)} END AS ${ident(m.feature)}, epoch_ms(${ident(TIME_COLUMN)}) AS ${ident(`t_${m.feature}`)}`,
      );
      parts.push(
        `SELECT entity_key, feature, v, t, ing FROM (UNPIVOT (
           SELECT ${ident(KEY_COLUMN)} AS entity_key, epoch_ms(ingested_at) AS ing, ${values.join(', ')}
           FROM ${groupTable(group)} WHERE ${where.join(' AND ')})
         ON ${on} INTO NAME feature VALUE v, t) WHERE v IS NOT NULL`,
      );
    }
    if (parts.length === 0) return;
    yield* this.stream<LatestRow>(
      `SELECT entity_key, feature, arg_max(v, t), CAST(max(t) AS DOUBLE), CAST(max(ing) AS DOUBLE)
       FROM (${parts.join(' UNION ALL ')}) GROUP BY entity_key, feature ORDER BY entity_key, feature`,
    );
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

  async locate(features: readonly string[]): Promise<Map<string, OfflineColumnType[]>> {
    return new Map([...this.catalog.byTable(features)].map(([group, members]) => [group, members.map((m) => ({ feature: m.feature, valueType: m.valueType }))]));
  }

  async countValues(_entity: string, featureGroup: string): Promise<number> {
    const features = [...this.catalog.columnsOf(featureGroup).keys()];
    if (features.length === 0) return 0;
    const counts = features.map((f) => `count(*) FILTER (WHERE ${ident(f)} IS NOT NULL AND ${ident(carriedTimeColumn(f))} IS NULL)`);
    return withConnection(this.instance, async (c) => {
      const reader = await c.runAndReadAll(`SELECT CAST(${counts.join(' + ')} AS DOUBLE) FROM ${groupTable(featureGroup)}`);
      return Number(reader.getRowsJS()[0]?.[0] ?? 0);
    });
  }

  async exportGroup(featureGroup: string, output: { path: string; format: 'parquet' | 'csv' }, options: { carriedTimes?: boolean } = {}): Promise<number> {
    groupTable(featureGroup); // validates the name
    const select = !this.catalog.hasTable(featureGroup)
      ? `SELECT CAST(NULL AS VARCHAR) AS ${ident(KEY_COLUMN)}, CAST(NULL AS TIMESTAMPTZ) AS ${ident(TIME_COLUMN)} WHERE false`
      : options.carriedTimes
        ? `SELECT * FROM ${groupTable(featureGroup)} ORDER BY ${ident(KEY_COLUMN)}, ${ident(TIME_COLUMN)}`
        : `${groupViewSelect(featureGroup, [...this.catalog.columnsOf(featureGroup).keys()])} ORDER BY ${ident(KEY_COLUMN)}, ${ident(TIME_COLUMN)}`;
    const options_ = output.format === 'parquet' ? '(FORMAT parquet, COMPRESSION zstd)' : '(FORMAT csv, HEADER true)';
    return withConnection(this.instance, async (c) => {
      const result = await c.run(`COPY (${select}) TO ${quoteLiteral(output.path)} ${options_}`);
      return Number(result.rowsChanged);
    });
  }

  async close(): Promise<void> {
    await this.writes.run(async () => this.instance.closeSync());
  }

  private async *stream<T>(sql: string, params: (string | number)[] = []): AsyncIterable<T[]> {
    const connection = await this.instance.connect();
    try {
      yield* streamRows<T>(connection, sql, params);
    } finally {
      connection.closeSync();
    }
  }
}

async function* streamRows<T>(c: DuckDBConnection, sql: string, params: (string | number)[] = []): AsyncIterable<T[]> {
  const result = await c.stream(sql, params);
  for await (const rows of result.yieldRowsJs()) yield rows as T[];
}

/**
 * Appends a chunk of JSON-text values: through a temp table of text columns (the appender needs
 * fixed types), converted to the staged columns' types in SQL.
 */
async function appendJsonChunk(c: DuckDBConnection, chunk: OfflineBatch, firstSeq: number): Promise<number> {
  const names = chunk.columns.map((_, i) => `j${i}`);
  await c.run(`CREATE OR REPLACE TEMP TABLE json_chunk (seq BIGINT, entity_key VARCHAR, event_time_ms BIGINT${names.map((n) => `, ${n} VARCHAR`).join('')})`);
  const appender = await c.createAppender('json_chunk');
  let seq = firstSeq;
  try {
    for (let row = 0; row < chunk.entityKeys.length; row++) {
      const time = chunk.eventTimes[row]!;
      if (!Number.isFinite(time)) throw new Error(`row ${row + 1} has no valid event time`);
      appender.appendBigInt(BigInt(seq++));
      appender.appendVarchar(chunk.entityKeys[row]!);
      appender.appendBigInt(BigInt(Math.trunc(time)));
      for (const column of chunk.columns) {
        const value = column.values[row];
        if (value === null || value === undefined) appender.appendNull();
        else appender.appendVarchar(value);
      }
      appender.endRow();
    }
  } finally {
    appender.closeSync();
  }
  const converted = chunk.columns.map((col, i) => `${duckFromJson(names[i]!, col.valueType)} AS ${ident(col.feature)}`);
  await c.run(`INSERT INTO ${STAGED} BY NAME SELECT seq, entity_key, event_time_ms${converted.map((x) => `, ${x}`).join('')} FROM json_chunk`);
  await c.run('DROP TABLE json_chunk');
  return seq;
}
