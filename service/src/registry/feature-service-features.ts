/**
 * What a feature service's references mean: each `group:feature` or feature name becomes one
 * registered feature, all of one entity (online and training requests serve one entity). Names
 * follow ADR 0003 within that entity (`idade` finds `usuario_idade`). Every problem is reported at
 * once, and nothing is stored unless all references resolve.
 */
import type { Feature, FeatureGroup } from '@shared/domain/schemas.js';
import { AppError } from '../errors/app-error.js';
import { resolveFeatureName } from './feature-names.js';

export interface ServiceFeatures {
  entity: string;
  /** Registered names, in reference order. */
  features: string[];
  /** Deprecated features among them (still served; the answer warns). */
  warnings: string[];
}

interface Reference {
  text: string;
  group: string | undefined;
  name: string;
}

/** `features` and `groups`: the active ones of the registry. */
export function resolveServiceFeatures(references: readonly string[], features: readonly Feature[], groups: readonly FeatureGroup[]): ServiceFeatures {
  const byName = new Map(features.map((f) => [f.name, f]));
  const groupByName = new Map(groups.map((g) => [g.name, g]));
  const refs = references.map(parseReference);
  const malformed = refs.filter((r) => r.name === '' || r.group === '').map((r) => r.text);
  if (malformed.length > 0) {
    throw invalid(`features: ${quoted(malformed)} ${malformed.length === 1 ? 'is' : 'are'} not "group:feature" or a feature name`);
  }
  const unknownGroups = refs.filter((r) => r.group !== undefined && !groupByName.has(r.group)).map((r) => r.group!);
  if (unknownGroups.length > 0) {
    throw new AppError('FSTORE_FEATURE_GROUP_NOT_FOUND', `features: no active feature group named ${quoted([...new Set(unknownGroups)])}`, {
      missing_groups: [...new Set(unknownGroups)],
    });
  }
  const entity = entityOf(refs, byName, groupByName);
  const missing: string[] = [];
  const resolved: Feature[] = [];
  for (const ref of refs) {
    const lookup = ref.group === undefined ? (n: string) => byName.get(n) : (n: string) => inGroup(byName.get(n), ref.group!);
    const feature = entity === undefined ? undefined : resolveFeatureName(ref.name, entity, lookup);
    if (feature) resolved.push(feature);
    else missing.push(ref.text);
  }
  if (missing.length > 0) {
    throw new AppError(
      'FSTORE_FEATURE_NOT_FOUND',
      `features: no active feature ${quoted(missing)}${entity ? ` in entity '${entity}' (also looked for the '${entity}_' prefixed names)` : ''}`,
      { missing },
    );
  }
  const names = resolved.map((f) => f.name);
  const repeated = [...new Set(names.filter((n, i) => names.indexOf(n) !== i))];
  if (repeated.length > 0) throw invalid(`features: ${quoted(repeated)} ${repeated.length === 1 ? 'is' : 'are'} listed more than once`);
  return {
    entity: entity!,
    features: names,
    warnings: resolved.filter((f) => f.status === 'deprecated').map((f) => `Feature '${f.name}' is deprecated${f.deprecation?.replaced_by ? `; use '${f.deprecation.replaced_by}'` : ''}`),
  };
}

function parseReference(text: string): Reference {
  const colon = text.indexOf(':');
  if (colon < 0) return { text, group: undefined, name: text.trim() };
  return { text, group: text.slice(0, colon).trim(), name: text.slice(colon + 1).trim() };
}

function inGroup(feature: Feature | undefined, group: string): Feature | undefined {
  return feature?.feature_group === group ? feature : undefined;
}

/**
 * The one entity the references describe: their groups' entities and the entities of the features
 * named exactly. Two entities are refused: a request serves the keys of one.
 */
function entityOf(refs: Reference[], byName: Map<string, Feature>, groups: Map<string, FeatureGroup>): string | undefined {
  const owners = new Map<string, string[]>();
  for (const ref of refs) {
    const entity = ref.group !== undefined ? groups.get(ref.group)!.entity : byName.get(ref.name)?.entity;
    if (entity !== undefined) owners.set(entity, [...(owners.get(entity) ?? []), ref.text]);
  }
  if (owners.size > 1) {
    const parts = [...owners].map(([entity, texts]) => `${quoted(texts)} of entity '${entity}'`);
    throw invalid(`features: a feature service serves one entity, but it names ${parts.join(' and ')}`);
  }
  return owners.keys().next().value;
}

function invalid(message: string): AppError {
  return new AppError('FSTORE_VALIDATION_FAILED', message, [{ path: '/features', message }]);
}

function quoted(items: readonly string[]): string {
  return items.map((i) => `'${i}'`).join(', ');
}
