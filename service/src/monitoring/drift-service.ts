/**
 * Drift between a baseline window and a current window, per feature, computed from aggregates the
 * offline store returns (quantiles, binned counts, top values), so the values never leave the store.
 *
 * Numeric features: a uniform grid of 1,000 bins over the baseline's 0.1th..99.9th percentile (plus
 * a bin below and above), counted by the store at scan speed for both windows. PSI uses the
 * baseline's deciles taken on that grid (each decile bin a run of grid bins; ties merge bins);
 * Kolmogorov-Smirnov uses the grid itself (a lower bound of the exact statistic, within the largest
 * grid bin's mass) with its asymptotic p-value. Categorical features: the baseline's
 * and current window's most frequent values (the rest folded into one bucket); PSI, Jensen-Shannon
 * divergence and a chi-square test of homogeneity.
 */
import type { DriftReport, FeatureDrift, HistogramBin, TimeWindow } from '@shared/api/monitoring.js';
import type { ValueType } from '@shared/domain/value-types.js';
import { AppError } from '../errors/app-error.js';
import { resolveFeatureName } from '../registry/feature-names.js';
import type { RegistryService } from '../registry/registry-service.js';
import type { HistogramGrid, OfflineStore } from '../storage/offline-store.js';
import { parseInstant, parseRangeEnd } from '../util/time.js';
import { alignCategories, chiSquare, jensenShannon, ksFromBins, ksPValue, OTHER_CATEGORY, psi } from './drift-math.js';

export const DEFAULT_PSI_THRESHOLD = 0.2;
const GRID_BINS = 1000;
const GRID_RANGE = [0.001, 0.999];
const GRID_SAMPLE = 0.1;
/** Enough sampled values to place the 0.1% / 99.9% quantiles (about 10 values beyond each). */
const GRID_SAMPLE_MIN_VALUES = 10_000;
const TOP_CATEGORIES = 50;

export interface Window {
  start: number;
  end: number;
}

export interface DriftOptions {
  bins?: number | undefined;
  psiThreshold?: number | undefined;
}

interface Prepared {
  baselines: Baseline[];
  numeric: string[];
  categorical: string[];
  /** Per current window, per numeric feature: grid counts. */
  counts: number[][][];
  /** Per current window, per categorical feature: counts by value. */
  categories: Map<string, number>[][];
}

interface Baseline {
  feature: string;
  valueType: ValueType;
  kind: 'numeric' | 'categorical' | 'unsupported';
  /** Numeric: the grid, the baseline's counts on it, and the PSI bins as runs of grid bins. */
  grid: HistogramGrid;
  fineCounts: number[];
  /** Index of the first grid bin of each PSI bin. */
  coarseStarts: number[];
  /** Categorical: counts by JSON value, with the folded rest. */
  categories: Map<string, number>;
  count: number;
}

export class DriftService {
  constructor(
    private readonly registry: RegistryService,
    private readonly offline: OfflineStore,
  ) {}

  async compare(entity: string, features: string[], baselineWindow: TimeWindow, currentWindow: TimeWindow, options: DriftOptions = {}): Promise<DriftReport> {
    const started = performance.now();
    const baselineRange = parseWindow(baselineWindow, '/baseline');
    const currentRange = parseWindow(currentWindow, '/current');
    const prepared = await this.prepare(entity, features, baselineRange, [currentRange], options.bins ?? 10);
    const results = this.score(prepared, 0, options.psiThreshold ?? DEFAULT_PSI_THRESHOLD);
    return { entity, baseline: baselineWindow, current: currentWindow, features: results, elapsed_ms: Math.round(performance.now() - started) };
  }

  /** Drift of each window in `windows` against one baseline: one scan of the store for all numeric features. */
  async series(entity: string, features: string[], baselineWindow: TimeWindow, windows: Window[], options: DriftOptions = {}): Promise<{ window: Window; features: FeatureDrift[] }[]> {
    const prepared = await this.prepare(entity, features, parseWindow(baselineWindow, '/baseline'), windows, options.bins ?? 10);
    return windows.map((window, i) => ({ window, features: this.score(prepared, i, options.psiThreshold ?? DEFAULT_PSI_THRESHOLD) }));
  }

