import { describe, expect, it } from 'vitest';
import { transformOf } from './computing-transform.js';

describe('transformOf', () => {
  it('names the transform of a computed feature', () => {
    expect(transformOf({ source: 'transform:user_transaction_stats' })).toBe('user_transaction_stats');
  });

  it('is undefined for features with another or no source', () => {
    expect(transformOf({ source: 'warehouse.users.birth_date' })).toBeUndefined();
    expect(transformOf({ source: 'transform:' })).toBeUndefined();
    expect(transformOf({ source: null })).toBeUndefined();
  });
});
