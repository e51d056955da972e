/**
 * A feature service being built from features picked on the Features page: the references the
 * service is created with (`group:feature`, or the name of a feature not yet in a group) and what
 * keeps it from being created, checked as the user picks (the service checks again).
 */
import type { Feature } from '@shared/domain/schemas.js';
import { explainName } from '../common/name-rules.js';
import { i18n } from '../i18n/i18n.js';

export interface ServiceDraft {
  references: string[];
  /** The one entity of the picked features, or undefined when none or several. */
  entity: string | undefined;
  /** Why the picked features cannot make one service, or undefined. */
  problem: string | undefined;
}

export function draftFromFeatures(features: readonly Pick<Feature, 'name' | 'entity' | 'feature_group'>[]): ServiceDraft {
  const entities = [...new Set(features.map((f) => f.entity))];
  const references = features.map((f) => (f.feature_group ? `${f.feature_group}:${f.name}` : f.name));
  if (features.length === 0) return { references, entity: undefined, problem: i18n.t('registry:createService.selectFeatures') };
  if (entities.length > 1) {
    return { references, entity: undefined, problem: i18n.t('registry:createService.oneEntity', { entities: entities.map((e) => `'${e}'`).join(i18n.t('registry:createService.and')) }),
    };
  }
  return { references, entity: entities[0], problem: undefined };
}

/** Why `name` cannot name a feature service, or undefined. */
export function explainServiceName(name: string): string | undefined {
  return name.trim() === '' ? i18n.t('registry:createService.nameRequired') : explainName('feature_service', name);
}
