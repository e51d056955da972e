/**
 * Upgrades a PostgreSQL offline store written before ADR 0008: the long table
 * `fstore_feature_values` (one row per value as JSON text) becomes group tables. Each group's
 * values are written through the ordinary group writer (sparse rows merged into states), one
 * transaction per group; the long table is dropped only once every value is accounted for. Writes
 * are idempotent, so an interrupted migration simply runs again over the old table.
 */
import type { ValueType } from '@shared/domain/value-types.js';
import { assertRegistryName } from '../offline-layout.js';
import type { LegacyFeatureTypes, MigrationReport, OfflineBatch, OfflineWriter } from '../offline-store.js';
import type { PgConnections } from './postgres-connection.js';

export const LEGACY_TABLE = 'fstore_feature_values';
const CHUNK_VALUES = 50_000;

export async function hasLegacyTable(conn: PgConnections): Promise<boolean> {
  return conn.withClient(async (c) => (await conn.one(c, `SELECT to_regclass('public.${LEGACY_TABLE}') IS NOT NULL`))[0] === true);
}

/** Whether the JSON text `v` is a value of `valueType` as ingestion wrote it (regular expressions: no TRY_CAST here). */
function fits(valueType: ValueType): string {
  const type = `jsonb_typeof(value_json::jsonb)`;
  const text = `(value_json::jsonb #>> '{}')`;
  switch (valueType) {
    case 'INT':
      return `${type} = 'number' AND value_json ~ '^-?[0-9]+$'`;
    case 'FLOAT':
      return `${type} = 'number'`;
    case 'BOOL':
      return `${type} = 'boolean'`;
    case 'STRING':
      return `${type} = 'string'`;
    case 'DATE':
      return `${type} = 'string' AND ${text} ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$'`;
    case 'TIMESTAMP':
      return `${type} = 'string' AND ${text} ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9]{2}:[0-9]{2}'`;
    case 'INT_LIST':
    case 'FLOAT_LIST':
    case 'STRING_LIST':
    case 'BOOL_LIST':
      return `${type} = 'array'`;
  }
}

export async function migrateLegacy(
  conn: PgConnections,
  beginWrite: (group: string) => Promise<OfflineWriter>,
  types: LegacyFeatureTypes,
  onProgress: (message: string) => void,
): Promise<MigrationReport> {
  const started = performance.now();
  const candidates: ValueType[] = ['INT', 'FLOAT', 'BOOL', 'STRING', 'DATE', 'TIMESTAMP', 'STRING_LIST'];
  const features = await conn.withClient(
    async (c) =>
      (await conn.query(
        c,
        `SELECT feature, (array_agg(feature_group ORDER BY event_time_ms DESC))[1], count(*)::float8, ${candidates.map((t) => `bool_and(${fits(t)})`).join(', ')}
         FROM public.${LEGACY_TABLE} GROUP BY feature ORDER BY feature`,
      )) as [string, string, number, ...boolean[]][],
  );
  const byGroup = new Map<string, Map<string, ValueType>>();
  let total = 0;
  for (const [feature, legacyGroup, count, ...fit] of features) {
    const known = types.get(feature);
    const group = assertRegistryName('feature group', known?.group ?? legacyGroup);
    const fitting = candidates.filter((_, i) => fit[i] === true);
    const listFits = fitting.includes('STRING_LIST');
    // The registry's type when every value fits it, else the narrowest type they fit; text holds anything.
    const valueType: ValueType =
      known && (fitting.includes(known.valueType) || (listFits && known.valueType.endsWith('_LIST'))) ? known.valueType : (fitting[0] ?? 'STRING');
    let own = byGroup.get(group);
    if (!own) byGroup.set(group, (own = new Map()));
    own.set(assertRegistryName('feature', feature), valueType);
    total += Number(count);
  }
  let moved = 0;
  for (const [group, own] of byGroup) {
    onProgress(`moving ${own.size} features of group '${group}' to its table`);
    const writer = await beginWrite(group);
    try {
      const columns = [...own].map(([feature, valueType]) => ({ feature, valueType }));
      const index = new Map(columns.map((col, i) => [col.feature, i]));
      const fresh = (): OfflineBatch => ({ entity: '', featureGroup: group, entityKeys: [], eventTimes: [], columns: columns.map((col) => ({ ...col, values: [] })) });
      let batch = fresh();
      const rows = conn.withClient(async (c) => {
        for await (const chunk of conn.streamRows(
          c,
          `SELECT entity_key, event_time_ms::float8, feature, value_json FROM public.${LEGACY_TABLE} WHERE feature = ANY($1::text[])`,
          [[...own.keys()]],
          (row) => row as [string, number, string, string],
        )) {
          for (const [key, time, feature, json] of chunk) {
            // One sparse row per value: the writer merges the values of one (key, time) into one row.
            batch.entityKeys.push(key);
            batch.eventTimes.push(time);
            const at = index.get(feature)!;
            batch.columns.forEach((col, i) => col.values.push(i === at ? (own.get(feature) === 'STRING' ? stringJson(json) : json) : null));
            if (batch.entityKeys.length >= CHUNK_VALUES) {
              await writer.append(batch);
              batch = fresh();
            }
          }
        }
        if (batch.entityKeys.length > 0) await writer.append(batch);
      });
      await rows;
      moved += await writer.commit();
    } catch (err) {
      await writer.abort();
      throw err;
    }
  }
  if (moved !== total) throw new Error(`the migration moved ${moved} of ${total} values; the old layout is kept and the migration runs again on the next start`);
  await conn.withClient((c) => conn.run(c, `DROP TABLE public.${LEGACY_TABLE}`));
  return { groups: byGroup.size, values: moved, elapsedMs: Math.round(performance.now() - started) };
}

/** A value kept as text: its JSON string, or the JSON text of any other value as a string. */
function stringJson(json: string): string {
  return json.startsWith('"') ? json : JSON.stringify(json);
}
