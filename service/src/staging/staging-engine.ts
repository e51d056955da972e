import type { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import type { ValueType } from '@shared/domain/value-types.js';
import { openDuckDb } from '../storage/duckdb/duckdb-session.js';
import { AppError } from '../errors/app-error.js';
import type { DataFormat } from './data-format.js';
import { explainUnreadableFile } from './file-content-check.js';
import { deepJsonProblem, findDeepJson } from './json-file-depth.js';
import { quoteIdent, sourceKindOf, type SourceKind } from './typed-sql.js';

export interface StagedColumn {
  name: string;
  /** The staged column's type (VARCHAR for every CSV column: FStore's validation decides types). */
  duckType: string;
  kind: SourceKind;
  /** What the file's reader detects (BIGINT, DOUBLE, ... for CSV), as the transform studio shows it. */
  detectedType: string;
}

/**
 * Reads uploaded files with DuckDB (in memory, spilling to disk when large) into a staging table,
 * where validation, type inference and extraction run as set-based SQL rather than row loops in JS.
 */
export class StagingEngine {
  private constructor(
    private readonly instance: DuckDBInstance,
    /** Where intermediate files (exports, spills) go: the data folder's tmp/. */
    readonly tempDir: string,
  ) {}

  static async create(tempDir: string): Promise<StagingEngine> {
    const instance = await openDuckDb(':memory:');
    const c = await instance.connect();
    await c.run(`SET temp_directory = '${tempDir.replace(/'/g, "''")}'`);
    await c.run('SET preserve_insertion_order = true');
    c.closeSync();
    return new StagingEngine(instance, tempDir);
  }

  async stage(path: string, format: DataFormat): Promise<StagedTable> {
    const connection = await this.instance.connect();
    try {
      const unreadable = await explainUnreadableFile(path, format);
      if (unreadable) throw new AppError('FSTORE_INGEST_REJECTED', unreadable);
      // DuckDB's JSON reader crashes the process on a deep enough document: checked first.
      const deep = format === 'json' || format === 'ndjson' ? await findDeepJson(connection, path) : null;
      if (deep) throw new AppError('FSTORE_INGEST_REJECTED', `The ${format.toUpperCase()} data was not read: ${deepJsonProblem(deep, path)}; nothing was written`);
      await connection.run(`CREATE TEMP TABLE src AS SELECT * FROM ${reader(format)}`, [path]);
    } catch (err) {
      connection.closeSync();
      if (err instanceof AppError) throw err;
      throw new AppError('FSTORE_INGEST_REJECTED', `The ${format.toUpperCase()} data could not be read: ${cleanDuckMessage(err)}`);
    }
    const described = await connection.runAndReadAll('DESCRIBE src');
    const sniffed = format === 'csv' ? await sniffCsvTypes(connection, path) : undefined;
    const columns = described.getRowObjectsJS().map((r, i) => ({
      name: String(r['column_name']),
      duckType: String(r['column_type']),
      kind: sourceKindOf(String(r['column_type'])),
      detectedType: sniffed?.[i] ?? String(r['column_type']),
    }));
    const count = await connection.runAndReadAll('SELECT CAST(count(*) AS DOUBLE) FROM src');
    return new StagedTable(connection, columns, Number(count.getRowsJS()[0]?.[0] ?? 0));
  }

  /** A scratch connection (own temp tables) for exports; the caller closes it. */
  connect(): Promise<DuckDBConnection> {
    return this.instance.connect();
  }

  close(): void {
    this.instance.closeSync();
  }
}

function reader(format: DataFormat): string {
  switch (format) {
    case 'csv':
      // all_varchar: types are decided by FStore's validation, not by a sniffer that sees a sample.
      return 'read_csv($1, header = true, all_varchar = true)';
    case 'parquet':
      return 'read_parquet($1)';
    case 'json':
    case 'ndjson':
      return "read_json($1, format = 'auto', sample_size = -1)";
  }
}

/**
 * The column types DuckDB's CSV sniffer detects (from a sample, as the transform studio reads the
 * file), in column order; undefined when the sniffer cannot tell, so the staged types are shown.
 */
async function sniffCsvTypes(connection: DuckDBConnection, path: string): Promise<string[] | undefined> {
  try {
    const reader = await connection.runAndReadAll('DESCRIBE SELECT * FROM read_csv($1, header = true)', [path]);
    return reader.getRowObjectsJS().map((r) => String(r['column_type']));
  } catch {
    return undefined;
  }
}

export class StagedTable {
  constructor(
    readonly connection: DuckDBConnection,
    readonly columns: StagedColumn[],
    readonly rowCount: number,
  ) {}

  column(name: string): StagedColumn | undefined {
    return this.columns.find((c) => c.name === name);
  }

  /** Infers a value type per column from all its values (null when the column is entirely empty). */
  async inferTypes(columns: StagedColumn[]): Promise<Map<string, ValueType | null>> {
    const out = new Map<string, ValueType | null>();
    const textual = columns.filter((c) => c.kind === 'text' || c.kind === 'json');
    for (const c of columns) if (!textual.includes(c)) out.set(c.name, typeFromDuck(c));
    if (textual.length === 0) return out;
    const probes = textual.flatMap((c, i) => {
      const s = c.kind === 'json' ? `json_extract_string(${quoteIdent(c.name)}, '$')` : quoteIdent(c.name);
      const nonNull = `${s} IS NOT NULL`;
      return [
        `count(*) FILTER (WHERE ${nonNull}) AS n${i}`,
        `bool_and(TRY_CAST(${s} AS DOUBLE) = TRY_CAST(${s} AS BIGINT)) FILTER (WHERE ${nonNull}) AS int${i}`,
        `bool_and(isfinite(TRY_CAST(${s} AS DOUBLE))) FILTER (WHERE ${nonNull}) AS float${i}`,
        `bool_and(lower(trim(${s})) IN ('true', 'false')) FILTER (WHERE ${nonNull}) AS bool${i}`,
        `bool_and(regexp_full_match(trim(${s}), '\\d{4}-\\d{2}-\\d{2}')) FILTER (WHERE ${nonNull}) AS date${i}`,
        `bool_and(regexp_matches(${s}, '^\\d{4}-\\d{2}-\\d{2}[T ]\\d{2}:\\d{2}') AND TRY_CAST(${s} AS TIMESTAMPTZ) IS NOT NULL) FILTER (WHERE ${nonNull}) AS ts${i}`,
        `bool_and(json_valid(${s}) AND json_type(TRY_CAST(${s} AS JSON)) = 'ARRAY' AND TRY_CAST(TRY_CAST(${s} AS JSON) AS VARCHAR[]) IS NOT NULL) FILTER (WHERE ${nonNull}) AS list${i}`,
      ];
    });
    const reader = await this.connection.runAndReadAll(`SELECT ${probes.join(', ')} FROM src`);
    const row = reader.getRowObjectsJS()[0] ?? {};
    textual.forEach((c, i) => {
      if (Number(row[`n${i}`] ?? 0) === 0) return out.set(c.name, null);
      const type: ValueType = row[`int${i}`]
        ? 'INT'
        : row[`float${i}`]
          ? 'FLOAT'
          : row[`bool${i}`]
            ? 'BOOL'
            : row[`date${i}`]
              ? 'DATE'
              : row[`ts${i}`]
                ? 'TIMESTAMP'
                : row[`list${i}`]
                  ? 'STRING_LIST'
                  : 'STRING';
      return out.set(c.name, type);
    });
    return out;
  }

  close(): void {
    this.connection.closeSync();
  }
}

export function typeFromDuck(c: Pick<StagedColumn, 'duckType'>): ValueType | null {
  const t = c.duckType.toUpperCase();
  if (/^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT)$/.test(t)) return 'INT';
  if (/^(FLOAT|DOUBLE|DECIMAL)/.test(t)) return 'FLOAT';
  if (t === 'BOOLEAN') return 'BOOL';
  if (t === 'DATE') return 'DATE';
  if (t.startsWith('TIMESTAMP')) return 'TIMESTAMP';
  if (/^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT)\[\]$/.test(t)) return 'INT_LIST';
  if (/^(FLOAT|DOUBLE|DECIMAL.*)\[\]$/.test(t)) return 'FLOAT_LIST';
  if (t === 'BOOLEAN[]') return 'BOOL_LIST';
  if (t === 'VARCHAR[]') return 'STRING_LIST';
  if (t === 'NULL') return null;
  return 'STRING';
}

