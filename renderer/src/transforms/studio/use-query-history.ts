import { useCallback, useState } from 'react';
import { historyStorageKey, parseHistory, withHistoryEntry, type QueryHistoryEntry } from './query-history.js';

function read(key: string): QueryHistoryEntry[] {
  try {
    return parseHistory(window.localStorage.getItem(key));
  } catch {
    return []; // storage disabled
  }
}

function write(key: string, entries: readonly QueryHistoryEntry[]): void {
  try {
    window.localStorage.setItem(key, JSON.stringify(entries));
  } catch {
    // Storage full or disabled: the history stays in memory for this visit.
  }
}

/** The preview runs of one transform (by name), kept in local storage. */
export function useQueryHistory(transformName: string) {
  const key = historyStorageKey(transformName);
  const [state, setState] = useState(() => ({ key, entries: read(key) }));
  // Another name (the user names a new transform): that name's history, set while rendering
  // (React's pattern for state derived from a prop), so no frame shows the other name's runs.
  if (state.key !== key) setState({ key, entries: read(key) });

  const record = useCallback(
    (entry: QueryHistoryEntry) => {
      // Read first: the same transform may be open in another tab or window.
      const entries = withHistoryEntry(read(key), entry);
      write(key, entries);
      setState({ key, entries });
    },
    [key],
  );
  const clear = useCallback(() => {
    write(key, []);
    setState({ key, entries: [] });
  }, [key]);

  return { entries: state.key === key ? state.entries : [], record, clear };
}
