import { describe, expect, it } from 'vitest';
import { lintNames } from './naming-lint.js';

describe('naming lint', () => {
  it('accepts a well-named, documented, tagged feature', () => {
    expect(lintNames({ kind: 'feature', name: 'usuario_idade', entity: 'usuario', description: 'Idade em anos', tags: ['demografia'] })).toEqual([]);
  });

  it('hints at the entity prefix, a missing description and tags', () => {
    const rules = lintNames({ kind: 'feature', name: 'idade', entity: 'usuario' }).map((h) => h.rule);
    expect(rules).toEqual(['entity_prefix', 'description', 'tags']);
  });

  it('flags names that do not say what the value means', () => {
    expect(lintNames({ kind: 'feature', name: 'usuario_f1', entity: 'usuario', description: 'd', tags: ['t'] }).map((h) => h.rule)).toEqual(['descriptive_name']);
    expect(lintNames({ kind: 'feature', name: 'usuario_value_2', entity: 'usuario', description: 'd', tags: ['t'] }).map((h) => h.rule)).toEqual(['descriptive_name']);
    expect(lintNames({ kind: 'feature_group', name: 'ab', description: 'd' }).map((h) => h.rule)).toEqual(['descriptive_name']);
    expect(lintNames({ kind: 'feature', name: 'usuario_valor_medio', entity: 'usuario', description: 'd', tags: ['t'] })).toEqual([]);
  });
});
