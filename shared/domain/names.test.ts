import { describe, expect, it } from 'vitest';
import { entityPrefixWarning, explainInvalidName, toSnakeCase } from './names.js';

describe('names', () => {
  it('accepts snake_case and rejects everything else with the reason and a suggestion', () => {
    expect(explainInvalidName('feature', 'usuario_idade')).toBeUndefined();
    expect(explainInvalidName('feature', 'a1_b2')).toBeUndefined();
    expect(explainInvalidName('feature', 'UsuarioIdade')).toMatch(/not snake_case.*'usuario_idade'/);
    expect(explainInvalidName('feature', '1abc')).toMatch(/starting with a letter/);
    expect(explainInvalidName('feature', 'idade-usuario')).toMatch(/'idade_usuario'/);
    expect(explainInvalidName('entity', '')).toBe('Entity name must not be empty');
    expect(explainInvalidName('feature_group', 'x'.repeat(64))).toMatch(/limit is 63/);
  });

  it('recommends the entity prefix without requiring it', () => {
    expect(entityPrefixWarning('usuario_idade', 'usuario')).toBeUndefined();
    expect(entityPrefixWarning('idade', 'usuario')).toMatch(/'usuario_idade' is recommended/);
  });

  it('suggests snake_case spellings, dropping accents', () => {
    expect(toSnakeCase('Última Compra (dias)')).toBe('ultima_compra_dias');
    expect(toSnakeCase('avgOrderValue')).toBe('avg_order_value');
  });
});
