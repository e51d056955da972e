/**
 * Monitoring as one object for the app: quality, drift, alerts and the operations view, fed by the
 * ingestion paths (batches, stream writes) and the service's own request-latency histogram.
 */
import type { MetricJson } from './serving-workers.js';
import type { BatchQuality, OperationsReport } from '@shared/api/monitoring.js';
import type { FeatureGroup } from '@shared/domain/schemas.js';
import type { IngestObserver } from '../ingest/ingest-service.js';
import type { RegistryService } from '../registry/registry-service.js';
import type { OfflineStore } from '../storage/offline-store.js';
import { AlertService } from './alert-service.js';
import { DriftService } from './drift-service.js';
import { histogramQuantile, type BucketSeries } from './latency-quantiles.js';
import { routeKind } from './route-kind.js';
import type { MonitoringRecordStore } from '../storage/monitoring-records.js';
import { QualityService } from './quality-service.js';

const RATE_WINDOW_MS = 60_000;

export interface MonitoringDeps {
  registry: RegistryService;
  offline: OfflineStore;
  store: MonitoringRecordStore;
  /** The request-latency histogram (of the whole service: serving workers included). */
  latency: { get(): Promise<MetricJson> };
  kafkaLag: () => number | null;
  log?: { warn(obj: object, msg: string): void };
  now?: () => number;
  /** See AlertServiceDeps.claimEvaluation. */
  claimEvaluation?: () => Promise<boolean>;
}

export class MonitoringService implements IngestObserver {
  readonly quality: QualityService;
  readonly drift: DriftService;
  readonly alerts: AlertService;
  /** Recent writes (time, values) for the ingestion rate. */
  private readonly recent: { at: number; values: number }[] = [];
  private pendingWrites: Promise<void> = Promise.resolve();

  constructor(private readonly deps: MonitoringDeps) {
    this.quality = new QualityService(deps.registry, deps.offline);
    this.drift = new DriftService(deps.registry, deps.offline);
    this.alerts = new AlertService({
      registry: deps.registry,
      offline: deps.offline,
      store: deps.store,
      drift: this.drift,
      quality: this.quality,
      latencyP99: async () => (await this.latency()).map((l) => ({ route: `${l.method} ${l.route}`, p99_ms: l.p99_ms })),
      kafkaLag: deps.kafkaLag,
      freshness: () => this.freshness(),
      ...(deps.log ? { log: deps.log } : {}),
      ...(deps.now ? { now: deps.now } : {}),
      ...(deps.claimEvaluation ? { claimEvaluation: deps.claimEvaluation } : {}),
    });
  }

  private now(): number {
    return (this.deps.now ?? Date.now)();
  }

  // ---- fed by ingestion ----
  onBatch(quality: BatchQuality): void {
    this.chain(() => this.deps.store.addBatch(quality));
  }

  onWrite(entity: string, group: string, values: number, newestEventMs: number | null): void {
    const at = this.now();
    this.recent.push({ at, values });
    while (this.recent.length > 0 && this.recent[0]!.at < at - RATE_WINDOW_MS) this.recent.shift();
    const newest = newestEventMs !== null && Number.isFinite(newestEventMs) ? newestEventMs : null;
    this.chain(() => this.deps.store.recordWrite(entity, group, values, newest, new Date().toISOString()));
  }

  /** Waits for monitoring records of writes made so far (tests, shutdown). */
  flush(): Promise<void> {
    return this.pendingWrites;
  }

  batches(entity: string, group: string, limit = 50): Promise<BatchQuality[]> {
    return this.deps.store.batches(entity, group, limit);
  }

  // ---- operations ----
  async operations(): Promise<OperationsReport> {
    const now = this.now();
    const cutoff = now - RATE_WINDOW_MS;
    const recentValues = this.recent.filter((w) => w.at >= cutoff).reduce((s, w) => s + w.values, 0);
    return {
      latency: await this.latency(),
      freshness: await this.freshness({ coverage: true }),
      ingestion: {
        values_written_total: (await this.deps.store.writes()).reduce((s, w) => s + w.values_total, 0),
        values_per_second_1m: recentValues / (RATE_WINDOW_MS / 1000),
      },
      kafka_lag: this.deps.kafkaLag(),
    };
  }

