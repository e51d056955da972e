/**
 * One DuckDB database per preview or run. Sources are registered first (file views, staged tables);
 * then the session is locked — file access limited to the sources' folders and the run's own folder,
 * configuration frozen — before any user SQL runs, so a transform cannot read other files, install
 * extensions or change settings. A session opened with a guard also has bounded threads, memory and
 * temp space, and stops its SQL when the guard's signal aborts (see user-sql-pool.ts).
 */
import { randomUUID } from 'node:crypto';
import { mkdir, rm } from 'node:fs/promises';
import { dirname, join, sep } from 'node:path';
import type { DuckDBConnection, DuckDBInstance, DuckDBMaterializedResult, DuckDBResultReader, DuckDBValue } from '@duckdb/node-api';
import { StatementType } from '@duckdb/node-api';
import { PREVIEW_HISTOGRAM_BINS, type ColumnStats } from '@shared/api/transforms.js';
import type { DataFormat } from '@shared/domain/data-formats.js';
import { AppError } from '../errors/app-error.js';
import { quoteIdent, quoteLiteral } from '../staging/typed-sql.js';
import { openDuckDb } from '../storage/duckdb/duckdb-session.js';
import { toJsonRow } from './json-values.js';
import { sqlTransformError } from './sql-errors.js';
import { resourceLimitError, type SessionResources } from './user-sql-limits.js';

export const OUTPUT_TABLE = '__fstore_out';
const SQL_PREFIX = `CREATE TEMP TABLE ${OUTPUT_TABLE} AS SELECT * FROM (\n`;

export interface SessionColumn {
  name: string;
  duckType: string;
}

export type SampleClause = { mode: 'head' | 'random'; rows: number; seed: number } | { mode: 'all' };

/** What bounds a session running user SQL. */
export interface SessionGuard {
  resources: SessionResources;
  /** Aborted, with the AppError saying why, when the session's SQL must stop. */
  signal: AbortSignal;
}

/**
 * How often a stopped session interrupts its connection again. DuckDB forgets an interrupt that
 * arrives before a query has started on its thread, so one call could miss the next statement.
 */
const INTERRUPT_EVERY_MS = 100;
/** Percentiles of numeric preview columns: p5, p25, p50, p75, p95. */
const QUANTILE_LEVELS = [0.05, 0.25, 0.5, 0.75, 0.95];

export class TransformSession {
  private readonly allowed = new Set<string>();
  private locked = false;
  private interrupter: NodeJS.Timeout | undefined;
  private closed = false;

  private constructor(
    private readonly instance: DuckDBInstance,
    /** FStore's own SQL only; queries that must obey the guard go through run() and read(). */
    readonly connection: DuckDBConnection,
    /** This session's scratch folder (staged sources, outputs); removed on close. */
    readonly dir: string,
    private readonly guard: SessionGuard | undefined,
  ) {
    this.allowed.add(dir);
    guard?.signal.addEventListener('abort', () => this.interruptUntilClosed(), { once: true });
  }

  static async open(tmpDir: string, guard?: SessionGuard): Promise<TransformSession> {
    const dir = join(tmpDir, `transform-${randomUUID()}`);
    await mkdir(dir, { recursive: true });
    const resources = guard?.resources;
    const instance = await openDuckDb(':memory:', resources ? { threads: resources.threads, memoryLimit: resources.memoryLimit } : {});
    const connection = await instance.connect();
    const session = new TransformSession(instance, connection, dir, guard);
    try {
      await session.run(`SET temp_directory = ${quoteLiteral(join(dir, 'spill'))}`);
      // After temp_directory: DuckDB 1.5 ignores a cap given before the folder is set (measured).
      if (resources) await session.run(`SET max_temp_directory_size = ${quoteLiteral(resources.tempDirectoryLimit)}`);
      await session.run('SET preserve_insertion_order = true');
      await session.run('SET errors_as_json = true');
    } catch (err) {
      await session.close();
      throw err;
    }
    return session;
  }

