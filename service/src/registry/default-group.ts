import { explainInvalidName, NAME_MAX_LENGTH } from '@shared/domain/names.js';
import type { Feature, FeatureGroup } from '@shared/domain/schemas.js';
import { AppError } from '../errors/app-error.js';
import type { RegistryService } from './registry-service.js';

/**
 * Where values land for a feature registered without a group (the seed registers `usuario_idade`
 * with no group, then streams its values): one group per entity, created on demand with the same
 * defaults as a group created by a batch (online, no TTL), editable later through the group API.
 */
const SUFFIX = '_default';

/** `<entity>_default`; a long entity name is cut so the group name stays within the name limit. */
export function defaultGroupName(entity: string): string {
  return `${entity.slice(0, NAME_MAX_LENGTH - SUFFIX.length)}${SUFFIX}`;
}

/**
 * Why `group` cannot take a group-less feature of `entity`, or undefined when it can (read only:
 * what a request checks before it writes anything). A missing group can: it is created on demand.
 */
export async function explainCannotPlace(registry: RegistryService, entity: string, group: string): Promise<string | undefined> {
  const invalid = explainInvalidName('feature_group', group);
  if (invalid) return invalid;
  const entityDoc = await registry.find('entity', entity);
  if (entityDoc?.status === 'archived') return `entity '${entity}' is archived`;
  const existing = await registry.find('feature_group', group);
  if (existing?.status === 'archived') return `feature group '${group}' is archived; restore it or assign the feature a group (PUT /api/features/{name})`;
  if (existing && existing.entity !== entity) {
    return `feature group '${group}' belongs to entity '${existing.entity}', not '${entity}'; assign the feature a group (PUT /api/features/{name})`;
  }
  try {
    await registry.assertGroupHasRoom(group, 1);
  } catch (err) {
    if (err instanceof AppError) return err.message;
    throw err;
  }
  return undefined;
}

/**
 * Puts a group-less feature into `group` (its entity's default group unless told otherwise),
 * creating the group when missing, and returns the group the feature is in afterwards. When
 * another request assigned the feature meanwhile, that assignment stands.
 */
export async function placeFeature(registry: RegistryService, feature: Feature, actor: string, group = defaultGroupName(feature.entity)): Promise<FeatureGroup> {
  const target = await ensureGroup(registry, feature.entity, group, actor);
  for (let attempt = 0; ; attempt++) {
    const current = await registry.get('feature', feature.name);
    if (current.feature_group !== null) return registry.get('feature_group', current.feature_group);
    try {
      await registry.updateFeature(feature.name, { feature_group: target.name }, actor, current.version);
      return target;
    } catch (err) {
      // Changed by another request between the read and the write: read it again.
      if (!(err instanceof AppError && err.code === 'FSTORE_VERSION_CONFLICT') || attempt >= 2) throw err;
    }
  }
}

async function ensureGroup(registry: RegistryService, entity: string, name: string, actor: string): Promise<FeatureGroup> {
  const existing = await registry.find('feature_group', name);
  if (existing) return existing;
  try {
    await registry.createFeatureGroup(
      {
        name,
        entity,
        description: `Default group of entity '${entity}': holds the features registered without a group once values arrive for them`,
        online: true,
        ttl_seconds: null,
      },
      actor,
    );
  } catch (err) {
    // Another request created it meanwhile: use theirs.
    if (!(err instanceof AppError && err.code === 'FSTORE_ALREADY_EXISTS')) throw err;
  }
  return registry.get('feature_group', name);
}
