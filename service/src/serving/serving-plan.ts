import type { FeatureGroup } from '@shared/domain/schemas.js';
import { AppError } from '../errors/app-error.js';
import type { OnlineReadGroup } from '../storage/online-store.js';
import { deprecationWarnings, type ResolvedFeature } from './feature-resolver.js';

/**
 * What one (entity, feature list) needs on every request, derived once per registry generation:
 * the store reads grouped by feature group, where each feature's value lands in them, and the
 * constant JSON fragments of the answer. Encoders other than JSON keep their own constants per
 * plan (a WeakMap keyed by the plan), so a new generation drops them with it.
 */
export interface ServingPlan {
  entity: string;
  features: ResolvedFeature[];
  reads: OnlineReadGroup[];
  /** Per feature: [read index, feature index in that read], or undefined (no group yet). */
  slots: (readonly [number, number] | undefined)[];
  /** Groups that may be computed on demand (they name a transform), checked per request. */
  transformGroups: FeatureGroup[];
  warnings: string[];
  /** `{"warnings":…,"entity":…,"features":[…],"value_types":{…},"results":[` */
  head: string;
  /** Per feature: `"<requested>":` (with a leading comma after the first). */
  keyPrefixes: string[];
}

export function buildPlan(entity: string, features: ResolvedFeature[]): ServingPlan {
  const offlineOnly = features.filter((f) => f.group && !f.group.online);
  if (offlineOnly.length > 0) {
    throw new AppError(
      'FSTORE_VALIDATION_FAILED',
      `Not served online (their group has online: false): ${offlineOnly.map((f) => `'${f.name}' (group '${f.group!.name}')`).join(', ')}`,
    );
  }
  // One read per group, all groups in one store round trip.
  const reads: OnlineReadGroup[] = [];
  const readOf = new Map<string, number>();
  const transformGroups = new Map<string, FeatureGroup>();
  const slots = features.map((f) => {
    if (!f.group) return undefined;
    if (f.group.transform) transformGroups.set(f.group.name, f.group);
    let r = readOf.get(f.group.name);
    if (r === undefined) readOf.set(f.group.name, (r = reads.push({ group: f.group.name, features: [] }) - 1));
    return [r, reads[r]!.features.push(f.name) - 1] as const;
  });
  const warnings = deprecationWarnings(features);
  const valueTypes = features.map((f) => `${JSON.stringify(f.requested)}:${JSON.stringify(f.valueType)}`).join(',');
  const head =
    `{${warnings.length > 0 ? `"warnings":${JSON.stringify(warnings)},` : ''}"entity":${JSON.stringify(entity)},` +
    `"features":${JSON.stringify(features.map((f) => f.name))},"value_types":{${valueTypes}},"results":[`;
  return {
    entity,
    features,
    reads,
    slots,
    transformGroups: [...transformGroups.values()],
    warnings,
    head,
    keyPrefixes: features.map((f, i) => `${i === 0 ? '' : ','}${JSON.stringify(f.requested)}:`),
  };
}
