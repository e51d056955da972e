/**
 * Alert rules, their evaluation, and alerts. An alert exists per (rule, target) while the target
 * breaches the rule; it resolves when an evaluation finds the target back under the threshold.
 * Firing and resolving are told to the rule's webhook (best effort, with a time limit).
 */
import { randomUUID } from 'node:crypto';
import type { Alert, AlertRule, AlertRuleInput, RuleEvaluation, TimeWindow } from '@shared/api/monitoring.js';
import { explainInvalidName } from '@shared/domain/names.js';
import { AppError } from '../errors/app-error.js';
import type { RegistryService } from '../registry/registry-service.js';
import type { OfflineStore } from '../storage/offline-store.js';
import { DEFAULT_PSI_THRESHOLD, type DriftService } from './drift-service.js';
import type { MonitoringRecordStore } from '../storage/monitoring-records.js';
import type { QualityService } from './quality-service.js';

const DEFAULTS = { windowHours: 24, nullRate: 0.1, latencyMs: 50, kafkaLag: 10_000 };
const WEBHOOK_TIMEOUT_MS = 5000;
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

export interface AlertServiceDeps {
  registry: RegistryService;
  offline: OfflineStore;
  store: MonitoringRecordStore;
  drift: DriftService;
  quality: QualityService;
  /** p99 latency in ms per route (method route), from the service's own histogram. */
  latencyP99: () => Promise<{ route: string; p99_ms: number | null }[]>;
  kafkaLag: () => number | null;
  /** Newest event time per group, as monitoring has seen writes. */
  freshness: () => Promise<{ entity: string; feature_group: string; age_seconds: number | null; ttl_seconds: number | null }[]>;
  now?: () => number;
  post?: (url: string, body: unknown) => Promise<void>;
  log?: { warn(obj: object, msg: string): void };
  /**
   * Asked before each scheduled evaluation: true when this replica is the one to evaluate now (it
   * holds the evaluation lease), so that with several replicas each alert fires, and its webhook
   * is called, once. Absent: always.
   */
  claimEvaluation?: () => Promise<boolean>;
}

export class AlertService {
  /** Latest drift PSI per (entity, feature), for Prometheus. */
  readonly lastDrift = new Map<string, { entity: string; feature: string; psi: number }>();
  readonly lastNullRate = new Map<string, { entity: string; feature: string; rate: number }>();
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<RuleEvaluation[]> | undefined;

  constructor(private readonly deps: AlertServiceDeps) {}

  private now(): number {
    return (this.deps.now ?? Date.now)();
  }

  async putRule(input: AlertRuleInput, actor: string): Promise<AlertRule> {
    const problem = explainInvalidName('feature', input.name);
    if (problem) throw invalid('/name', problem.replace(/^Feature name/, 'Rule name'));
    await this.check(input);
    const existing = await this.deps.store.rule(input.name);
    const rule: AlertRule = {
      ...input,
      created_at: existing?.created_at ?? new Date(this.now()).toISOString(),
      created_by: existing?.created_by ?? actor,
      last_evaluated_at: existing?.last_evaluated_at ?? null,
    };
    await this.deps.store.putRule(rule);
    return rule;
  }

  rules(): Promise<AlertRule[]> {
    return this.deps.store.rules();
  }

  async rule(name: string): Promise<AlertRule> {
    const rule = await this.deps.store.rule(name);
    if (!rule) throw new AppError('FSTORE_ALERT_RULE_NOT_FOUND', `Alert rule '${name}' does not exist`);
    return rule;
  }

  async deleteRule(name: string): Promise<void> {
    await this.rule(name);
    await this.deps.store.removeRule(name);
    for (const alert of await this.deps.store.alerts({ rule: name, state: 'firing' })) await this.transition(alert, 'resolved', null, 'The rule was deleted');
  }

  alerts(filter: { state?: string; rule?: string; limit?: number }): Promise<Alert[]> {
    return this.deps.store.alerts(filter);
  }

  async acknowledge(id: string, actor: string): Promise<Alert> {
    const alert = await this.deps.store.alert(id);
    if (!alert) throw new AppError('FSTORE_ALERT_NOT_FOUND', `Alert '${id}' does not exist`);
    const acked = { ...alert, acknowledged_at: new Date(this.now()).toISOString(), acknowledged_by: actor };
    await this.deps.store.putAlert(acked);
    return acked;
  }

  /** Evaluates every rule now (one evaluation at a time; a caller arriving meanwhile shares it). */
  evaluate(): Promise<RuleEvaluation[]> {
    if (!this.running) {
      this.running = this.evaluateAll().finally(() => {
        this.running = undefined;
      });
    }
    return this.running;
  }

