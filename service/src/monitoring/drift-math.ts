/**
 * The metric math of monitoring (issue 6): drift between a baseline and a current sample, and data
 * quality summaries. Pure functions, no I/O; the service computes counts in SQL (see
 * quantile-edges.ts for the bin convention) and calls these on the counts.
 *
 * Inputs are count arrays aligned bin by bin (`expected` = baseline, `actual` = current). Every
 * function over counts is O(bins); `ksExact` is O(n + m) on sorted input; `summarize` sorts, so
 * O(n log n). `Summary` is shaped like the REST contract's quality fields (snake_case).
 * Reference values: service/test/fixtures/drift/make_fixtures.py (numpy/scipy).
 */
import { assertSorted } from './quantile-edges.js';

/** Proportion substituted for an empty bin in PSI (the common "replace 0 with 0.0001" rule). */
export const PSI_EPSILON = 1e-4;

/** The bucket that `alignCategories` folds categories beyond the top N into. */
export const OTHER_CATEGORY = '__other__';

/**
 * Population Stability Index, sum((a - e) * ln(a / e)) over bin proportions. A proportion that is 0
 * is replaced by `epsilon` (other bins untouched, no renormalisation), so identical distributions
 * give exactly 0 and a bin that empties or appears costs a bounded, documented amount.
 */
export function psi(expected: readonly number[], actual: readonly number[], epsilon = PSI_EPSILON): number {
  if (!(epsilon > 0)) throw new RangeError('epsilon must be positive');
  const [te, ta] = countTotals(expected, actual);
  let sum = 0;
  for (let i = 0; i < expected.length; i++) {
    const e = expected[i] === 0 ? epsilon : expected[i]! / te;
    const a = actual[i] === 0 ? epsilon : actual[i]! / ta;
    sum += (a - e) * Math.log(a / e);
  }
  return sum;
}

/**
 * Two-sample KS statistic from binned counts: max |CDF_e - CDF_a| at the bin edges. With the
 * right-closed bins of quantile-edges.ts these are the exact empirical CDFs at the edges, so the
 * result is a lower bound of `ksExact`, short of it by at most the largest single-bin proportion of
 * either sample (inside a bin both CDFs move by at most that bin's mass).
 */
export function ksFromBins(expected: readonly number[], actual: readonly number[]): number {
  const [te, ta] = countTotals(expected, actual);
  let ce = 0;
  let ca = 0;
  let d = 0;
  for (let i = 0; i < expected.length - 1; i++) {
    ce += expected[i]!;
    ca += actual[i]!;
    d = Math.max(d, Math.abs(ce / te - ca / ta));
  }
  return d;
}

/**
 * Two-sample KS statistic sup |F_a - F_b| from raw samples sorted ascending (NaN-free): one merge
 * pass evaluating both empirical CDFs after each distinct value, ties handled; equals
 * scipy.stats.ks_2samp(a, b).statistic. O(n + m).
 */
export function ksExact(sortedA: readonly number[], sortedB: readonly number[]): number {
  assertSorted(sortedA, 'sortedA');
  assertSorted(sortedB, 'sortedB');
  const n = sortedA.length;
  const m = sortedB.length;
  if (n === 0 || m === 0) throw new RangeError('ksExact needs two non-empty samples');
  let i = 0;
  let j = 0;
  let d = 0;
  // Once one sample is exhausted its CDF is 1 and the gap only shrinks, so stopping there is exact.
  while (i < n && j < m) {
    const x = Math.min(sortedA[i]!, sortedB[j]!);
    while (i < n && sortedA[i] === x) i++;
    while (j < m && sortedB[j] === x) j++;
    d = Math.max(d, Math.abs(i / n - j / m));
  }
  return d;
}

/**
 * Asymptotic two-sample KS p-value: the limiting Kolmogorov distribution at sqrt(n*m/(n+m)) * d
 * (Smirnov; what R's ks.test uses for large samples). scipy's ks_2samp(method='asymp') instead
 * evaluates the finite-n one-sample distribution at round(n*m/(n+m)); on the samples of thousands
 * in the fixtures the two, and scipy's exact p-value, agree within 0.006 (the limit slightly higher).
 */
