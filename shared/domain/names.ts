/**
 * Naming rules for registry objects. The seed's best practice is snake_case names prefixed with
 * the entity (`usuario_idade`); the first is enforced, the second only recommended.
 */
export const NAME_PATTERN = /^[a-z][a-z0-9_]*$/;
export const NAME_MAX_LENGTH = 63;

export type RegistryKind = 'entity' | 'feature_group' | 'feature' | 'data_source' | 'transform' | 'feature_service';

const KIND_LABEL: Record<RegistryKind, string> = {
  entity: 'Entity',
  feature_group: 'Feature group',
  feature: 'Feature',
  data_source: 'Data source',
  transform: 'Transform',
  feature_service: 'Feature service',
};

/** Returns why `name` is not a valid registry name, or undefined when it is valid. */
export function explainInvalidName(kind: RegistryKind, name: string): string | undefined {
  const label = KIND_LABEL[kind];
  if (name.length === 0) return `${label} name must not be empty`;
  if (name.length > NAME_MAX_LENGTH) {
    return `${label} name '${name}' is ${name.length} characters long; the limit is ${NAME_MAX_LENGTH}`;
  }
  if (!NAME_PATTERN.test(name)) {
    const suggestion = toSnakeCase(name);
    const hint = suggestion && NAME_PATTERN.test(suggestion) ? ` (for example '${suggestion}')` : '';
    return (
      `${label} name '${name}' is not snake_case: use lowercase letters, digits and underscores, ` +
      `starting with a letter${hint}. Names become column names in training sets and SQL, so they must be portable`
    );
  }
  return undefined;
}

/** Recommends the entity prefix without enforcing it; returns the warning text or undefined. */
export function entityPrefixWarning(featureName: string, entity: string): string | undefined {
  if (featureName.startsWith(`${entity}_`)) return undefined;
  return `Feature '${featureName}' does not start with its entity name; '${entity}_${featureName}' is recommended so names stay unique and self-describing across entities`;
}

export function toSnakeCase(raw: string): string {
  return raw
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/[^A-Za-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .toLowerCase();
}