  /**
   * Training/serving skew: the training window's distribution (the baseline) against values online
   * serving returned (`sample` per feature), binned exactly as the store bins the baseline.
   */
  async compareWithSample(entity: string, features: string[], trainingWindow: TimeWindow, sample: (feature: string) => unknown[], options: DriftOptions = {}): Promise<FeatureDrift[]> {
    const { baselines } = await this.prepare(entity, features, parseWindow(trainingWindow, '/training'), [], options.bins ?? 10);
    const threshold = options.psiThreshold ?? DEFAULT_PSI_THRESHOLD;
    return baselines.map((b) => {
      const values = sample(b.feature);
      if (b.kind === 'numeric') {
        const counts = new Array<number>(b.grid.bins + 2).fill(0);
        for (const v of values) if (typeof v === 'number' && Number.isFinite(v)) counts[gridBin(v, b.grid)]!++;
        return numericDrift(b, counts, threshold);
      }
      if (b.kind === 'categorical') {
        const counts = new Map<string, number>();
        for (const v of values) if (v !== null && v !== undefined) counts.set(JSON.stringify(v), (counts.get(JSON.stringify(v)) ?? 0) + 1);
        const top = [...counts.entries()].sort((x, y) => y[1] - x[1]).slice(0, TOP_CATEGORIES).map(([value, count]) => ({ value, count }));
        return categoricalDrift(b, withOther(top, values.length), threshold);
      }
      return { ...emptyDrift(b, threshold, 'numeric'), note: `Skew is computed for numeric and categorical features; '${b.feature}' is ${b.valueType}` };
    });
  }

  /** The baseline of each feature and the counts of each current window, read from the store. */
  private async prepare(entity: string, names: string[], baseline: Window, windows: Window[], bins: number): Promise<Prepared> {
    const features = await this.resolve(entity, names);
    const numeric = features.filter((f) => isNumeric(f.valueType)).map((f) => f.name);
    const categorical = features.filter((f) => isCategorical(f.valueType)).map((f) => f.name);
    const ranges = await this.gridRanges(entity, numeric, baseline);
    const grids = ranges.map((r) => gridFor(r.quantiles[0] ?? null, r.quantiles[1] ?? null));
    const all = [baseline, ...windows];
    const [counts, categories] = await Promise.all([
      this.offline.histogram({ entity, features: numeric, windows: all, grids }),
      Promise.all(all.map((w) => this.categoryCounts(entity, categorical, w))),
    ]);
    const baselines = features.map((f): Baseline => {
      const base: Baseline = { feature: f.name, valueType: f.valueType, kind: 'unsupported', grid: gridFor(0, 1), fineCounts: [], coarseStarts: [], categories: new Map(), count: 0 };
      const n = numeric.indexOf(f.name);
      if (n >= 0) {
        const fine = counts[0]![n]!;
        return { ...base, kind: 'numeric', grid: grids[n]!, fineCounts: fine, coarseStarts: decileStarts(fine, bins), count: fine.reduce((a, b) => a + b, 0) };
      }
      const c = categorical.indexOf(f.name);
      if (c >= 0) {
        const map = categories[0]![c]!;
        return { ...base, kind: 'categorical', categories: map, count: [...map.values()].reduce((a, b) => a + b, 0) };
      }
      return base;
    });
    return { baselines, numeric, categorical, counts: counts.slice(1), categories: categories.slice(1) };
  }

  /**
   * The baseline's 0.1% and 99.9% quantiles, which only place the fine grid: estimated from a block
   * sample of GRID_SAMPLE of the stored rows (the full read costs as much as the histogram itself),
   * and read in full for the features whose sample is thinner than GRID_SAMPLE_MIN_VALUES.
   */
  private async gridRanges(entity: string, features: string[], baseline: Window): Promise<{ count: number; quantiles: (number | null)[] }[]> {
    const query = { entity, features, start: baseline.start, end: baseline.end, probabilities: GRID_RANGE };
    const sampled = await this.offline.quantiles({ ...query, sample: GRID_SAMPLE });
    const thin = features.filter((_, i) => sampled[i]!.count < GRID_SAMPLE_MIN_VALUES);
    if (thin.length === 0) return sampled;
    const exact = await this.offline.quantiles({ ...query, features: thin });
    return features.map((f, i) => (thin.includes(f) ? exact[thin.indexOf(f)]! : sampled[i]!));
  }