  /** Runs FStore's SQL in the session, obeying the guard. */
  run(sql: string): Promise<DuckDBMaterializedResult> {
    return this.guarded(() => this.connection.run(sql));
  }

  /** Runs FStore's SQL in the session and reads the whole result, obeying the guard. */
  read(sql: string, values?: DuckDBValue[]): Promise<DuckDBResultReader> {
    return this.guarded(() => this.connection.runAndReadAll(sql, values));
  }

  /**
   * Every query of a guarded session: none starts once the guard stopped it, and a query that
   * failed because of the guard (interrupted) or a resource limit says so instead of DuckDB's words.
   */
  private async guarded<T>(query: () => Promise<T>): Promise<T> {
    this.throwIfStopped();
    try {
      return await query();
    } catch (err) {
      this.throwIfStopped();
      throw (this.guard && resourceLimitError(err, this.guard.resources)) ?? err;
    }
  }

  private throwIfStopped(): void {
    const signal = this.guard?.signal;
    if (signal?.aborted) throw signal.reason instanceof Error ? signal.reason : new AppError('FSTORE_CANCELLED', 'The SQL was stopped');
  }

  private interruptUntilClosed(): void {
    if (this.closed) return;
    this.connection.interrupt();
    this.interrupter ??= setInterval(() => this.connection.interrupt(), INTERRUPT_EVERY_MS);
    this.interrupter.unref();
  }

  /** A file source read in place (a view), or its sample materialized (a table). */
  async addFile(name: string, path: string, format: DataFormat, sample: SampleClause): Promise<void> {
    this.assertUnlocked();
    // Wildcards are only allowed in the file name (see resolveFileSource), so the folder is fixed.
    this.allowed.add(dirname(path));
    try {
      const read = `SELECT * ${await this.fileReader(path, format)}`;
      if (sample.mode === 'all') await this.run(`CREATE TEMP VIEW ${quoteIdent(name)} AS ${read}`);
      else await this.run(`CREATE TEMP TABLE ${quoteIdent(name)} AS ${read} ${sampleSql(sample)}`);
      if (format !== 'csv') await this.run(`DESCRIBE ${quoteIdent(name)}`); // surfaces unreadable files now
    } catch (err) {
      if (err instanceof AppError) throw err;
      throw new AppError('FSTORE_SOURCE_QUERY_FAILED', `Source '${name}' (${path}) could not be read: ${plainMessage(err)}`);
    }
  }

