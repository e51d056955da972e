import { lintNames, type LintHint } from '@shared/domain/naming-lint.js';
import type { Feature } from '@shared/domain/schemas.js';
import { localizeFeatureHints } from './feature-rules.js';

/** The form field a hint is about, to show it under that field. */
export type HintField = 'name' | 'description' | 'tags';

const FIELD_OF_RULE: Record<LintHint['rule'], HintField> = {
  entity_prefix: 'name',
  descriptive_name: 'name',
  description: 'description',
  tags: 'tags',
};

export function hintsForField(hints: readonly LintHint[], field: HintField): LintHint[] {
  return hints.filter((h) => FIELD_OF_RULE[h.rule] === field);
}

/** The hints `fstore plan` would give a stored feature. */
export function featureNamingHints(feature: Pick<Feature, 'name' | 'entity' | 'description' | 'tags'>): LintHint[] {
  const hints = lintNames({ kind: 'feature', name: feature.name, entity: feature.entity, description: feature.description, tags: feature.tags });
  return localizeFeatureHints(hints, feature.name, feature.entity);
}