  private async categoryCounts(entity: string, features: string[], window: Window): Promise<Map<string, number>[]> {
    if (features.length === 0) return [];
    const query = { entity, features, start: window.start, end: window.end };
    const [tops, totals] = await Promise.all([
      this.offline.topValues({ ...query, limit: TOP_CATEGORIES }),
      this.offline.summarize({ ...query, probabilities: [], approximate: true }),
    ]);
    return features.map((_, i) => withOther(tops[i]!, totals[i]!.count));
  }

  private score(prepared: Prepared, window: number, threshold: number): FeatureDrift[] {
    return prepared.baselines.map((b) => {
      if (b.kind === 'numeric') return numericDrift(b, prepared.counts[window]![prepared.numeric.indexOf(b.feature)]!, threshold);
      if (b.kind === 'categorical') return categoricalDrift(b, prepared.categories[window]![prepared.categorical.indexOf(b.feature)]!, threshold);
      return {
        ...emptyDrift(b, threshold, 'numeric'),
        note: `Drift is computed for numeric (INT, FLOAT) and categorical (STRING, BOOL) features; '${b.feature}' is ${b.valueType}`,
      };
    });
  }

  private async resolve(entity: string, names: string[]): Promise<{ name: string; valueType: ValueType }[]> {
    const all = (await this.registry.list('feature')).filter((f) => f.entity === entity);
    const missing: string[] = [];
    const out = names.flatMap((name) => {
      const f = resolveFeatureName(name, entity, (n) => all.find((x) => x.name === n));
      if (!f) {
        missing.push(name);
        return [];
      }
      return [{ name: f.name, valueType: f.value_type }];
    });
    if (missing.length > 0) {
      throw new AppError('FSTORE_FEATURE_NOT_FOUND', `Entity '${entity}' has no feature named ${missing.map((m) => `'${m}'`).join(', ')}`);
    }
    return out;
  }
}

function numericDrift(b: Baseline, currentFine: number[], threshold: number): FeatureDrift {
  const currentCount = currentFine.reduce((sum, n) => sum + n, 0);
  if (b.count === 0 || currentCount === 0) return { ...emptyDrift(b, threshold, 'numeric'), current_count: currentCount, note: noData(b.count, currentCount) };
  const coarseBase = coarsen(b.coarseStarts, b.fineCounts);
  const coarseCurrent = coarsen(b.coarseStarts, currentFine);
  const psiValue = psi(coarseBase, coarseCurrent);
  const ks = ksFromBins(b.fineCounts, currentFine);
  const bins: HistogramBin[] = coarseBase.map((count, i) => {
    const lower = lowerBound(b.grid, b.coarseStarts[i]!);
    const upper = i + 1 < b.coarseStarts.length ? lowerBound(b.grid, b.coarseStarts[i + 1]!) : null;
    return { label: binLabel(lower, upper), lower, upper, baseline: count / b.count, current: coarseCurrent[i]! / currentCount };
  });
  return {
    feature: b.feature,
    kind: 'numeric',
    baseline_count: b.count,
    current_count: currentCount,
    psi: psiValue,
    ks,
    ks_p_value: ksPValue(ks, b.count, currentCount),
    js: null,
    chi2: null,
    chi2_p_value: null,
    threshold,
    drifted: psiValue > threshold,
    bins,
  };
}

function categoricalDrift(b: Baseline, current: Map<string, number>, threshold: number): FeatureDrift {
  const currentCount = [...current.values()].reduce((s, n) => s + n, 0);
  if (b.count === 0 || currentCount === 0) return { ...emptyDrift(b, threshold, 'categorical'), current_count: currentCount, note: noData(b.count, currentCount) };
  const { labels, expected, actual } = alignCategories(b.categories, current);
  const psiValue = psi(expected, actual);
  const chi = chiSquare(expected, actual);
  return {
    feature: b.feature,
    kind: 'categorical',
    baseline_count: b.count,
    current_count: currentCount,
    psi: psiValue,
    ks: null,
    ks_p_value: null,
    js: jensenShannon(expected, actual),
    chi2: chi.statistic,
    chi2_p_value: chi.pValue,
    threshold,
    drifted: psiValue > threshold,
    bins: labels.map((label, i) => ({ label: displayCategory(label), lower: null, upper: null, baseline: expected[i]! / b.count, current: actual[i]! / currentCount })),
  };
}

