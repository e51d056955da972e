import { describe, expect, it } from 'vitest';
import { draftFromFeatures, explainServiceName } from './service-draft.js';

describe('feature service draft', () => {
  it('references grouped features as group:feature and unassigned ones by name', () => {
    const draft = draftFromFeatures([
      { name: 'usuario_idade', entity: 'usuario', feature_group: 'perfil' },
      { name: 'usuario_score', entity: 'usuario', feature_group: null },
    ]);
    expect(draft).toEqual({ references: ['perfil:usuario_idade', 'usuario_score'], entity: 'usuario', problem: undefined });
  });

  it('says why a selection cannot make one service', () => {
    expect(draftFromFeatures([]).problem).toMatch(/Select the features/);
    const mixed = draftFromFeatures([
      { name: 'usuario_idade', entity: 'usuario', feature_group: 'perfil' },
      { name: 'loja_vendas', entity: 'loja', feature_group: 'vendas' },
    ]);
    expect(mixed.entity).toBeUndefined();
    expect(mixed.problem).toBe("A feature service serves one entity; the selection has 'usuario' and 'loja'");
  });

  it('checks the service name like the registry does', () => {
    expect(explainServiceName('')).toMatch(/Name the service/);
    expect(explainServiceName('Fraud Model')).toMatch(/Feature service name 'Fraud Model' is not snake_case.*'fraud_model'/);
    expect(explainServiceName('fraud_model')).toBeUndefined();
  });
});
