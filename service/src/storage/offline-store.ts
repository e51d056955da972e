/** The offline store role: full history of feature values, for training retrieval. */

/**
 * A batch of values of one feature group, column-oriented. Values are JSON text; null means the row
 * has no value for that feature (nothing is written for it).
 */
export interface OfflineBatch {
  entity: string;
  featureGroup: string;
  entityKeys: string[];
  /** Event times, epoch milliseconds, one per row. */
  eventTimes: number[];
  columns: { feature: string; values: (string | null)[] }[];
}

/** A feature as retrieval needs it. */
export interface FeatureRef {
  name: string;
  group: string;
  ttlSeconds: number | null;
}

export interface RangeQuery {
  entity: string;
  features: FeatureRef[];
  /** Inclusive bounds, epoch milliseconds. */
  start: number;
  end: number;
}

export interface PointInTimeQuery {
  entity: string;
  features: FeatureRef[];
  entityKeys: string[];
  /** Label times, epoch milliseconds, one per entity key. */
  times: number[];
}

/** Range rows: entity key, event time (ms), then one JSON text (or null) per requested feature. */
export type RangeRow = [string, number, ...(string | null)[]];

export interface OfflineStore {
  readonly description: string;
  /**
   * Writes a batch atomically (all or nothing). Idempotent on (entity key, feature, event time):
   * a re-sent value replaces the stored one instead of adding a row. Returns values written.
   */
  write(batch: OfflineBatch, ingestedAt: number): Promise<number>;
  /** One row per (entity key, event time) in the window with any requested feature, ordered by key then time. */
  range(query: RangeQuery): AsyncIterable<RangeRow[]>;
  /**
   * For each label row i, the latest value of each feature at or before times[i] and within the
   * feature's TTL. Yields chunks of rows in label order; each row has one JSON text (or null) per feature.
   */
  pointInTime(query: PointInTimeQuery): AsyncIterable<(string | null)[][]>;
  /** Number of stored values of a group (for reports and tests). */
  countValues(entity: string, featureGroup: string): Promise<number>;
  close(): Promise<void>;
}
