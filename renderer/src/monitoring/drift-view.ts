/** Choices the drift tab makes about a report: order of the rows, the open feature, empty windows. */
import type { FeatureDrift } from '@shared/api/monitoring.js';
import type { Feature } from '@shared/domain/schemas.js';

/** The value types drift measures: numeric (INT, FLOAT) and categorical (STRING, BOOL). */
const DRIFT_VALUE_TYPES: ReadonlySet<Feature['value_type']> = new Set(['INT', 'FLOAT', 'STRING', 'BOOL']);

/** Features drift can score: active, of a measured type, and written at least once (so in a group). */
export function driftableFeatures(features: readonly Feature[], group: string): Feature[] {
  return features
    .filter((f) => f.status === 'active' && DRIFT_VALUE_TYPES.has(f.value_type) && f.feature_group !== null && (group === '' || f.feature_group === group))
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** Drifted first, then by PSI (highest first), unscored last. */
export function sortDriftFeatures(features: readonly FeatureDrift[]): FeatureDrift[] {
  return [...features].sort(
    (a, b) => Number(b.drifted) - Number(a.drifted) || (b.psi ?? -1) - (a.psi ?? -1) || a.feature.localeCompare(b.feature),
  );
}

/** The feature whose charts are open: the one in the URL if it is in the report, else the most drifted. */
export function pickSelectedFeature(sorted: readonly FeatureDrift[], requested: string): FeatureDrift | undefined {
  return sorted.find((f) => f.feature === requested) ?? sorted[0];
}

/** Which windows hold no value of any of the features: then no score can be computed at all. */
export function emptyWindows(features: readonly FeatureDrift[]): { baseline: boolean; current: boolean } {
  if (features.length === 0) return { baseline: false, current: false };
  return {
    baseline: features.every((f) => f.baseline_count === 0),
    current: features.every((f) => f.current_count === 0),
  };
}
