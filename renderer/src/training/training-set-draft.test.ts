import { describe, expect, it } from 'vitest';
import { EMPTY_TRAINING_SET_DRAFT, toTrainingSetRequest, validateTrainingSetDraft, type LabelFileStatus, type TrainingSetDraft } from './training-set-draft.js';

const uploaded: LabelFileStatus = { state: 'uploaded', uploadId: 'up-1' };
const ready: TrainingSetDraft = { ...EMPTY_TRAINING_SET_DRAFT, entity: 'conta', features: ['conta_saldo', 'conta_status'] };

describe('validateTrainingSetDraft', () => {
  it('names each missing input before anything is sent', () => {
    expect(validateTrainingSetDraft(EMPTY_TRAINING_SET_DRAFT, { state: 'none' })).toEqual({
      entity: 'Choose the entity the label rows are about',
      features: 'Choose an entity, then at least one of its features',
      labels: 'Choose or drop a label file (CSV, Parquet, JSON or NDJSON)',
    });
    expect(validateTrainingSetDraft({ ...ready, features: [] }, uploaded)).toEqual({ features: 'Choose at least one feature of conta' });
  });

  it('waits for the upload, and asks again after a failed one', () => {
    expect(validateTrainingSetDraft(ready, { state: 'uploading' }).labels).toBe('Wait for the label file to finish uploading');
    expect(validateTrainingSetDraft(ready, { state: 'failed' }).labels).toContain('did not upload');
    expect(validateTrainingSetDraft(ready, uploaded)).toEqual({});
  });

  it('refuses one column for both the key and the time, defaults included', () => {
    expect(validateTrainingSetDraft({ ...ready, keyColumn: 'timestamp' }, uploaded)).toEqual({
      timeColumn: 'The entity key and the label time cannot both be column timestamp',
    });
    expect(validateTrainingSetDraft({ ...ready, keyColumn: ' id ', timeColumn: 'id' }, uploaded).timeColumn).toContain('column id');
    expect(validateTrainingSetDraft({ ...ready, keyColumn: 'id', timeColumn: 'when' }, uploaded)).toEqual({});
    expect(validateTrainingSetDraft({ ...ready, timeColumn: 'x'.repeat(256) }, uploaded).timeColumn).toContain('at most 255');
  });
});

describe('toTrainingSetRequest', () => {
  it('leaves empty column names to the service and sends the engine and format chosen', () => {
    expect(toTrainingSetRequest(ready, 'up-1')).toEqual({
      entity: 'conta',
      feature_list: ['conta_saldo', 'conta_status'],
      labels: { upload: 'up-1' },
      engine: 'embedded',
      format: 'parquet',
    });
  });

  it('sends the typed column names, trimmed', () => {
    const request = toTrainingSetRequest({ ...ready, entity: ' conta ', keyColumn: ' conta_id ', timeColumn: 'label_time', engine: 'spark', format: 'csv' }, 'up-2');
    expect(request).toEqual({
      entity: 'conta',
      feature_list: ['conta_saldo', 'conta_status'],
      labels: { upload: 'up-2' },
      key_column: 'conta_id',
      time_column: 'label_time',
      engine: 'spark',
      format: 'csv',
    });
  });
});

describe('labels from a SQL query on a data source', () => {
  const fromQuery: TrainingSetDraft = { ...ready, labelsFrom: 'query', labelSource: 'pg_orders', labelQuery: 'SELECT customer AS entity_key, placed_at AS timestamp FROM pg_orders' };

  it('asks for the source and the query instead of a file', () => {
    expect(validateTrainingSetDraft({ ...fromQuery, labelSource: '', labelQuery: '  ' }, { state: 'none' })).toEqual({
      labelSource: 'Choose the data source the query runs on',
      labelQuery: 'Write the SELECT that gives the label rows',
    });
    expect(validateTrainingSetDraft(fromQuery, { state: 'none' })).toEqual({});
  });

  it('sends the source and the query as the labels', () => {
    expect(toTrainingSetRequest({ ...fromQuery, labelSource: ' pg_orders ' }, undefined)).toEqual({
      entity: 'conta',
      feature_list: ['conta_saldo', 'conta_status'],
      labels: { source: 'pg_orders', query: fromQuery.labelQuery },
      engine: 'embedded',
      format: 'parquet',
    });
  });
});

describe('features from a feature service', () => {
  const fromService: TrainingSetDraft = { ...EMPTY_TRAINING_SET_DRAFT, featuresFrom: 'service', featureService: 'fraude_v1', entity: 'usuario', features: ['usuario_idade'] };

  it('asks for the service instead of an entity and features', () => {
    expect(validateTrainingSetDraft({ ...EMPTY_TRAINING_SET_DRAFT, featuresFrom: 'service' }, uploaded)).toEqual({
      features: 'Choose the feature service whose features become columns',
    });
    expect(validateTrainingSetDraft(fromService, uploaded)).toEqual({});
  });

  it('sends the service by name, not its entity and features (the service resolves them)', () => {
    expect(toTrainingSetRequest(fromService, 'up-3')).toEqual({ feature_service: 'fraude_v1', labels: { upload: 'up-3' }, engine: 'embedded', format: 'parquet' });
  });
});
