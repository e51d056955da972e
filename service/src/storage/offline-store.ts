/**
 * The offline store role: full history of feature values, for training retrieval and monitoring.
 * Each feature group is one typed table (docs/offline-store.md, ADR 0008); values cross this
 * interface as JSON text in row form, and as typed Parquet files on the bulk paths.
 */
import type { ValueType } from '@shared/domain/value-types.js';

/** A feature column of a write: its name and value type (the table column's type follows it). */
export interface OfflineColumnType {
  feature: string;
  valueType: ValueType;
}

/**
 * A batch of values of one feature group, column-oriented. Values are canonical JSON text of the
 * column's value type; null means the row has no value for that feature (nothing is written for it).
 */
export interface OfflineBatch {
  entity: string;
  featureGroup: string;
  entityKeys: string[];
  /** Event times, epoch milliseconds, one per row. */
  eventTimes: number[];
  columns: (OfflineColumnType & { values: (string | null)[] })[];
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

/**
 * Label rows in a Parquet file: row_idx BIGINT (output order), entity_key VARCHAR, label_time_ms
 * BIGINT, and any other columns. The output has the `passthrough` columns of the file (in that
 * order, as typed there; a `{ column, as }` entry is written under the name `as`) and then one
 * column per feature, named by `FeatureOutput.column`, typed by the feature's value type.
 */
export interface PointInTimeFileQuery {
  entity: string;
  features: (FeatureRef & { column: string; valueType: ValueType })[];
  labels: { path: string; passthrough: PassthroughColumn[] };
  output: { path: string; format: 'parquet' | 'csv' };
}

/** A label file column copied to the output: by its own name, or renamed (`as`). */
export type PassthroughColumn = string | { column: string; as: string };

/** The label column a passthrough entry reads, and the output column it is written to. */
export function passthroughNames(entry: PassthroughColumn): { column: string; as: string } {
  return typeof entry === 'string' ? { column: entry, as: entry } : entry;
}

export interface PointInTimeQuery {
  entity: string;
  features: FeatureRef[];
  entityKeys: string[];
  /** Label times, epoch milliseconds, one per entity key. */
  times: number[];
}

/**
 * Which history to materialize: values with event times in [start, end], and/or values ingested
 * after a watermark (incremental runs). Both bounds are epoch milliseconds.
 */
export interface LatestQuery {
  entity: string;
  features: string[];
  start?: number;
  end?: number;
  ingestedAfter?: number;
}

/** The newest value of one feature of one key: [entity key, feature, JSON, event time ms, ingested ms]. */
export type LatestRow = [string, string, string, number, number];

/** Range rows: entity key, event time (ms), then one JSON text (or null) per requested feature. */
export type RangeRow = [string, number, ...(string | null)[]];

/** Values of some features of an entity with event times in [start, end] (epoch ms), for monitoring. */
export interface WindowQuery {
  entity: string;
  features: string[];
  start: number;
  end: number;
}

/** Quality statistics of one feature's values in a window; numbers are the values that are JSON numbers. */
export interface ValueSummary {
  feature: string;
  count: number;
  numeric: number;
  min: number | null;
  max: number | null;
  mean: number | null;
  /** Sample standard deviation (n - 1). */
  std: number | null;
  /** At the requested probabilities, linear interpolation between closest ranks. */
  quantiles: (number | null)[];
  /** Exact count of distinct values. */
  distinct: number;
}

export interface QuantileQuery extends WindowQuery {
  probabilities: number[];
  sample?: number;
}

export interface HistogramQuery {
  entity: string;
  features: string[];
  /** Event-time windows, inclusive epoch ms; they should not overlap. */
  windows: { start: number; end: number }[];
  grids: HistogramGrid[];
}

/** A uniform grid of `bins` bins over [lo, hi), lo < hi, per feature. */
export interface HistogramGrid {
  lo: number;
  hi: number;
  bins: number;
}

export interface DailySummary {
  feature: string;
  /** UTC day of the event time, YYYY-MM-DD. */
  day: string;
  count: number;
  numeric: number;
  mean: number | null;
  min: number | null;
  max: number | null;
}

/** One feature's most recent written values (the profile's freshness and sample keys). */
export interface NewestValuesQuery {
  entity: string;
  feature: string;
  /** At most this many values, newest first. */
  limit: number;
}

/** A written value: its entity key, event time (epoch ms) and canonical JSON text. */
export interface NewestValue {
  entityKey: string;
  eventTime: number;
  value: string;
}

/**
 * A write of one feature group that spans several chunks but lands atomically: nothing is visible
 * until commit(), and abort() (or a failed commit) leaves the store unchanged.
 */
export interface OfflineWriter {
  append(chunk: OfflineBatch): Promise<void>;
  /**
   * The bulk path: a Parquet file of typed rows (entity_key VARCHAR, event_time_ms BIGINT,
   * seq BIGINT, then one column per entry of `columns`, named by the feature, in its value type's
   * DuckDB type; NULL = not written). Same semantics as append; a higher seq wins ties. The file
   * must stay until commit() or abort() returns (an adapter may read it in place). Adapters that
   * stream the rows to a server report the rows sent so far through `onRows`. `facts`, when the
   * caller measured the file already, spare the adapter its own scan for choosing a write path.
   */
  appendParquet(path: string, columns: OfflineColumnType[], onRows?: (rowsSent: number) => void, facts?: ParquetFacts): Promise<void>;
  /** Applies everything appended in one transaction; returns the number of values written. */
  commit(): Promise<number>;
  abort(): Promise<void>;
}

/**
 * What a caller knows of a Parquet file for appendParquet from its own scan of the rows (ingestion
 * scans every batch before writing it). Must be exact: an adapter trusts them to choose its path.
 */
export interface ParquetFacts {
  rows: number;
  /** Non-null values per column, in the order of appendParquet's `columns`. */
  values: readonly number[];
  /** Some (entity_key, event_time_ms) occurs in more than one row. */
  repeatedKeyTimes: boolean;
  /** The oldest event time of the file (ms), or null when it has no rows. */
  oldestEventMs: number | null;
}

/** What a feature's legacy values become in the typed layout: its value type and home group. */
export type LegacyFeatureTypes = ReadonlyMap<string, { valueType: ValueType; group: string | null }>;

export interface MigrationReport {
  groups: number;
  values: number;
  elapsedMs: number;
}

export interface OfflineStore {
  readonly description: string;
  /**
   * True when the store still holds history in the long layout of releases before ADR 0008 (one row
   * per value as JSON text); `migrate` upgrades it in place.
   */
  readonly needsMigration: boolean;
  /**
   * Moves the long layout's history into the group tables in one transaction (all or nothing) and
   * drops the old table once every value is accounted for. Features missing from `types` keep the
   * group they were written to and a type inferred from their JSON values.
   */
  migrate(types: LegacyFeatureTypes, onProgress?: (message: string) => void): Promise<MigrationReport>;
  /**
   * Starts an atomic, chunked write of one group (large files never sit whole in memory).
   * Idempotent on (entity key, feature, event time): a re-sent value replaces the stored one
   * instead of adding a row (the write committed last wins a tie, and the row's ingested_at becomes
   * `ingestedAt`); within a write, the last occurrence wins.
   */
  beginWrite(entity: string, featureGroup: string, ingestedAt: number): Promise<OfflineWriter>;
  /** beginWrite + one append + commit. Returns values written. */
  write(batch: OfflineBatch, ingestedAt: number): Promise<number>;
  /** One row per (entity key, event time) in the window with any requested feature, ordered by key then time. */
  range(query: RangeQuery): AsyncIterable<RangeRow[]>;
  /**
   * For each label row i, the latest value of each feature at or before times[i] and within the
   * feature's TTL. Yields chunks of rows in label order; each row has one JSON text (or null) per feature.
   */
  pointInTime(query: PointInTimeQuery): AsyncIterable<(string | null)[][]>;
  /**
   * The same join for label rows in a Parquet file, written by the engine to `output` (Parquet or
   * CSV) without passing rows through JavaScript. Returns the number of rows written.
   */
  pointInTimeToFile(query: PointInTimeFileQuery): Promise<number>;
  /** The newest value per (key, feature) among the selected history, ordered by key. */
  latest(query: LatestQuery): AsyncIterable<LatestRow[]>;
  // ---- monitoring: aggregates computed inside the store, so large histories never leave it ----
  /**
   * One summary per requested feature, in request order (count 0 when it has no values in the
   * window). With `approximate`, adapters may estimate quantiles and distinct counts (a reservoir
   * sample, HyperLogLog) to stay fast over large windows.
   */
  summarize(query: WindowQuery & { probabilities: number[]; approximate?: boolean }): Promise<ValueSummary[]>;
  /**
   * Per window and feature, counts of the feature's numeric values on its uniform grid: bin 0 holds
   * values below `lo`, bins 1..n split [lo, hi) into n equal widths, bin n + 1 holds values at or
   * above `hi`. Arithmetic only and one scan for all windows, so it runs at scan speed.
   */
  histogram(query: HistogramQuery): Promise<number[][][]>;
  /**
   * Per feature: how many numeric values it has in the window and their quantiles at
   * `probabilities`, which adapters may estimate (a reservoir sample per feature) over large windows.
   * With `sample` (a share in (0, 1)), an adapter may read only about that share of the stored
   * blocks; `count` is then the count of what it read, so callers can tell a thin sample.
   */
  quantiles(query: QuantileQuery): Promise<{ count: number; quantiles: (number | null)[] }[]>;
  /** Per feature, its most frequent values (JSON text) with counts, most frequent first (ties by value). */
  topValues(query: WindowQuery & { limit: number }): Promise<{ value: string; count: number }[][]>;
  /** Rows in the window: distinct (entity key, event time) pairs with a value of any of the features. */
  countRows(query: WindowQuery): Promise<number>;
  /** Distinct entity keys with a value of any of the features in the window. */
  countKeys(query: WindowQuery): Promise<number>;
  /** Per feature and UTC day of event time, ordered by feature then day. */
  daily(query: WindowQuery): Promise<DailySummary[]>;
  /**
   * A feature's `limit` most recent written values (carried ones are not values), newest event
   * time first, ties by entity key. One scan keeping the top `limit` rows, so memory stays bounded.
   */
  newestValues(query: NewestValuesQuery): Promise<NewestValue[]>;
  /**
   * Where the features' values are: per group table, its features with their stored value types.
   * Features with no values are absent. For engines that read the tables themselves (Spark).
   */
  locate(features: readonly string[]): Promise<Map<string, OfflineColumnType[]>>;
  /** Number of stored values of a group (for reports and tests). */
  countValues(entity: string, featureGroup: string): Promise<number>;
  /**
   * Writes a snapshot of a group's table to a file, ordered by key and time: its view (entity_key,
   * event_time, each feature's state) or, with `carriedTimes`, also ingested_at and each feature's
   * carried-time column (what TTL checks need). A group with no history gives an empty file.
   * Returns the rows written.
   */
  exportGroup(featureGroup: string, output: { path: string; format: 'parquet' | 'csv' }, options?: { carriedTimes?: boolean }): Promise<number>;
  close(): Promise<void>;
}

/** The `write` convenience every adapter shares. */
export async function writeOnce(store: OfflineStore, batch: OfflineBatch, ingestedAt: number): Promise<number> {
  const writer = await store.beginWrite(batch.entity, batch.featureGroup, ingestedAt);
  try {
    await writer.append(batch);
  } catch (err) {
    await writer.abort();
    throw err;
  }
  return writer.commit();
}
