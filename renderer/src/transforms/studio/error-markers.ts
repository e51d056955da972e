/**
 * Where a preview or publish error is in the code, as editor markers. The service puts the
 * position in the error's details: `{ location: { line, column }, message }` (1-based), or, for
 * TypeScript compile errors, `diagnostics` with ranges; flat `line`/`column` are accepted too.
 */
import { FStoreApiError } from '@shared/api/client.js';

export interface CodeMarker {
  startLineNumber: number;
  startColumn: number;
  endLineNumber: number;
  endColumn: number;
  message: string;
  severity: 'error' | 'warning';
}

interface RawLocation {
  line: number;
  column: number;
  endLine?: number;
  endColumn?: number;
  message: string;
  severity: 'error' | 'warning';
}

/** Markers for `err` in `code`; none when the error says nothing about a position. */
export function markersFromError(err: unknown, code: string): CodeMarker[] {
  if (!(err instanceof FStoreApiError)) return [];
  const lines = code.split(/\r\n|\r|\n/);
  return locationsOf(err).map((raw) => toMarker(raw, lines));
}

/** The first position an error points at, for a "go to" link; undefined when it has none. */
export function firstErrorPosition(err: unknown, code: string): { lineNumber: number; column: number } | undefined {
  const [first] = markersFromError(err, code);
  return first ? { lineNumber: first.startLineNumber, column: first.startColumn } : undefined;
}

function locationsOf(err: FStoreApiError): RawLocation[] {
  const details = asRecord(err.details);
  if (!details) return [];
  const message = typeof details['message'] === 'string' && details['message'] !== '' ? details['message'] : err.message;
  const diagnostics = Array.isArray(details['diagnostics']) ? details['diagnostics'].flatMap((d) => diagnosticOf(d)) : [];
  if (diagnostics.length > 0) return diagnostics;
  const location = asRecord(details['location']) ?? details;
  const position = positionOf(location);
  return position ? [{ ...position, message, severity: 'error' }] : [];
}

function diagnosticOf(item: unknown): RawLocation[] {
  const record = asRecord(item);
  const position = record && positionOf(record);
  if (!record || !position || typeof record['message'] !== 'string') return [];
  return [{ ...position, message: record['message'], severity: record['severity'] === 'warning' ? 'warning' : 'error' }];
}

function positionOf(record: Record<string, unknown>): Omit<RawLocation, 'message' | 'severity'> | undefined {
  const { line, column, endLine, endColumn } = record;
  if (!isPositiveInteger(line)) return undefined;
  return {
    line,
    column: isPositiveInteger(column) ? column : 1,
    ...(isPositiveInteger(endLine) ? { endLine } : {}),
    ...(isPositiveInteger(endColumn) ? { endColumn } : {}),
  };
}

/**
 * Clamps the position to the code (the text may have changed since) and widens a bare point to
 * the word there, so the squiggle is visible.
 */
function toMarker(raw: RawLocation, lines: readonly string[]): CodeMarker {
  const lineNumber = Math.min(raw.line, lines.length);
  const text = lines[lineNumber - 1] ?? '';
  const startColumn = Math.min(raw.column, text.length + 1);
  const hasRange = raw.endLine !== undefined && raw.endColumn !== undefined && (raw.endLine > raw.line || raw.endColumn > raw.column);
  if (hasRange) {
    const endLineNumber = Math.min(raw.endLine ?? lineNumber, lines.length);
    const endText = lines[endLineNumber - 1] ?? '';
    return {
      startLineNumber: lineNumber,
      startColumn,
      endLineNumber,
      endColumn: Math.min(raw.endColumn ?? startColumn, endText.length + 1),
      message: raw.message,
      severity: raw.severity,
    };
  }
  const [from, to] = wordRange(text, startColumn);
  return { startLineNumber: lineNumber, startColumn: from, endLineNumber: lineNumber, endColumn: to, message: raw.message, severity: raw.severity };
}

const WORD_CHAR = /[A-Za-z0-9_$"]/;

/** Columns [from, to) of the word at `column`, or of the one character there (the one before at a line's end). */
function wordRange(text: string, column: number): [number, number] {
  if (text.length === 0) return [1, 1];
  let index = Math.min(column - 1, text.length - 1);
  if (!WORD_CHAR.test(text.charAt(index))) return [index + 1, index + 2];
  let end = index;
  while (end < text.length && WORD_CHAR.test(text.charAt(end))) end++;
  while (index > 0 && WORD_CHAR.test(text.charAt(index - 1))) index--;
  return [index + 1, end + 1];
}

function asRecord(x: unknown): Record<string, unknown> | undefined {
  return typeof x === 'object' && x !== null && !Array.isArray(x) ? (x as Record<string, unknown>) : undefined;
}

function isPositiveInteger(x: unknown): x is number {
  return typeof x === 'number' && Number.isInteger(x) && x >= 1;
}