  /**
   * The FROM clause reading a file. A CSV is sniffed once here and read with the detected dialect
   * and types from then on: otherwise every bind of the user's SQL (parse check, prepare, run)
   * would sniff the file again.
   */
  private async fileReader(path: string, format: DataFormat): Promise<string> {
    const literal = quoteLiteral(path);
    switch (format) {
      case 'csv': {
        // sniff_csv reads one file: a glob is sniffed on its first match, then read whole with that dialect.
        const matched = /[*?[]/.test(path) ? await this.read(`SELECT file FROM glob(${literal}) ORDER BY file LIMIT 1`) : undefined;
        const sniffedLiteral = quoteLiteral(String(matched?.getRowsJS()[0]?.[0] ?? path));
        const sniffed = await this.read(`SELECT Prompt FROM sniff_csv(${sniffedLiteral})`);
        const prompt = String(sniffed.getRowsJS()[0]?.[0] ?? '').trim().replace(/;$/, '');
        const head = `FROM read_csv(${sniffedLiteral}`;
        if (!prompt.startsWith(head)) throw new Error(`DuckDB could not detect the CSV dialect of ${path}`);
        return `FROM read_csv(${literal}${prompt.slice(head.length)}`;
      }
      case 'parquet':
        return `FROM read_parquet(${literal})`;
      case 'json':
        return `FROM read_json(${literal})`;
      case 'ndjson':
        return `FROM read_json(${literal}, format = 'newline_delimited')`;
    }
  }

  /** Rows staged by FStore as NDJSON (PostgreSQL reads, feature group history) as a table. */
  async addNdjson(name: string, file: string, columns?: SessionColumn[]): Promise<void> {
    this.assertUnlocked();
    const spec = columns
      ? `, columns = {${columns.map((c) => `${quoteLiteral(c.name)}: ${quoteLiteral(c.duckType)}`).join(', ')}}`
      : ', sample_size = -1';
    try {
      await this.run(`CREATE TEMP TABLE ${quoteIdent(name)} AS SELECT * FROM read_json(${quoteLiteral(file)}, format = 'newline_delimited'${spec})`);
    } catch (err) {
      if (err instanceof AppError) throw err;
      throw new AppError('FSTORE_SOURCE_QUERY_FAILED', `Source '${name}' could not be staged: ${plainMessage(err)}`);
    }
  }

  /** An empty table with the given columns (a source without rows). */
  async addEmpty(name: string, columns: SessionColumn[]): Promise<void> {
    this.assertUnlocked();
    const list = columns.length > 0 ? columns.map((c) => `${quoteIdent(c.name)} ${c.duckType}`).join(', ') : 'empty VARCHAR';
    await this.run(`CREATE TEMP TABLE ${quoteIdent(name)} (${list})`);
  }

  /** From here on, only the registered folders are readable and settings are frozen. */
  async lock(): Promise<void> {
    const dirs = [...this.allowed].map((d) => (d.endsWith(sep) ? d : d + sep));
    await this.run(`SET allowed_directories = [${dirs.map(quoteLiteral).join(', ')}]`);
    await this.run('SET enable_external_access = false');
    await this.run('SET lock_configuration = true');
    this.locked = true;
  }

  /** Runs the user's SELECT into the output table; errors point into the user's SQL. */
  async runSql(code: string): Promise<void> {
    if (!this.locked) await this.lock();
    const sql = code.replace(/(\s|;)+$/, '');
    if (sql.trim() === '') throw new AppError('FSTORE_TRANSFORM_SQL', 'The SQL is empty; write one SELECT over the sources');
    let count: number;
    try {
      count = (await this.guarded(() => this.connection.extractStatements(sql))).count;
    } catch (err) {
      throw sqlTransformError(err, sql);
    }
    if (count !== 1) throw new AppError('FSTORE_TRANSFORM_SQL', `The SQL has ${count} statements; a transform is exactly one SELECT`);
    // Checked on the parse tree, before binding, so a COPY or ATTACH is refused for what it is.
    const serialized = await this.read('SELECT json_serialize_sql($1::VARCHAR)', [sql]);
    const parsed = JSON.parse(String(serialized.getRowsJS()[0]?.[0] ?? '{}')) as { error?: boolean; error_message?: string };
    if (parsed.error && /Only SELECT/i.test(parsed.error_message ?? '')) throw notSelect();
    try {
      const prepared = await this.guarded(() => this.connection.prepare(sql));
      if (prepared.statementType !== StatementType.SELECT) {
        throw notSelect();
      }
    } catch (err) {
      if (err instanceof AppError) throw err;
      throw sqlTransformError(err, sql);
    }
    try {
      await this.run(`${SQL_PREFIX}${sql}\n)`);
    } catch (err) {
      throw sqlTransformError(err, sql, SQL_PREFIX.length);
    }
  }

  /**
   * Loads rows produced outside DuckDB (TypeScript transforms) as the output table. JavaScript has
   * one number type, so whole-looking numbers are read as DOUBLE (a ratio that happens to be 200 in
   * the sample must not become an INT feature); `keep` names columns left as read (entity key).
   */
  async loadOutput(file: string, rowCount: number, keep: string[]): Promise<void> {
    if (rowCount === 0) {
      await this.run(`CREATE TEMP TABLE ${OUTPUT_TABLE} (${keep.map((c) => `${quoteIdent(c)} VARCHAR`).join(', ') || 'empty VARCHAR'})`);
      return;
    }
    const read = `read_json(${quoteLiteral(file)}, format = 'newline_delimited', sample_size = -1)`;
    try {
      const described = await this.read(`DESCRIBE SELECT * FROM ${read}`);
      const widen = described
        .getRowObjectsJS()
        .map((r) => ({ name: String(r['column_name']), type: String(r['column_type']) }))
        .filter((c) => !keep.includes(c.name) && /^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UBIGINT)(\[\])?$/.test(c.type))
        .map((c) => `CAST(${quoteIdent(c.name)} AS ${c.type.endsWith('[]') ? 'DOUBLE[]' : 'DOUBLE'}) AS ${quoteIdent(c.name)}`);
      const replace = widen.length > 0 ? ` REPLACE (${widen.join(', ')})` : '';
      await this.run(`CREATE TEMP TABLE ${OUTPUT_TABLE} AS SELECT *${replace} FROM ${read}`);
    } catch (err) {
      if (err instanceof AppError) throw err;
      throw new AppError('FSTORE_TRANSFORM_OUTPUT', `The transform's rows do not form a table: ${plainMessage(err)}`);
    }
  }

