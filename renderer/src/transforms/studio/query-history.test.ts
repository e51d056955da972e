import { describe, expect, it } from 'vitest';
import { historyStorageKey, MAX_HISTORY_ENTRIES, parseHistory, withHistoryEntry, type QueryHistoryEntry } from './query-history.js';

const entry = (n: number, change: Partial<QueryHistoryEntry> = {}): QueryHistoryEntry => ({
  at: new Date(Date.UTC(2026, 0, 1, 0, 0, n)).toISOString(),
  language: 'sql',
  code: `SELECT ${n}`,
  ok: true,
  rowCount: n,
  durationMs: 12,
  ...change,
});

describe('query history', () => {
  it('keeps runs newest first, at most 50', () => {
    let list: QueryHistoryEntry[] = [];
    for (let n = 1; n <= 60; n++) list = withHistoryEntry(list, entry(n));
    expect(list).toHaveLength(MAX_HISTORY_ENTRIES);
    expect(list[0]?.code).toBe('SELECT 60');
    expect(list.at(-1)?.code).toBe('SELECT 11');
  });

  it('shortens long error messages', () => {
    const [stored] = withHistoryEntry([], entry(1, { ok: false, error: 'x'.repeat(5000) }));
    expect(stored?.error).toHaveLength(300);
    expect(stored?.error?.endsWith('…')).toBe(true);
  });

  it('reads back what it stored, and drops what it cannot read', () => {
    const list = withHistoryEntry([entry(1)], entry(2, { ok: false, error: 'Binder Error', rowCount: undefined, language: 'typescript' }));
    expect(parseHistory(JSON.stringify(list))).toEqual(list);
    expect(parseHistory(null)).toEqual([]);
    expect(parseHistory('{not json')).toEqual([]);
    expect(parseHistory('{"a":1}')).toEqual([]);
    expect(parseHistory(JSON.stringify([entry(1), { ...entry(2), language: 'python' }, { ...entry(3), at: 'yesterday' }, 7, null]))).toEqual([entry(1)]);
  });

  it('has one storage key per transform name, and one for the unnamed', () => {
    expect(historyStorageKey('user_stats')).toBe('fstore.queryHistory.user_stats');
    expect(historyStorageKey(' user_stats ')).toBe('fstore.queryHistory.user_stats');
    expect(historyStorageKey('')).toBe('fstore.queryHistory.(unnamed)');
  });
});
