/**
 * The studio's query history: every preview run of a transform's code, newest first, kept in the
 * browser's local storage per transform name and bounded. Pure functions; the hook stores them.
 */
import { TRANSFORM_LANGUAGES, type TransformLanguage } from '@shared/domain/schemas.js';
import type { PreviewOutcome } from './use-transform-preview.js';

export interface QueryHistoryEntry {
  /** When the run started, ISO-8601. */
  at: string;
  language: TransformLanguage;
  code: string;
  ok: boolean;
  /** Result rows in total, when the run succeeded. */
  rowCount?: number;
  durationMs: number;
  /** The error's message, when it failed (shortened). */
  error?: string;
}

export const MAX_HISTORY_ENTRIES = 50;
const MAX_ERROR_CHARS = 300;
const KEY_PREFIX = 'fstore.queryHistory.';
/** The history of a transform not named yet. */
const UNNAMED = '(unnamed)';

export function historyStorageKey(transformName: string): string {
  const name = transformName.trim();
  return KEY_PREFIX + (name === '' ? UNNAMED : name);
}

/** The list with `entry` first, at most `max` entries (the oldest go). */
export function withHistoryEntry(entries: readonly QueryHistoryEntry[], entry: QueryHistoryEntry, max = MAX_HISTORY_ENTRIES): QueryHistoryEntry[] {
  const stored = entry.error !== undefined && entry.error.length > MAX_ERROR_CHARS ? { ...entry, error: `${entry.error.slice(0, MAX_ERROR_CHARS - 1)}…` } : entry;
  return [stored, ...entries].slice(0, max);
}

/** The stored list; anything unreadable (another version's format, a hand edit) is dropped, never thrown. */
export function parseHistory(text: string | null): QueryHistoryEntry[] {
  if (text === null) return [];
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return [];
  }
  return Array.isArray(value) ? value.filter(isEntry).slice(0, MAX_HISTORY_ENTRIES) : [];
}

function isEntry(value: unknown): value is QueryHistoryEntry {
  if (typeof value !== 'object' || value === null) return false;
  const e = value as Record<string, unknown>;
  return (
    typeof e['at'] === 'string' &&
    !Number.isNaN(Date.parse(e['at'])) &&
    (TRANSFORM_LANGUAGES as readonly unknown[]).includes(e['language']) &&
    typeof e['code'] === 'string' &&
    typeof e['ok'] === 'boolean' &&
    typeof e['durationMs'] === 'number' &&
    (e['rowCount'] === undefined || typeof e['rowCount'] === 'number') &&
    (e['error'] === undefined || typeof e['error'] === 'string')
  );
}

/** What a finished preview run leaves in the history. */
export function historyEntryOf(outcome: PreviewOutcome): QueryHistoryEntry {
  const base = { at: outcome.startedAt.toISOString(), language: outcome.request.language, code: outcome.request.code, durationMs: Math.round(outcome.durationMs) };
  if (outcome.preview) return { ...base, ok: true, rowCount: outcome.preview.row_count };
  return { ...base, ok: false, error: outcome.error instanceof Error ? outcome.error.message : String(outcome.error) };
}
