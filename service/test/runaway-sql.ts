/** What the user-SQL limit tests share: a never-ending query, a CPU meter and a latency bound. */

/** Counts to 10^13 on one core: hours of work, never finishing within a test. */
export const RUNAWAY_SQL = "SELECT 'u' AS user_id, count(*) AS n FROM range(10000000000000) t(x) WHERE x % 7 = 3";

/** A preview request body running `code` over `source`. */
export const previewOf = (code: string, source: string) => ({ language: 'sql', code, sources: [source], entity: 'user' });

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/**
 * CPU this process used over the next `ms`, in cores (1 = one core busy all the time). DuckDB runs
 * in the process's own threads, so a query that was not stopped shows up here.
 */
export async function cpuCores(ms: number): Promise<number> {
  const before = process.cpuUsage();
  const started = performance.now();
  await sleep(ms);
  const used = process.cpuUsage(before);
  return (used.user + used.system) / 1000 / (performance.now() - started);
}

/** `promise`'s value and how long it took; fails naming `what` when it takes longer than `limitMs`. */
export async function within<T>(what: string, limitMs: number, promise: Promise<T>): Promise<{ value: T; ms: number }> {
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not answer within ${limitMs} ms`)), limitMs);
  });
  try {
    const value = await Promise.race([promise, late]);
    return { value, ms: Math.round(performance.now() - started) };
  } finally {
    clearTimeout(timer);
  }
}
