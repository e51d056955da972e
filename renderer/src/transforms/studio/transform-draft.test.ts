import { describe, expect, it } from 'vitest';
import type { Transform } from '@shared/domain/schemas.js';
import { SQL_STARTER, TYPESCRIPT_STARTER } from './starter-code.js';
import {
  NEW_TRANSFORM_DRAFT,
  draftFromTransform,
  previewBlockers,
  toPreviewRequest,
  toTransformInput,
  validateTransformDraft,
  type TransformDraft,
} from './transform-draft.js';

const seed: TransformDraft = {
  ...NEW_TRANSFORM_DRAFT,
  name: 'user_transaction_stats',
  entity: 'user',
  sources: ['transactions'],
};

describe('a new draft', () => {
  it("starts with the seed's SQL and a TypeScript row transform", () => {
    expect(NEW_TRANSFORM_DRAFT.code.sql).toBe(SQL_STARTER);
    expect(SQL_STARTER.replace(/\s+/g, ' ').trim()).toBe(
      'SELECT user_id, AVG(transaction_amount) AS avg_transaction_value, COUNT(*) AS transaction_count FROM transactions GROUP BY user_id',
    );
    expect(NEW_TRANSFORM_DRAFT.code.typescript).toBe(TYPESCRIPT_STARTER);
    expect(TYPESCRIPT_STARTER).toContain('export default function transform(row: Row)');
  });
});

describe('validateTransformDraft', () => {
  it('accepts a complete draft', () => {
    expect(validateTransformDraft(seed)).toEqual({});
  });

  it("uses the registry's naming rules and requires sources, an entity and code", () => {
    const errors = validateTransformDraft({ ...seed, name: 'User Stats', entity: '', sources: [], featureGroup: 'Bad-Group', code: { ...seed.code, sql: ' ' } });
    expect(errors.name).toContain('is not snake_case');
    expect(errors.entity).toContain('Name the entity');
    expect(errors.sources).toBe('Pick at least one data source');
    expect(errors.featureGroup).toContain('is not snake_case');
    expect(errors.code).toBe('Write the transform first');
  });

  it('knows the names of existing transforms, once loaded', () => {
    expect(validateTransformDraft(seed, { existingTransforms: new Set(['user_transaction_stats']) }).name).toContain('already exists');
    expect(validateTransformDraft(seed, { existingTransforms: new Set(['other']) })).toEqual({});
  });

  it('lets the preview run without a name', () => {
    expect(previewBlockers({ ...seed, name: '' })).toEqual([]);
    expect(previewBlockers({ ...seed, sources: [] })).toEqual(['Pick at least one data source']);
  });
});

describe('requests built from a draft', () => {
  it('leaves defaults to the service', () => {
    expect(toTransformInput(seed)).toEqual({
      name: 'user_transaction_stats',
      language: 'sql',
      code: SQL_STARTER,
      sources: ['transactions'],
      entity: 'user',
    });
    expect(toPreviewRequest(seed, { mode: 'head', rows: 1000 })).toEqual({
      language: 'sql',
      code: SQL_STARTER,
      sources: ['transactions'],
      entity: 'user',
      sample: { mode: 'head', rows: 1000 },
      limit: 200,
    });
  });

  it('sends the chosen columns, the run-time stamp as null, and on_demand only for TypeScript', () => {
    const input = toTransformInput({
      ...seed,
      language: 'typescript',
      featureGroup: ' user_stats ',
      entityKeyColumn: 'user_id',
      eventTimeColumn: 'ignored',
      isStampedWithRunTime: true,
      isOnDemand: true,
      description: ' Per-user stats ',
    });
    expect(input).toMatchObject({
      code: TYPESCRIPT_STARTER,
      feature_group: 'user_stats',
      entity_key_column: 'user_id',
      event_time_column: null,
      on_demand: true,
      description: 'Per-user stats',
    });
    expect(toTransformInput({ ...seed, isOnDemand: true })).not.toHaveProperty('on_demand');
    expect(toTransformInput({ ...seed, eventTimeColumn: 'event_time' }).event_time_column).toBe('event_time');
  });
});

describe('draftFromTransform', () => {
  it('round-trips a published transform', () => {
    const transform: Transform = {
      name: 'user_flags',
      description: '',
      owner: '',
      tags: [],
      language: 'typescript',
      code: 'export default function transform(row: Row) { return row; }',
      sources: ['transactions'],
      entity: 'user',
      feature_group: 'user_flags',
      entity_key_column: 'user_id',
      event_time_column: null,
      on_demand: false,
      features: [],
      version: 2,
      status: 'active',
      created_at: '2026-01-01T00:00:00Z',
      updated_at: '2026-01-02T00:00:00Z',
      updated_by: 'local',
    };
    const draft = draftFromTransform(transform);
    expect(draft.code.sql).toBe(SQL_STARTER);
    expect(draft.isStampedWithRunTime).toBe(true);
    expect(toTransformInput(draft)).toEqual({
      name: 'user_flags',
      language: 'typescript',
      code: transform.code,
      sources: ['transactions'],
      entity: 'user',
      entity_key_column: 'user_id',
      event_time_column: null,
      feature_group: 'user_flags',
    });
  });
});
