/** The online store role: latest value per (entity key, feature), read with low latency. */

/** A value as stored: its JSON text (so serving can splice it without re-encoding) and event time. */
export interface StoredValue {
  json: string;
  /** Event time, epoch milliseconds. */
  eventTime: number;
}

export interface OnlineGroupTarget {
  entity: string;
  group: string;
  /** When set, adapters may also expire data physically; reads enforce TTL regardless. */
  ttlSeconds: number | null;
}

export interface OnlineRow {
  entityKey: string;
  values: Record<string, StoredValue>;
}

export interface OnlineReadGroup {
  group: string;
  features: string[];
}

export interface OnlineStore {
  readonly description: string;
  /**
   * Writes values of one group. Per (entity key, feature) the value with the newest event time wins,
   * whatever the arrival order; an equal event time overwrites (re-sends are idempotent, and a tie
   * goes to the most recently ingested value: callers write in offline commit order), also a key
   * repeated within `rows` (the later row wins).
   * Returns how many values became current.
   */
  write(target: OnlineGroupTarget, rows: OnlineRow[]): Promise<number>;
  /**
   * Reads in one round trip. Result is indexed [key][group][feature], matching the request order;
   * undefined where nothing is stored.
   */
  read(entity: string, entityKeys: string[], groups: OnlineReadGroup[]): Promise<(StoredValue | undefined)[][][]>;
  /** Deletes every value of one group of one entity, leaving other groups untouched. */
  deleteGroup(entity: string, group: string): Promise<void>;
  close(): Promise<void>;
}
