/**
 * Drift between a baseline window and a current window, per feature, computed from aggregates the
 * offline store returns (quantiles, binned counts, top values), so the values never leave the store.
 *
 * Numeric features: baseline quantile edges (percentiles, deduplicated when values tie); PSI on the
 * decile bins, Kolmogorov-Smirnov on the percentile bins (a lower bound of the exact statistic,
 * within the largest bin's mass) with its asymptotic p-value. Categorical features: the baseline's
 * and current window's most frequent values (the rest folded into one bucket); PSI, Jensen-Shannon
 * divergence and a chi-square test of homogeneity.
 */
import type { DriftReport, FeatureDrift, HistogramBin, TimeWindow } from '../../../shared/api/monitoring.js';
import type { ValueType } from '../../../shared/domain/value-types.js';
import { AppError } from '../errors/app-error.js';
import type { RegistryService } from '../registry/registry-service.js';
import type { OfflineStore } from '../storage/offline-store.js';
import { parseInstant, parseRangeEnd } from '../util/time.js';
import { alignCategories, chiSquare, jensenShannon, ksFromBins, ksPValue, OTHER_CATEGORY, psi } from './drift-math.js';

export const DEFAULT_PSI_THRESHOLD = 0.2;
const FINE_BINS = 100;
const TOP_CATEGORIES = 50;

export interface Window {
  start: number;
  end: number;
}

export interface DriftOptions {
  bins?: number | undefined;
  psiThreshold?: number | undefined;
}

