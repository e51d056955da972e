import { describe, expect, it } from 'vitest';
import { FStoreApiError } from '@shared/api/client.js';
import { describeApiError, problemsFromDetails } from './describe-api-error.js';

describe('describeApiError', () => {
  it("keeps the service's message and code, and places schema problems on fields", () => {
    const err = new FStoreApiError(400, 'FSTORE_VALIDATION_FAILED', 'body/value_type: must be one of INT, ...', [
      { path: 'body', message: "unknown field 'extra'" },
      { path: 'body/value_type', message: 'must be equal to one of the allowed values' },
      { path: '/name', message: 'not snake_case' },
    ]);
    const described = describeApiError(err);
    expect(described.message).toBe('body/value_type: must be one of INT, ...');
    expect(described.code).toBe('FSTORE_VALIDATION_FAILED');
    expect(described.problems.map((p) => p.field)).toEqual([undefined, 'value_type', 'name']);
  });

  it('explains an unreachable service', () => {
    const described = describeApiError(new FStoreApiError(0, 'FSTORE_NETWORK', 'Cannot reach FStore at http://x'));
    expect(described.title).toBe('The service cannot be reached');
  });

  it('describes errors that are not from the service', () => {
    expect(describeApiError(new Error('boom')).message).toBe('boom');
    expect(describeApiError('plain').message).toBe('plain');
  });
});

describe('problemsFromDetails', () => {
  it('accepts the shapes services commonly use', () => {
    expect(problemsFromDetails(['first', 'second'])).toEqual([{ message: 'first' }, { message: 'second' }]);
    expect(problemsFromDetails({ errors: [{ instancePath: '/tags/0', message: 'too long' }] })).toEqual([
      { path: '/tags/0', field: 'tags', message: 'too long' },
    ]);
    expect(problemsFromDetails({ name: 'taken' })).toEqual([{ path: 'name', field: 'name', message: 'taken' }]);
    expect(problemsFromDetails({ loc: ['body', 'entity'], msg: 'required' })).toEqual([
      { path: 'body/entity', field: 'entity', message: 'required' },
    ]);
    expect(problemsFromDetails(undefined)).toEqual([]);
  });
});
