/**
 * ADR 0003's name rule, in one place: within an entity a name means the feature of that name, else
 * `<entity>_<name>` (the seed asks for `idade` where the feature is `usuario_idade`). Serving,
 * training, monitoring, streams and batch ingestion all resolve names with `matchFeatureName`; the
 * related collision rule (a new column whose bare name is another entity's feature becomes
 * `<entity>_<column>`) is `newFeatureName`.
 *
 * Pure: callers say which features are candidates through `lookup` (this entity's or all, with or
 * without archived ones), as each did before the rule moved here.
 */

/** What the rule needs of a feature. */
export interface NamedFeature {
  name: string;
  entity: string;
}

/** The feature of this exact name among the caller's candidates, if any. */
export type FeatureLookup<F extends NamedFeature> = (name: string) => F | undefined;

/** What a name means within an entity. */
export type FeatureNameMatch<F extends NamedFeature> =
  /** The name is a feature of this entity: it wins over the prefixed name. */
  | { kind: 'exact'; feature: F }
  /** `<entity>_<name>` is a feature of this entity (and the bare name is not). */
  | { kind: 'prefixed'; feature: F }
  /**
   * Nothing of this entity matches, and the bare name is another entity's feature (`owner`).
   * `prefixed` is whatever feature has the prefixed name, of any entity, or undefined.
   */
  | { kind: 'other_entity'; owner: F; prefixedName: string; prefixed: F | undefined }
  /** Nothing of this entity matches and no feature has the bare name. */
  | { kind: 'none'; prefixedName: string };

/** `<entity>_<name>`: the spelling of the entity prefix. */
export function entityPrefixed(entity: string, name: string): string {
  return `${entity}_${name}`;
}

/**
 * Resolves `name` within `entity`: the exact name when it is this entity's feature, else
 * `<entity>_<name>` when that is this entity's feature and `acceptPrefixed` takes it (batch
 * ingestion takes a prefixed feature only when it could store the column's values).
 */
export function matchFeatureName<F extends NamedFeature>(
  name: string,
  entity: string,
  lookup: FeatureLookup<F>,
  acceptPrefixed: (feature: F) => boolean = () => true,
): FeatureNameMatch<F> {
  const exact = lookup(name);
  if (exact !== undefined && exact.entity === entity) return { kind: 'exact', feature: exact };
  const prefixedName = entityPrefixed(entity, name);
  const prefixed = lookup(prefixedName);
  if (prefixed !== undefined && prefixed.entity === entity && acceptPrefixed(prefixed)) return { kind: 'prefixed', feature: prefixed };
  if (exact !== undefined) return { kind: 'other_entity', owner: exact, prefixedName, prefixed };
  return { kind: 'none', prefixedName };
}

/** The feature of this entity a name means (exact, else prefixed), or undefined. */
export function resolveFeatureName<F extends NamedFeature>(name: string, entity: string, lookup: FeatureLookup<F>): F | undefined {
  const match = matchFeatureName(name, entity, lookup);
  return match.kind === 'exact' || match.kind === 'prefixed' ? match.feature : undefined;
}

/**
 * The name a new feature made from `column` gets in `entity`: the column's own name, or
 * `<entity>_<column>` when the bare name is already another entity's feature (`owner`): generic
 * names such as `amount` collide across teams.
 */
export function newFeatureName<F extends NamedFeature>(column: string, entity: string, lookup: FeatureLookup<F>): { name: string; owner?: F } {
  const bare = lookup(column);
  if (bare === undefined || bare.entity === entity) return { name: column };
  return { name: entityPrefixed(entity, column), owner: bare };
}

/** The inverse of the prefix: `usuario_idade` in `usuario` is the column `idade`; other names are kept. */
export function withoutEntityPrefix(name: string, entity: string): string {
  const prefix = entityPrefixed(entity, '');
  return name.startsWith(prefix) ? name.slice(prefix.length) : name;
}
