import { AggregatorRegistry, type Registry } from 'prom-client';
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../app-context.js';
import type { ServiceMetrics } from '../monitoring/metrics.js';
import { registerServiceGauges } from '../monitoring/service-gauges.js';

/**
 * Prometheus metrics (`/metrics`): request latency per route, jobs, user-SQL sessions, the Kafka
 * consumer's counters, lag and freshness, and monitoring (drift, null rates, group freshness,
 * writes, alerts).
 */
export function registerMetrics(app: FastifyInstance, ctx: AppContext): Registry {
  const { registry, latency } = ctx.metrics;
  registerServiceGauges(registry, ctx);
  observeLatency(app, latency);

  app.get('/metrics', { schema: { tags: ['Service'], summary: 'Prometheus metrics (text exposition format)' } }, async (_req, reply) => {
    // With serving workers: their request counters and latencies summed with this process's.
    const workers = ctx.workers;
    const text = workers ? await AggregatorRegistry.aggregate([await registry.getMetricsAsJSON(), ...(await workers.metrics())]).metrics() : await registry.metrics();
    return reply.type(registry.contentType).send(text);
  });
  return registry;
}

/** Observes every response but /metrics in the request-latency histogram (also in each serving worker). */
export function observeLatency(app: FastifyInstance, latency: ServiceMetrics['latency']): void {
  // One labelled child per method/route/status, found by a string key: cheaper per request than
  // prom-client hashing a label object.
  const children = new Map<string, { observe(seconds: number): void }>();
  app.addHook('onResponse', (req, reply, done) => {
    const route = req.routeOptions.url ?? 'unmatched';
    if (route !== '/metrics') {
      const key = `${req.method} ${route} ${reply.statusCode}`;
      let child = children.get(key);
      if (!child) children.set(key, (child = latency.labels({ method: req.method, route, status: String(reply.statusCode) })));
      child.observe(reply.elapsedTime / 1000);
    }
    done();
  });
}