/** A grid over [lo, hi); a degenerate range (one repeated value) still gets a bin of its own. */
function gridFor(lo: number | null, hi: number | null): HistogramGrid {
  if (lo === null || hi === null) return { lo: 0, hi: 1, bins: GRID_BINS };
  if (!(hi > lo)) return { lo, hi: lo + Math.max(Math.abs(lo) * 1e-9, 1e-9), bins: 1 };
  return { lo, hi, bins: GRID_BINS };
}

/** The grid bin of `v`, exactly as the store computes it (OfflineStore.histogram). */
function gridBin(v: number, grid: HistogramGrid): number {
  if (v < grid.lo) return 0;
  if (v >= grid.hi) return grid.bins + 1;
  return Math.min(grid.bins, 1 + Math.floor(((v - grid.lo) / (grid.hi - grid.lo)) * grid.bins));
}

/** Lower bound of grid bin `j` (null for the bin below the grid). */
function lowerBound(grid: HistogramGrid, j: number): number | null {
  if (j === 0) return null;
  return grid.lo + ((j - 1) * (grid.hi - grid.lo)) / grid.bins;
}

/**
 * Splits the grid into about `bins` runs of equal baseline mass (deciles for 10): a run ends at the
 * grid bin where the cumulative share first reaches k / bins. Heavy ties give fewer, larger runs.
 */
function decileStarts(counts: number[], bins: number): number[] {
  const total = counts.reduce((sum, n) => sum + n, 0);
  const starts = [0];
  let cumulative = 0;
  let k = 1;
  for (let j = 0; j < counts.length - 1; j++) {
    cumulative += counts[j]!;
    if (total > 0 && k < bins && cumulative / total >= k / bins) {
      starts.push(j + 1);
      while (k < bins && cumulative / total >= k / bins) k++;
    }
  }
  return starts;
}

/** Sums grid counts into the runs starting at `starts`. */
function coarsen(starts: number[], counts: number[]): number[] {
  return starts.map((start, i) => {
    const end = i + 1 < starts.length ? starts[i + 1]! : counts.length;
    let sum = 0;
    for (let j = start; j < end; j++) sum += counts[j]!;
    return sum;
  });
}

function withOther(top: { value: string; count: number }[], total: number): Map<string, number> {
  const map = new Map(top.map((t) => [t.value, t.count]));
  const rest = total - top.reduce((s, t) => s + t.count, 0);
  if (rest > 0) map.set(OTHER_CATEGORY, (map.get(OTHER_CATEGORY) ?? 0) + rest);
  return map;
}

function emptyDrift(b: Baseline, threshold: number, kind: 'numeric' | 'categorical'): FeatureDrift {
  return { feature: b.feature, kind, baseline_count: b.count, current_count: 0, psi: null, ks: null, ks_p_value: null, js: null, chi2: null, chi2_p_value: null, threshold, drifted: false, bins: [] };
}

function noData(baseline: number, current: number): string {
  return baseline === 0 ? 'The baseline window has no values' : current === 0 ? 'The current window has no values' : '';
}

function binLabel(lower: number | null, upper: number | null): string {
  const f = (n: number) => (Math.abs(n) >= 1e4 || (Math.abs(n) < 1e-2 && n !== 0) ? n.toExponential(2) : String(Math.round(n * 1000) / 1000));
  if (lower === null) return `< ${f(upper!)}`;
  if (upper === null) return `≥ ${f(lower)}`;
  return `${f(lower)} – ${f(upper)}`;
}

function displayCategory(json: string): string {
  if (json === OTHER_CATEGORY) return 'other';
  try {
    const v = JSON.parse(json) as unknown;
    return typeof v === 'string' ? v : json;
  } catch {
    return json;
  }
}

function isNumeric(t: ValueType): boolean {
  return t === 'INT' || t === 'FLOAT';
}

function isCategorical(t: ValueType): boolean {
  return t === 'STRING' || t === 'BOOL';
}

export function parseWindow(window: TimeWindow, path: string): Window {
  const start = parseInstant(window.start);
  const end = parseRangeEnd(window.end);
  if (start === undefined) throw invalid(`${path}/start`, `start '${window.start}' is not a date or ISO-8601 timestamp`);
  if (end === undefined) throw invalid(`${path}/end`, `end '${window.end}' is not a date or ISO-8601 timestamp`);
  if (end < start) throw invalid(`${path}/end`, 'end is before start');
  return { start, end };
}

function invalid(path: string, message: string): AppError {
  return new AppError('FSTORE_VALIDATION_FAILED', message, [{ path, message }]);
}