  async columns(table = OUTPUT_TABLE): Promise<SessionColumn[]> {
    const described = await this.read(`DESCRIBE ${quoteIdent(table)}`);
    return described.getRowObjectsJS().map((r) => ({ name: String(r['column_name']), duckType: String(r['column_type']) }));
  }

  async count(table = OUTPUT_TABLE): Promise<number> {
    const result = await this.read(`SELECT CAST(count(*) AS DOUBLE) FROM ${quoteIdent(table)}`);
    return Number(result.getRowsJS()[0]?.[0] ?? 0);
  }

  /** Rows [from, from + limit) in insertion order, as JSON-safe objects. */
  async rows(limit: number, from = 0, table = OUTPUT_TABLE): Promise<Record<string, unknown>[]> {
    const result = await this.read(`SELECT * FROM ${quoteIdent(table)} WHERE rowid >= ${Math.floor(from)} ORDER BY rowid LIMIT ${Math.floor(limit)}`);
    return result.getRowObjectsJS().map((r) => toJsonRow(r));
  }

  /** Count, nulls, approximate distinct, min, max and mean per column, in one pass. */
  async stats(columns: SessionColumn[]): Promise<ColumnStats[]> {
    if (columns.length === 0) return [];
    const parts = columns.flatMap((c, i) => {
      const col = quoteIdent(c.name);
      const numeric = isNumericType(c.duckType);
      const ordered = numeric || isOrderedType(c.duckType);
      const asText = (agg: string) => (numeric ? `CAST(${agg}(${col}) AS DOUBLE)` : ordered ? `CAST(${agg}(${col}) AS VARCHAR)` : 'NULL');
      return [
        `count(${col}) AS c${i}`,
        `CAST(approx_count_distinct(${col}) AS BIGINT) AS d${i}`,
        `${asText('min')} AS lo${i}`,
        `${asText('max')} AS hi${i}`,
        numeric ? `avg(${col}) AS m${i}` : `NULL AS m${i}`,
        numeric ? `quantile_cont(CAST(${col} AS DOUBLE), [${QUANTILE_LEVELS.join(', ')}]) AS q${i}` : `NULL AS q${i}`,
      ];
    });
    const result = await this.read(`SELECT count(*) AS n, ${parts.join(', ')} FROM ${OUTPUT_TABLE}`);
    const row = toJsonRow(result.getRowObjectsJS()[0] ?? {});
    const total = Number(row['n'] ?? 0);
    // One column at a time: the session's connection runs one statement at once.
    const out: ColumnStats[] = [];
    for (const [i, c] of columns.entries()) out.push(await this.withDistribution(c, row[`q${i}`], this.basicStats(c, i, row, total)));
    return out;
  }

  private basicStats(c: SessionColumn, i: number, row: Record<string, unknown>, total: number): ColumnStats {
    const count = Number(row[`c${i}`] ?? 0);
    const boolean = c.duckType === 'BOOLEAN';
    return {
      column: c.name,
      count,
      nulls: total - count,
      distinct: Math.min(Number(row[`d${i}`] ?? 0), count),
      min: boolean ? null : ((row[`lo${i}`] as ColumnStats['min']) ?? null),
      max: boolean ? null : ((row[`hi${i}`] as ColumnStats['max']) ?? null),
      mean: typeof row[`m${i}`] === 'number' ? (row[`m${i}`] as number) : null,
    };
  }