  start(intervalSeconds: number): void {
    if (intervalSeconds <= 0) return;
    const claim = this.deps.claimEvaluation ?? (async () => true);
    this.timer = setInterval(() => {
      claim()
        .then((mine) => (mine ? this.evaluate() : undefined))
        .catch((err: unknown) => this.deps.log?.warn({ err }, 'alert evaluation failed'));
    }, intervalSeconds * 1000);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
  }

  private async evaluateAll(): Promise<RuleEvaluation[]> {
    const out: RuleEvaluation[] = [];
    for (const rule of await this.deps.store.rules()) {
      let results: RuleEvaluation[];
      try {
        results = await this.evaluateRule(rule);
      } catch (err) {
        this.deps.log?.warn({ err, rule: rule.name }, 'alert rule could not be evaluated');
        continue;
      }
      for (const r of results) await this.apply(rule, r);
      await this.deps.store.putRule({ ...rule, last_evaluated_at: new Date(this.now()).toISOString() });
      out.push(...results);
    }
    return out;
  }

  private async evaluateRule(rule: AlertRule): Promise<RuleEvaluation[]> {
    const time = new Date(this.now()).toISOString();
    const result = (target: string, value: number | null, threshold: number): RuleEvaluation => ({
      rule: rule.name,
      target,
      value,
      threshold,
      breached: value !== null && value > threshold,
      time,
    });
    switch (rule.type) {
      case 'drift': {
        const threshold = rule.threshold ?? DEFAULT_PSI_THRESHOLD;
        const features = await this.watched(rule);
        const current = await this.recentWindow(rule, features);
        if (!current) return [];
        const report = await this.deps.drift.compare(rule.entity!, features, rule.baseline!, current, { psiThreshold: threshold });
        return report.features
          .filter((f) => f.psi !== null)
          .map((f) => {
            this.lastDrift.set(`${rule.entity}/${f.feature}`, { entity: rule.entity!, feature: f.feature, psi: f.psi! });
            return result(f.feature, f.psi, threshold);
          });
      }
      case 'null_rate': {
        const threshold = rule.threshold ?? DEFAULTS.nullRate;
        const features = await this.watched(rule);
        const current = await this.recentWindow(rule, features);
        if (!current) return [];
        const report = await this.deps.quality.report(rule.entity!, { features }, current);
        return report.features
          .filter((f) => f.null_rate !== null)
          .map((f) => {
            this.lastNullRate.set(`${rule.entity}/${f.feature}`, { entity: rule.entity!, feature: f.feature, rate: f.null_rate! });
            return result(f.feature, f.null_rate, threshold);
          });
      }
      case 'freshness': {
        const groups = (await this.deps.freshness()).filter(
          (g) => (!rule.entity || g.entity === rule.entity) && (!rule.feature_group || g.feature_group === rule.feature_group),
        );
        return groups.flatMap((g) => {
          const threshold = rule.threshold ?? g.ttl_seconds;
          return threshold === null || threshold === undefined ? [] : [result(`${g.entity}/${g.feature_group}`, g.age_seconds, threshold)];
        });
      }
      case 'latency_p99': {
        const threshold = rule.threshold ?? DEFAULTS.latencyMs;
        return (await this.deps.latencyP99())
          .filter((l) => !rule.route || l.route.endsWith(` ${rule.route}`) || l.route === rule.route)
          .map((l) => result(l.route, l.p99_ms, threshold));
      }
      case 'kafka_lag': {
        const lag = this.deps.kafkaLag();
        return lag === null ? [] : [result('kafka', lag, rule.threshold ?? DEFAULTS.kafkaLag)];
      }
    }
  }

  /**
   * The recent window a drift or null-rate rule looks at. Anchored at now: the last window_hours.
   * Anchored at the newest event: the window_hours ending with the UTC day of the watched features'
   * newest value, the same whole days the dashboard shows for historical data. Undefined when that
   * anchor finds no value at all (nothing to evaluate).
   */
  private async recentWindow(rule: AlertRule, features: readonly string[]): Promise<TimeWindow | undefined> {
    const windowMs = (rule.window_hours ?? DEFAULTS.windowHours) * HOUR;
    if ((rule.window_anchor ?? 'now') === 'now') {
      const now = this.now();
      return { start: new Date(now - windowMs).toISOString(), end: new Date(now).toISOString() };
    }
    const newest = await this.newestEventTime(rule.entity!, features);
    if (newest === undefined) return undefined;
    const end = (Math.floor(newest / DAY) + 1) * DAY;
    return { start: new Date(end - windowMs).toISOString(), end: new Date(end - 1).toISOString() };
  }

  private async newestEventTime(entity: string, features: readonly string[]): Promise<number | undefined> {
    const newest = await Promise.all(features.map((feature) => this.deps.offline.newestValues({ entity, feature, limit: 1 })));
    const times = newest.flatMap((values) => values.map((v) => v.eventTime));
    return times.length === 0 ? undefined : Math.max(...times);
  }

