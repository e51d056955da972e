import { describe, expect, it } from 'vitest';
import { coerceValue, parseIso } from './value-coercion.js';

const ok = (json: string) => ({ ok: true, json });

describe('coerceValue', () => {
  it('accepts values that fit, in canonical JSON', () => {
    expect(coerceValue('INT', 25)).toEqual(ok('25'));
    expect(coerceValue('INT', ' 12 ')).toEqual(ok('12'));
    expect(coerceValue('FLOAT', '1.5')).toEqual(ok('1.5'));
    expect(coerceValue('STRING', 7)).toEqual(ok('"7"'));
    expect(coerceValue('BOOL', 'Yes')).toEqual(ok('true'));
    expect(coerceValue('BOOL', 0)).toEqual(ok('false'));
    expect(coerceValue('DATE', '2025-02-15')).toEqual(ok('"2025-02-15"'));
    expect(coerceValue('TIMESTAMP', '2025-02-20T15:45:11Z')).toEqual(ok('"2025-02-20T15:45:11.000Z"'));
    expect(coerceValue('TIMESTAMP', '2025-02-20 15:45')).toEqual(ok('"2025-02-20T15:45:00.000Z"'));
    expect(coerceValue('STRING_LIST', ['electronics', 'books'])).toEqual(ok('["electronics","books"]'));
    expect(coerceValue('INT_LIST', [1, '2'])).toEqual(ok('[1,2]'));
  });

  it('rejects values that do not fit, saying what was expected', () => {
    expect(coerceValue('INT', 1.5)).toEqual({ ok: false, reason: 'expected an integer for INT, got 1.5' });
    expect(coerceValue('FLOAT', 'abc').ok).toBe(false);
    expect(coerceValue('FLOAT', Number.POSITIVE_INFINITY).ok).toBe(false);
    expect(coerceValue('STRING', { a: 1 }).ok).toBe(false);
    expect(coerceValue('BOOL', 2).ok).toBe(false);
    expect(coerceValue('DATE', '2025-02-30').ok).toBe(false);
    expect(coerceValue('TIMESTAMP', 1740066311).ok).toBe(false);
    expect(coerceValue('STRING_LIST', 'books')).toEqual({ ok: false, reason: 'expected a list for STRING_LIST' });
    expect(coerceValue('INT_LIST', [1, 1.5])).toEqual({ ok: false, reason: 'item 1: expected an integer for INT, got 1.5' });
    expect(coerceValue('INT', null).ok).toBe(false);
  });

  it('parses ISO instants like the REST API (UTC without offset, no rollover)', () => {
    expect(parseIso('2025-02-20T15:45:11+02:00')).toBe(Date.UTC(2025, 1, 20, 13, 45, 11));
    expect(parseIso('2025-02-20')).toBe(Date.UTC(2025, 1, 20));
    expect(parseIso('2025-02-29T00:00:00Z')).toBeUndefined();
    expect(parseIso('tomorrow')).toBeUndefined();
  });
});
