/**
 * The offline layout both offline stores share (ADR 0008): one table per feature group in the
 * `fstore_offline` schema, one row per (entity key, event time) holding the group's *state* at that
 * time — every feature's newest value at or before it — and, per feature, the event time the value
 * was written at when it was carried from an earlier row (NULL when written in this very row).
 * Names here are the only identifiers that reach SQL, always validated and quoted.
 */
import { createHash } from 'node:crypto';
import { NAME_MAX_LENGTH, NAME_PATTERN } from '@shared/domain/names.js';
import type { ValueType } from '@shared/domain/value-types.js';

export const OFFLINE_SCHEMA = 'fstore_offline';
/** One view per group: the key, the event time and the features by their registry names (no bookkeeping). */
export const VIEW_SCHEMA = 'fstore_features';
/** Columns every group table has, before its features. */
export const KEY_COLUMN = 'entity_key';
export const TIME_COLUMN = 'event_time';
export const INGESTED_COLUMN = 'ingested_at';
/** Bookkeeping columns start with `_`, which no registry name can. */
const CARRIED_PREFIX = '_time_';
/** PostgreSQL truncates identifiers past 63 bytes; longer bookkeeping names are shortened with a hash. */
const MAX_IDENTIFIER = 63;

/** Refuses anything that is not a registry name (snake_case, at most 63 characters). */
export function assertRegistryName(kind: string, name: string): string {
  if (name.length === 0 || name.length > NAME_MAX_LENGTH || !NAME_PATTERN.test(name)) {
    throw new Error(`${kind} name ${JSON.stringify(name)} cannot be a table or column of the offline store`);
  }
  return name;
}

/** A double-quoted identifier; only registry names and the layout's own names are ever passed. */
export function ident(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** `"fstore_offline"."<group>"`, for a validated group name. */
export function groupTable(group: string): string {
  return `${ident(OFFLINE_SCHEMA)}.${ident(assertRegistryName('feature group', group))}`;
}

/** `"fstore_features"."<group>"`, the group's view. */
export function groupView(group: string): string {
  return `${ident(VIEW_SCHEMA)}.${ident(assertRegistryName('feature group', group))}`;
}

/** The SELECT of a group's view: what a user querying the offline store by hand wants to see. */
export function groupViewSelect(group: string, features: readonly string[]): string {
  const columns = [KEY_COLUMN, TIME_COLUMN, ...features].map(ident).join(', ');
  return `SELECT ${columns} FROM ${groupTable(group)}`;
}

/** The bookkeeping column holding the event time a carried value was written at. */
export function carriedTimeColumn(feature: string): string {
  const name = `${CARRIED_PREFIX}${assertRegistryName('feature', feature)}`;
  if (name.length <= MAX_IDENTIFIER) return name;
  const hash = createHash('sha256').update(feature).digest('hex').slice(0, 8);
  return `${name.slice(0, MAX_IDENTIFIER - hash.length - 1)}_${hash}`;
}

/** Whether a column of a group table is a feature (not the key, time, ingestion time or bookkeeping). */
export function isFeatureColumn(column: string): boolean {
  return column !== KEY_COLUMN && column !== TIME_COLUMN && column !== INGESTED_COLUMN && !column.startsWith('_');
}

/** The DuckDB column type per value type (service/src/storage/duckdb/duck-types.ts). */
export { duckTypeOf as duckColumnType } from './duckdb/duck-types.js';

/** PostgreSQL column type per value type: native scalars, lists as JSONB. */
export function pgColumnType(valueType: ValueType): string {
  switch (valueType) {
    case 'INT':
      return 'bigint';
    case 'FLOAT':
      return 'double precision';
    case 'STRING':
      return 'text';
    case 'BOOL':
      return 'boolean';
    case 'DATE':
      return 'date';
    case 'TIMESTAMP':
      return 'timestamp with time zone';
    case 'INT_LIST':
    case 'FLOAT_LIST':
    case 'STRING_LIST':
    case 'BOOL_LIST':
      return 'jsonb';
  }
}

export function isNumericValueType(valueType: ValueType): boolean {
  return valueType === 'INT' || valueType === 'FLOAT';
}
