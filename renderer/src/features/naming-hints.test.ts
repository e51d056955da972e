import { describe, expect, it } from 'vitest';
import { featureNamingHints, hintsForField } from './naming-hints.js';

describe('naming hints of a feature', () => {
  const vague = { name: 'x', entity: 'usuario', description: '', tags: [] };

  it('are the lint hints of the stored feature', () => {
    expect(featureNamingHints(vague).map((h) => h.rule)).toEqual(['entity_prefix', 'description', 'tags', 'descriptive_name']);
    expect(featureNamingHints({ name: 'usuario_idade', entity: 'usuario', description: 'Idade do usuário', tags: ['demografia'] })).toEqual([]);
  });

  it('go under the field they are about', () => {
    const hints = featureNamingHints(vague);
    expect(hintsForField(hints, 'name').map((h) => h.rule)).toEqual(['entity_prefix', 'descriptive_name']);
    expect(hintsForField(hints, 'description').map((h) => h.rule)).toEqual(['description']);
    expect(hintsForField(hints, 'tags').map((h) => h.rule)).toEqual(['tags']);
  });
});
