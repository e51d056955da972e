import { describe, expect, it } from 'vitest';
import { FStoreApiError } from '@shared/api/client.js';
import { describeApiError } from '../api/describe-api-error.js';
import { inFormTerms, trainingFieldErrorsOf, unchangedFieldErrors } from './service-field-errors.js';
import { EMPTY_TRAINING_SET_DRAFT } from './training-set-draft.js';

/** What POST /api/jobs/training-set answers for a label file without its time column (service/src/training/label-file.ts). */
const missingTime = new FStoreApiError(
  400,
  'FSTORE_VALIDATION_FAILED',
  "The label file has no column 'timestamp' (its columns: entity_key, when, label); name the entity key and time columns with key_column and time_column",
  { missing_columns: ['timestamp'], columns: ['entity_key', 'when', 'label'], fields: ['time_column'] },
);

describe('trainingFieldErrorsOf', () => {
  it("puts a missing label column next to the form field that names it, in the form's words", () => {
    expect(trainingFieldErrorsOf(missingTime)).toEqual({
      timeColumn: "Label time column: the label file has no column 'timestamp' (its columns: entity_key, when, label)",
    });
    const both = new FStoreApiError(400, 'FSTORE_VALIDATION_FAILED', 'no columns', {
      missing_columns: ['id', 'at'],
      columns: ['x'],
      fields: ['key_column', 'time_column'],
    });
    expect(trainingFieldErrorsOf(both)).toEqual({
      keyColumn: "Entity key column: the label file has no column 'id' (its columns: x)",
      timeColumn: "Label time column: the label file has no column 'at' (its columns: x)",
    });
  });

  it('names the field of a refusal without missing columns by its own message', () => {
    const clash = new FStoreApiError(400, 'FSTORE_VALIDATION_FAILED', "The label column 'plano' has the name of a requested feature", { columns: ['plano'], fields: ['key_column'] });
    expect(trainingFieldErrorsOf(clash)).toEqual({ keyColumn: "Entity key column: The label column 'plano' has the name of a requested feature" });
  });

  it("maps schema problems by request path to the form's fields", () => {
    const schema = new FStoreApiError(400, 'FSTORE_VALIDATION_FAILED', 'body/feature_list: must NOT have fewer than 1 items', [
      { path: 'body/feature_list', message: 'must NOT have fewer than 1 items' },
      { path: 'body/time_column', message: 'must NOT have more than 255 characters' },
      { path: 'body/format', message: 'must be equal to one of the allowed values' },
    ]);
    expect(trainingFieldErrorsOf(schema)).toEqual({
      features: 'Features: must NOT have fewer than 1 items',
      timeColumn: 'Label time column: must NOT have more than 255 characters',
    });
  });

  it('puts a refused feature service next to the service field, in the form\'s words', () => {
    const refused = new FStoreApiError(400, 'FSTORE_VALIDATION_FAILED', 'body/feature_service: must NOT have more than 63 characters', [
      { path: 'body/feature_service', message: 'must NOT have more than 63 characters' },
    ]);
    expect(trainingFieldErrorsOf(refused)).toEqual({ features: 'Features: must NOT have more than 63 characters' });
    expect((inFormTerms(new FStoreApiError(400, 'FSTORE_VALIDATION_FAILED', 'Give feature_list or feature_service, not both')) as Error).message).toBe(
      'Give “Features” or “Feature service”, not both',
    );
  });

  it('leaves other errors to the page', () => {
    expect(trainingFieldErrorsOf(new FStoreApiError(0, 'FSTORE_NETWORK', 'Cannot reach FStore'))).toEqual({});
    expect(trainingFieldErrorsOf(new FStoreApiError(404, 'FSTORE_FEATURE_NOT_FOUND', 'nope', { fields: ['feature_list'] }))).toEqual({});
    expect(trainingFieldErrorsOf(new Error('x'))).toEqual({});
  });
});

describe('inFormTerms', () => {
  it("words the page-level message with the form's field names and drops the list of request fields", () => {
    const shown = describeApiError(inFormTerms(missingTime));
    expect(shown.message).toBe(
      "The label file has no column 'timestamp' (its columns: entity_key, when, label); name the entity key and time columns with “Entity key column” and “Label time column”",
    );
    expect(shown.code).toBe('FSTORE_VALIDATION_FAILED');
    expect(shown.problems).toEqual([]);
    const network = new FStoreApiError(0, 'FSTORE_NETWORK', 'Cannot reach FStore');
    expect(inFormTerms(network)).toBe(network);
  });
});

describe('unchangedFieldErrors', () => {
  const draft = { ...EMPTY_TRAINING_SET_DRAFT, entity: 'conta', features: ['conta_saldo'], timeColumn: '' };
  const errors = { timeColumn: 'Label time column: no', entity: 'Entity: no' };

  it('keeps the errors of fields left as they were, and drops those of fields changed since', () => {
    expect(unchangedFieldErrors(errors, { draft, uploadId: 'u1' }, { draft: { ...draft, timeColumn: ' ' }, uploadId: 'u1' })).toEqual(errors);
    expect(unchangedFieldErrors(errors, { draft, uploadId: 'u1' }, { draft: { ...draft, timeColumn: 'when' }, uploadId: 'u1' })).toEqual({ entity: 'Entity: no' });
    expect(unchangedFieldErrors({ labels: 'Label file: no' }, { draft, uploadId: 'u1' }, { draft, uploadId: 'u2' })).toEqual({});
  });
});
