import { describe, expect, it } from 'vitest';
import { buildSqlCompletions, qualifierBefore, type CompletionCatalog } from './sql-completions.js';

const catalog: CompletionCatalog = {
  sources: [
    {
      name: 'transactions',
      columns: [
        { name: 'user_id', type: 'VARCHAR' },
        { name: 'transaction_amount', type: 'DOUBLE' },
        { name: 'event time', type: 'TIMESTAMP' },
      ],
    },
    { name: 'users', columns: [{ name: 'user_id', type: 'BIGINT' }] },
  ],
  features: [{ name: 'usuario_idade', value_type: 'INT', feature_group: 'demografia' }],
};

describe('buildSqlCompletions', () => {
  it('offers tables, then each column once with every source that has it, then features', () => {
    const items = buildSqlCompletions(catalog);
    expect(items.map((i) => [i.kind, i.label])).toEqual([
      ['table', 'transactions'],
      ['table', 'users'],
      ['column', 'user_id'],
      ['column', 'transaction_amount'],
      ['column', 'event time'],
      ['feature', 'usuario_idade'],
    ]);
    expect(items.find((i) => i.label === 'user_id')?.detail).toBe('column · transactions (VARCHAR), users (BIGINT)');
    expect(items.find((i) => i.label === 'transactions')?.detail).toBe('source · 3 columns');
    expect(items.find((i) => i.kind === 'feature')?.detail).toBe('feature · INT · demografia');
  });

  it('sorts tables before columns before features', () => {
    const sorted = [...buildSqlCompletions(catalog)].sort((a, b) => a.sortText.localeCompare(b.sortText));
    expect(sorted.map((i) => i.kind)).toEqual(['table', 'table', 'column', 'column', 'column', 'feature']);
  });

  it('quotes names that are not plain identifiers', () => {
    expect(buildSqlCompletions(catalog).find((i) => i.label === 'event time')?.insertText).toBe('"event time"');
  });

  it("after 'table.' offers only that table's columns; after an unknown alias, every column", () => {
    expect(buildSqlCompletions(catalog, 'TRANSACTIONS').map((i) => i.label)).toEqual(['user_id', 'transaction_amount', 'event time']);
    expect(buildSqlCompletions(catalog, 't').map((i) => i.label)).toEqual(['user_id', 'transaction_amount', 'event time']);
  });
});

describe('qualifierBefore', () => {
  it('finds the identifier before a trailing dot', () => {
    expect(qualifierBefore('SELECT transactions.')).toBe('transactions');
    expect(qualifierBefore('SELECT t.amo')).toBe('t');
    expect(qualifierBefore('SELECT "my source".')).toBe('my source');
    expect(qualifierBefore('SELECT amount')).toBeUndefined();
    expect(qualifierBefore('SELECT 1.5')).toBeUndefined();
  });
});

describe('buildSqlCompletions without duplicates', () => {
  it('names each item by kind, and offers a name that is a column and a feature (in any case) once, naming both', () => {
    const items = buildSqlCompletions({
      sources: [
        { name: 'vendas', columns: [{ name: 'amount', type: 'DOUBLE' }] },
        { name: 'devolucoes', columns: [{ name: 'Amount', type: 'DOUBLE' }, { name: 'vendas', type: 'VARCHAR' }] },
      ],
      features: [
        { name: 'amount', value_type: 'FLOAT', feature_group: 'g' },
        { name: 'loja_vendas', value_type: 'FLOAT', feature_group: null },
      ],
    });
    expect(items.map((i) => [i.label, i.kindLabel])).toEqual([
      ['vendas', 'source, column'],
      ['devolucoes', 'source'],
      ['amount', 'column, feature'],
      ['loja_vendas', 'feature'],
    ]);
    // 'Amount' and 'amount' are one name in SQL: one item listing both sources.
    expect(items.find((i) => i.label === 'amount')?.detail).toBe('column · vendas (DOUBLE), devolucoes (DOUBLE); feature · FLOAT · g');
  });
});
