import { useCallback, useEffect, useState } from 'react';
import { useClearWhenServiceBack } from '../layout/use-clear-when-service-back.js';

export interface AsyncState<T> {
  /** The last loaded value; kept while a reload is in flight so tables do not flicker. */
  data: T | undefined;
  error: unknown;
  isLoading: boolean;
  reload: () => void;
}

interface Settled<T> {
  load: () => Promise<T>;
  nonce: number;
  data: T | undefined;
  error: unknown;
}

/**
 * Runs `load` (memoise it with useCallback) and reruns it whenever it changes or `reload` is
 * called, and after failing to reach the service once the health poll sees it back. Results of
 * superseded runs are dropped.
 */
export function useAsync<T>(load: () => Promise<T>): AsyncState<T> {
  const [nonce, setNonce] = useState(0);
  const [settled, setSettled] = useState<Settled<T>>();

  useEffect(() => {
    let isCurrent = true;
    load().then(
      (data) => {
        if (isCurrent) setSettled({ load, nonce, data, error: undefined });
      },
      (error: unknown) => {
        if (isCurrent) setSettled({ load, nonce, data: undefined, error });
      },
    );
    return () => {
      isCurrent = false;
    };
  }, [load, nonce]);

  const reload = useCallback(() => setNonce((n) => n + 1), []);
  const isLoading = settled === undefined || settled.load !== load || settled.nonce !== nonce;
  const error = isLoading ? undefined : settled.error;
  // "Cannot be reached" goes away by itself: loaded again once the health poll sees the service back.
  useClearWhenServiceBack(error, reload);
  return { data: settled?.data, error, isLoading, reload };
}