  /** Age of the newest value of every group (null when no write has been seen since monitoring began). */
  async freshness(options: { coverage?: boolean } = {}): Promise<OperationsReport['freshness']> {
    const now = this.now();
    const writes = new Map((await this.deps.store.writes()).map((w) => [`${w.entity}/${w.feature_group}`, w]));
    const groups = await this.deps.registry.list('feature_group');
    const coverage = options.coverage ? await this.coverage(groups, now) : new Map<string, number | null>();
    return groups.map((g) => {
      const newest = writes.get(`${g.entity}/${g.name}`)?.newest_event_ms ?? null;
      const age = newest === null ? null : Math.max(0, (now - newest) / 1000);
      return {
        entity: g.entity,
        feature_group: g.name,
        newest_event_time: newest === null ? null : new Date(newest).toISOString(),
        age_seconds: age,
        ttl_seconds: g.ttl_seconds,
        stale: age !== null && g.ttl_seconds !== null && age > g.ttl_seconds,
        coverage: coverage.get(`${g.entity}/${g.name}`) ?? null,
      };
    });
  }

  /** Per group: keys with a value within the TTL now, over the keys the entity has in history. */
  private async coverage(groups: FeatureGroup[], now: number): Promise<Map<string, number | null>> {
    const features = await this.deps.registry.list('feature');
    const known = new Map<string, number>();
    const out = new Map<string, number | null>();
    for (const g of groups) {
      if (!known.has(g.entity)) {
        const all = features.filter((f) => f.entity === g.entity && f.feature_group !== null).map((f) => f.name);
        known.set(g.entity, await this.deps.offline.countKeys({ entity: g.entity, features: all, start: Number.MIN_SAFE_INTEGER, end: Number.MAX_SAFE_INTEGER }));
      }
      const total = known.get(g.entity)!;
      const own = features.filter((f) => f.feature_group === g.name).map((f) => f.name);
      const since = g.ttl_seconds === null ? Number.MIN_SAFE_INTEGER : now - g.ttl_seconds * 1000;
      const covered = total === 0 ? 0 : await this.deps.offline.countKeys({ entity: g.entity, features: own, start: since, end: Number.MAX_SAFE_INTEGER });
      out.set(`${g.entity}/${g.name}`, total === 0 ? null : covered / total);
    }
    return out;
  }

  /** p50/p95/p99 per route since start, from the request-latency histogram's buckets. */
  async latency(): Promise<OperationsReport['latency']> {
    const metric = await this.deps.latency.get();
    const series = new Map<string, { method: string; route: string; buckets: Map<number, number>; count: number }>();
    for (const v of metric.values) {
      const method = String(v.labels['method'] ?? '');
      const route = String(v.labels['route'] ?? '');
      const id = `${method} ${route}`;
      let s = series.get(id);
      if (!s) series.set(id, (s = { method, route, buckets: new Map(), count: 0 }));
      const name = (v as { metricName?: string }).metricName ?? '';
      if (name.endsWith('_bucket')) {
        const raw = (v.labels as Record<string, string | number | undefined>)['le'];
        const le = raw === '+Inf' ? Infinity : Number(raw);
        s.buckets.set(le, (s.buckets.get(le) ?? 0) + v.value);
      } else if (name.endsWith('_count')) s.count += v.value;
    }
    return [...series.values()]
      .filter((s) => s.count > 0)
      .sort((a, b) => a.route.localeCompare(b.route) || a.method.localeCompare(b.method))
      .map((s) => {
        const bounds = [...s.buckets.keys()].sort((a, b) => a - b);
        const buckets: BucketSeries = { bounds, cumulative: bounds.map((b) => s.buckets.get(b)!) };
        const ms = (q: number) => {
          const seconds = histogramQuantile(q, buckets);
          return seconds === null ? null : Math.round(seconds * 1e6) / 1e3;
        };
        return { route: s.route, method: s.method, kind: routeKind(s.route), count: s.count, p50_ms: ms(0.5), p95_ms: ms(0.95), p99_ms: ms(0.99) };
      });
  }

  start(intervalSeconds: number): void {
    this.alerts.start(intervalSeconds);
  }

  async stop(): Promise<void> {
    this.alerts.stop();
    await this.pendingWrites;
  }

  /** Monitoring writes happen in order, off the ingestion path; a failure is logged, never thrown. */
  private chain(task: () => Promise<void>): void {
    this.pendingWrites = this.pendingWrites.then(task).catch((err: unknown) => this.deps.log?.warn({ err }, 'monitoring record failed'));
  }
}
