/**
 * Upgrades a data folder written before ADR 0008: the long table `feature_values` (one row per
 * value: entity, group, feature, key, event time, JSON text) becomes group tables. Each feature's
 * values are staged as sparse typed rows and merged like any write (states carried forward), all
 * in one transaction that also drops the old table, so a crash leaves the old layout intact.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import type { ValueType } from '@shared/domain/value-types.js';
import { quoteLiteral } from '../../staging/typed-sql.js';
import { assertRegistryName, groupView, groupViewSelect, ident } from '../offline-layout.js';
import { duckTypeOf } from '../duckdb/duck-types.js';
import type { LegacyFeatureTypes, MigrationReport } from '../offline-store.js';
import type { DuckDbOfflineCatalog } from './duckdb-offline-catalog.js';
import { ensureColumns, mergeStaged, STAGED } from './duckdb-group-write.js';
import { duckFromJson } from './duckdb-typed-values.js';

export const LEGACY_TABLE = 'feature_values';

export async function hasLegacyTable(c: DuckDBConnection): Promise<boolean> {
  const reader = await c.runAndReadAll(`SELECT count(*) FROM information_schema.tables WHERE table_schema = 'main' AND table_name = $1`, [LEGACY_TABLE]);
  return Number(reader.getRowsJS()[0]?.[0] ?? 0) > 0;
}

export async function migrateLegacy(
  c: DuckDBConnection,
  catalog: DuckDbOfflineCatalog,
  types: LegacyFeatureTypes,
  onProgress: (message: string) => void,
): Promise<MigrationReport> {
  const started = performance.now();
  // Each feature: its newest group in the old table, its value count and the types all its values fit.
  const candidates: ValueType[] = ['INT', 'FLOAT', 'BOOL', 'STRING', 'DATE', 'TIMESTAMP', 'INT_LIST', 'FLOAT_LIST', 'STRING_LIST', 'BOOL_LIST'];
  const features = (
    await c.runAndReadAll(
      `SELECT feature, arg_max(feature_group, event_time_ms), CAST(count(*) AS DOUBLE), ${candidates.map((t) => `bool_and(${fits('value_json', t)})`).join(', ')}
       FROM ${LEGACY_TABLE} GROUP BY feature ORDER BY feature`,
    )
  ).getRowsJS();
  const byGroup = new Map<string, Map<string, ValueType>>();
  let total = 0;
  for (const [feature, legacyGroup, count, ...fit] of features as unknown as [string, string, number, ...boolean[]][]) {
    const known = types.get(feature);
    const group = assertRegistryName('feature group', known?.group ?? legacyGroup);
    const fitting = candidates.filter((_, i) => fit[i] === true);
    // The registry's type when every value fits it (values of an older type may not), else the
    // narrowest type they fit; text holds anything.
    const valueType: ValueType = known && fitting.includes(known.valueType) ? known.valueType : (fitting[0] ?? 'STRING');
    let own = byGroup.get(group);
    if (!own) byGroup.set(group, (own = new Map()));
    own.set(assertRegistryName('feature', feature), valueType);
    total += count;
  }
  let moved = 0;
  for (const [group, own] of byGroup) {
    onProgress(`moving ${own.size} features of group '${group}' to its table`);
    await c.run(`CREATE TEMP TABLE ${STAGED} (seq BIGINT, entity_key VARCHAR, event_time_ms BIGINT)`);
    for (const [feature, valueType] of own) {
      await c.run(`ALTER TABLE ${STAGED} ADD COLUMN ${ident(feature)} ${duckTypeOf(valueType)}`);
      await c.run(
        `INSERT INTO ${STAGED} BY NAME SELECT 0 AS seq, entity_key, event_time_ms,
                ${valueType === 'STRING' ? `json_extract_string(value_json, '$')` : duckFromJson('value_json', valueType)} AS ${ident(feature)}
         FROM ${LEGACY_TABLE} WHERE feature = ${quoteLiteral(feature)}`,
      );
    }
    if (await ensureColumns(c, catalog, group, own)) {
      await catalog.load(c);
      await c.run(`CREATE OR REPLACE VIEW ${groupView(group)} AS ${groupViewSelect(group, [...catalog.columnsOf(group).keys()])}`);
    }
    moved += await mergeStaged(c, group, [...catalog.columnsOf(group).keys()], [...own.keys()], Date.now());
    await c.run(`DROP TABLE ${STAGED}`);
  }
  if (moved !== total) throw new Error(`the migration moved ${moved} of ${total} values; the old layout is kept`);
  await c.run(`DROP TABLE ${LEGACY_TABLE}`);
  return { groups: byGroup.size, values: moved, elapsedMs: Math.round(performance.now() - started) };
}

/** Whether the JSON text `json` is a value of `valueType`, exactly as ingestion would have written it. */
function fits(json: string, valueType: ValueType): string {
  const type = `json_type(CAST(${json} AS JSON))`;
  switch (valueType) {
    case 'INT':
      return `${type} IN ('BIGINT', 'UBIGINT')`;
    case 'FLOAT':
      return `${type} IN ('BIGINT', 'UBIGINT', 'DOUBLE')`;
    case 'BOOL':
      return `${type} = 'BOOLEAN'`;
    case 'STRING':
      return `${type} = 'VARCHAR'`;
    case 'DATE':
      return `${type} = 'VARCHAR' AND TRY_CAST(json_extract_string(${json}, '$') AS DATE) IS NOT NULL`;
    case 'TIMESTAMP':
      return `${type} = 'VARCHAR' AND TRY_CAST(json_extract_string(${json}, '$') AS TIMESTAMPTZ) IS NOT NULL`;
    case 'INT_LIST':
    case 'FLOAT_LIST':
    case 'STRING_LIST':
    case 'BOOL_LIST':
      return `${type} = 'ARRAY' AND TRY_CAST(CAST(${json} AS JSON) AS ${duckTypeOf(valueType)}) IS NOT NULL`;
  }
}
