/** While the service answers: often enough to notice it going away within seconds. */
export const HEALTHY_CHECK_MS = 10_000;
/** While it does not: soon at first (a restart takes a few seconds), then less and less often. */
export const FIRST_RETRY_MS = 2_000;
export const MAX_RETRY_MS = 30_000;
/** A health check that takes longer than this counts as down (a hung service, a dead proxy). */
export const HEALTH_TIMEOUT_MS = 5_000;

/** The wait before the next health check, after `consecutiveFailures` failed checks in a row. */
export function nextHealthCheckDelay(consecutiveFailures: number): number {
  if (consecutiveFailures <= 0) return HEALTHY_CHECK_MS;
  return Math.min(FIRST_RETRY_MS * 2 ** (consecutiveFailures - 1), MAX_RETRY_MS);
}
