/** The features offered for a training set: those of the entity, grouped by the feature group that stores them. */
import type { Feature } from '@shared/domain/schemas.js';

export interface FeatureOption {
  name: string;
  group: string;
  isDeprecated: boolean;
}

export const NO_GROUP_LABEL = 'No feature group (no values yet)';

/** Sorted by group, then name; features without a group last (they have no history to join). */
export function featureOptions(features: readonly Pick<Feature, 'name' | 'feature_group' | 'status'>[]): FeatureOption[] {
  return features
    .filter((f) => f.status !== 'archived')
    .map((f) => ({ name: f.name, group: f.feature_group ?? NO_GROUP_LABEL, isDeprecated: f.status === 'deprecated' }))
    .sort((a, b) => {
      const aLast = a.group === NO_GROUP_LABEL;
      const bLast = b.group === NO_GROUP_LABEL;
      if (aLast !== bLast) return aLast ? 1 : -1;
      return a.group.localeCompare(b.group) || a.name.localeCompare(b.name);
    });
}
