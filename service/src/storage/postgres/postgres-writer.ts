/**
 * One atomic write of a feature group on PostgreSQL: a transaction from beginWrite to commit on one
 * pooled connection. Chunks are staged with COPY (JSON text converted in SQL; Parquet files written
 * as CSV by DuckDB), merged into the group tables at commit under the group's lock
 * (postgres-group-write.ts). A write that is a single dense Parquet file skips staging: DuckDB
 * checks it and writes it sorted in the table's own CSV form, and at commit it is COPYed straight
 * into the table when nothing stored is at or after its keys' times.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ValueType } from '../../../../shared/domain/value-types.js';
import { quoteIdent } from '../../ingest/typed-sql.js';
import { groupTable, ident } from '../offline-layout.js';
import type { OfflineBatch, OfflineColumnType, OfflineWriter } from '../offline-store.js';
import { escapeCopy, wrap, type Client, type PgConnections } from './postgres-connection.js';
import { duckString, duckToPgText, quotedInCsv, type DuckFiles } from './postgres-files.js';
import { addStagingColumnSql, createStagingSql, ensureColumns, loadDirect, mergeStaged, STAGED, type DirectPart } from './postgres-group-write.js';
import { PgOfflineCatalog } from './postgres-offline-catalog.js';
import { msInt, tsFromMs } from './postgres-offline-sql.js';
import { pgFromJson } from './postgres-typed-values.js';

/** Writes of at least this many values re-analyze the tables they wrote (small stream batches leave it to autovacuum). */
const ANALYZE_AFTER_VALUES = 100_000;
/** Advisory locks: the schema (shared by all writes, exclusive when a write creates a feature's column) and one group's table. */
const SCHEMA_LOCK = `hashtext('fstore_offline:schema'), 0`;
const GROUP_LOCK = `hashtext('fstore_offline:group')`;

export class PgGroupWriter implements OfflineWriter {
  private readonly columns = new Map<string, ValueType>();
  /** The next seq; 0 while nothing was appended. */
  private seq = 0;
  private pending: DirectPart | undefined;
  private dir: string | undefined;
  private done = false;

  private constructor(
    private readonly conn: PgConnections,
    private readonly files: DuckFiles,
    private readonly c: Client,
    private readonly featureGroup: string,
    private readonly ingestedAt: number,
  ) {}

  static async begin(conn: PgConnections, files: DuckFiles, featureGroup: string, ingestedAt: number): Promise<PgGroupWriter> {
    groupTable(featureGroup); // validates the name before anything is staged
    msInt(ingestedAt);
    const c = await conn.connect();
    const writer = new PgGroupWriter(conn, files, c, featureGroup, ingestedAt);
    try {
      await conn.query(c, 'BEGIN');
      await conn.query(c, createStagingSql());
    } catch (err) {
      return writer.fail(err);
    }
    return writer;
  }

  async append(chunk: OfflineBatch): Promise<void> {
    try {
      await this.addColumns(chunk.columns);
      await this.flushPending();
      await this.appendJsonChunk(chunk);
    } catch (err) {
      throw wrap(err);
    }
  }

  async appendParquet(path: string, types: OfflineColumnType[]): Promise<void> {
    try {
      await this.addColumns(types);
      if (this.seq === 0 && types.length > 0 && (await this.stageDirect(path, types))) return;
      await this.flushPending();
      await this.appendParquetFile(path, types);
    } catch (err) {
      throw wrap(err);
    }
  }

  async commit(): Promise<number> {
    let written: number;
    try {
      written = this.seq === 0 || this.columns.size === 0 ? 0 : await this.merge();
      await this.finish('COMMIT');
    } catch (err) {
      return this.fail(err);
    }
    if (written >= ANALYZE_AFTER_VALUES) await this.analyze();
    return written;
  }

  async abort(): Promise<void> {
    await this.finish('ROLLBACK').catch(() => undefined);
  }

