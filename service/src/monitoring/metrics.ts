import { AggregatorRegistry, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { MetricJson, ServingWorkers } from './serving-workers.js';

const LATENCY = 'fstore_http_request_duration_seconds';

export interface ServiceMetrics {
  registry: Registry;
  latency: Histogram<'method' | 'route' | 'status'>;
}

/** One registry per app, so tests and replicas do not share state. */
export function createServiceMetrics(): ServiceMetrics {
  const registry = new Registry();
  // Unprefixed, as stock Node.js dashboards expect (process_cpu_seconds_total, nodejs_heap_size_used_bytes...); FStore's own metrics are fstore_*.
  collectDefaultMetrics({ register: registry });
  const latency = new Histogram({
    name: LATENCY,
    help: 'HTTP request latency by route and status',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10],
    registers: [registry],
  });
  return { registry, latency };
}

/** The request-latency histogram of the whole service: this process's, plus the serving workers' when there are any. */
export async function serviceLatency(latency: ServiceMetrics['latency'], workers: ServingWorkers | undefined): Promise<MetricJson> {
  const own = (await latency.get()) as MetricJson;
  if (!workers) return own;
  const theirs = (await workers.metrics()).map((metrics) => metrics.filter((m) => m.name === LATENCY));
  const merged = AggregatorRegistry.aggregate([[own], ...theirs]).getSingleMetric(LATENCY);
  return merged ? ((await merged.get()) as MetricJson) : own;
}
