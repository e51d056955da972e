import { describe, expect, it } from 'vitest';
import { EMPTY_SOURCE_DRAFT, sourceNameFromFile, toDataSourceInput, validateSourceDraft } from './source-draft.js';

const receipt = { upload_id: 'up1', filename: 'transactions.csv', format: 'csv', size_bytes: 120, created_at: '2026-01-01T00:00:00Z' };

describe('sourceNameFromFile', () => {
  it('turns a file name into a snake_case table name', () => {
    expect(sourceNameFromFile('transactions.csv')).toBe('transactions');
    expect(sourceNameFromFile('Transactions 2025.csv.gz')).toBe('transactions_2025');
    expect(sourceNameFromFile('C:\\data\\UserEvents.parquet')).toBe('user_events');
    expect(sourceNameFromFile('2025-orders.json')).toBe('source_2025_orders');
    expect(sourceNameFromFile('.csv')).toBe('');
  });
});

describe('validateSourceDraft', () => {
  it('needs a valid, unused name and the upload to have finished', () => {
    const draft = { ...EMPTY_SOURCE_DRAFT, name: 'transactions' };
    expect(validateSourceDraft(draft, receipt)).toEqual({});
    expect(validateSourceDraft(draft, undefined).upload).toContain('wait for its upload');
    expect(validateSourceDraft(draft, receipt, new Set(['transactions'])).name).toContain('already exists');
    expect(validateSourceDraft({ ...draft, name: 'Transactions' }, receipt).name).toContain('is not snake_case');
  });

  it('needs a path or a feature group for the other origins', () => {
    expect(validateSourceDraft({ ...EMPTY_SOURCE_DRAFT, origin: 'path', name: 'tx' }, undefined).path).toContain('path');
    expect(validateSourceDraft({ ...EMPTY_SOURCE_DRAFT, origin: 'feature_group', name: 'tx' }, undefined).featureGroup).toBe('Choose the feature group');
  });
});

describe('toDataSourceInput', () => {
  it('builds the body for each origin', () => {
    expect(toDataSourceInput({ ...EMPTY_SOURCE_DRAFT, name: ' transactions ', description: 'Card payments' }, receipt)).toEqual({
      name: 'transactions',
      description: 'Card payments',
      type: 'file',
      upload_id: 'up1',
      format: 'csv',
    });
    expect(toDataSourceInput({ ...EMPTY_SOURCE_DRAFT, origin: 'path', name: 'tx', path: ' /data/tx/*.parquet ' }, undefined)).toEqual({
      name: 'tx',
      type: 'file',
      path: '/data/tx/*.parquet',
    });
    expect(toDataSourceInput({ ...EMPTY_SOURCE_DRAFT, origin: 'feature_group', name: 'profiles', featureGroup: 'demografia' }, undefined)).toEqual({
      name: 'profiles',
      type: 'feature_group',
      feature_group: 'demografia',
    });
  });
});