  private async fail(err: unknown): Promise<never> {
    await this.finish('ROLLBACK').catch(() => undefined);
    throw wrap(err);
  }

  private async finish(sql: 'COMMIT' | 'ROLLBACK'): Promise<void> {
    if (this.done) return;
    this.done = true;
    try {
      await this.conn.query(this.c, sql);
    } finally {
      this.c.release();
      if (this.dir) await rm(this.dir, { recursive: true, force: true });
    }
  }

  private async addColumns(types: readonly OfflineColumnType[]): Promise<void> {
    for (const { feature, valueType } of types) {
      const known = this.columns.get(feature);
      if (known === valueType) continue;
      if (known !== undefined) throw new Error(`feature '${feature}' is written as ${known} and ${valueType} in one batch`);
      await this.conn.query(this.c, addStagingColumnSql(feature, valueType));
      this.columns.set(feature, valueType);
    }
  }

  private async tempDir(): Promise<string> {
    this.dir ??= await mkdtemp(join(tmpdir(), 'fstore-pg-write-'));
    return this.dir;
  }

  /**
   * A JSON chunk: COPYed into a temp table of text columns, converted to the staged columns' types
   * in SQL. Rows are numbered on from the last seq, so later chunks win ties.
   */
  private async appendJsonChunk(chunk: OfflineBatch): Promise<void> {
    const { conn, c } = this;
    for (let row = 0; row < chunk.entityKeys.length; row++) {
      if (!Number.isFinite(chunk.eventTimes[row])) throw new Error(`row ${row + 1} has no valid event time`);
    }
    const names = chunk.columns.map((_, i) => `j${i}`);
    await conn.query(c, `CREATE TEMP TABLE fstore_json_chunk (seq bigint, entity_key text, event_time_ms bigint${names.map((n) => `, ${n} text`).join('')}) ON COMMIT DROP`);
    await conn.copyIn(c, 'COPY fstore_json_chunk FROM STDIN (FORMAT text)', jsonChunkLines(chunk, this.seq));
    const converted = chunk.columns.map((col, i) => pgFromJson(names[i]!, col.valueType));
    await conn.query(
      c,
      `INSERT INTO ${STAGED} (seq, entity_key, event_time${chunk.columns.map((col) => `, ${ident(col.feature)}`).join('')})
       SELECT seq, entity_key, ${tsFromMs('event_time_ms')}${converted.map((x) => `, ${x}`).join('')} FROM fstore_json_chunk`,
    );
    await conn.query(c, 'DROP TABLE fstore_json_chunk');
    this.seq += chunk.entityKeys.length;
  }

  /**
   * A Parquet file: DuckDB writes it as CSV in the staged columns' text forms, streamed into COPY.
   * Its seq values are shifted past those staged before.
   */
  private async appendParquetFile(path: string, types: readonly OfflineColumnType[]): Promise<void> {
    const csv = join(await this.tempDir(), `part${this.seq}.csv`);
    const first = this.seq;
    const fields = types.map((t, i) => `${duckToPgText(quoteIdent(t.feature), t.valueType)} AS c${i}`);
    const maxSeq = await this.files.run(async (d) => {
      await d.run(
        `COPY (SELECT CAST(entity_key AS VARCHAR) AS entity_key, ${duckTime('event_time_ms')}, CAST(seq AS BIGINT) + ${first}${fields.map((f) => `, ${f}`).join('')}
               FROM read_parquet($1)) TO ${duckString(csv)} (FORMAT csv, HEADER false, FORCE_QUOTE (${quotedFields(types).join(', ')}))`,
        [path],
      );
      const reader = await d.runAndReadAll('SELECT CAST(max(seq) AS DOUBLE) FROM read_parquet($1)', [path]);
      return reader.getRowsJS()[0]?.[0];
    });
    await this.conn.copyInFile(this.c, `COPY ${STAGED} (entity_key, event_time, seq${types.map((t) => `, ${ident(t.feature)}`).join('')}) FROM STDIN (FORMAT csv)`, csv);
    await rm(csv, { force: true });
    this.seq = maxSeq === null || maxSeq === undefined ? first + 1 : first + Number(maxSeq) + 1;
  }

