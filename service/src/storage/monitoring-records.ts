/**
 * Monitoring state every replica shares: quality of recent ingestion batches, what each group last
 * received (freshness, write counts), alert rules and alerts. Metric history belongs in Prometheus,
 * which scrapes every replica.
 */
import type { Alert, AlertRule, BatchQuality } from '@shared/api/monitoring.js';

/** Batch quality records kept per group (oldest dropped first). */
export const BATCHES_KEPT = 500;

export interface GroupWrites {
  entity: string;
  feature_group: string;
  newest_event_ms: number | null;
  values_total: number;
  last_write_at: string;
}

/**
 * Two write records of one group as one: totals added, the newer event time and write time kept
 * (an unknown event time never hides a known one). Adapters fold each write into the stored record
 * with it; MongoDB's also sums its per-writer records on read.
 */
export function combineWrites(a: GroupWrites | undefined, b: GroupWrites): GroupWrites {
  if (!a) return b;
  const [x, y] = [a.newest_event_ms, b.newest_event_ms];
  return {
    entity: b.entity,
    feature_group: b.feature_group,
    newest_event_ms: x === null ? y : y === null ? x : Math.max(x, y),
    values_total: a.values_total + b.values_total,
    last_write_at: a.last_write_at > b.last_write_at ? a.last_write_at : b.last_write_at,
  };
}

export interface AlertFilter {
  state?: string;
  rule?: string;
  limit?: number;
}

export interface MonitoringRecordStore {
  /** Keeps the batch, dropping the group's oldest beyond BATCHES_KEPT. */
  addBatch(quality: BatchQuality): Promise<void>;
  /** Newest first. */
  batches(entity: string, group: string, limit: number): Promise<BatchQuality[]>;
  /** Adds `values` to the group's total and moves its newest event time forward (never back); atomic across replicas. */
  recordWrite(entity: string, group: string, values: number, newestEventMs: number | null, at: string): Promise<void>;
  writes(): Promise<GroupWrites[]>;
  putRule(rule: AlertRule): Promise<void>;
  rule(name: string): Promise<AlertRule | undefined>;
  rules(): Promise<AlertRule[]>;
  removeRule(name: string): Promise<void>;
  /** The firing alert of (rule, target), if any: alerts are de-duplicated on it. */
  activeAlert(rule: string, target: string): Promise<Alert | undefined>;
  alert(id: string): Promise<Alert | undefined>;
  /** Inserts or replaces the alert by id. */
  putAlert(alert: Alert): Promise<void>;
  /** Newest first (fired_at, then id), at most `limit` (default 1000). */
  alerts(filter: AlertFilter): Promise<Alert[]>;
}
