import { describe, expect, it } from 'vitest';
import { featureOptions, NO_GROUP_LABEL } from './feature-options.js';

describe('featureOptions', () => {
  it('groups by feature group, ungrouped last, and leaves archived features out', () => {
    const options = featureOptions([
      { name: 'conta_status', feature_group: 'saldo', status: 'active' },
      { name: 'conta_limite', feature_group: null, status: 'active' },
      { name: 'conta_idade', feature_group: 'cadastro', status: 'deprecated' },
      { name: 'conta_saldo', feature_group: 'saldo', status: 'active' },
      { name: 'conta_antiga', feature_group: 'saldo', status: 'archived' },
    ]);
    expect(options).toEqual([
      { name: 'conta_idade', group: 'cadastro', isDeprecated: true },
      { name: 'conta_saldo', group: 'saldo', isDeprecated: false },
      { name: 'conta_status', group: 'saldo', isDeprecated: false },
      { name: 'conta_limite', group: NO_GROUP_LABEL, isDeprecated: false },
    ]);
  });
});