  /**
   * The first part of a write, when it writes each of its features in every row and no (key, time)
   * twice: written sorted in the table's CSV form and kept for commit (loadDirect). False when the
   * file does not qualify.
   */
  private async stageDirect(path: string, types: readonly OfflineColumnType[]): Promise<boolean> {
    const dir = await this.tempDir();
    const csv = join(dir, 'direct.csv');
    const names = types.map((t) => quoteIdent(t.feature));
    const rows = await this.files.run(async (d) => {
      const [counts] = (await d.runAndReadAll(`SELECT CAST(count(*) AS DOUBLE), ${names.map((n) => `CAST(count(${n}) AS DOUBLE)`).join(', ')} FROM read_parquet($1)`, [path])).getRowsJS();
      const [total, ...perFeature] = (counts ?? []).map(Number);
      if (!total || perFeature.some((n) => n !== total)) return undefined;
      const [repeated] = (
        await d.runAndReadAll('SELECT EXISTS (SELECT 1 FROM read_parquet($1) GROUP BY entity_key, event_time_ms HAVING count(*) > 1)', [path])
      ).getRowsJS()[0]!;
      if (repeated === true) return undefined;
      const fields = types.map((t, i) => `${duckToPgText(names[i]!, t.valueType)} AS c${i}`);
      await d.run(
        `COPY (SELECT CAST(entity_key AS VARCHAR) AS entity_key, ${duckTime('event_time_ms')} AS event_time, ${duckTime(msInt(this.ingestedAt))}, ${fields.join(', ')}
               FROM read_parquet($1) ORDER BY entity_key, event_time) TO ${duckString(csv)} (FORMAT csv, HEADER false, FORCE_QUOTE (${quotedFields(types).join(', ')}))`,
        [path],
      );
      return total;
    });
    if (rows === undefined) return false;
    const files = this.files;
    let firstTimes: string | undefined;
    this.pending = {
      csv,
      features: types.map((t) => t.feature),
      rows,
      async firstTimes() {
        if (firstTimes) return firstTimes;
        const out = join(dir, 'first-times.csv');
        const columns = ['k', 't', 'ingested', ...types.map((_, i) => `c${i}`)].map((c) => `'${c}': 'VARCHAR'`).join(', ');
        await files.run((d) =>
          d.run(
            `COPY (SELECT k, min(t) FROM read_csv(${duckString(csv)}, header = false, auto_detect = false, delim = ',', quote = '"', escape = '"', columns = {${columns}}) GROUP BY k)
             TO ${duckString(out)} (FORMAT csv, HEADER false, FORCE_QUOTE (k))`,
          ),
        );
        return (firstTimes = out);
      },
    };
    this.seq = 1; // later parts win ties with it
    return true;
  }

  /** Stages the kept direct part like any other (another part follows, or it did not qualify). */
  private async flushPending(): Promise<void> {
    const part = this.pending;
    if (!part) return;
    this.pending = undefined;
    await this.conn.copyInFile(this.c, `COPY ${STAGED} (entity_key, event_time, ingested_at, ${part.features.map(ident).join(', ')}) FROM STDIN (FORMAT csv)`, part.csv);
    await rm(part.csv, { force: true });
  }

