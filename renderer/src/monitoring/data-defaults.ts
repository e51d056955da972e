/**
 * What the Monitoring page opens on when the URL does not say: the entity with the newest data and
 * windows inside that data's event times, so historical data shows drift instead of empty windows.
 */
import type { FStoreClient } from '@shared/api/client.js';
import type { OperationsReport } from '@shared/api/monitoring.js';
import { driftableFeatures } from './drift-view.js';
import type { MonitoringViewPatch } from './monitoring-view.js';
import { dataSpan, suggestWindows, type DateWindow } from './time-windows.js';

/** Every day the service can read: the data's own span is looked up inside it. */
export const ALL_TIME: DateWindow = { start: '1970-01-01', end: '9999-12-31' };

/** The entity whose groups hold the newest event time; the first name when none has recorded writes. */
export function pickEntityWithData(freshness: OperationsReport['freshness'], entityNames: readonly string[]): string | undefined {
  let best: { entity: string; newest: string } | undefined;
  for (const g of freshness) {
    if (g.newest_event_time === null || !entityNames.includes(g.entity)) continue;
    if (!best || g.newest_event_time > best.newest || (g.newest_event_time === best.newest && g.entity < best.entity)) best = { entity: g.entity, newest: g.newest_event_time };
  }
  return best?.entity ?? entityNames[0];
}

/**
 * The view's missing parts: the entity (when `entity` is empty) and the windows (when `hasWindows`
 * is false) from the per-day counts of the entity's drift features over all time.
 */
export async function resolveDataDefaults(
  client: FStoreClient,
  request: { entity: string; entityNames: readonly string[]; hasWindows: boolean },
): Promise<MonitoringViewPatch> {
  const entity = request.entity || pickEntityWithData((await client.monitoring.operations()).freshness, request.entityNames);
  if (entity === undefined) return {};
  const patch: MonitoringViewPatch = request.entity ? {} : { entity };
  if (request.hasWindows) return patch;
  const names = driftableFeatures(await client.features.list({ entity }), '').map((f) => f.name);
  if (names.length === 0) return patch;
  const report = await client.monitoring.quality({ entity, features: names, ...ALL_TIME });
  const span = dataSpan(report.daily);
  const windows = span && suggestWindows(span);
  return windows ? { ...patch, ...windows } : patch;
}
