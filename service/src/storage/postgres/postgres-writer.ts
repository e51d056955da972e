/**
 * One atomic write of a feature group on PostgreSQL: a transaction from beginWrite to commit on one
 * pooled connection. Chunks are staged with COPY (JSON text converted in SQL; Parquet files written
 * as CSV by DuckDB) and merged into the group tables at commit under the groups' locks
 * (postgres-group-write.ts). The bulk path: a write whose first part is a Parquet file writing each
 * of its features in every row, no (key, time) twice, is loaded straight into the group's table
 * when it holds every feature of the table and nothing stored is at or after its keys' times: the
 * group is locked then, and DuckDB writes the rows sorted in the table's own CSV form while COPY
 * reads the file as it grows, so the two run side by side. Parts after it are merged at commit.
 */
import { createReadStream } from 'node:fs';
import { mkdtemp, open, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ValueType } from '@shared/domain/value-types.js';
import { quoteIdent } from '../../staging/typed-sql.js';
import { groupTable, ident, INGESTED_COLUMN, KEY_COLUMN, TIME_COLUMN } from '../offline-layout.js';
import type { OfflineBatch, OfflineColumnType, OfflineWriter, ParquetFacts } from '../offline-store.js';
import { escapeCopy, wrap, type Client, type PgConnections } from './postgres-connection.js';
import { duckString, duckToPgText, quotedInCsv, type DuckFiles } from './postgres-files.js';
import { addStagingColumnSql, createStagingSql, ensureColumns, mergeStaged, STAGED } from './postgres-group-write.js';
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
  /** Staged parts, and whether each was checked to hold no (key, time) twice. */
  private stagedParts = 0;
  private uncheckedParts = 0;
  /** The part loaded straight into its table, if any. */
  private direct: { group: string; csv: string; features: readonly string[]; rows: number } | undefined;
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
      // Times without an offset (the CSV DuckDB writes) are read in UTC (TRANSACTION_SETTINGS).
      await conn.begin(c, 'write');
      await conn.query(c, createStagingSql());
    } catch (err) {
      return writer.fail(err);
    }
    return writer;
  }

  async append(chunk: OfflineBatch): Promise<void> {
    this.assertOpen();
    try {
      await this.addColumns(chunk.columns);
      await this.appendJsonChunk(chunk);
    } catch (err) {
      throw wrap(err);
    }
  }

  async appendParquet(path: string, types: OfflineColumnType[], onRows?: (rowsSent: number) => void, facts?: ParquetFacts): Promise<void> {
    this.assertOpen();
    try {
      await this.addColumns(types);
      const stats = facts
        ? { rows: facts.rows, dense: facts.values.every((n) => n === facts.rows), repeated: facts.repeatedKeyTimes }
        : await this.parquetStats(path, types);
      if (stats.rows === 0) return;
      if (this.seq === 0 && types.length > 0 && stats.dense && !stats.repeated && (await this.loadDirect(path, types, stats.rows, onRows))) return;
      await this.appendParquetFile(path, types, stats.repeated, onRows);
    } catch (err) {
      throw wrap(err);
    }
  }

  async commit(): Promise<number> {
    this.assertOpen();
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

  private assertOpen(): void {
    if (this.done) throw new Error('this write has already been committed or aborted');
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
    const seen = new Set<string>();
    for (let row = 0; row < chunk.entityKeys.length; row++) {
      if (!Number.isFinite(chunk.eventTimes[row])) throw new Error(`row ${row + 1} has no valid event time`);
      seen.add(`${Math.trunc(chunk.eventTimes[row]!)}\u0000${chunk.entityKeys[row]}`);
    }
    if (chunk.entityKeys.length === 0) return;
    this.stagedParts++;
    if (seen.size < chunk.entityKeys.length) this.uncheckedParts++;
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
  private async appendParquetFile(path: string, types: readonly OfflineColumnType[], repeated: boolean, onRows?: (rowsSent: number) => void): Promise<void> {
    this.stagedParts++;
    if (repeated) this.uncheckedParts++;
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
    await this.conn.copyIn(
      this.c,
      `COPY ${STAGED} (entity_key, event_time, seq${types.map((t) => `, ${ident(t.feature)}`).join('')}) FROM STDIN (FORMAT csv)`,
      countingRows(createReadStream(csv, { highWaterMark: 1 << 20 }), onRows),
    );
    await rm(csv, { force: true });
    this.seq = maxSeq === null || maxSeq === undefined ? first + 1 : first + Number(maxSeq) + 1;
  }

  /**
   * What DuckDB tells of a Parquet part before it is written: its rows, whether every row writes
   * each of its features, and whether a (key, time) repeats (the merge then need not look).
   */
  private async parquetStats(path: string, types: readonly OfflineColumnType[]): Promise<{ rows: number; dense: boolean; repeated: boolean }> {
    return this.files.run(async (d) => {
      const names = types.map((t) => quoteIdent(t.feature));
      const [counts] = (await d.runAndReadAll(`SELECT CAST(count(*) AS DOUBLE)${names.map((n) => `, CAST(count(${n}) AS DOUBLE)`).join('')} FROM read_parquet($1)`, [path])).getRowsJS();
      const [rows = 0, ...perFeature] = (counts ?? []).map(Number);
      if (rows === 0) return { rows, dense: false, repeated: false };
      const [repeated] = (await d.runAndReadAll('SELECT EXISTS (SELECT 1 FROM read_parquet($1) GROUP BY entity_key, event_time_ms HAVING count(*) > 1)', [path])).getRowsJS()[0]!;
      return { rows, dense: perFeature.every((n) => n === rows), repeated: repeated === true };
    });
  }

  /**
   * The bulk path for the first part of a write (see the header). False, with nothing written, when
   * the file does not qualify; it is then staged like any other part.
   */
  private async loadDirect(path: string, types: readonly OfflineColumnType[], rows: number, onRows?: (rowsSent: number) => void): Promise<boolean> {
    const names = types.map((t) => quoteIdent(t.feature));
    const { groups, catalog } = await this.lockAndEnsure();
    const group = groups[0]!;
    const tableFeatures = [...catalog.columnsOf(group).keys()];
    if (groups.length !== 1 || tableFeatures.length !== types.length) return false;
    const dir = await this.tempDir();
    if (await this.storedAtOrAfter(group, path, dir)) return false;

    const csv = join(dir, 'direct.csv');
    const fields = types.map((t, i) => `${duckToPgText(names[i]!, t.valueType)} AS c${i}`);
    const written = this.files.run((d) =>
      d.run(
        `COPY (SELECT CAST(entity_key AS VARCHAR) AS entity_key, ${duckTime('event_time_ms')} AS event_time, ${timeText(this.ingestedAt)}, ${fields.join(', ')}
               FROM read_parquet($1) ORDER BY entity_key, event_time) TO ${duckString(csv)} (FORMAT csv, HEADER false, FORCE_QUOTE (${quotedFields(types).join(', ')}))`,
        [path],
      ),
    );
    const loaded = this.conn.copyIn(
      this.c,
      `COPY ${groupTable(group)} (${ident(KEY_COLUMN)}, ${ident(TIME_COLUMN)}, ${ident(INGESTED_COLUMN)}, ${types.map((t) => ident(t.feature)).join(', ')}) FROM STDIN (FORMAT csv)`,
      countingRows(followFile(csv, written), onRows),
    );
    const [duck, copy] = await Promise.allSettled([written, loaded]);
    if (duck.status === 'rejected') throw duck.reason;
    if (copy.status === 'rejected') throw copy.reason;
    this.direct = { group, csv, features: types.map((t) => t.feature), rows };
    this.seq = 1; // later parts win ties with it
    return true;
  }

  /**
   * Whether the group's table holds a row of one of the file's keys at or after that key's first
   * time in the file (then its later rows must be merged, not appended to).
   */
  private async storedAtOrAfter(group: string, path: string, dir: string): Promise<boolean> {
    const { conn, c } = this;
    const table = groupTable(group);
    const [empty] = (await conn.one(c, `SELECT NOT EXISTS (SELECT 1 FROM ${table})`)) as [boolean];
    if (empty) return false;
    const firstTimes = join(dir, 'first-times.csv');
    await this.files.run((d) =>
      d.run(
        `COPY (SELECT CAST(entity_key AS VARCHAR) AS k, ${duckTime('min(event_time_ms)')} FROM read_parquet($1) GROUP BY entity_key)
         TO ${duckString(firstTimes)} (FORMAT csv, HEADER false, FORCE_QUOTE (k))`,
        [path],
      ),
    );
    await conn.run(c, `CREATE TEMP TABLE fstore_first_new (entity_key text COLLATE "C", t0 timestamptz) ON COMMIT DROP`);
    await conn.copyInFile(c, 'COPY fstore_first_new FROM STDIN (FORMAT csv)', firstTimes);
    await conn.run(c, 'ANALYZE fstore_first_new');
    const [later] = (await conn.one(
      c,
      `SELECT EXISTS (SELECT 1 FROM fstore_first_new n JOIN ${table} s ON s.${ident(KEY_COLUMN)} = n.entity_key AND s.${ident(TIME_COLUMN)} >= n.t0)`,
    )) as [boolean];
    await conn.run(c, 'DROP TABLE fstore_first_new');
    await rm(firstTimes, { force: true });
    return later;
  }

  /**
   * Locks the tables the write's features go to and gives them their columns. A feature whose
   * column lives in another group's table (it moved in the registry) is written there; every other
   * feature belongs to this group's table. A feature first written anywhere creates a column: such
   * writes take the schema lock exclusively, so two groups cannot both create one; all others
   * share it. Locks are held to the end of the transaction (taking them again is harmless).
   */
  private async lockAndEnsure(): Promise<{ homes: Map<string, Map<string, ValueType>>; groups: string[]; catalog: PgOfflineCatalog }> {
    const { conn, c } = this;
    const names = [...this.columns.keys()];
    const before = await PgOfflineCatalog.load(conn, c, { features: names });
    const creates = names.some((f) => before.find(f) === undefined);
    await conn.query(c, `SELECT ${creates ? 'pg_advisory_xact_lock' : 'pg_advisory_xact_lock_shared'}(${SCHEMA_LOCK})`);
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
    return { homes, groups, catalog };
  }

  /** The commit's merge of the staged parts into each feature's home table. */
  private async merge(): Promise<number> {
    const direct = this.direct;
    if (direct && this.seq === 1) return direct.rows * direct.features.length; // nothing after it
    const { conn, c } = this;
    const { homes, groups, catalog } = await this.lockAndEnsure();
    let written = direct ? direct.rows * direct.features.length : 0;
    if (direct) {
      // Cells of later parts at the direct part's (key, time) replace its values: written once.
      const columns = ['k', 't', 'i', ...direct.features.map((_, i) => `c${i}`)];
      await conn.run(c, `CREATE TEMP TABLE fstore_direct (${columns.map((col, i) => `${col} ${i === 1 ? 'timestamptz' : 'text'}`).join(', ')}) ON COMMIT DROP`);
      await conn.copyInFile(c, `COPY fstore_direct FROM STDIN (FORMAT csv)`, direct.csv);
    }
    for (const group of groups) {
      const features = new Map([...catalog.columnsOf(group)].map(([f, stored]) => [f, stored.valueType]));
      const overlap = direct?.group === group ? { table: 'fstore_direct', features: direct.features } : undefined;
      const duplicates = this.stagedParts > 1 || this.uncheckedParts > 0;
      written += await mergeStaged(conn, c, group, features, [...homes.get(group)!.keys()], this.ingestedAt, { overlap, duplicates });
    }
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

/**
 * An event time (epoch ms, BIGINT) as CSV text for PostgreSQL: a TIMESTAMP without zone (the
 * write's transaction reads it in UTC). DuckDB formats it in a third of the time of a TIMESTAMPTZ,
 * which goes through ICU.
 */
function duckTime(ms: string): string {
  return `epoch_ms(CAST(${ms} AS BIGINT))`;
}

/** A constant time as a CSV field (the ingestion time of every row), formatted once. */
function timeText(ms: number): string {
  return `'${new Date(ms).toISOString()}'`;
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

/**
 * Passes CSV bytes on, telling `onRows` how many rows have gone by (lines; quoted fields with
 * newlines make it an estimate, which progress is).
 */
async function* countingRows(source: AsyncIterable<Buffer | string>, onRows?: (rowsSent: number) => void): AsyncGenerator<Buffer | string> {
  let rows = 0;
  for await (const chunk of source) {
    if (onRows) {
      const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
      for (let at = bytes.indexOf(10); at !== -1; at = bytes.indexOf(10, at + 1)) rows++;
    }
    yield chunk;
    onRows?.(rows);
  }
}

/**
 * The bytes of a file another writer is still appending to, until `done` settles and the end is
 * read (EOF before that only means the writer is behind). Fails with the writer's error.
 */
async function* followFile(path: string, done: Promise<unknown>): AsyncGenerator<Buffer> {
  let finished = false;
  let failure: unknown;
  done.then(
    () => (finished = true),
    (err: unknown) => {
      failure = err ?? new Error('the file writer failed');
      finished = true;
    },
  );
  const pause = () => new Promise((resolve) => setTimeout(resolve, 5));
  let handle: Awaited<ReturnType<typeof open>> | undefined;
  try {
    while (!handle) {
      const wasFinished = finished;
      try {
        handle = await open(path, 'r');
      } catch (err) {
        if ((err as { code?: string }).code !== 'ENOENT') throw err;
        if (failure) throw failure;
        if (wasFinished) throw new Error(`${path} was not written`);
        await pause();
      }
    }
    const buffer = Buffer.alloc(1 << 20);
    let position = 0;
    for (;;) {
      const wasFinished = finished;
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, position);
      if (bytesRead > 0) {
        position += bytesRead;
        yield Buffer.from(buffer.subarray(0, bytesRead));
      } else if (failure) {
        throw failure;
      } else if (wasFinished) {
        return;
      } else {
        await pause();
      }
    }
  } finally {
    await handle?.close();
  }
}
