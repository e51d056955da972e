/**
 * ADR 0003's name rule (service/src/registry/feature-names.ts), the one function that serving,
 * training, monitoring, streams and batch ingestion resolve names with.
 */
import { describe, expect, it } from 'vitest';
import {
  entityPrefixed,
  matchFeatureName,
  newFeatureName,
  resolveFeatureName,
  withoutEntityPrefix,
  type FeatureLookup,
} from '../src/registry/feature-names.js';

interface F {
  name: string;
  entity: string;
  status: 'active' | 'deprecated' | 'archived';
  feature_group: string | null;
}

const f = (name: string, entity: string, status: F['status'] = 'active', feature_group: string | null = 'g'): F => ({ name, entity, status, feature_group });

const FEATURES: F[] = [
  f('usuario_idade', 'usuario'),
  // both the bare and the prefixed name are this entity's
  f('renda', 'usuario'),
  f('usuario_renda', 'usuario'),
  // generic names of another entity
  f('amount', 'conta'),
  f('score', 'conta'),
  f('usuario_score', 'usuario'),
  f('usuario_antigo', 'usuario', 'archived'),
  f('usuario_legado', 'usuario', 'deprecated'),
  f('usuario_outro_grupo', 'usuario', 'active', 'other'),
  f('usuario_sem_grupo', 'usuario', 'active', null),
  // `a` + `b_c` and `a_b` + `c` spell the same prefixed name
  f('a_b_c', 'a_b'),
  f('__proto__', 'usuario'),
];

const byName = new Map(FEATURES.map((x) => [x.name, x]));
/** Batch ingestion's view: every feature, archived ones too. */
const all: FeatureLookup<F> = (n) => byName.get(n);
/** Serving's and monitoring's view: archived features are not candidates. */
const active: FeatureLookup<F> = (n) => {
  const x = byName.get(n);
  return x?.status === 'archived' ? undefined : x;
};
/** What batch ingestion accepts as a prefixed target for group `g`. */
const ingestible = (x: F) => x.status !== 'archived' && (x.feature_group === null || x.feature_group === 'g');

