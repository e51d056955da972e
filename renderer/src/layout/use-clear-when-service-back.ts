import { useContext, useEffect, useRef } from 'react';
import { isNetworkError } from '../api/is-network-error.js';
import { NEW_SERVICE_BACK_WATCH, watchServiceBack } from './service-back.js';
import { ServiceHealthContext } from './service-health-context.js';

/**
 * Clears a "the service cannot be reached" error by itself once the health poll sees the service
 * back (see service-back.ts). Such an error also asks the poll to check at once, so the banner and
 * the error agree. Other errors are left alone. Outside ServiceHealthProvider it does nothing.
 */
export function useClearWhenServiceBack(error: unknown, clear: () => void): void {
  const context = useContext(ServiceHealthContext);
  const state = context?.health.state;
  const retry = context?.retry;
  const isUnreachable = isNetworkError(error);
  const watch = useRef(NEW_SERVICE_BACK_WATCH);
  const clearRef = useRef(clear);
  useEffect(() => {
    clearRef.current = clear;
  });

  // A new error starts a new watch.
  useEffect(() => {
    watch.current = NEW_SERVICE_BACK_WATCH;
    if (isUnreachable) retry?.();
  }, [error, isUnreachable, retry]);

  useEffect(() => {
    if (!isUnreachable || state === undefined) return;
    const next = watchServiceBack(watch.current, state);
    watch.current = next.watch;
    if (next.isBack) clearRef.current();
  }, [error, isUnreachable, state]);
}
