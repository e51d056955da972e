/**
 * A feature group as a table of states: one row per (entity key, event time) in its history, each
 * holding every feature's latest value at that time within the TTL (what online serving would have
 * returned then). Batch runs read it from the offline store and on-demand serving builds the same
 * row from online values with `groupStateRow`, so both feed a transform identical inputs.
 */
import type { Feature, FeatureGroup } from '@shared/domain/schemas.js';
import { AppError } from '../errors/app-error.js';
import type { RegistryService } from '../registry/registry-service.js';
import type { OfflineStore } from '../storage/offline-store.js';
import { isoOf } from '../util/time.js';
import { duckTypeOf } from '../storage/duckdb/duck-types.js';
import type { SessionColumn } from './transform-session.js';

export const GROUP_TIME_COLUMN = 'event_time';

export interface GroupShape {
  group: FeatureGroup;
  joinKey: string;
  features: Feature[];
}

export async function groupShape(registry: RegistryService, name: string): Promise<GroupShape> {
  const group = await registry.get('feature_group', name);
  const entity = await registry.get('entity', group.entity);
  const features = (await registry.list('feature')).filter((f) => f.feature_group === name);
  return { group, joinKey: entity.join_key, features };
}

/** The row a transform sees for one key: the join key, the newest event time, then each feature (null if absent). */
export function groupStateRow(shape: GroupShape, entityKey: string, eventTimeMs: number | null, values: readonly unknown[]): Record<string, unknown> {
  const row: Record<string, unknown> = { [shape.joinKey]: entityKey, [GROUP_TIME_COLUMN]: eventTimeMs === null ? null : isoOf(eventTimeMs) };
  shape.features.forEach((f, i) => (row[f.name] = values[i] ?? null));
  return row;
}

export function groupColumns(shape: GroupShape): SessionColumn[] {
  return [
    { name: shape.joinKey, duckType: 'VARCHAR' },
    { name: GROUP_TIME_COLUMN, duckType: 'TIMESTAMPTZ' },
    ...shape.features.map((f) => ({ name: f.name, duckType: duckTypeOf(f.value_type) })),
  ];
}

/** The group's states in key then time order, in chunks; at most `limit` rows when given. */
export async function* groupHistoryRows(shape: GroupShape, offline: OfflineStore, limit?: number): AsyncIterable<Record<string, unknown>[]> {
  if (shape.features.length === 0) return;
  const refs = shape.features.map((f) => ({ name: f.name, group: shape.group.name, ttlSeconds: shape.group.ttl_seconds }));
  const keys: string[] = [];
  const times: number[] = [];
  for await (const chunk of offline.range({ entity: shape.group.entity, features: refs, start: Number.MIN_SAFE_INTEGER, end: Number.MAX_SAFE_INTEGER })) {
    for (const row of chunk) {
      if (limit !== undefined && keys.length >= limit) break;
      keys.push(row[0]);
      times.push(row[1]);
    }
    if (limit !== undefined && keys.length >= limit) break;
  }
  if (keys.length === 0) return;
  let index = 0;
  for await (const chunk of offline.pointInTime({ entity: shape.group.entity, features: refs, entityKeys: keys, times })) {
    yield chunk.map((values) => {
      const i = index++;
      return groupStateRow(shape, keys[i]!, times[i]!, values.map((v) => (v === null ? null : (JSON.parse(v) as unknown))));
    });
  }
}

export function assertGroupOfEntity(shape: GroupShape, entity: string, source: string): void {
  if (shape.group.entity !== entity) {
    throw new AppError('FSTORE_VALIDATION_FAILED', `Source '${source}' reads group '${shape.group.name}' of entity '${shape.group.entity}', not '${entity}'`);
  }
}
