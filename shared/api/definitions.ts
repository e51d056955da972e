/**
 * Definitions as code: the registry's authored objects as plain data (a bundle), and the plan that
 * applying a bundle would carry out. The CLI stores a bundle as a folder of YAML files.
 */
import { Type, type Static } from 'typebox';
import { FieldChange } from '../domain/schemas.js';
import { LineageRef } from './transforms.js';

const Objects = Type.Array(Type.Record(Type.String(), Type.Unknown()), { maxItems: 100_000 });

/** In the order applying creates them (a feature service names features, so it comes last). */
export const DEFINITION_KINDS = ['entity', 'feature_group', 'feature', 'data_source', 'transform', 'feature_service'] as const;
export type DefinitionKind = (typeof DEFINITION_KINDS)[number];

/**
 * Authored objects by kind, each its definition fields only (no versions, timestamps or derived
 * fields). Groups and features that a transform computes are not listed: the transform is.
 */
export const DefinitionBundle = Type.Object(
  {
    entities: Type.Optional(Objects),
    feature_groups: Type.Optional(Objects),
    features: Type.Optional(Objects),
    data_sources: Type.Optional(Objects),
    transforms: Type.Optional(Objects),
    feature_services: Type.Optional(Objects),
  },
  { additionalProperties: false },
);
export type DefinitionBundle = Static<typeof DefinitionBundle>;

export const DefinitionRequest = Type.Object(
  {
    bundle: DefinitionBundle,
    prune: Type.Optional(Type.Boolean({ description: 'Archive registry objects the bundle does not list (default false: they are kept and reported)' })),
  },
  { additionalProperties: false },
);
export type DefinitionRequest = Static<typeof DefinitionRequest>;

export const PlannedChange = Type.Object({
  kind: Type.Unsafe<DefinitionKind>({ type: 'string', enum: [...DEFINITION_KINDS] }),
  name: Type.String(),
  action: Type.Unsafe<'create' | 'update' | 'archive' | 'restore' | 'unchanged' | 'not_listed'>({
    type: 'string',
    enum: ['create', 'update', 'archive', 'restore', 'unchanged', 'not_listed'],
    description: 'not_listed: in the registry, not in the bundle, kept (apply with prune to archive it)',
  }),
  version_before: Type.Union([Type.Integer(), Type.Null()]),
  changes: Type.Array(FieldChange),
  breaking: Type.Boolean({ description: 'A change consumers may notice: a value type, join key or entity change, or a removal' }),
  reasons: Type.Array(Type.String({ description: 'Why the change is breaking' })),
  dependents: Type.Array(LineageRef, { description: 'Everything downstream of the object' }),
  recompute: Type.Array(Type.String({ description: 'Transforms to run again for the change to reach the stores' })),
  feature_services: Type.Array(Type.String(), { description: 'Feature services that serve the object or something downstream of it: the models the change reaches' }),
});
export type PlannedChange = Static<typeof PlannedChange>;

export const LintWarning = Type.Object({ kind: Type.String(), name: Type.String(), rule: Type.String(), message: Type.String() });
export type LintWarning = Static<typeof LintWarning>;

export const DefinitionPlan = Type.Object({
  changes: Type.Array(PlannedChange),
  summary: Type.Record(Type.String(), Type.Integer(), { description: 'Count of changes per action' }),
  breaking: Type.Boolean(),
  warnings: Type.Array(LintWarning, { description: 'Naming and documentation hints (not errors)' }),
});
export type DefinitionPlan = Static<typeof DefinitionPlan>;

export const ApplyResult = Type.Object({
  plan: DefinitionPlan,
  applied: Type.Array(Type.Object({ kind: Type.String(), name: Type.String(), action: Type.String(), version: Type.Union([Type.Integer(), Type.Null()]) })),
});
export type ApplyResult = Static<typeof ApplyResult>;
