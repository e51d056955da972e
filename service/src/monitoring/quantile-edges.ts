/**
 * Binning a numeric feature against its baseline. Pure functions; drift-math.ts compares the counts.
 *
 * Bin convention: k strictly increasing interior edges e1 < ... < ek make k + 1 bins
 *   (-inf, e1], (e1, e2], ..., (ek, +inf)
 * so bin i (0-based) holds the values v with e[i-1] < v <= e[i], and the bin of v is simply the
 * number of edges strictly below v. That is the form to use in SQL, for example
 *   DuckDB:      list_count(list_filter($edges, e -> e < v))
 *   PostgreSQL:  (SELECT count(*) FROM unnest($1::float8[]) AS e WHERE e < v)
 * or one `count(*) FILTER (WHERE v > e_{i-1} AND v <= e_i)` per bin. PostgreSQL's
 * `width_bucket(v, thresholds)` is left-closed ([t_i, t_{i+1})), so it does NOT match as is.
 * NaN is skipped here like NULL; both databases sort NaN above every number, so the SQL must filter
 * it (`NOT isnan(v)`) or it lands in the last bin.
 *
 * Edges are baseline quantiles by the inverted-CDF definition (the smallest baseline value whose
 * empirical CDF reaches i/bins), which is what PostgreSQL's `percentile_disc` and DuckDB's
 * `quantile_disc` return. Edges are therefore actual baseline values, and with right-closed bins,
 * after removing duplicates and any edge equal to the baseline maximum, every baseline bin is
 * non-empty (bin i contains e[i] itself; the last contains the maximum).
 */

/** The probability levels i/bins, i = 1..bins-1, to pass to percentile_disc/quantile_disc in SQL. */
export function quantileLevels(bins: number): number[] {
  assertBins(bins);
  return Array.from({ length: bins - 1 }, (_, i) => (i + 1) / bins);
}

/**
 * Interior edges for `bins` quantile bins of a baseline sorted ascending (NaN-free): the inverted-CDF
 * quantile at i/bins is the value of 1-based rank ceil(n*i/bins), computed in exact integer
 * arithmetic (numpy's float `n*q` is sometimes one rank off, e.g. n=100, q=0.55). With ties or few
 * distinct values there are fewer than bins-1 edges (see `edgesFromQuantiles`). O(n) for the check
 * that the input is sorted, O(bins) otherwise.
 */
export function quantileEdges(sortedBaseline: readonly number[], bins: number): number[] {
  assertBins(bins);
  assertSorted(sortedBaseline, 'sortedBaseline');
  const n = sortedBaseline.length;
  if (n === 0) throw new RangeError('quantileEdges needs a non-empty baseline');
  if (n * bins > Number.MAX_SAFE_INTEGER) throw new RangeError('quantileEdges: n * bins is too large for exact ranks');
  const candidates: number[] = [];
  for (let i = 1; i < bins; i++) candidates.push(sortedBaseline[Math.ceil((n * i) / bins) - 1]!);
  return edgesFromQuantiles(candidates, sortedBaseline[n - 1]!);
}

/**
 * Edges from quantiles computed elsewhere (for example by SQL percentile_disc over the baseline):
 * sorted, deduplicated, and without values >= the baseline maximum, whose bin above would be empty
 * in the baseline by construction.
 */
export function edgesFromQuantiles(quantiles: readonly number[], baselineMax: number): number[] {
  if (Number.isNaN(baselineMax)) throw new RangeError('baselineMax is NaN');
  const sorted = quantiles.filter((q) => {
    if (Number.isNaN(q)) throw new RangeError('quantiles contain NaN');
    return q < baselineMax;
  });
  sorted.sort((a, b) => a - b);
  return sorted.filter((q, i) => i === 0 || q !== sorted[i - 1]);
}

/** The 0-based bin of `value`: the number of edges strictly below it (binary search, O(log k)). */
export function binIndex(value: number, edges: readonly number[]): number {
  let lo = 0;
  let hi = edges.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (edges[mid]! < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Counts per bin (edges.length + 1 bins, convention above); NaN values are skipped. O(n log k). */
export function binCounts(values: Iterable<number>, edges: readonly number[]): number[] {
  assertEdges(edges);
  const counts = new Array<number>(edges.length + 1).fill(0);
  for (const v of values) {
    if (Number.isNaN(v)) continue;
    counts[binIndex(v, edges)]! += 1;
  }
  return counts;
}

function assertBins(bins: number): void {
  if (!Number.isInteger(bins) || bins < 1) throw new RangeError(`bins must be a positive integer, got ${bins}`);
}

/** Throws unless `values` is sorted ascending and NaN-free (an O(n) guard for the sorted-input functions). */
export function assertSorted(values: readonly number[], name: string): void {
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (Number.isNaN(v)) throw new RangeError(`${name} contains NaN`);
    if (i > 0 && v < values[i - 1]!) throw new RangeError(`${name} must be sorted ascending`);
  }
}

function assertEdges(edges: readonly number[]): void {
  for (let i = 0; i < edges.length; i++) {
    const e = edges[i]!;
    if (Number.isNaN(e) || (i > 0 && !(e > edges[i - 1]!))) throw new RangeError('edges must be strictly increasing numbers');
  }
}