  /** The commit's merge: columns ensured and each feature's values merged into its home table. */
  private async merge(): Promise<number> {
    const { conn, c } = this;
    const names = [...this.columns.keys()];
    // A feature first written anywhere creates a column: such writes take the schema lock
    // exclusively, so two groups cannot both create one; all others share it.
    const before = await PgOfflineCatalog.load(conn, c, { features: names });
    const creates = names.some((f) => before.find(f) === undefined);
    await conn.query(c, `SELECT ${creates ? 'pg_advisory_xact_lock' : 'pg_advisory_xact_lock_shared'}(${SCHEMA_LOCK})`);
    // A feature whose column lives in another group's table (it moved in the registry) is written
    // there; every other feature of the batch belongs to this group's table.
    const located = await PgOfflineCatalog.load(conn, c, { features: names });
    const homes = new Map<string, Map<string, ValueType>>();
    for (const [feature, valueType] of this.columns) {
      const group = located.find(feature)?.group ?? this.featureGroup;
      let own = homes.get(group);
      if (!own) homes.set(group, (own = new Map()));
      own.set(feature, valueType);
    }
    const groups = [...homes.keys()].sort();
    for (const group of groups) await conn.query(c, `SELECT pg_advisory_xact_lock(${GROUP_LOCK}, hashtext($1))`, [group]);
    let catalog = await PgOfflineCatalog.load(conn, c, { groups });
    let changed = false;
    for (const group of groups) if (await ensureColumns(conn, c, catalog, group, homes.get(group)!)) changed = true;
    if (changed) catalog = await PgOfflineCatalog.load(conn, c, { groups });
    const tableFeatures = (group: string) => new Map([...catalog.columnsOf(group)].map(([f, stored]) => [f, stored.valueType]));

    if (this.pending && groups.length === 1) {
      const written = await loadDirect(conn, c, groups[0]!, [...catalog.columnsOf(groups[0]!).keys()], this.pending);
      if (written !== undefined) return written;
    }
    await this.flushPending();
    let written = 0;
    for (const group of groups) written += await mergeStaged(conn, c, group, tableFeatures(group), [...homes.get(group)!.keys()], this.ingestedAt);
    return written;
  }

  /**
   * A bulk load outdates the statistics at once, and until autovacuum catches up the planner may
   * choose badly for the next lookups of the tables written. Refreshed now, best effort.
   */
  private async analyze(): Promise<void> {
    const names = [...this.columns.keys()];
    await this.conn
      .withClient(async (c) => {
        const catalog = await PgOfflineCatalog.load(this.conn, c, { features: names });
        const groups = new Set(names.flatMap((f) => catalog.find(f)?.group ?? []));
        for (const group of groups) await this.conn.run(c, `ANALYZE ${groupTable(group)}`);
      })
      .catch(() => undefined);
  }
}

/** An event time (epoch ms, BIGINT) as DuckDB writes a TIMESTAMPTZ to CSV: ISO text with offset. */
function duckTime(ms: string): string {
  return `CAST(epoch_ms(CAST(${ms} AS BIGINT)) AS TIMESTAMPTZ)`;
}

/** The CSV fields always quoted, so empty text stays apart from NULL: the key and text-like features. */
function quotedFields(types: readonly OfflineColumnType[]): string[] {
  return ['entity_key', ...types.flatMap((t, i) => (quotedInCsv(t.valueType) ? [`c${i}`] : []))];
}

/** COPY text lines of a chunk: seq (numbered from firstSeq), key, time, JSON values (\N = none). */
function* jsonChunkLines(chunk: OfflineBatch, firstSeq: number): Generator<string> {
  let buffer = '';
  for (let row = 0; row < chunk.entityKeys.length; row++) {
    buffer += `${firstSeq + row}\t${escapeCopy(chunk.entityKeys[row]!)}\t${Math.trunc(chunk.eventTimes[row]!)}`;
    for (const column of chunk.columns) {
      const value = column.values[row];
      buffer += value === null || value === undefined ? '\t\\N' : `\t${escapeCopy(value)}`;
    }
    buffer += '\n';
    if (buffer.length > 1 << 16) {
      yield buffer;
      buffer = '';
    }
  }
  if (buffer) yield buffer;
}
