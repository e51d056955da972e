/**
 * Monitoring state in the data folder (LMDB): quality of recent ingestion batches, what each group
 * last received (freshness, write counts), alert rules and alerts. Per service instance: metric
 * history that must be shared belongs in Prometheus, which scrapes every instance.
 */
import { open, type RootDatabase } from 'lmdb';
import type { Alert, AlertRule, BatchQuality } from '../../../shared/api/monitoring.js';

/** Batch quality records kept per group (oldest dropped first). */
const BATCHES_KEPT = 500;

export interface GroupWrites {
  entity: string;
  feature_group: string;
  newest_event_ms: number | null;
  values_total: number;
  last_write_at: string;
}

type Key = (string | number)[];

export class MonitoringStore {
  private readonly db: RootDatabase<unknown, Key>;

  constructor(path: string) {
    this.db = open<unknown, Key>({ path, compression: false });
  }

  // ---- batches ----
  async addBatch(quality: BatchQuality): Promise<void> {
    const time = Date.parse(quality.ingested_at);
    await this.db.put(['batch', quality.entity, quality.feature_group, time, quality.batch_id], quality);
    const keys = [...this.db.getKeys({ start: ['batch', quality.entity, quality.feature_group], end: ['batch', quality.entity, quality.feature_group, '\uffff'] })];
    for (const key of keys.slice(0, Math.max(0, keys.length - BATCHES_KEPT))) await this.db.remove(key);
  }

  /** Newest first. */
  batches(entity: string, group: string, limit: number): BatchQuality[] {
    const out: BatchQuality[] = [];
    for (const { value } of this.db.getRange({ start: ['batch', entity, group, '\uffff'], end: ['batch', entity, group], reverse: true, limit })) {
      out.push(value as BatchQuality);
    }
    return out;
  }

  // ---- writes (freshness, ingestion rate) ----
  async recordWrite(entity: string, group: string, values: number, newestEventMs: number | null): Promise<void> {
    const key = ['writes', entity, group];
    await this.db.transaction(() => {
      const current = this.db.get(key) as GroupWrites | undefined;
      const newest = current?.newest_event_ms ?? null;
      const next: GroupWrites = {
        entity,
        feature_group: group,
        newest_event_ms: newestEventMs === null ? newest : newest === null ? newestEventMs : Math.max(newest, newestEventMs),
        values_total: (current?.values_total ?? 0) + values,
        last_write_at: new Date().toISOString(),
      };
      void this.db.put(key, next);
    });
  }

  writes(): GroupWrites[] {
    return [...this.db.getRange({ start: ['writes'], end: ['writes', '\uffff'] })].map(({ value }) => value as GroupWrites);
  }

  // ---- alert rules ----
  async putRule(rule: AlertRule): Promise<void> {
    await this.db.put(['rule', rule.name], rule);
  }

  rule(name: string): AlertRule | undefined {
    return this.db.get(['rule', name]) as AlertRule | undefined;
  }

  rules(): AlertRule[] {
    return [...this.db.getRange({ start: ['rule'], end: ['rule', '\uffff'] })].map(({ value }) => value as AlertRule);
  }

  async removeRule(name: string): Promise<void> {
    await this.db.remove(['rule', name]);
  }

  // ---- alerts ----
  /** The firing alert of (rule, target), if any: alerts are de-duplicated on it. */
  activeAlert(rule: string, target: string): Alert | undefined {
    const id = this.db.get(['active', rule, target]) as string | undefined;
    return id ? this.alert(id) : undefined;
  }

  alert(id: string): Alert | undefined {
    return this.db.get(['alert', id]) as Alert | undefined;
  }

  async putAlert(alert: Alert): Promise<void> {
    await this.db.transaction(() => {
      void this.db.put(['alert', alert.id], alert);
      if (alert.state === 'firing') void this.db.put(['active', alert.rule, alert.target], alert.id);
      else void this.db.remove(['active', alert.rule, alert.target]);
    });
  }

  /** Newest first. */
  alerts(filter: { state?: string; rule?: string; limit?: number } = {}): Alert[] {
    const all = [...this.db.getRange({ start: ['alert'], end: ['alert', '\uffff'] })].map(({ value }) => value as Alert);
    return all
      .filter((a) => (!filter.state || a.state === filter.state) && (!filter.rule || a.rule === filter.rule))
      .sort((a, b) => b.fired_at.localeCompare(a.fired_at) || b.id.localeCompare(a.id))
      .slice(0, filter.limit ?? 1000);
  }

  async close(): Promise<void> {
    await this.db.close();
  }
}