describe('matchFeatureName (ADR 0003)', () => {
  it.each([
    // [case, entity, name, view, expected kind, expected feature (or owner)]
    ['exact match', 'usuario', 'usuario_idade', all, 'exact', 'usuario_idade'],
    ['prefixed match', 'usuario', 'idade', all, 'prefixed', 'usuario_idade'],
    ['both exist: the exact name wins', 'usuario', 'renda', all, 'exact', 'renda'],
    ['the prefixed name asked for directly', 'usuario', 'usuario_renda', all, 'exact', 'usuario_renda'],
    ["another entity's bare name, nothing prefixed", 'usuario', 'amount', all, 'other_entity', 'amount'],
    ["another entity's bare name loses to this entity's prefixed feature", 'usuario', 'score', all, 'prefixed', 'usuario_score'],
    ["another entity's feature asked for in its own entity", 'conta', 'score', all, 'exact', 'score'],
    ['unknown name', 'usuario', 'nope', all, 'none', undefined],
    ['unknown entity', 'loja', 'idade', all, 'none', undefined],
    ['archived, in a view with archived features', 'usuario', 'antigo', all, 'prefixed', 'usuario_antigo'],
    ['archived, in a view without them', 'usuario', 'antigo', active, 'none', undefined],
    ['archived, exact name in a view without them', 'usuario', 'usuario_antigo', active, 'none', undefined],
    ['deprecated features still resolve', 'usuario', 'legado', active, 'prefixed', 'usuario_legado'],
    ['deprecated, exact name', 'usuario', 'usuario_legado', active, 'exact', 'usuario_legado'],
    // hostile names
    ["a prefixed spelling that is another entity's feature ('a' + 'b_c' = 'a_b_c' of 'a_b')", 'a', 'b_c', all, 'none', undefined],
    ["the same spelling in the entity that owns it ('a_b' + 'c')", 'a_b', 'c', all, 'prefixed', 'a_b_c'],
    ['__proto__ as a feature name', 'usuario', '__proto__', all, 'exact', '__proto__'],
    ['constructor', 'usuario', 'constructor', all, 'none', undefined],
    ['toString', 'usuario', 'toString', all, 'none', undefined],
    ['empty name', 'usuario', '', all, 'none', undefined],
    ['empty entity', '', 'usuario_idade', all, 'other_entity', 'usuario_idade'],
    ['SQL in the name', 'usuario', "idade'; DROP TABLE x; --", all, 'none', undefined],
    ['NUL and non-ASCII in the name', 'usuario', 'ida\u0000de\u00e7', all, 'none', undefined],
    ['a name that only differs in case', 'usuario', 'IDADE', all, 'none', undefined],
  ] as const)('%s: %s / %s', (_case, entity, name, view, kind, feature) => {
    const match = matchFeatureName(name, entity, view);
    expect(match.kind).toBe(kind);
    const found = match.kind === 'other_entity' ? match.owner : match.kind === 'none' ? undefined : match.feature;
    expect(found?.name).toBe(feature);
    expect(resolveFeatureName(name, entity, view)?.name).toBe(kind === 'exact' || kind === 'prefixed' ? feature : undefined);
  });

  it.each([
    // batch ingestion into group 'g': a prefixed feature takes the column only when it could store it
    ['prefixed, same group', 'idade', 'prefixed', 'usuario_idade'],
    ['prefixed, archived', 'antigo', 'none', undefined],
    ['prefixed, another group', 'outro_grupo', 'none', undefined],
    ['prefixed, no group yet', 'sem_grupo', 'prefixed', 'usuario_sem_grupo'],
  ] as const)('acceptPrefixed: %s', (_case, name, kind, feature) => {
    const match = matchFeatureName(name, 'usuario', all, ingestible);
    expect(match.kind).toBe(kind);
    expect(match.kind === 'prefixed' ? match.feature.name : undefined).toBe(feature);
  });

  it('an exact name of this entity wins even when it could not take the values (the caller explains why)', () => {
    const archived = matchFeatureName('usuario_antigo', 'usuario', all, ingestible);
    expect(archived).toEqual({ kind: 'exact', feature: byName.get('usuario_antigo') });
  });

  it("tells the other entity's owner and whatever holds the prefixed name", () => {
    expect(matchFeatureName('amount', 'usuario', all)).toEqual({ kind: 'other_entity', owner: byName.get('amount'), prefixedName: 'usuario_amount', prefixed: undefined });
    // `score` is conta's; usuario_score exists but is refused by the predicate: reported, not taken
    expect(matchFeatureName('score', 'usuario', all, () => false)).toEqual({ kind: 'other_entity', owner: byName.get('score'), prefixedName: 'usuario_score', prefixed: byName.get('usuario_score') });
  });
});

describe('newFeatureName (the cross-entity collision rule)', () => {
  it.each([
    ['a free name keeps its name', 'usuario', 'novo', 'novo', undefined],
    ["this entity's own name keeps its name", 'usuario', 'renda', 'renda', undefined],
    ["another entity's name gets the prefix", 'usuario', 'amount', 'usuario_amount', 'conta'],
    ["another entity's name, prefixed feature already there", 'usuario', 'score', 'usuario_score', 'conta'],
    ['__proto__ of this entity', 'usuario', '__proto__', '__proto__', undefined],
    ['__proto__ of another entity', 'conta', '__proto__', 'conta___proto__', 'usuario'],
  ] as const)('%s: %s / %s', (_case, entity, column, name, owner) => {
    const result = newFeatureName(column, entity, all);
    expect(result.name).toBe(name);
    expect(result.owner?.entity).toBe(owner);
  });
});

describe('entityPrefixed and withoutEntityPrefix', () => {
  it.each([
    ['usuario', 'idade', 'usuario_idade'],
    ['a_b', 'c', 'a_b_c'],
    ['a', 'b_c', 'a_b_c'],
    ['', 'x', '_x'],
  ])('%s + %s = %s', (entity, name, prefixed) => {
    expect(entityPrefixed(entity, name)).toBe(prefixed);
  });

  it.each([
    ['usuario_idade', 'usuario', 'idade'],
    ['idade', 'usuario', 'idade'],
    ['usuario', 'usuario', 'usuario'],
    ['usuario_', 'usuario', ''],
    ['usuarios_idade', 'usuario', 'usuarios_idade'],
  ])('%s without the %s prefix is %s', (name, entity, bare) => {
    expect(withoutEntityPrefix(name, entity)).toBe(bare);
  });
});
