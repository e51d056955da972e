/**
 * What the PostgreSQL offline store holds, read from the database's own catalog on every operation
 * (several service instances may share the database, and the tables are the only record of the
 * layout): the feature columns of group tables and their value types. A snapshot covers the tables
 * of some groups completely and, elsewhere, only the columns of some features.
 */
import type { ValueType } from '@shared/domain/value-types.js';
import { isFeatureColumn, OFFLINE_SCHEMA } from '../offline-layout.js';
import type { Client, PgConnections } from './postgres-connection.js';
import { valueTypeOfPgColumn } from './postgres-typed-values.js';

export interface StoredFeature {
  /** The group whose table holds the feature's column. */
  group: string;
  valueType: ValueType;
  /** False for a JSONB column whose list type is not recorded (valueType is then a guess). */
  exact: boolean;
}

export interface TableMember {
  feature: string;
  /** Position in the request. */
  position: number;
  valueType: ValueType;
}

export class PgOfflineCatalog {
  private constructor(
    private readonly tables: Map<string, { columns: Map<string, StoredFeature>; attributes: number }>,
    private readonly features: Map<string, StoredFeature>,
  ) {}

  /** The tables of `groups` (every column) and wherever one of `features` has a column. */
  static async load(conn: PgConnections, c: Client, filter: { groups?: readonly string[]; features?: readonly string[] }): Promise<PgOfflineCatalog> {
    const rows = (await conn.query(
      c,
      `SELECT c.relname::text, a.attname::text, format_type(a.atttypid, a.atttypmod), col_description(c.oid, a.attnum), c.relnatts
       FROM pg_catalog.pg_class c
       JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
       JOIN pg_catalog.pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
       WHERE n.nspname = $1 AND c.relkind IN ('r', 'p') AND (c.relname = ANY($2::text[]) OR a.attname = ANY($3::text[]))
       ORDER BY c.relname, a.attnum`,
      [OFFLINE_SCHEMA, filter.groups ?? [], filter.features ?? []],
    )) as [string, string, string, string | null, number][];
    const tables = new Map<string, { columns: Map<string, StoredFeature>; attributes: number }>();
    const features = new Map<string, StoredFeature>();
    for (const [table, column, pgType, comment, attributes] of rows) {
      let entry = tables.get(table);
      if (!entry) tables.set(table, (entry = { columns: new Map(), attributes: Number(attributes) }));
      if (!isFeatureColumn(column)) continue;
      const type = valueTypeOfPgColumn(pgType, comment);
      if (!type) continue;
      const stored = { group: table, ...type };
      entry.columns.set(column, stored);
      // Registry names are unique across groups; should two tables ever hold one name, the first
      // table (by name) is where it is read and written, always the same one.
      if (!features.has(column)) features.set(column, stored);
    }
    return new PgOfflineCatalog(tables, features);
  }

  /** The feature columns of a group's table (empty when the table does not exist). */
  columnsOf(group: string): ReadonlyMap<string, StoredFeature> {
    return this.tables.get(group)?.columns ?? new Map();
  }

  hasTable(group: string): boolean {
    return this.tables.has(group);
  }

  /** Columns the table has used so far, dropped ones included (PostgreSQL's 1600 counts them). */
  attributesOf(group: string): number {
    return this.tables.get(group)?.attributes ?? 0;
  }

  /** Where a feature's values are stored, or undefined when it has none. */
  find(feature: string): StoredFeature | undefined {
    return this.features.get(feature);
  }

  /** The requested features that have a column, grouped by table, keeping request positions. */
  byTable(features: readonly string[]): Map<string, TableMember[]> {
    const out = new Map<string, TableMember[]>();
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
