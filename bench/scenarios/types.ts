/** One benchmark figure next to the raw baseline measured in the same run. */
export interface BenchResult {
  scenario: string;
  backend: string;
  metric: string;
  fstore: number;
  baseline: number;
  baselineLabel: string;
  /** fstore / baseline, oriented so that 1.0 means "as fast as the baseline". */
  ratio: number;
  target: string;
  details?: Record<string, unknown>;
}

export interface BenchOptions {
  quick: boolean;
}

/** Ratio of two throughputs (higher is better) or two durations (lower is better), as "share of the baseline's speed". */
export function speedRatio(fstore: number, baseline: number, kind: 'throughput' | 'duration'): number {
  const r = kind === 'throughput' ? fstore / baseline : baseline / fstore;
  return Math.round(r * 1000) / 1000;
}
