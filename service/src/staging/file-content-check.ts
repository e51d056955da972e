import { open } from 'node:fs/promises';
import type { DataFormat } from './data-format.js';

/** Enough of a file's start to tell text from binary without reading a large upload. */
const PROBE_BYTES = 8192;

/**
 * Why a file cannot be data of `format`, in words a user acts on, or undefined when it may be.
 * Catches what DuckDB reports badly: an empty file (read as a CSV with one column 'column0') and a
 * binary file given as CSV or JSON (a page of sniffer diagnostics naming the server's temp path).
 * Globs and unreadable paths are left to the reader.
 */
export async function explainUnreadableFile(path: string, format: DataFormat): Promise<string | undefined> {
  if (/[*?[{]/.test(path)) return undefined;
  let head: Buffer;
  try {
    const handle = await open(path, 'r');
    try {
      const buffer = Buffer.alloc(PROBE_BYTES);
      const { bytesRead } = await handle.read(buffer, 0, PROBE_BYTES, 0);
      head = buffer.subarray(0, bytesRead);
    } finally {
      await handle.close();
    }
  } catch {
    return undefined;
  }
  if (isBlank(head)) return 'The file is empty: it has no column names and no rows';
  if (format === 'parquet' || isText(head)) return undefined;
  const kind = format === 'csv' ? 'CSV' : 'JSON';
  return `The file is not a text ${kind}: it holds binary data (a spreadsheet or archive renamed to .${format}?). Save it as ${kind} (UTF-8 text) and upload that`;
}

function isBlank(head: Buffer): boolean {
  // A UTF-8 byte order mark and whitespace alone are no data either.
  const text = head.toString('utf8').replace(/^\uFEFF/, '');
  return text.trim() === '';
}

function isText(head: Buffer): boolean {
  if (head.includes(0)) return false;
  try {
    // stream: a multi-byte character cut at the probe's end is not an error.
    new TextDecoder('utf-8', { fatal: true }).decode(head, { stream: true });
    return true;
  } catch {
    return false;
  }
}
