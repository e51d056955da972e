import { Counter, Gauge, type Registry } from 'prom-client';
import type { AppContext } from '../app-context.js';

/**
 * The service's gauges and counters in its metrics registry, read at each scrape: the Kafka
 * consumer's counters, lag and freshness, jobs, user-SQL sessions, and monitoring (drift, null
 * rates, group freshness, writes, alerts). Served at `/metrics` by http/metrics-route.ts.
 */
export function registerServiceGauges(registry: Registry, ctx: AppContext): void {
  registerMonitoringMetrics(registry, ctx);

  const kafkaValues = new Counter({ name: 'fstore_kafka_values_written_total', help: 'Feature values written from Kafka', registers: [registry] });
  const kafkaCounters = { values: 0, dead: 0, consumed: 0 };
  const consumed = new Counter({ name: 'fstore_kafka_messages_consumed_total', help: 'Kafka messages consumed', registers: [registry] });
  const deadLettered = new Counter({ name: 'fstore_kafka_messages_dead_lettered_total', help: 'Kafka messages sent to a dead-letter topic', registers: [registry] });
  new Gauge({
    name: 'fstore_kafka_consumer_lag',
    help: 'Messages not yet consumed, per topic and partition',
    labelNames: ['topic', 'partition'] as const,
    registers: [registry],
    collect() {
      this.reset();
      const status = ctx.kafka?.getStatus();
      if (!status) return;
      for (const p of status.partitions) this.set({ topic: p.topic, partition: String(p.partition) }, p.lag);
      // Counters advance by the difference since the last scrape.
      consumed.inc(status.messages_consumed - kafkaCounters.consumed);
      deadLettered.inc(status.dead_lettered - kafkaCounters.dead);
      kafkaValues.inc(status.values_written - kafkaCounters.values);
      kafkaCounters.consumed = status.messages_consumed;
      kafkaCounters.dead = status.dead_lettered;
      kafkaCounters.values = status.values_written;
    },
  });
  new Gauge({
    name: 'fstore_kafka_freshness_seconds',
    help: 'Age of the newest event written from Kafka (now - event time)',
    registers: [registry],
    collect() {
      const newest = ctx.kafka?.getStatus().newest_event_time;
      if (newest) this.set((Date.now() - Date.parse(newest)) / 1000);
    },
  });
  new Gauge({
    name: 'fstore_kafka_last_batch_delay_seconds',
    help: 'End-to-end delay of the last Kafka batch: write time - newest event time',
    registers: [registry],
    collect() {
      const delay = ctx.kafka?.getStatus().last_batch_delay_ms;
      if (delay !== null && delay !== undefined) this.set(delay / 1000);
    },
  });
  new Gauge({
    name: 'fstore_jobs',
    help: 'Jobs by state (recent 1000)',
    labelNames: ['state'] as const,
    registers: [registry],
    async collect() {
      const jobs = await ctx.jobs.list({ limit: 1000 });
      this.reset();
      const counts = new Map<string, number>();
      for (const job of jobs) counts.set(job.state, (counts.get(job.state) ?? 0) + 1);
      for (const [state, n] of counts) this.set({ state }, n);
    },
  });
  new Gauge({
    name: 'fstore_user_sql_sessions',
    help: 'Transform previews and runs executing user SQL (running, at most userSqlSessions) or waiting for a session',
    labelNames: ['state'] as const,
    registers: [registry],
    collect() {
      this.set({ state: 'running' }, ctx.userSql.running);
      this.set({ state: 'waiting' }, ctx.userSql.waiting);
    },
  });
}

function registerMonitoringMetrics(registry: Registry, ctx: AppContext): void {
  const alerts = ctx.monitoring.alerts;
  new Gauge({
    name: 'fstore_feature_drift_psi',
    help: 'Population stability index of a feature at the last evaluation of its drift rule',
    labelNames: ['entity', 'feature'] as const,
    registers: [registry],
    collect() {
      this.reset();
      for (const d of alerts.lastDrift.values()) this.set({ entity: d.entity, feature: d.feature }, d.psi);
    },
  });
  new Gauge({
    name: 'fstore_feature_null_rate',
    help: 'Share of rows without a value at the last evaluation of a null_rate rule',
    labelNames: ['entity', 'feature'] as const,
    registers: [registry],
    collect() {
      this.reset();
      for (const d of alerts.lastNullRate.values()) this.set({ entity: d.entity, feature: d.feature }, d.rate);
    },
  });
  new Gauge({
    name: 'fstore_feature_group_freshness_seconds',
    help: 'Age of the newest event written to a feature group (now - event time)',
    labelNames: ['entity', 'feature_group'] as const,
    registers: [registry],
    async collect() {
      this.reset();
      for (const g of await ctx.monitoring.freshness()) {
        if (g.age_seconds !== null) this.set({ entity: g.entity, feature_group: g.feature_group }, g.age_seconds);
      }
    },
  });
  new Gauge({
    name: 'fstore_values_written',
    help: 'Feature values written offline per group since monitoring began (batches, streams, transforms)',
    labelNames: ['entity', 'feature_group'] as const,
    registers: [registry],
    async collect() {
      const writes = await ctx.stores.registry.monitoring.writes();
      this.reset();
      for (const w of writes) this.set({ entity: w.entity, feature_group: w.feature_group }, w.values_total);
    },
  });
  new Gauge({
    name: 'fstore_alerts_firing',
    help: 'Firing alerts per rule',
    labelNames: ['rule'] as const,
    registers: [registry],
    async collect() {
      const [rules, firing] = await Promise.all([alerts.rules(), alerts.alerts({ state: 'firing' })]);
      this.reset();
      for (const rule of rules) this.set({ rule: rule.name }, 0);
      for (const a of firing) this.inc({ rule: a.rule });
    },
  });
}
