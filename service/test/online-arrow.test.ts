/** onlineArrow on hand-made reads: values that do not fit their Arrow type, and int64 beyond 2^53. */
import { tableFromIPC } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import type { FeatureGroup } from '@shared/domain/schemas.js';
import type { ValueType } from '@shared/domain/value-types.js';
import { onlineArrow } from '../src/serving/online-arrow.js';
import { onlineJson } from '../src/serving/online-json.js';
import type { OnlineRead } from '../src/serving/online-read.js';
import { buildPlan } from '../src/serving/serving-plan.js';
import type { StoredValue } from '../src/storage/online-store.js';

const group = { name: 'g', online: true, ttl_seconds: null, transform: null } as unknown as FeatureGroup;
const T = Date.UTC(2025, 0, 1);

/** A read of one key over features of the given types, with the given stored JSON texts. */
function readOf(columns: [ValueType, string | undefined][]): OnlineRead {
  return readOfKeys(columns.map(([valueType]) => valueType), [columns.map(([, json]) => json)]);
}

/** A read of keys k0, k1, ... over features f0, f1, ... of the given types: `rows[k][i]` the stored JSON text. */
function readOfKeys(valueTypes: ValueType[], rows: (string | undefined)[][]): OnlineRead {
  const plan = buildPlan('e', valueTypes.map((valueType, i) => ({ requested: `f${i}`, name: `f${i}`, valueType, group, deprecation: null })));
  const stored = rows.map((row) => [row.map((json): StoredValue | undefined => (json === undefined ? undefined : { json, eventTime: T }))]);
  return { plan, keys: rows.map((_, k) => `k${k}`), now: T, stored, readIndex: undefined, computed: undefined, samples: undefined };
}

describe('onlineArrow', () => {
  it('sends a column whose value does not fit its type as JSON text, marked fstore.encoding=json', () => {
    const read = readOf([
      ['INT', '"not a number"'],
      ['INT', '2.5'],
      ['TIMESTAMP', '"2025-01-01 00:00:00"'],
      ['DATE', '"2025-02-30"'],
      ['BOOL', '1'],
      ['INT_LIST', '[1,"x"]'],
      ['FLOAT', '1.5'],
    ]);
    const table = tableFromIPC(onlineArrow(read));
    const encodings = table.schema.fields.filter((_, i) => i % 3 === 1).map((f) => [String(f.type), f.metadata.get('fstore.encoding')]);
    expect(encodings).toEqual([
      ['Utf8', 'json'],
      ['Utf8', 'json'],
      ['Utf8', 'json'],
      ['Utf8', 'json'],
      ['Utf8', 'json'],
      ['Utf8', 'json'],
      ['Float64', undefined],
    ]);
    const json = JSON.parse(onlineJson(read)).results[0].features as Record<string, { value: unknown }>;
    for (let i = 0; i < 6; i++) expect(JSON.parse(table.getChild(`f${i}`)!.get(0) as string)).toEqual(json[`f${i}`]!.value);
  });

  it('keeps 64-bit integers exact beyond 2^53, and negative ones', () => {
    const table = tableFromIPC(onlineArrow(readOf([['INT', '9223372036854775807'], ['INT', '-9007199254740993'], ['INT', '-1'], ['INT', '4294967296'], ['INT', undefined]])));
    expect([0, 1, 2, 3, 4].map((i) => table.getChild(`f${i}`)!.get(0))).toEqual([9223372036854775807n, -9007199254740993n, -1n, 4294967296n, null]);
    expect(table.getChild('f4__status')!.get(0)).toBe('NOT_FOUND');
    expect(table.getChild('f0__event_timestamp')!.get(0)).toBe(T);
  });

  it('writes lists with null rows and null elements between others', () => {
    const read = readOfKeys(['STRING_LIST', 'INT_LIST', 'BOOL_LIST', 'FLOAT_LIST'], [
      [undefined, '[1]', '[true,null]', '[]'],
      ['["x","y"]', '[2,3]', undefined, '[0.5]'],
      [undefined, undefined, undefined, undefined],
      ['["z"]', '[null]', '[false]', '[1e+21,-2]'],
    ]);
    const table = tableFromIPC(onlineArrow(read));
    const rows = [0, 1, 2, 3].map((k) => [0, 1, 2, 3].map((i) => table.getChild(`f${i}`)!.get(k)?.toJSON() ?? null));
    expect(rows).toEqual([
      [null, [1n], [true, null], []],
      [['x', 'y'], [2n, 3n], null, [0.5]],
      [null, null, null, null],
      [['z'], [null], [false], [1e21, -2]],
    ]);
  });
});
