import type { Key, RootDatabase } from 'lmdb';
import type { Alert, AlertRule, BatchQuality } from '@shared/api/monitoring.js';
import { BATCHES_KEPT, combineWrites, type AlertFilter, type GroupWrites, type MonitoringRecordStore } from '../monitoring-records.js';

type Path = (string | number)[];

/**
 * Monitoring records in the embedded registry's LMDB environment, under ['mon', ...]:
 *   ['batch', entity, group, time, batch_id] -> BatchQuality
 *   ['writes', entity, group]                -> GroupWrites
 *   ['rule', name]                           -> AlertRule
 *   ['alert', id]                            -> Alert
 *   ['active', rule, target]                 -> id of the firing alert
 */
export class LmdbMonitoringRecords implements MonitoringRecordStore {
  constructor(private readonly db: RootDatabase<unknown, Key>) {}

  private key(...path: Path): Key {
    return ['mon', ...path];
  }

  private values<T>(...prefix: Path): T[] {
    return [...this.db.getRange({ start: this.key(...prefix), end: this.key(...prefix, '\uffff') })].map(({ value }) => value as T);
  }

  async addBatch(quality: BatchQuality): Promise<void> {
    const group = [quality.entity, quality.feature_group];
    await this.db.put(this.key('batch', ...group, Date.parse(quality.ingested_at), quality.batch_id), quality);
    const keys = [...this.db.getKeys({ start: this.key('batch', ...group), end: this.key('batch', ...group, '\uffff') })];
    for (const key of keys.slice(0, Math.max(0, keys.length - BATCHES_KEPT))) await this.db.remove(key);
  }

  async batches(entity: string, group: string, limit: number): Promise<BatchQuality[]> {
    const range = this.db.getRange({ start: this.key('batch', entity, group, '\uffff'), end: this.key('batch', entity, group), reverse: true, limit });
    return [...range].map(({ value }) => value as BatchQuality);
  }

  async recordWrite(entity: string, group: string, values: number, newestEventMs: number | null, at: string): Promise<void> {
    const key = this.key('writes', entity, group);
    const write: GroupWrites = { entity, feature_group: group, newest_event_ms: newestEventMs, values_total: values, last_write_at: at };
    await this.db.transaction(() => {
      void this.db.put(key, combineWrites(this.db.get(key) as GroupWrites | undefined, write));
    });
  }

  async writes(): Promise<GroupWrites[]> {
    return this.values<GroupWrites>('writes');
  }

  async putRule(rule: AlertRule): Promise<void> {
    await this.db.put(this.key('rule', rule.name), rule);
  }

  async rule(name: string): Promise<AlertRule | undefined> {
    return this.db.get(this.key('rule', name)) as AlertRule | undefined;
  }

  async rules(): Promise<AlertRule[]> {
    return this.values<AlertRule>('rule');
  }

  async removeRule(name: string): Promise<void> {
    await this.db.remove(this.key('rule', name));
  }

  async activeAlert(rule: string, target: string): Promise<Alert | undefined> {
    const id = this.db.get(this.key('active', rule, target)) as string | undefined;
    return id ? this.alert(id) : undefined;
  }

  async alert(id: string): Promise<Alert | undefined> {
    return this.db.get(this.key('alert', id)) as Alert | undefined;
  }

  async putAlert(alert: Alert): Promise<void> {
    await this.db.transaction(() => {
      void this.db.put(this.key('alert', alert.id), alert);
      if (alert.state === 'firing') void this.db.put(this.key('active', alert.rule, alert.target), alert.id);
      else void this.db.remove(this.key('active', alert.rule, alert.target));
    });
  }

  async alerts(filter: AlertFilter): Promise<Alert[]> {
    return this.values<Alert>('alert')
      .filter((a) => (!filter.state || a.state === filter.state) && (!filter.rule || a.rule === filter.rule))
      .sort((a, b) => b.fired_at.localeCompare(a.fired_at) || b.id.localeCompare(a.id))
      .slice(0, filter.limit ?? 1000);
  }
}
