import { describe, expect, it } from 'vitest';
import { completeFeatureInput, draftNamingHints, EMPTY_DRAFT, suggestName, validateDraft, type FeatureDraft } from './feature-draft.js';

const seed: FeatureDraft = {
  ...EMPTY_DRAFT,
  name: 'usuario_idade',
  description: 'Idade do usuário',
  featureType: 'NUMERIC',
  valueType: 'INT',
  entity: 'usuario',
  tags: ['demografia', 'basico'],
};

describe('validateDraft', () => {
  it("accepts the seed's feature", () => {
    expect(validateDraft(seed)).toEqual({});
  });

  it('rejects a name that is not snake_case, with a suggestion', () => {
    const errors = validateDraft({ ...seed, name: 'Usuario Idade' });
    expect(errors.name).toContain('is not snake_case');
    expect(errors.name).toContain("'usuario_idade'");
    expect(suggestName('Usuario Idade')).toBe('usuario_idade');
    expect(suggestName('usuario_idade')).toBeUndefined();
  });

  it('rejects a feature type that does not fit the value type', () => {
    expect(validateDraft({ ...seed, valueType: 'STRING' }).featureType).toBe(
      'feature_type NUMERIC needs value_type INT or FLOAT, not STRING',
    );
  });

  it('knows names that are taken and groups that do not exist, once loaded', () => {
    const errors = validateDraft(
      { ...seed, featureGroup: 'demografia' },
      { existingFeatures: new Set(['usuario_idade']), entityGroups: ['perfil'] },
    );
    expect(errors.name).toContain('already exists');
    expect(errors.featureGroup).toContain("'demografia' does not exist");
  });

  it('requires the value type, feature type and entity', () => {
    expect(Object.keys(validateDraft({ ...EMPTY_DRAFT, name: 'x' })).sort()).toEqual(['entity', 'featureType', 'valueType']);
  });
});

describe('the request built from a draft', () => {
  it("is the seed's POST body", () => {
    expect(completeFeatureInput(seed)).toEqual({
      name: 'usuario_idade',
      description: 'Idade do usuário',
      feature_type: 'NUMERIC',
      value_type: 'INT',
      entity: 'usuario',
      tags: ['demografia', 'basico'],
    });
  });

  it('waits for a value type', () => {
    expect(completeFeatureInput({ ...seed, valueType: '' })).toBeUndefined();
  });
});

describe('draftNamingHints', () => {
  const rules = (draft: FeatureDraft) => draftNamingHints(draft).map((h) => h.rule);

  it('has nothing to say about the seed feature', () => {
    expect(draftNamingHints(seed)).toEqual([]);
  });

  it('recommends the entity prefix without blocking', () => {
    const [hint] = draftNamingHints({ ...seed, name: 'idade' });
    expect(hint).toMatchObject({ rule: 'entity_prefix' });
    expect(hint!.message).toContain("'usuario_idade' is recommended");
    expect(validateDraft({ ...seed, name: 'idade' })).toEqual({});
  });

  it('asks for a description, tags and a name that says what the value means', () => {
    expect(rules({ ...seed, name: 'usuario_value_2', description: '  ', tags: [] })).toEqual(['description', 'tags', 'descriptive_name']);
  });

  it('waits for a valid name, and for a valid entity before checking the prefix', () => {
    expect(draftNamingHints({ ...seed, name: 'Usuario Idade', description: '' })).toEqual([]);
    expect(rules({ ...seed, name: 'idade', entity: 'Usuario X' })).toEqual([]);
    expect(rules({ ...seed, name: 'idade', entity: '' })).toEqual([]);
  });
});
