/**
 * What the embedded offline store holds, read from DuckDB's own catalog (information_schema): each
 * group table's feature columns and their value types. The database schema is the only record of
 * the layout, so there is nothing to keep in step; the copy here is reloaded after every change.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import type { ValueType } from '@shared/domain/value-types.js';
import { isFeatureColumn, OFFLINE_SCHEMA } from '../offline-layout.js';
import { valueTypeOfDuckColumn } from './duckdb-typed-values.js';

export interface StoredFeature {
  /** The group whose table holds the feature's column. */
  group: string;
  valueType: ValueType;
}

export class DuckDbOfflineCatalog {
  private groups = new Map<string, Map<string, ValueType>>();
  private features = new Map<string, StoredFeature>();

  async load(c: DuckDBConnection): Promise<void> {
    const reader = await c.runAndReadAll(
      `SELECT table_name, column_name, data_type FROM information_schema.columns
       WHERE table_schema = $1 ORDER BY table_name, ordinal_position`,
      [OFFLINE_SCHEMA],
    );
    const groups = new Map<string, Map<string, ValueType>>();
    const features = new Map<string, StoredFeature>();
    for (const [table, column, type] of reader.getRowsJS() as [string, string, string][]) {
      let columns = groups.get(table);
      if (!columns) groups.set(table, (columns = new Map()));
      if (!isFeatureColumn(column)) continue;
      const valueType = valueTypeOfDuckColumn(type);
      if (!valueType) continue;
      columns.set(column, valueType);
      features.set(column, { group: table, valueType });
    }
    this.groups = groups;
    this.features = features;
  }

  /** The feature columns of a group's table (empty when the table does not exist). */
  columnsOf(group: string): ReadonlyMap<string, ValueType> {
    return this.groups.get(group) ?? new Map();
  }

  hasTable(group: string): boolean {
    return this.groups.has(group);
  }

  /** Where a feature's values are stored, or undefined when it has none. */
  find(feature: string): StoredFeature | undefined {
    return this.features.get(feature);
  }

  /** The requested features that have a column, grouped by table, keeping request positions. */
  byTable(features: readonly string[]): Map<string, { feature: string; position: number; valueType: ValueType }[]> {
    const out = new Map<string, { feature: string; position: number; valueType: ValueType }[]>();
    features.forEach((feature, position) => {
      const stored = this.features.get(feature);
      if (!stored) return;
      let list = out.get(stored.group);
      if (!list) out.set(stored.group, (list = []));
      list.push({ feature, position, valueType: stored.valueType });
    });
    return out;
  }
}
