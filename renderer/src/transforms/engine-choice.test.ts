import { describe, expect, it } from 'vitest';
import { engineOptions, runRequestFor } from './engine-choice.js';

describe('engine choice of a transform run', () => {
  it('sends no engine by default, and the chosen one otherwise', () => {
    expect(runRequestFor('default')).toEqual({});
    expect(runRequestFor('spark')).toEqual({ engine: 'spark' });
    expect(runRequestFor('duckdb')).toEqual({ engine: 'duckdb' });
  });

  it("names the transform's own default and keeps TypeScript off Spark", () => {
    const sql = engineOptions({ language: 'sql', engine: 'spark' });
    expect(sql[0]).toMatchObject({ value: 'default', label: 'Default (spark)' });
    expect(sql.find((o) => o.value === 'spark')?.disabled).toBe(false);
    const ts = engineOptions({ language: 'typescript' });
    expect(ts[0]?.label).toBe('Default (auto)');
    expect(ts.find((o) => o.value === 'spark')).toMatchObject({ disabled: true, label: 'Spark (SQL transforms only)' });
  });
});
