import { useCallback, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { useClient } from '../api/use-client.js';
import { HEALTH_TIMEOUT_MS, nextHealthCheckDelay } from './health-check-delay.js';
import { ServiceHealthContext, type ServiceHealth } from './service-health-context.js';

/**
 * Polls GET /health for the whole app: every 10 s while the service answers, backing off from 2 s
 * to 30 s while it does not. Also checks at once when the window comes back into view or the
 * network returns, and when asked to (`retry`).
 */
export function ServiceHealthProvider({ children }: { children: ReactNode }) {
  const { client } = useClient();
  const [health, setHealth] = useState<ServiceHealth>({ state: 'checking' });
  const [isChecking, setIsChecking] = useState(true);
  const checkNow = useRef<() => void>(() => undefined);

  useEffect(() => {
    let isActive = true;
    let isInFlight = false;
    let failures = 0;
    let timer: ReturnType<typeof setTimeout> | undefined;

    const check = async () => {
      if (isInFlight) return;
      isInFlight = true;
      clearTimeout(timer);
      setIsChecking(true);
      let next: ServiceHealth;
      try {
        const answer = await withTimeout(client.health(), HEALTH_TIMEOUT_MS);
        failures = 0;
        next = { state: 'up', version: answer.version };
      } catch (error) {
        failures += 1;
        next = { state: 'down', error, nextCheckAt: Date.now() + nextHealthCheckDelay(failures) };
      }
      isInFlight = false;
      if (!isActive) return;
      setHealth(next);
      setIsChecking(false);
      timer = setTimeout(() => void check(), nextHealthCheckDelay(failures));
    };
    const checkWhenVisible = () => {
      if (document.visibilityState === 'visible') void check();
    };
    const checkOnline = () => void check();

    checkNow.current = () => void check();
    document.addEventListener('visibilitychange', checkWhenVisible);
    window.addEventListener('online', checkOnline);
    void check();
    return () => {
      isActive = false;
      clearTimeout(timer);
      document.removeEventListener('visibilitychange', checkWhenVisible);
      window.removeEventListener('online', checkOnline);
    };
  }, [client]);

  const retry = useCallback(() => checkNow.current(), []);
  const value = useMemo(() => ({ health, isChecking, retry }), [health, isChecking, retry]);
  return <ServiceHealthContext.Provider value={value}>{children}</ServiceHealthContext.Provider>;
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no answer within ${ms / 1000} s`)), ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (err: unknown) => {
        clearTimeout(timer);
        reject(err instanceof Error ? err : new Error(String(err)));
      },
    );
  });
}
