import type { MetricObjectWithValues, MetricValue } from 'prom-client';

/** One metric of a registry as prom-client's getMetricsAsJSON gives it (what serving workers send the primary). */
export type MetricJson = MetricObjectWithValues<MetricValue<string>>;

/**
 * The serving workers of `fstore serve --workers N` (cluster/): they answer online reads, so what
 * only they saw (request latencies, served values) is asked of them.
 */
export interface ServingWorkers {
  /** Each worker's metrics registry (prom-client getMetricsAsJSON); a worker that does not answer in time is left out. */
  metrics(): Promise<MetricJson[][]>;
  /** The values the workers served lately of these features (JSON text, as ServingSampler keeps them). */
  samples(entity: string, features: string[]): Promise<Map<string, string[]>>;
}
