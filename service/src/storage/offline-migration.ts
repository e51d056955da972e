/**
 * The upgrade of an offline store written before ADR 0008 (the long layout), run on start and by
 * `fstore migrate`: every feature the registry knows keeps its value type and group.
 */
import type { Feature } from '@shared/domain/schemas.js';
import type { LegacyFeatureTypes, MigrationReport, OfflineStore } from './offline-store.js';

export function legacyFeatureTypes(features: readonly Feature[]): LegacyFeatureTypes {
  return new Map(features.map((f) => [f.name, { valueType: f.value_type, group: f.feature_group }]));
}

/** Migrates when needed; null when the store is already in the typed layout. */
export async function migrateOfflineStore(
  offline: OfflineStore,
  features: () => Promise<Feature[]>,
  onProgress?: (message: string) => void,
): Promise<MigrationReport | null> {
  if (!offline.needsMigration) return null;
  return offline.migrate(legacyFeatureTypes(await features()), onProgress);
}
