import { describe, expect, it } from 'vitest';
import { emptyConnectionDraft, toConnectionInput, validateConnectionDraft } from './connection-draft.js';

const draft = (change: Partial<ReturnType<typeof emptyConnectionDraft>>) => ({ ...emptyConnectionDraft(), name: 'warehouse', url: 'env:WAREHOUSE_URL', ...change });

describe('validateConnectionDraft', () => {
  it('accepts env: references and credential-free URLs', () => {
    expect(validateConnectionDraft(draft({}))).toEqual({});
    expect(validateConnectionDraft(draft({ url: 'postgres://reader@db.example:5432/shop?sslmode=require' }))).toEqual({});
    expect(validateConnectionDraft(draft({ kind: 'kafka', url: 'broker-1:9092,broker-2:9092' }))).toEqual({});
  });

  it('refuses passwords and key files, as the service does', () => {
    expect(validateConnectionDraft(draft({ url: 'postgres://reader:s3cret@db/shop' })).url).toBe('urlPassword');
    expect(validateConnectionDraft(draft({ url: 'postgresql://db/shop?password=x' })).url).toBe('urlPassword');
    expect(validateConnectionDraft(draft({ url: 'postgres://db/shop?sslmode=verify-full&sslkey=/k' })).url).toBe('urlPassword');
    expect(validateConnectionDraft(draft({ kind: 'kafka', url: 'sasl://u:p@broker:9092' })).url).toBe('urlPassword');
  });

  it('names what else is wrong', () => {
    expect(validateConnectionDraft(draft({ name: '' })).name).toBe('nameRequired');
    expect(validateConnectionDraft(draft({ name: 'Data Warehouse' })).name).toBe('nameFormat');
    expect(validateConnectionDraft(draft({ url: ' ' })).url).toBe('urlRequired');
    expect(validateConnectionDraft(draft({ url: 'mysql://db/shop' })).url).toBe('urlPostgres');
    expect(validateConnectionDraft(draft({ url: 'env:lower' })).url).toBe('urlEnv');
    expect(validateConnectionDraft(draft({ kind: 'kafka', url: 'broker' })).url).toBe('urlKafka');
  });

  it('sends trimmed fields and no empty description', () => {
    expect(toConnectionInput(draft({ name: ' warehouse ', url: ' env:WAREHOUSE_URL ', description: '  ' }))).toEqual({ name: 'warehouse', kind: 'postgres', url: 'env:WAREHOUSE_URL' });
  });
});