interface Baseline {
  feature: string;
  valueType: ValueType;
  kind: 'numeric' | 'categorical' | 'unsupported';
  /** Numeric: percentile edges (fine) and the coarse (PSI) edges among them. */
  fine: number[];
  coarse: number[];
  fineCounts: number[];
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
    const baselines = await this.baselines(entity, features, baselineRange, options.bins ?? 10);
    const results = await this.score(entity, baselines, currentRange, options.psiThreshold ?? DEFAULT_PSI_THRESHOLD);
    return { entity, baseline: baselineWindow, current: currentWindow, features: results, elapsed_ms: Math.round(performance.now() - started) };
  }

  /** Drift of each window in `windows` against one baseline (the baseline is read once). */
  async series(entity: string, features: string[], baselineWindow: TimeWindow, windows: Window[], options: DriftOptions = {}): Promise<{ window: Window; features: FeatureDrift[] }[]> {
    const baselines = await this.baselines(entity, features, parseWindow(baselineWindow, '/baseline'), options.bins ?? 10);
    const out: { window: Window; features: FeatureDrift[] }[] = [];
    for (const window of windows) out.push({ window, features: await this.score(entity, baselines, window, options.psiThreshold ?? DEFAULT_PSI_THRESHOLD) });
    return out;
  }

  /**
   * Training/serving skew: the training window's distribution (the baseline) against values online
   * serving returned (`sample` per feature), binned exactly as the store bins the baseline.
   */
  async compareWithSample(entity: string, features: string[], trainingWindow: TimeWindow, sample: (feature: string) => unknown[], options: DriftOptions = {}): Promise<FeatureDrift[]> {
    const baselines = await this.baselines(entity, features, parseWindow(trainingWindow, '/training'), options.bins ?? 10);
    const threshold = options.psiThreshold ?? DEFAULT_PSI_THRESHOLD;
    return baselines.map((b) => {
      const values = sample(b.feature);
      if (b.kind === 'numeric') {
        const counts = new Array<number>(b.fine.length + 1).fill(0);
        for (const v of values) if (typeof v === 'number' && Number.isFinite(v)) counts[binOf(v, b.fine)]!++;
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

  private async baselines(entity: string, names: string[], window: Window, bins: number): Promise<Baseline[]> {
    const features = await this.resolve(entity, names);
    const numeric = features.filter((f) => isNumeric(f.valueType)).map((f) => f.name);
    const categorical = features.filter((f) => isCategorical(f.valueType)).map((f) => f.name);
    const probabilities = Array.from({ length: FINE_BINS - 1 }, (_, i) => (i + 1) / FINE_BINS);
    const coarseAt = new Set(Array.from({ length: bins - 1 }, (_, i) => Math.round(((i + 1) * FINE_BINS) / bins) - 1));
    const [summaries, tops, catSummaries] = await Promise.all([
      this.offline.summarize({ entity, features: numeric, start: window.start, end: window.end, probabilities }),
      this.offline.topValues({ entity, features: categorical, start: window.start, end: window.end, limit: TOP_CATEGORIES }),
      this.offline.summarize({ entity, features: categorical, start: window.start, end: window.end, probabilities: [] }),
    ]);
    const edgesOf = new Map<string, { fine: number[]; coarse: number[] }>();
    summaries.forEach((s) => {
      const fine: number[] = [];
      const coarse: number[] = [];
      s.quantiles.forEach((q, i) => {
        if (q === null) return;
        if (fine.length === 0 || q > fine[fine.length - 1]!) fine.push(q);
        if (coarseAt.has(i) && (coarse.length === 0 || q > coarse[coarse.length - 1]!)) coarse.push(q);
      });
      edgesOf.set(s.feature, { fine, coarse });
    });
    const fineCounts = await this.offline.histogram({
      entity,
      features: numeric,
      start: window.start,
      end: window.end,
      edges: numeric.map((n) => edgesOf.get(n)!.fine),
    });
    return features.map((f) => {
      const base: Baseline = { feature: f.name, valueType: f.valueType, kind: 'unsupported', fine: [], coarse: [], fineCounts: [], categories: new Map(), count: 0 };
      const n = numeric.indexOf(f.name);
      if (n >= 0) {
        const edges = edgesOf.get(f.name)!;
        return { ...base, kind: 'numeric', ...edges, fineCounts: fineCounts[n]!, count: summaries[n]!.numeric };
      }
      const c = categorical.indexOf(f.name);
      if (c >= 0) {
        const total = catSummaries[c]!.count;
        return { ...base, kind: 'categorical', categories: withOther(tops[c]!, total), count: total };
      }
      return base;
    });
  }

  private async score(entity: string, baselines: Baseline[], window: Window, threshold: number): Promise<FeatureDrift[]> {
    const numeric = baselines.filter((b) => b.kind === 'numeric');
    const categorical = baselines.filter((b) => b.kind === 'categorical');
    const [fineCounts, tops, catSummaries] = await Promise.all([
      this.offline.histogram({ entity, features: numeric.map((b) => b.feature), start: window.start, end: window.end, edges: numeric.map((b) => b.fine) }),
      this.offline.topValues({ entity, features: categorical.map((b) => b.feature), start: window.start, end: window.end, limit: TOP_CATEGORIES }),
      this.offline.summarize({ entity, features: categorical.map((b) => b.feature), start: window.start, end: window.end, probabilities: [] }),
    ]);
    return baselines.map((b) => {
      if (b.kind === 'numeric') return numericDrift(b, fineCounts[numeric.indexOf(b)]!, threshold);
      if (b.kind === 'categorical') {
        const i = categorical.indexOf(b);
        return categoricalDrift(b, withOther(tops[i]!, catSummaries[i]!.count), threshold);
      }
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
      const f = all.find((x) => x.name === name) ?? all.find((x) => x.name === `${entity}_${name}`);
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
  const currentCount = currentFine.reduce((s, n) => s + n, 0);
  if (b.count === 0 || currentCount === 0) return { ...emptyDrift(b, threshold, 'numeric'), current_count: currentCount, note: noData(b.count, currentCount) };
  const coarseBase = coarsen(b.fine, b.coarse, b.fineCounts);
  const coarseCurrent = coarsen(b.fine, b.coarse, currentFine);
  const psiValue = psi(coarseBase, coarseCurrent);
  const ks = ksFromBins(b.fineCounts, currentFine);
  const bounds = [null, ...b.coarse, null];
  const bins: HistogramBin[] = coarseBase.map((count, i) => ({
    label: binLabel(bounds[i] ?? null, bounds[i + 1] ?? null),
    lower: bounds[i] ?? null,
    upper: bounds[i + 1] ?? null,
    baseline: count / b.count,
    current: coarseCurrent[i]! / currentCount,
  }));
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

/** The store's bin of `v`: how many edges are at or below it ([e_i, e_i+1) bins). */
function binOf(v: number, edges: number[]): number {
  let lo = 0;
  let hi = edges.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (edges[mid]! <= v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Sums fine bins into the coarse bins whose edges are a subset of the fine edges. */
function coarsen(fine: number[], coarse: number[], counts: number[]): number[] {
  const out = new Array<number>(coarse.length + 1).fill(0);
  let c = 0;
  counts.forEach((count, i) => {
    // Fine bin i starts at fine[i - 1] (bin 0 is below every edge).
    const lower = i === 0 ? -Infinity : fine[i - 1]!;
    while (c < coarse.length && coarse[c]! <= lower) c++;
    out[c]! += count;
  });
  return out;
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