export function ksPValue(d: number, n: number, m: number): number {
  if (!(n > 0 && m > 0)) throw new RangeError('sample sizes must be positive');
  if (Number.isNaN(d)) throw new RangeError('d is NaN');
  return kolmogorovSf(Math.sqrt((n * m) / (n + m)) * d);
}

/**
 * Survival function of the Kolmogorov distribution, Q(z) = 2 sum_{k>=1} (-1)^(k-1) exp(-2 k^2 z^2);
 * below z = 1, 1 - the Jacobi-theta form of the CDF, sqrt(2 pi)/z sum exp(-(2k-1)^2 pi^2 / (8 z^2)),
 * which converges fast there. Absolute error ~1e-16.
 */
export function kolmogorovSf(z: number): number {
  if (Number.isNaN(z)) throw new RangeError('z is NaN');
  if (z <= 0) return 1;
  if (z < 1) {
    const w = -(Math.PI * Math.PI) / (8 * z * z);
    let cdf = 0;
    for (let k = 1; k < 100; k++) {
      const term = Math.exp((2 * k - 1) * (2 * k - 1) * w);
      cdf += term;
      if (term <= 1e-17 * cdf) break;
    }
    return 1 - (Math.sqrt(2 * Math.PI) / z) * cdf;
  }
  let sum = 0;
  for (let k = 1; k < 100; k++) {
    const term = Math.exp(-2 * k * k * z * z);
    sum += k % 2 === 1 ? term : -term;
    if (term <= 1e-17 * sum) break;
  }
  return Math.min(1, 2 * sum);
}

/**
 * Jensen-Shannon divergence (not distance) of two count vectors, in log `base` (2 gives [0, 1]):
 * (KL(p||m) + KL(q||m)) / 2 with m = (p + q) / 2 and 0 ln 0 = 0, so categories missing on one side
 * need no epsilon. scipy's `jensenshannon` returns the distance, the square root of this.
 */
export function jensenShannon(pCounts: readonly number[], qCounts: readonly number[], base = 2): number {
  if (!(base > 0 && base !== 1)) throw new RangeError('base must be positive and not 1');
  const [tp, tq] = countTotals(pCounts, qCounts);
  let sum = 0;
  for (let i = 0; i < pCounts.length; i++) {
    const p = pCounts[i]! / tp;
    const q = qCounts[i]! / tq;
    const m = (p + q) / 2;
    if (p > 0) sum += p * Math.log(p / m);
    if (q > 0) sum += q * Math.log(q / m);
  }
  return Math.max(0, sum / 2 / Math.log(base));
}

export interface ChiSquareResult {
  statistic: number;
  dof: number;
  pValue: number;
}

/**
 * Pearson chi-square test of homogeneity on the 2 x k table [expected; actual] without continuity
 * correction (scipy's chi2_contingency(correction=False)). Columns empty in both rows are dropped
 * (they carry no information and scipy rejects them); dof = columns - 1; one column gives 0, p = 1.
 */
export function chiSquare(expected: readonly number[], actual: readonly number[]): ChiSquareResult {
  const [te, ta] = countTotals(expected, actual);
  const total = te + ta;
  let statistic = 0;
  let columns = 0;
  for (let i = 0; i < expected.length; i++) {
    const column = expected[i]! + actual[i]!;
    if (column === 0) continue;
    columns++;
    const ee = (te * column) / total;
    const ea = (ta * column) / total;
    statistic += (expected[i]! - ee) ** 2 / ee + (actual[i]! - ea) ** 2 / ea;
  }
  const dof = columns - 1;
  if (dof === 0) return { statistic: 0, dof, pValue: 1 };
  return { statistic, dof, pValue: chiSquareSf(statistic, dof) };
}

/** Chi-square survival function P(X >= x) with `dof` degrees of freedom: Q(dof/2, x/2). */
export function chiSquareSf(x: number, dof: number): number {
  if (!(dof > 0)) throw new RangeError('dof must be positive');
  return x <= 0 ? 1 : regularizedGammaQ(dof / 2, x / 2);
}

const GAMMA_EPS = Number.EPSILON;
const GAMMA_FPMIN = Number.MIN_VALUE / Number.EPSILON;
const GAMMA_MAX_ITERATIONS = 100_000;

/**
 * Regularized upper incomplete gamma Q(a, x) = Gamma(a, x) / Gamma(a) (Numerical Recipes): the
 * series for P = 1 - Q when x < a + 1, else Lentz's continued fraction for Q, each to machine
 * precision. Iterations grow like sqrt(a), fine for any realistic number of bins.
 */