/** A DuckDB reader error is cut to this many characters: the gist, not its diagnostics. */
const MAX_MESSAGE_CHARS = 300;

/**
 * The gist of a DuckDB error for a user: no exception class, no hints or sniffer diagnostics, and
 * no file paths (an upload's path on the server is an internal detail, and not the user's name for it).
 */
export function cleanDuckMessage(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  if (message.includes('not possible to automatically detect the CSV parsing dialect')) {
    return 'its columns could not be told apart (no consistent delimiter such as a comma or semicolon was found)';
  }
  const gist = redactPaths(message.replace(/^[A-Za-z ]+Error: /, '').split('\n')[0]!.trim());
  return gist.length > MAX_MESSAGE_CHARS ? `${gist.slice(0, MAX_MESSAGE_CHARS - 1)}…` : gist;
}

/** Replaces absolute file paths (quoted or bare, POSIX or Windows) with 'the file' ("file '/x'" too, not "file the file"). */
export function redactPaths(message: string): string {
  return message
    .replace(/(["'])(?:[A-Za-z]:)?[\\/][^"'\n]*\1/g, 'the file')
    .replace(/(^|[\s(=])(?:[A-Za-z]:\\|\/)[^\s"',;)]*[\\/][^\s"',;)]*/g, '$1the file')
    .replace(/\bfile the file\b/g, 'the file');
}
