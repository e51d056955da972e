/**
 * Mean and sample standard deviation that survive values near the DOUBLE limit, in DuckDB and
 * PostgreSQL alike. Both engines keep a sum of squares on the way to a standard deviation (and
 * PostgreSQL's float8 avg too), and the square of a value past ~1e154 overflows: DuckDB fails with
 * "Out of Range Error", PostgreSQL with SQLSTATE 22003 (a 500 for a batch holding 1e300). The
 * fallback computes both on the values scaled by 2^-600, which is exact for every value above
 * ~1e-128 in magnitude, and scales the results back; it runs only when the plain form failed.
 */

/** 2^-600, written so both engines read exactly that double. */
const SCALE = String(2 ** -600);

/** `avg(x)` and `stddev_samp(x)` as two select-list items, or their scaled forms. */
export function meanAndStd(x: string, scaled: boolean): [string, string] {
  return scaled ? [`avg(${x} * ${SCALE}) / ${SCALE}`, `stddev_samp(${x} * ${SCALE}) / ${SCALE}`] : [`avg(${x})`, `stddev_samp(${x})`];
}

/** Runs `query(false)`; when the engine reports an arithmetic overflow, runs `query(true)` instead. */
export async function withOverflowFallback<T>(query: (scaled: boolean) => Promise<T>): Promise<T> {
  try {
    return await query(false);
  } catch (err) {
    if (isOverflow(err)) return query(true);
    throw err;
  }
}

function isOverflow(err: unknown): boolean {
  return (err as { code?: unknown }).code === '22003' || (err instanceof Error && /Out of Range Error/.test(err.message));
}