export function regularizedGammaQ(a: number, x: number): number {
  if (!(a > 0) || !(x >= 0)) throw new RangeError('regularizedGammaQ needs a > 0 and x >= 0');
  if (x === 0) return 1;
  if (x === Infinity) return 0;
  const prefactor = Math.exp(-x + a * Math.log(x) - logGamma(a));
  if (x < a + 1) {
    let ap = a;
    let term = 1 / a;
    let sum = term;
    for (let n = 0; n < GAMMA_MAX_ITERATIONS && Math.abs(term) >= Math.abs(sum) * GAMMA_EPS; n++) {
      ap += 1;
      term *= x / ap;
      sum += term;
    }
    return Math.max(0, 1 - sum * prefactor);
  }
  let b = x + 1 - a;
  let c = 1 / GAMMA_FPMIN;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i <= GAMMA_MAX_ITERATIONS; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < GAMMA_FPMIN) d = GAMMA_FPMIN;
    c = b + an / c;
    if (Math.abs(c) < GAMMA_FPMIN) c = GAMMA_FPMIN;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) <= GAMMA_EPS) break;
  }
  return prefactor * h;
}

// Numerical Recipes (3rd ed.) gammln coefficients (g = 671/128), written at double precision.
const LANCZOS = [
  57.15623566586292, -59.59796035547549, 14.136097974741746, -0.4919138160976202, 3.399464998481189e-5,
  4.652362892704858e-5, -9.837447530487956e-5, 0.0001580887032249125, -0.00021026444172410488,
  0.00021743961811521265, -0.0001643181065367639, 8.441822398385275e-5, -2.6190838401581408e-5,
  3.6899182659531625e-6,
];

/** ln Gamma(x) for x > 0: the 14-term Lanczos approximation of Numerical Recipes (3rd ed.), ~1e-15. */
export function logGamma(x: number): number {
  if (!(x > 0)) throw new RangeError('logGamma needs x > 0');
  let tmp = x + 5.2421875;
  tmp = (x + 0.5) * Math.log(tmp) - tmp;
  let ser = 0.9999999999999971;
  let y = x;
  for (const c of LANCZOS) ser += c / ++y;
  return tmp + Math.log((2.5066282746310007 * ser) / x);
}

/** Category counts as SQL returns them: a Map or a plain record. */
export type CategoryCounts = ReadonlyMap<string, number> | Readonly<Record<string, number>>;

export interface AlignedCounts {
  labels: string[];
  expected: number[];
  actual: number[];
}

/**
 * Aligns two {category: count} maps over the union of their categories, ordered by the sum of the
 * two proportions (descending, ties by code-unit order of the name) so that a category new in either
 * sample ranks by its weight. With `topN`, categories beyond the first N are folded into
 * `__other__` (last); an input key `__other__` always goes there too.
 */
export function alignCategories(expected: CategoryCounts, actual: CategoryCounts, topN?: number): AlignedCounts {
  if (topN !== undefined && !(Number.isInteger(topN) && topN >= 0)) throw new RangeError('topN must be a non-negative integer');
  const e = toMap(expected);
  const a = toMap(actual);
  const te = sumCounts([...e.values()]);
  const ta = sumCounts([...a.values()]);
  const share = (c: string): number => (te > 0 ? (e.get(c) ?? 0) / te : 0) + (ta > 0 ? (a.get(c) ?? 0) / ta : 0);
  const ranked = [...new Set([...e.keys(), ...a.keys()])]
    .filter((c) => c !== OTHER_CATEGORY)
    .map((c) => ({ c, s: share(c) }))
    .sort((x, y) => y.s - x.s || (x.c < y.c ? -1 : x.c > y.c ? 1 : 0))
    .map(({ c }) => c);
  const kept = topN === undefined ? ranked : ranked.slice(0, topN);
  const folded = ranked.slice(kept.length);
  if (e.has(OTHER_CATEGORY) || a.has(OTHER_CATEGORY)) folded.push(OTHER_CATEGORY);
  const result: AlignedCounts = {
    labels: [...kept],
    expected: kept.map((c) => e.get(c) ?? 0),
    actual: kept.map((c) => a.get(c) ?? 0),
  };
  if (folded.length > 0) {
    result.labels.push(OTHER_CATEGORY);
    result.expected.push(sumCounts(folded.map((c) => e.get(c) ?? 0)));
    result.actual.push(sumCounts(folded.map((c) => a.get(c) ?? 0)));
  }
  return result;
}

