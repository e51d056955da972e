import { randomUUID } from 'node:crypto';
import type { Collection, Filter } from 'mongodb';
import type { Alert, AlertRule, BatchQuality } from '@shared/api/monitoring.js';
import { BATCHES_KEPT, combineWrites, type AlertFilter, type GroupWrites, type MonitoringRecordStore } from '../monitoring-records.js';

export interface BatchDoc {
  _id: string;
  group: string;
  time: number;
  quality: BatchQuality;
}
export type WritesDoc = GroupWrites & { _id: string };
export type RuleDoc = AlertRule & { _id: string };
export type AlertDoc = Alert & { _id: string };

export interface MonitoringCollections {
  batches: Collection<BatchDoc>;
  writes: Collection<WritesDoc>;
  rules: Collection<RuleDoc>;
  alerts: Collection<AlertDoc>;
}

/**
 * Monitoring records in MongoDB (FerretDB v1 too). FerretDB v1 applies an update as read, change,
 * write back, so concurrent updates of one document lose some ($inc included): write counts are
 * therefore one document per group and writer (this store instance), whose writes this instance
 * makes one at a time, and a read sums them. The firing alert of (rule, target) is found by query:
 * one replica at a time evaluates the rules (alert-service.ts), so there is at most one.
 */
export class MongoMonitoringRecords implements MonitoringRecordStore {
  /** This instance as a writer of write counts. */
  private readonly writer = randomUUID();
  /** The last queued write of each of this writer's documents. */
  private readonly pending = new Map<string, Promise<unknown>>();

  constructor(
    private readonly c: MonitoringCollections,
    private readonly guard: <T>(op: () => Promise<T>) => Promise<T>,
  ) {}

  static indexes(c: MonitoringCollections): Promise<unknown>[] {
    return [c.batches.createIndex({ group: 1, time: -1 }), c.alerts.createIndex({ fired_at: -1 }), c.alerts.createIndex({ rule: 1, target: 1, state: 1 })];
  }

  async addBatch(quality: BatchQuality): Promise<void> {
    const group = `${quality.entity}/${quality.feature_group}`;
    const doc: BatchDoc = { _id: quality.batch_id, group, time: Date.parse(quality.ingested_at), quality };
    await this.guard(() => this.c.batches.replaceOne({ _id: doc._id }, doc, { upsert: true }));
    const oldestKept = await this.guard(() => this.c.batches.find({ group }).sort({ time: -1, _id: -1 }).skip(BATCHES_KEPT - 1).limit(1).next());
    if (oldestKept) await this.guard(() => this.c.batches.deleteMany({ group, time: { $lt: oldestKept.time } }));
  }

  async batches(entity: string, group: string, limit: number): Promise<BatchQuality[]> {
    const docs = await this.guard(() => this.c.batches.find({ group: `${entity}/${group}` }).sort({ time: -1, _id: -1 }).limit(limit).toArray());
    return docs.map((d) => d.quality);
  }

  async recordWrite(entity: string, group: string, values: number, newestEventMs: number | null, at: string): Promise<void> {
    const _id = `${entity}/${group}#${this.writer}`;
    const write = async () => {
      const current = await this.guard(() => this.c.writes.findOne({ _id }));
      const added: GroupWrites = { entity, feature_group: group, newest_event_ms: newestEventMs, values_total: values, last_write_at: at };
      const next = combineWrites(current ? withoutId(current) : undefined, added);
      await this.guard(() => this.c.writes.replaceOne({ _id }, next, { upsert: true }));
    };
    const turn = (this.pending.get(_id) ?? Promise.resolve()).then(write);
    const settled = turn.catch(() => undefined);
    this.pending.set(_id, settled);
    void settled.then(() => this.pending.get(_id) === settled && this.pending.delete(_id));
    await turn;
  }

  /** Per group: every writer's records combined. */
  async writes(): Promise<GroupWrites[]> {
    const byGroup = new Map<string, GroupWrites>();
    for (const doc of await this.guard(() => this.c.writes.find({}).toArray())) {
      const key = `${doc.entity}/${doc.feature_group}`;
      byGroup.set(key, combineWrites(byGroup.get(key), withoutId(doc)));
    }
    return [...byGroup.values()];
  }

  async putRule(rule: AlertRule): Promise<void> {
    await this.guard(() => this.c.rules.replaceOne({ _id: rule.name }, rule, { upsert: true }));
  }

  async rule(name: string): Promise<AlertRule | undefined> {
    return strip(await this.guard(() => this.c.rules.findOne({ _id: name })));
  }

  async rules(): Promise<AlertRule[]> {
    const docs = await this.guard(() => this.c.rules.find({}).sort({ _id: 1 }).toArray());
    return docs.map((d) => strip(d)!);
  }

  async removeRule(name: string): Promise<void> {
    await this.guard(() => this.c.rules.deleteOne({ _id: name }));
  }

  async activeAlert(rule: string, target: string): Promise<Alert | undefined> {
    return strip(await this.guard(() => this.c.alerts.findOne({ rule, target, state: 'firing' })));
  }

  async alert(id: string): Promise<Alert | undefined> {
    return strip(await this.guard(() => this.c.alerts.findOne({ _id: id })));
  }

  async putAlert(alert: Alert): Promise<void> {
    await this.guard(() => this.c.alerts.replaceOne({ _id: alert.id }, alert, { upsert: true }));
  }

  async alerts(filter: AlertFilter): Promise<Alert[]> {
    const query: Filter<AlertDoc> = {};
    if (filter.state) query.state = filter.state as Alert['state'];
    if (filter.rule) query.rule = filter.rule;
    const docs = await this.guard(() =>
      this.c.alerts
        .find(query)
        .sort({ fired_at: -1, _id: -1 })
        .limit(filter.limit ?? 1000)
        .toArray(),
    );
    return docs.map((d) => strip(d)!);
  }
}

/** A write record as stored (an unset newest event time reads as null). */
function withoutId(doc: WritesDoc): GroupWrites {
  return { ...strip(doc)!, newest_event_ms: doc.newest_event_ms ?? null };
}

/** The record without Mongo's _id. */
function strip<T extends { _id: string }>(doc: T | null): Omit<T, '_id'> | undefined {
  if (!doc) return undefined;
  const { _id, ...rest } = doc;
  return rest;
}
