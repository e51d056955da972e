/**
 * DuckDB's JSON reader recurses into nested values and takes the whole process down (SIGSEGV) on
 * a document nested some 10,000 to 40,000 levels deep (DuckDB 1.5). So every JSON or NDJSON file
 * a user hands FStore (uploads, server-side files and globs, label files, file sources) is scanned
 * for its nesting depth before DuckDB opens it. The scan reads the bytes once, without parsing.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { DuckDBConnection } from '@duckdb/node-api';
import { MAX_JSON_DEPTH } from '@shared/domain/json-value.js';

/** A row's value may nest MAX_JSON_DEPTH levels; the row object and a JSON file's top array add two. */
export const MAX_JSON_FILE_DEPTH = MAX_JSON_DEPTH + 2;

/** What each byte means to the scan; every other byte (most of them) is skipped at once. */
const OTHER = 0;
const QUOTE = 1;
const BACKSLASH = 2;
const OPEN = 3;
const CLOSE = 4;
const NEWLINE = 5;
const BYTE_CLASS = new Uint8Array(256);
BYTE_CLASS[0x22] = QUOTE;
BYTE_CLASS[0x5c] = BACKSLASH;
BYTE_CLASS[0x5b] = OPEN; // [
BYTE_CLASS[0x7b] = OPEN; // {
BYTE_CLASS[0x5d] = CLOSE; // ]
BYTE_CLASS[0x7d] = CLOSE; // }
BYTE_CLASS[0x0a] = NEWLINE;

/** Files already scanned, by path, size and modification time: file sources are read by every preview. */
const scanned = new Map<string, number | null>();
const SCANNED_KEPT = 256;

export interface DeepJson {
  file: string;
  line: number;
}

/**
 * The first file of `path` (a file, or a glob expanded by DuckDB as its reader would) that nests
 * too deeply, with the line; null when none does. Call it before DuckDB reads `path` as JSON.
 */
export async function findDeepJson(connection: DuckDBConnection, path: string): Promise<DeepJson | null> {
  const files = /[*?[]/.test(path)
    ? (await connection.runAndReadAll('SELECT file FROM glob($1) ORDER BY file', [path])).getRowsJS().map((r) => String(r[0]))
    : [path];
  for (const file of files) {
    const line = await deepJsonLine(file);
    if (line !== null) return { file, line };
  }
  return null;
}

/** What is wrong with a file `findDeepJson` found, naming the line (and the file of a glob). */
export function deepJsonProblem(found: DeepJson, path: string): string {
  const where = found.file === path ? `line ${found.line}` : `line ${found.line} of ${found.file}`;
  return `${where} nests arrays and objects more than ${MAX_JSON_DEPTH} levels deep in a row (the limit for a JSON value)`;
}

/**
 * The 1-based line where `file` first nests arrays and objects deeper than `limit`, or null when it
 * never does. Brackets inside strings do not count; the file need not be valid JSON.
 */
export async function deepJsonLine(file: string, limit = MAX_JSON_FILE_DEPTH): Promise<number | null> {
  const info = await stat(file);
  const key = `${file}\u0000${info.size}\u0000${info.mtimeMs}\u0000${limit}`;
  const known = scanned.get(key);
  if (known !== undefined) return known;
  const found = await scan(file, limit);
  if (scanned.size >= SCANNED_KEPT) scanned.delete(scanned.keys().next().value as string);
  scanned.set(key, found);
  return found;
}

async function scan(file: string, limit: number): Promise<number | null> {
  const state: ScanState = { depth: 0, line: 1, inString: false, escaped: false };
  const stream = createReadStream(file, { highWaterMark: 1 << 20 });
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      const found = scanChunk(chunk, state, limit);
      if (found !== null) return found;
    }
  } finally {
    stream.destroy();
  }
  return null;
}

interface ScanState {
  depth: number;
  line: number;
  inString: boolean;
  escaped: boolean;
}

/** One chunk, carrying the state across chunks; a plain loop over a byte table (about 5 ns a byte). */
function scanChunk(chunk: Buffer, state: ScanState, limit: number): number | null {
  let { depth, line, inString, escaped } = state;
  for (let i = 0; i < chunk.length; i++) {
    const kind = BYTE_CLASS[chunk[i]!]!;
    if (kind === OTHER) {
      escaped = false;
    } else if (kind === NEWLINE) {
      line++;
      escaped = false;
    } else if (inString) {
      if (escaped) escaped = false;
      else if (kind === BACKSLASH) escaped = true;
      else if (kind === QUOTE) inString = false;
    } else if (kind === QUOTE) {
      inString = true;
    } else if (kind === OPEN) {
      if (++depth > limit) return line;
    } else if (kind === CLOSE && depth > 0) {
      depth--;
    }
  }
  Object.assign(state, { depth, line, inString, escaped });
  return null;
}