  /** A numeric column with values: its percentiles and a small histogram. */
  private async withDistribution(c: SessionColumn, levels: unknown, stats: ColumnStats): Promise<ColumnStats> {
    const { min: lo, max: hi } = stats;
    if (!Array.isArray(levels) || typeof lo !== 'number' || typeof hi !== 'number' || !Number.isFinite(lo) || !Number.isFinite(hi)) return stats;
    const [p5, p25, p50, p75, p95] = levels.map(Number) as [number, number, number, number, number];
    return { ...stats, quantiles: { p5, p25, p50, p75, p95 }, histogram: await this.histogram(c.name, lo, hi) };
  }

  /** Counts of a numeric column in equal-width bins from `lo` to `hi` (its own min and max). */
  private async histogram(column: string, lo: number, hi: number): Promise<NonNullable<ColumnStats['histogram']>> {
    const bins = lo === hi ? 1 : PREVIEW_HISTOGRAM_BINS;
    const width = (hi - lo) / bins;
    const value = `CAST(${quoteIdent(column)} AS DOUBLE)`;
    // lo, hi and width are finite JS numbers read back from DuckDB, so printing them into the SQL is safe.
    const bin = width === 0 ? '0' : `least(CAST(floor((${value} - ${lo}) / ${width}) AS INTEGER), ${bins - 1})`;
    const result = await this.read(`SELECT ${bin} AS b, CAST(count(*) AS DOUBLE) AS n FROM ${OUTPUT_TABLE} WHERE ${value} BETWEEN ${lo} AND ${hi} GROUP BY b`);
    const counts = new Array<number>(bins).fill(0);
    for (const [b, n] of result.getRowsJS()) counts[Number(b)] = Number(n);
    return counts.map((count, i) => ({ lower: lo + i * width, upper: i === bins - 1 ? hi : lo + (i + 1) * width, count }));
  }

  /** Writes `select` (over the output table) to a Parquet file in the session folder. */
  async exportParquet(select: string, fileName: string): Promise<string> {
    const file = join(this.dir, fileName);
    try {
      await this.run(`COPY (${select}) TO ${quoteLiteral(file)} (FORMAT parquet)`);
    } catch (err) {
      throw sqlTransformError(err, '');
    }
    return file;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.interrupter);
    this.connection.closeSync();
    this.instance.closeSync();
    await rm(this.dir, { recursive: true, force: true });
  }

  private assertUnlocked(): void {
    if (this.locked) throw new Error('Sources must be added before the session is locked');
  }
}

function notSelect(): AppError {
  return new AppError('FSTORE_TRANSFORM_SQL', 'A SQL transform must be a SELECT (WITH ... SELECT is fine); other statements are not allowed');
}

function sampleSql(sample: Exclude<SampleClause, { mode: 'all' }>): string {
  if (sample.mode === 'head') return `LIMIT ${Math.floor(sample.rows)}`;
  return `USING SAMPLE reservoir(${Math.floor(sample.rows)} ROWS) REPEATABLE (${Math.floor(sample.seed)})`;
}

export function isNumericType(duckType: string): boolean {
  return /^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|UHUGEINT|FLOAT|DOUBLE|DECIMAL.*)$/.test(duckType.toUpperCase());
}

function isOrderedType(duckType: string): boolean {
  return /^(VARCHAR|DATE|TIME.*|TIMESTAMP.*)$/.test(duckType.toUpperCase());
}

function plainMessage(err: unknown): string {
  const raw = err instanceof Error ? err.message : String(err);
  const start = raw.indexOf('{');
  if (start >= 0) {
    try {
      return String((JSON.parse(raw.slice(start)) as { exception_message?: string }).exception_message ?? raw);
    } catch {
      // not JSON: fall through
    }
  }
  return raw.replace(/^[A-Za-z ]+Error: /, '').split('\n\n')[0]!;
}
