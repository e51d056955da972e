/**
 * Mean and sample standard deviation that survive values near the DOUBLE limit. DuckDB computes a
 * variance on the way to a standard deviation, and the square of a value past ~1e154 overflows:
 * `stddev_samp` fails with "Out of Range Error" (a 500 for a batch holding 1e300). The fallback
 * computes both on the values scaled by 2^-600, which is exact for every value above ~1e-128 in
 * magnitude, and scales the results back; it runs only when the plain form failed.
 */
const SCALE = 'CAST(pow(2, -600) AS DOUBLE)';

/** `avg(x), stddev_samp(x)`, or their scaled form. */
export function meanAndStd(x: string, scaled: boolean): string {
  return scaled ? `avg(${x} * ${SCALE}) / ${SCALE}, stddev_samp(${x} * ${SCALE}) / ${SCALE}` : `avg(${x}), stddev_samp(${x})`;
}

/** Runs `query(false)`; when DuckDB reports an arithmetic overflow, runs `query(true)` instead. */
export async function withOverflowFallback<T>(query: (scaled: boolean) => Promise<T>): Promise<T> {
  try {
    return await query(false);
  } catch (err) {
    if (err instanceof Error && /Out of Range Error/.test(err.message)) return query(true);
    throw err;
  }
}
