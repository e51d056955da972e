import type { Deprecation, Feature, FeatureGroup } from '@shared/domain/schemas.js';
import type { ValueType } from '@shared/domain/value-types.js';
import { AppError } from '../errors/app-error.js';
import { resolveFeatureName } from '../registry/feature-names.js';
import type { RegistryService } from '../registry/registry-service.js';

export interface ResolvedFeature {
  /** The name the client asked for (used as the output column). */
  requested: string;
  name: string;
  valueType: ValueType;
  /** Null while the feature has no group (defined but never ingested). */
  group: FeatureGroup | null;
  /** Set when the feature is deprecated (still served; clients are warned). */
  deprecation: Deprecation | null;
}

/** One warning per deprecated feature among those resolved, for response bodies and headers. */
export function deprecationWarnings(features: ResolvedFeature[]): string[] {
  return features
    .filter((f) => f.deprecation)
    .map((f) => `Feature '${f.name}' is deprecated: ${f.deprecation!.reason}${f.deprecation!.replaced_by ? `; use '${f.deprecation!.replaced_by}'` : ''}`);
}

/**
 * Resolves requested feature names within an entity by ADR 0003's rule (`resolveFeatureName`: the
 * exact name, else `<entity>_<name>`). Every unknown name is reported at once.
 */
export async function resolveFeatures(registry: RegistryService, entity: string, requested: string[]): Promise<ResolvedFeature[]> {
  const { entity: entityDoc, features, groups } = await registry.servingIndex(entity);
  if (!entityDoc || entityDoc.status === 'archived') {
    throw new AppError('FSTORE_ENTITY_NOT_FOUND', `Entity '${entity}' does not exist${entityDoc ? ' (archived)' : ''}`);
  }
  const duplicates = requested.filter((n, i) => requested.indexOf(n) !== i);
  if (duplicates.length > 0) {
    throw new AppError('FSTORE_VALIDATION_FAILED', `feature_list names ${[...new Set(duplicates)].map((d) => `'${d}'`).join(', ')} more than once`);
  }
  const missing: string[] = [];
  const resolved: ResolvedFeature[] = [];
  for (const name of requested) {
    const feature: Feature | undefined = resolveFeatureName(name, entity, (n) => features.get(n));
    if (!feature) {
      missing.push(name);
      continue;
    }
    const group = feature.feature_group === null ? null : (groups.get(feature.feature_group) ?? null);
    resolved.push({ requested: name, name: feature.name, valueType: feature.value_type, group, deprecation: feature.status === 'deprecated' ? (feature.deprecation ?? { reason: 'deprecated' }) : null });
  }
  if (missing.length > 0) {
    throw new AppError(
      'FSTORE_FEATURE_NOT_FOUND',
      `Entity '${entity}' has no feature named ${missing.map((m) => `'${m}'`).join(', ')} (also looked for the '${entity}_' prefixed names)`,
      { missing },
    );
  }
  return resolved;
}
