import { existsSync } from 'node:fs';
import { open, type Key } from 'lmdb';
import type { Alert, AlertRule, BatchQuality } from '@shared/api/monitoring.js';
import type { GroupWrites, MonitoringRecordStore } from '../storage/monitoring-records.js';

/**
 * Copies what an earlier release kept in the data folder's `monitoring.lmdb` (rules, alerts, batch
 * quality, write counts) into the registry role where it is not there yet, so an upgrade keeps the
 * rules and their alert history. Idempotent: a second run finds everything present.
 */
export async function importLegacyMonitoring(store: MonitoringRecordStore, path: string): Promise<number> {
  if (!existsSync(path)) return 0;
  const legacy = open<unknown, Key>({ path, compression: false, readOnly: true });
  let imported = 0;
  try {
    const known = new Set((await store.writes()).map((w) => `${w.entity}/${w.feature_group}`));
    for (const { key, value } of legacy.getRange()) {
      const kind = Array.isArray(key) ? key[0] : undefined;
      if (kind === 'rule' && !(await store.rule((value as AlertRule).name))) await store.putRule(value as AlertRule);
      else if (kind === 'alert' && !(await store.alert((value as Alert).id))) await store.putAlert(value as Alert);
      else if (kind === 'batch') await store.addBatch(value as BatchQuality);
      else if (kind === 'writes' && !known.has(`${(value as GroupWrites).entity}/${(value as GroupWrites).feature_group}`)) {
        const w = value as GroupWrites;
        await store.recordWrite(w.entity, w.feature_group, w.values_total, w.newest_event_ms, w.last_write_at);
      } else continue;
      imported++;
    }
  } finally {
    await legacy.close();
  }
  return imported;
}