/** The quantile levels of `summarize`, labelled like the REST contract (p1 ... p99). */
export const SUMMARY_QUANTILES = { p1: 0.01, p5: 0.05, p25: 0.25, p50: 0.5, p75: 0.75, p95: 0.95, p99: 0.99 } as const;
export type QuantileLabel = keyof typeof SUMMARY_QUANTILES;

export interface Summary {
  count: number;
  nulls: number;
  null_rate: number | null;
  min: number | null;
  max: number | null;
  mean: number | null;
  std: number | null;
  quantiles: Record<QuantileLabel, number | null>;
  distinct: number;
}

/**
 * Quality summary of a numeric column. null and NaN count as nulls; count excludes them and
 * null_rate = nulls / length (null for an empty column). std is the sample standard deviation
 * (ddof = 1, as the SQL stddev_samp; null below 2 values); quantiles use numpy's default 'linear'
 * method (index (n-1)q, interpolated like numpy's _lerp); distinct counts distinct non-null values.
 */
export function summarize(values: readonly (number | null)[]): Summary {
  const present = new Float64Array(values.length);
  let count = 0;
  for (const v of values) if (v !== null && !Number.isNaN(v)) present[count++] = v;
  const sorted = present.subarray(0, count).sort();
  const nulls = values.length - count;
  const quantile = (q: number): number | null => (count === 0 ? null : linearQuantile(sorted, q));
  let mean: number | null = null;
  let std: number | null = null;
  if (count > 0) {
    let sum = 0;
    for (const v of sorted) sum += v;
    mean = sum / count;
    let squares = 0;
    for (const v of sorted) squares += (v - mean) ** 2;
    if (count > 1) std = Math.sqrt(squares / (count - 1));
  }
  return {
    count,
    nulls,
    null_rate: values.length === 0 ? null : nulls / values.length,
    min: count === 0 ? null : sorted[0]!,
    max: count === 0 ? null : sorted[count - 1]!,
    mean,
    std,
    quantiles: {
      p1: quantile(SUMMARY_QUANTILES.p1),
      p5: quantile(SUMMARY_QUANTILES.p5),
      p25: quantile(SUMMARY_QUANTILES.p25),
      p50: quantile(SUMMARY_QUANTILES.p50),
      p75: quantile(SUMMARY_QUANTILES.p75),
      p95: quantile(SUMMARY_QUANTILES.p95),
      p99: quantile(SUMMARY_QUANTILES.p99),
    },
    distinct: new Set(sorted).size,
  };
}

/** numpy's 'linear' quantile (type 7) of a non-empty sorted array, with numpy's lerp rounding. */
function linearQuantile(sorted: Float64Array, q: number): number {
  const n = sorted.length;
  const index = (n - 1) * q;
  if (index >= n - 1) return sorted[n - 1]!;
  const lo = Math.floor(index);
  const t = index - lo;
  const a = sorted[lo]!;
  const b = sorted[lo + 1]!;
  const diff = b - a;
  return t >= 0.5 ? b - diff * (1 - t) : a + diff * t;
}

function toMap(counts: CategoryCounts): ReadonlyMap<string, number> {
  return counts instanceof Map ? counts : new Map(Object.entries(counts));
}

/** Validates a pair of aligned count vectors and returns their totals. */
function countTotals(expected: readonly number[], actual: readonly number[]): [number, number] {
  if (expected.length !== actual.length) throw new RangeError(`count vectors differ in length (${expected.length} vs ${actual.length})`);
  if (expected.length === 0) throw new RangeError('count vectors are empty');
  const te = sumCounts(expected);
  const ta = sumCounts(actual);
  if (te === 0 || ta === 0) throw new RangeError('a sample has no counts');
  return [te, ta];
}

function sumCounts(counts: readonly number[]): number {
  let total = 0;
  for (const c of counts) {
    if (!(c >= 0 && Number.isFinite(c))) throw new RangeError(`counts must be finite and non-negative, got ${c}`);
    total += c;
  }
  return total;
}
