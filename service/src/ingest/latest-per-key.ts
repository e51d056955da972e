import type { OfflineBatch } from '../storage/offline-store.js';
import type { OnlineRow } from '../storage/online-store.js';

/** Reduces a batch to the newest value per (key, feature): what the online store needs (streams, pushes). */
export function latestPerKey(batch: OfflineBatch): OnlineRow[] {
  const byKey = new Map<string, OnlineRow>();
  for (let row = 0; row < batch.entityKeys.length; row++) {
    const key = batch.entityKeys[row]!;
    const time = batch.eventTimes[row]!;
    let entry = byKey.get(key);
    for (const column of batch.columns) {
      const json = column.values[row];
      if (json === null || json === undefined) continue;
      if (!entry) byKey.set(key, (entry = { entityKey: key, values: {} }));
      const current = entry.values[column.feature];
      if (!current || current.eventTime <= time) entry.values[column.feature] = { json, eventTime: time };
    }
  }
  return [...byKey.values()];
}