  /** Fires, refreshes or resolves the alert of (rule, target). */
  private async apply(rule: AlertRule, r: RuleEvaluation): Promise<void> {
    const active = await this.deps.store.activeAlert(rule.name, r.target);
    if (r.breached) {
      if (active) {
        await this.deps.store.putAlert({ ...active, value: r.value, last_seen_at: r.time });
        return;
      }
      const alert: Alert = {
        id: randomUUID(),
        rule: rule.name,
        type: rule.type,
        target: r.target,
        state: 'firing',
        value: r.value,
        threshold: r.threshold,
        message: describe(rule, r),
        fired_at: r.time,
        last_seen_at: r.time,
        resolved_at: null,
        acknowledged_at: null,
        acknowledged_by: null,
      };
      await this.deps.store.putAlert(alert);
      await this.notify(rule, alert);
    } else if (active) {
      await this.transition(active, 'resolved', r.value, `${describe(rule, r)} (resolved)`);
    }
  }

  private async transition(alert: Alert, state: 'resolved', value: number | null, message: string): Promise<void> {
    const now = new Date(this.now()).toISOString();
    const next: Alert = { ...alert, state, value: value ?? alert.value, message, resolved_at: now, last_seen_at: now };
    await this.deps.store.putAlert(next);
    const rule = await this.deps.store.rule(alert.rule);
    if (rule) await this.notify(rule, next);
  }

  private async notify(rule: AlertRule, alert: Alert): Promise<void> {
    if (!rule.webhook_url) return;
    const post = this.deps.post ?? postJson;
    try {
      await post(rule.webhook_url, { source: 'fstore', alert });
    } catch (err) {
      this.deps.log?.warn({ err, rule: rule.name }, 'alert webhook failed');
    }
  }

  private async watched(rule: AlertRule): Promise<string[]> {
    if (rule.features && rule.features.length > 0) return rule.features;
    const features = (await this.deps.registry.list('feature')).filter((f) => f.feature_group === rule.feature_group);
    return features.map((f) => f.name);
  }

  private async check(input: AlertRuleInput): Promise<void> {
    if (input.webhook_url !== undefined) {
      let url: URL | undefined;
      try {
        url = new URL(input.webhook_url);
      } catch {
        // reported below
      }
      if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) throw invalid('/webhook_url', 'webhook_url must be an http:// or https:// URL');
    }
    if (input.type === 'drift' || input.type === 'null_rate') {
      if (!input.entity) throw invalid('/entity', `A ${input.type} rule needs the entity`);
      if (!input.feature_group && !(input.features && input.features.length > 0)) throw invalid('/features', `A ${input.type} rule needs features or a feature_group`);
      if (input.feature_group) {
        const group = await this.deps.registry.get('feature_group', input.feature_group);
        if (group.entity !== input.entity) throw invalid('/feature_group', `Feature group '${group.name}' belongs to entity '${group.entity}'`);
      }
      if (input.features) await this.deps.quality.select(input.entity, { features: input.features });
    }
    if (input.type === 'drift' && !input.baseline) throw invalid('/baseline', 'A drift rule needs a baseline window {start, end}');
    if (input.type === 'null_rate' && input.threshold !== undefined && input.threshold > 1) throw invalid('/threshold', 'A null_rate threshold is a share between 0 and 1');
    if (input.type === 'freshness' && input.feature_group) await this.deps.registry.get('feature_group', input.feature_group);
  }
}

function describe(rule: AlertRule, r: RuleEvaluation): string {
  const v = r.value === null ? 'unknown' : Math.round(r.value * 1000) / 1000;
  switch (rule.type) {
    case 'drift':
      return `Feature '${r.target}' drifted: PSI ${v} > ${r.threshold} over the ${describeRecentWindow(rule)} against the baseline ${rule.baseline!.start} .. ${rule.baseline!.end}`;
    case 'null_rate':
      return `Feature '${r.target}' null rate ${v} > ${r.threshold} over the ${describeRecentWindow(rule)}`;
    case 'freshness':
      return `Group '${r.target}' is stale: newest value is ${v} s old (limit ${r.threshold} s)`;
    case 'latency_p99':
      return `p99 latency of ${r.target} is ${v} ms (limit ${r.threshold} ms)`;
    case 'kafka_lag':
      return `Kafka consumer lag is ${v} messages (limit ${r.threshold})`;
  }
}

function describeRecentWindow(rule: AlertRule): string {
  const hours = rule.window_hours ?? DEFAULTS.windowHours;
  return rule.window_anchor === 'newest_event' ? `${hours} h up to the day of the newest value` : `last ${hours} h`;
}

async function postJson(url: string, body: unknown): Promise<void> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(WEBHOOK_TIMEOUT_MS),
  });
  if (!response.ok) throw new Error(`webhook answered ${response.status}`);
}

function invalid(path: string, message: string): AppError {
  return new AppError('FSTORE_VALIDATION_FAILED', message, [{ path, message }]);
}
