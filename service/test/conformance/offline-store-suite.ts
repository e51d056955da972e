import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ValueType } from '@shared/domain/value-types.js';
import type { FeatureRef, OfflineBatch, OfflineStore, ParquetFacts } from '../../src/storage/offline-store.js';

async function collect<T>(iterable: AsyncIterable<T[]>): Promise<T[]> {
  const out: T[] = [];
  for await (const chunk of iterable) out.push(...chunk);
  return out;
}

const H = 3_600_000;
const T0 = Date.parse('2025-01-01T00:00:00Z');

/** The value type of each feature the suite writes (feature names are unique across groups, as in the registry). */
const TYPES: Record<string, ValueType> = {
  a: 'INT',
  b: 'STRING',
  c: 'BOOL',
  x: 'INT',
  cx: 'INT',
  s: 'INT',
  z: 'INT',
  mx: 'INT',
  my: 'STRING',
  mv: 'INT',
  pa: 'INT',
  pb: 'STRING',
  tb: 'STRING',
  ta: 'INT',
  sb: 'STRING',
  sa: 'INT',
  ra: 'INT',
  rb: 'STRING',
};

/** The contract every offline store adapter must meet, with hand-computed expectations. */
export function offlineStoreConformance(name: string, open: () => Promise<OfflineStore>): void {
  describe(`OfflineStore conformance: ${name}`, () => {
    let store: OfflineStore;
    const entity = `conf_${Math.random().toString(36).slice(2, 8)}`;
    const ref = (feature: string, group: string, ttlSeconds: number | null = null): FeatureRef => ({ name: feature, group, ttlSeconds });
    const batch = (group: string, rows: [string, number, Record<string, string | null>][]): OfflineBatch => {
      const features = [...new Set(rows.flatMap(([, , values]) => Object.keys(values)))];
      return {
        entity,
        featureGroup: group,
        entityKeys: rows.map((r) => r[0]),
        eventTimes: rows.map((r) => r[1]),
        columns: features.map((feature) => ({ feature, valueType: TYPES[feature] ?? 'STRING', values: rows.map(([, , values]) => values[feature] ?? null) })),
      };
    };

    beforeAll(async () => {
      store = await open();
      // History of group g: a at 0h, 2h, 5h for k1; b at 1h for k1; a at 3h for k2. A late older event
      // (a at 1h for k1) arrives in a second batch.
      await store.write(batch('g', [
        ['k1', T0, { a: '10', b: null }],
        ['k1', T0 + 2 * H, { a: '12' }],
        ['k1', T0 + 5 * H, { a: '15' }],
        ['k1', T0 + 1 * H, { b: '"one"' }],
        ['k2', T0 + 3 * H, { a: '23' }],
      ]), Date.now());
      await store.write(batch('g', [['k1', T0 + 1 * H, { a: '11' }]]), Date.now());
      await store.write(batch('ttl', [['k1', T0, { c: 'true' }]]), Date.now());
    });
    afterAll(async () => {
      await store.close();
    });

    it('counts written values (nulls are not values)', async () => {
      expect(await store.countValues(entity, 'g')).toBe(6);
    });

    it('is idempotent: re-sending the same values adds nothing and a new value replaces', async () => {
      const n = await store.write(batch('g', [['k1', T0 + 2 * H, { a: '12' }]]), Date.now());
      expect(n).toBe(1);
      expect(await store.countValues(entity, 'g')).toBe(6);
      await store.write(batch('dup', [['k', T0, { x: '1' }], ['k', T0, { x: '2' }]]), Date.now());
      expect(await store.countValues(entity, 'dup')).toBe(1);
      const rows = await collect(store.pointInTime({ entity, features: [ref('x', 'dup')], entityKeys: ['k'], times: [T0] }));
      expect(rows).toEqual([['2']]); // last occurrence in a batch wins
    });

    it('ties on (key, feature, event time): the later write wins on every read, and keeps what it did not carry', async () => {
      // Two features at one (key, time), then a later state; each re-write below lands at T0.
      await store.write(batch('tie', [['k', T0, { ra: '1', rb: '"first"' }], ['k', T0 + H, { ra: '2' }]]), Date.now());
      const cut = Date.now();
      await new Promise((r) => setTimeout(r, 5));
      // A sparse re-write (ra only) at T0: ra replaced, rb kept, and carried into T0+1h.
      expect(await store.write(batch('tie', [['k', T0, { ra: '10' }]]), Date.now())).toBe(1);
      const features = [ref('ra', 'tie'), ref('rb', 'tie')];
      expect(await collect(store.pointInTime({ entity, features, entityKeys: ['k', 'k'], times: [T0, T0 + H] }))).toEqual([['10', '"first"'], ['2', '"first"']]);
      expect(await collect(store.range({ entity, features, start: T0, end: T0 + H }))).toEqual([
        ['k', T0, '10', '"first"'],
        ['k', T0 + H, '2', '"first"'],
      ]);
      // The replaced value counts as ingested now: an incremental materialization picks it up.
      const fresh = await collect(store.latest({ entity, features: ['ra', 'rb'], start: T0, end: T0, ingestedAfter: cut }));
      expect(fresh.map((r) => [r[0], r[1], r[2], r[3]])).toEqual([
        ['k', 'ra', '10', T0],
        ['k', 'rb', '"first"', T0],
      ]);
      expect(await store.countValues(entity, 'tie')).toBe(3);
      // Within one write, the later row wins; a dense re-write of the whole group replaces both.
      expect(await store.write(batch('tie', [['k', T0, { ra: '20', rb: '"x"' }], ['k', T0, { ra: '21', rb: '"y"' }]]), Date.now())).toBe(2);
      expect(await collect(store.pointInTime({ entity, features, entityKeys: ['k', 'k'], times: [T0, T0 + H] }))).toEqual([['21', '"y"'], ['2', '"y"']]);
      expect(await collect(store.latest({ entity, features: ['ra', 'rb'], start: T0, end: T0 }))).toEqual([
        ['k', 'ra', '21', T0, expect.any(Number)],
        ['k', 'rb', '"y"', T0, expect.any(Number)],
      ]);
    });

    it('replaces a stored value that a wider batch overlaps only at one time', async () => {
      // The batch spans far beyond the stored history; only (k, T0+5H) collides.
      await store.write(batch('span', [['k', T0, { s: '1' }], ['k', T0 + 5 * H, { s: '2' }]]), Date.now());
      const n = await store.write(batch('span', [['k', T0 + 5 * H, { s: '3' }], ['k', T0 + 500 * H, { s: '4' }], ['j', T0 - 500 * H, { s: '5' }]]), Date.now());
      expect(n).toBe(3);
      expect(await store.countValues(entity, 'span')).toBe(4);
      const rows = await collect(store.pointInTime({ entity, features: [ref('s', 'span')], entityKeys: ['k', 'k'], times: [T0 + 5 * H, T0 + 6 * H] }));
      expect(rows).toEqual([['3'], ['3']]);
    });

    it('point in time: latest value at or before each label time, never a later one', async () => {
      const rows = await collect(
        store.pointInTime({
          entity,
          features: [ref('a', 'g'), ref('b', 'g')],
          entityKeys: ['k1', 'k1', 'k1', 'k1', 'k2', 'k2', 'nobody'],
          times: [T0 - 1, T0, T0 + 1.5 * H, T0 + 2 * H, T0 + 2 * H, T0 + 10 * H, T0 + 10 * H],
        }),
      );
      expect(rows).toEqual([
        [null, null], // before any value
        ['10', null], // exactly equal to the event time counts
        ['11', '"one"'], // the late older event (1h) is visible at 1.5h
        ['12', '"one"'], // equal timestamp again
        [null, null], // k2's first value is at 3h
        ['23', null],
        [null, null],
      ]);
    });

    it('point in time drops values older than the TTL (age > ttl), keeps age == ttl', async () => {
      const rows = await collect(
        store.pointInTime({
          entity,
          features: [ref('c', 'ttl', 3600)],
          entityKeys: ['k1', 'k1', 'k1'],
          times: [T0 + 30 * 60_000, T0 + H, T0 + H + 1],
        }),
      );
      expect(rows).toEqual([['true'], ['true'], [null]]);
    });

    it('keeps label order for many rows', async () => {
      const n = 5000;
      const keys = Array.from({ length: n }, (_, i) => (i % 2 ? 'k1' : 'k2'));
      const times = Array.from({ length: n }, (_, i) => T0 + (i % 7) * H);
      const rows = await collect(store.pointInTime({ entity, features: [ref('a', 'g')], entityKeys: keys, times }));
      const expectK1 = ['10', '11', '12', '12', '12', '15', '15'];
      const expectK2 = [null, null, null, '23', '23', '23', '23'];
      expect(rows.map((r) => r[0])).toEqual(keys.map((k, i) => (k === 'k1' ? expectK1 : expectK2)[i % 7]));
    });

    it('latest: the newest value per key and feature in a window, or ingested after a watermark', async () => {
      const window = await collect(store.latest({ entity, features: ['a', 'b'], start: T0, end: T0 + 2 * H }));
      expect(window.map((r) => [r[0], r[1], r[2], r[3]])).toEqual([
        ['k1', 'a', '12', T0 + 2 * H],
        ['k1', 'b', '"one"', T0 + H],
      ]);
      const cut = Date.now();
      await new Promise((r) => setTimeout(r, 5));
      await store.write(batch('g', [['k2', T0 + 4 * H, { a: '24' }]]), Date.now());
      const fresh = await collect(store.latest({ entity, features: ['a'], ingestedAfter: cut }));
      expect(fresh.map((r) => [r[0], r[2], r[3]])).toEqual([['k2', '24', T0 + 4 * H]]);
    });

    it('latest over all time: a feature never written for a key gives no row for it', async () => {
      const rows = await collect(store.latest({ entity, features: ['a', 'b'] }));
      const k2 = rows.filter((r) => r[0] === 'k2').map((r) => [r[1], r[2]]);
      expect(k2.map((r) => r[0])).toEqual(['a']);
      expect(rows.find((r) => r[0] === 'k1' && r[1] === 'b')?.slice(2, 4)).toEqual(['"one"', T0 + H]);
    });

    it('range: one row per key and event time in the window, each feature as of that time', async () => {
      const rows = await collect(store.range({ entity, features: [ref('a', 'g'), ref('b', 'g')], start: T0 + H, end: T0 + 3 * H }));
      expect(rows).toEqual([
        ['k1', T0 + H, '11', '"one"'],
        ['k1', T0 + 2 * H, '12', '"one"'],
        ['k2', T0 + 3 * H, '23', null],
      ]);
    });

    it('chunked writes: invisible until commit, later chunks win ties, abort leaves nothing', async () => {
      const writer = await store.beginWrite(entity, 'chunks', Date.now());
      await writer.append(batch('chunks', [['k', T0, { cx: '1' }], ['j', T0, { cx: '5' }]]));
      await writer.append(batch('chunks', [['k', T0, { cx: '2' }]]));
      expect(await store.countValues(entity, 'chunks')).toBe(0);
      expect(await writer.commit()).toBe(2);
      const rows = await collect(store.pointInTime({ entity, features: [ref('cx', 'chunks')], entityKeys: ['k', 'j'], times: [T0, T0] }));
      expect(rows).toEqual([['2'], ['5']]);
      const aborted = await store.beginWrite(entity, 'chunks', Date.now());
      await aborted.append(batch('chunks', [['k', T0 + H, { cx: '9' }]]));
      await aborted.abort();
      expect(await store.countValues(entity, 'chunks')).toBe(2);
    });

    it('writes a batch atomically: a failing batch leaves nothing behind', async () => {
      const before = await store.countValues(entity, 'atomic');
      const bad: OfflineBatch = {
        entity,
        featureGroup: 'atomic',
        entityKeys: ['k1', 'k2'],
        eventTimes: [T0, Number.NaN],
        columns: [{ feature: 'z', valueType: 'INT', values: ['1', '2'] }],
      };
      await expect(store.write(bad, Date.now())).rejects.toThrow();
      expect(await store.countValues(entity, 'atomic')).toBe(before);
    });

    it('sparse writes never blank the other features of a row, at any time order', async () => {
      // One feature per write, as Kafka messages and pushes arrive.
      await store.write(batch('sparse', [['k', T0, { sa: '1' }]]), Date.now());
      await store.write(batch('sparse', [['k', T0 + 2 * H, { sb: '"two"' }]]), Date.now());
      await store.write(batch('sparse', [['k', T0 + 4 * H, { sa: '3' }]]), Date.now());
      // A late value between the stored ones: the states after it see it until the next value.
      await store.write(batch('sparse', [['k', T0 + H, { sb: '"one"' }]]), Date.now());
      // The same time again with another feature: both values stand.
      await store.write(batch('sparse', [['k', T0 + 2 * H, { sa: '2' }]]), Date.now());
      const times = [T0, T0 + H, T0 + 2 * H, T0 + 3 * H, T0 + 4 * H];
      const rows = await collect(store.pointInTime({ entity, features: [ref('sa', 'sparse'), ref('sb', 'sparse')], entityKeys: times.map(() => 'k'), times }));
      expect(rows).toEqual([
        ['1', null],
        ['1', '"one"'],
        ['2', '"two"'],
        ['2', '"two"'],
        ['3', '"two"'],
      ]);
      expect(await store.countValues(entity, 'sparse')).toBe(5);
      const range = await collect(store.range({ entity, features: [ref('sb', 'sparse')], start: T0, end: T0 + 10 * H }));
      expect(range).toEqual([
        ['k', T0 + H, '"one"'],
        ['k', T0 + 2 * H, '"two"'],
      ]);
    });

    it('measures the TTL from when each value was written, also for carried values', async () => {
      await store.write(batch('ttl2', [['k', T0, { ta: '1', tb: '"x"' }]]), Date.now());
      await store.write(batch('ttl2', [['k', T0 + 3 * H, { ta: '2' }]]), Date.now());
      const refs = [ref('ta', 'ttl2', 2 * 3600), ref('tb', 'ttl2', 2 * 3600)];
      const rows = await collect(store.pointInTime({ entity, features: refs, entityKeys: ['k', 'k', 'k'], times: [T0 + 2 * H, T0 + 3 * H, T0 + 5 * H + 1] }));
      // tb was written at T0: expired past T0+2h even though a newer row (T0+3h) carries it.
      expect(rows).toEqual([['1', '"x"'], ['2', null], [null, null]]);
      // A late value of tb inside the TTL at T0+3h revives it there.
      await store.write(batch('ttl2', [['k', T0 + 2.5 * H, { tb: '"late"' }]]), Date.now());
      const after = await collect(store.pointInTime({ entity, features: refs, entityKeys: ['k'], times: [T0 + 3 * H] }));
      expect(after).toEqual([['2', '"late"']]);
    });

    it('keeps every value type exactly (JSON text in, the same JSON text out)', async () => {
      const typed: OfflineBatch = {
        entity,
        featureGroup: 'types',
        entityKeys: ['k'],
        eventTimes: [T0],
        columns: [
          { feature: 'v_int', valueType: 'INT', values: ['9007199254740993'] },
          { feature: 'v_float', valueType: 'FLOAT', values: ['0.1'] },
          { feature: 'v_text', valueType: 'STRING', values: [JSON.stringify('tab\t "quote" ção \u0001')] },
          { feature: 'v_bool', valueType: 'BOOL', values: ['false'] },
          { feature: 'v_date', valueType: 'DATE', values: ['"2024-02-29"'] },
          { feature: 'v_ts', valueType: 'TIMESTAMP', values: ['"2025-03-04T05:06:07.089Z"'] },
          { feature: 'v_ints', valueType: 'INT_LIST', values: ['[1,2,3]'] },
          { feature: 'v_floats', valueType: 'FLOAT_LIST', values: ['[1.5,-2]'] },
          { feature: 'v_texts', valueType: 'STRING_LIST', values: ['["a","b c"]'] },
          { feature: 'v_bools', valueType: 'BOOL_LIST', values: ['[true,false]'] },
        ],
      };
      expect(await store.write(typed, Date.now())).toBe(10);
      const [row] = await collect(store.pointInTime({ entity, features: typed.columns.map((c) => ref(c.feature, 'types')), entityKeys: ['k'], times: [T0] }));
      expect(row!.map((cell) => JSON.parse(cell!))).toEqual(typed.columns.map((c) => JSON.parse(c.values[0]!)));
      expect(row![0]).toBe('9007199254740993'); // beyond 2^53: exact digits, not a rounded double
    });

    it('converts stored values when a feature changes type, and loses none that do not convert', async () => {
      const write = (valueType: ValueType, time: number, json: string) =>
        store.write({ entity, featureGroup: 'retype', entityKeys: ['k'], eventTimes: [time], columns: [{ feature: 'rt', valueType, values: [json] }] }, Date.now());
      await write('INT', T0, '10');
      await write('STRING', T0 + H, '"A-10"');
      const rows = await collect(store.pointInTime({ entity, features: [ref('rt', 'retype')], entityKeys: ['k', 'k'], times: [T0, T0 + H] }));
      expect(rows).toEqual([['"10"'], ['"A-10"']]);
      expect(await store.countValues(entity, 'retype')).toBe(2);
    });

    it('writes a feature moved to another group where its history is, so nothing is lost', async () => {
      await store.write(batch('home', [['k', T0, { mv: '1' }]]), Date.now());
      await store.write(batch('elsewhere', [['k', T0 + H, { mv: '2' }]]), Date.now());
      const rows = await collect(store.pointInTime({ entity, features: [ref('mv', 'elsewhere')], entityKeys: ['k', 'k'], times: [T0, T0 + H] }));
      expect(rows).toEqual([['1'], ['2']]);
    });

    it('writes point-in-time sets to files in the engine, typed, with label columns passed through', async () => {
      const { mkdtempSync, rmSync } = await import('node:fs');
      const { tmpdir } = await import('node:os');
      const { join } = await import('node:path');
      const { openDuckDb, withConnection } = await import('../../src/storage/duckdb/duckdb-session.js');
      const dir = mkdtempSync(join(tmpdir(), 'fstore-pit-file-'));
      const db = await openDuckDb(':memory:');
      try {
        const labels = join(dir, 'labels.parquet');
        await withConnection(db, (c) =>
          c.run(`COPY (SELECT * FROM (VALUES (1, 'k1', ${T0 + 1.5 * H}, 'x', true), (0, 'k1', ${T0 - 1}, 'y', false), (2, 'nobody', ${T0}, 'z', NULL))
                  AS t(row_idx, entity_key, label_time_ms, note, label)) TO '${labels}' (FORMAT parquet)`),
        );
        for (const format of ['parquet', 'csv'] as const) {
          const output = join(dir, `out.${format}`);
          const written = await store.pointInTimeToFile({
            entity,
            features: [{ ...ref('a', 'g'), column: 'a', valueType: 'INT' }, { ...ref('b', 'g'), column: 'b out', valueType: 'STRING' }],
            labels: { path: labels, passthrough: ['entity_key', 'note', 'label'] },
            output: { path: output, format },
          });
          expect(written).toBe(3);
          const reader = format === 'parquet' ? `read_parquet('${output}')` : `read_csv('${output}', header = true)`;
          const rows = await withConnection(db, async (c) => (await c.runAndReadAll(`SELECT * FROM ${reader}`)).getRowObjectsJS());
          expect(rows).toEqual([
            { entity_key: 'k1', note: 'y', label: false, a: null, 'b out': null },
            { entity_key: 'k1', note: 'x', label: true, a: 11n, 'b out': 'one' },
            { entity_key: 'nobody', note: 'z', label: null, a: null, 'b out': null },
          ]);
        }
      } finally {
        db.closeSync();
        rmSync(dir, { recursive: true, force: true });
      }
    });

    it('writes passthrough label columns under other names when asked (a label file keeps its own key and time names)', async () => {
      const { mkdtempSync, rmSync } = await import('node:fs');
      const { tmpdir } = await import('node:os');
      const { join } = await import('node:path');
      const { openDuckDb, withConnection } = await import('../../src/storage/duckdb/duckdb-session.js');
      const dir = mkdtempSync(join(tmpdir(), 'fstore-pit-names-'));
      const db = await openDuckDb(':memory:');
      try {
        const labels = join(dir, 'labels.parquet');
        await withConnection(db, (c) =>
          c.run(`COPY (SELECT * FROM (VALUES (0, 'k1', ${T0 + 1.5 * H}, 'x')) AS t(row_idx, entity_key, label_time_ms, note)) TO '${labels}' (FORMAT parquet)`),
        );
        const output = join(dir, 'out.parquet');
        await store.pointInTimeToFile({
          entity,
          features: [{ ...ref('a', 'g'), column: 'a', valueType: 'INT' }],
          labels: { path: labels, passthrough: [{ column: 'entity_key', as: 'user id' }, { column: 'label_time_ms', as: 'when' }, 'note'] },
          output: { path: output, format: 'parquet' },
        });
        const rows = await withConnection(db, async (c) => (await c.runAndReadAll(`SELECT * FROM read_parquet('${output}')`)).getRowObjectsJS());
        expect(rows).toEqual([{ 'user id': 'k1', when: BigInt(T0 + 1.5 * H), note: 'x', a: 11n }]);
      } finally {
        db.closeSync();
        rmSync(dir, { recursive: true, force: true });
      }
    });

    it('writes typed Parquet files (the bulk path): repeats merged by seq, gaps carried, mixed with JSON chunks', async () => {
      const { mkdtempSync, rmSync } = await import('node:fs');
      const { tmpdir } = await import('node:os');
      const { join } = await import('node:path');
      const { openDuckDb, withConnection } = await import('../../src/storage/duckdb/duckdb-session.js');
      const dir = mkdtempSync(join(tmpdir(), 'fstore-bulk-'));
      const db = await openDuckDb(':memory:');
      try {
        const file = join(dir, 'rows.parquet');
        // k at T0 twice (the later seq wins per feature; pa's NULL there keeps the earlier 1), k at T0+1h with pb only.
        await withConnection(db, (c) =>
          c.run(`COPY (SELECT * FROM (VALUES ('k', ${T0}, 0, 1::BIGINT, 'x'), ('k', ${T0}, 1, NULL::BIGINT, 'y'), ('k', ${T0 + H}, 2, NULL::BIGINT, 'z'))
                  AS t(entity_key, event_time_ms, seq, pa, pb)) TO '${file}' (FORMAT parquet)`),
        );
        const types = [{ feature: 'pa', valueType: 'INT' as const }, { feature: 'pb', valueType: 'STRING' as const }];
        const writer = await store.beginWrite(entity, 'bulk', Date.now());
        await writer.appendParquet(file, types);
        expect(await writer.commit()).toBe(3);
        const rows = await collect(store.pointInTime({ entity, features: [ref('pa', 'bulk'), ref('pb', 'bulk')], entityKeys: ['k', 'k'], times: [T0, T0 + H] }));
        expect(rows).toEqual([['1', '"y"'], ['1', '"z"']]);
        // A Parquet file, then JSON chunks, in one write: later chunks win ties.
        const mixed = await store.beginWrite(entity, 'bulk', Date.now());
        await mixed.appendParquet(file, types);
        await mixed.append(batch('bulk', [['k', T0 + H, { pa: '5' }]]));
        await mixed.appendParquet(file, types);
        expect(await mixed.commit()).toBe(4);
        const after = await collect(store.pointInTime({ entity, features: [ref('pa', 'bulk'), ref('pb', 'bulk')], entityKeys: ['k'], times: [T0 + H] }));
        expect(after).toEqual([['5', '"z"']]);
      } finally {
        db.closeSync();
        rmSync(dir, { recursive: true, force: true });
      }
    });

    it('writes a typed Parquet file with the facts its caller measured exactly as without them (dense, repeated, later than stored)', async () => {
      const { mkdtempSync, rmSync } = await import('node:fs');
      const { tmpdir } = await import('node:os');
      const { join } = await import('node:path');
      const { openDuckDb, withConnection } = await import('../../src/storage/duckdb/duckdb-session.js');
      const dir = mkdtempSync(join(tmpdir(), 'fstore-facts-'));
      const db = await openDuckDb(':memory:');
      const types = [{ feature: 'fa', valueType: 'INT' as const }, { feature: 'fb', valueType: 'STRING' as const }];
      const file = async (name: string, rows: string) => {
        const path = join(dir, name);
        await withConnection(db, (c) => c.run(`COPY (SELECT * FROM (VALUES ${rows}) AS t(entity_key, event_time_ms, seq, fa, fb)) TO '${path}' (FORMAT parquet)`));
        return path;
      };
      const write = async (path: string, facts: ParquetFacts) => {
        const writer = await store.beginWrite(entity, 'facts', Date.now());
        await writer.appendParquet(path, types, undefined, facts);
        return writer.commit();
      };
      const read = (times: number[]) => collect(store.pointInTime({ entity, features: [ref('fa', 'facts'), ref('fb', 'facts')], entityKeys: times.map(() => 'k'), times }));
      try {
        // Dense and unique: the bulk path.
        const first = await file('first.parquet', `('k', ${T0}, 0, 1::BIGINT, 'a'), ('j', ${T0}, 1, 2::BIGINT, 'b')`);
        expect(await write(first, { rows: 2, values: [2, 2], repeatedKeyTimes: false, oldestEventMs: T0 })).toBe(4);
        // Dense with a repeat, at and after stored times: the later seq wins, the stored row at T0 is replaced.
        const second = await file('second.parquet', `('k', ${T0}, 0, 3::BIGINT, 'c'), ('k', ${T0}, 1, 4::BIGINT, 'd'), ('k', ${T0 + H}, 2, 5::BIGINT, 'e')`);
        expect(await write(second, { rows: 3, values: [3, 3], repeatedKeyTimes: true, oldestEventMs: T0 })).toBe(4);
        expect(await read([T0, T0 + H])).toEqual([['4', '"d"'], ['5', '"e"']]);
        // Not dense (fb missing in one row): the facts cannot say which rows write nothing, so the store measures.
        const third = await file('third.parquet', `('k', ${T0 + 2 * H}, 0, 6::BIGINT, NULL::VARCHAR)`);
        expect(await write(third, { rows: 1, values: [1, 0], repeatedKeyTimes: false, oldestEventMs: T0 + 2 * H })).toBe(1);
        expect(await read([T0 + 2 * H])).toEqual([['6', '"e"']]);
      } finally {
        db.closeSync();
        rmSync(dir, { recursive: true, force: true });
      }
    });

    it('exports a group table as a snapshot file', async () => {
      const { mkdtempSync, rmSync } = await import('node:fs');
      const { tmpdir } = await import('node:os');
      const { join } = await import('node:path');
      const dir = mkdtempSync(join(tmpdir(), 'fstore-export-'));
      try {
        expect(await store.exportGroup('sparse', { path: join(dir, 'sparse.parquet'), format: 'parquet' })).toBe(4);
        expect(await store.exportGroup('sparse', { path: join(dir, 'sparse.csv'), format: 'csv' }, { carriedTimes: true })).toBe(4);
        expect(await store.exportGroup('no_such_group', { path: join(dir, 'none.parquet'), format: 'parquet' })).toBe(0);
        const { openDuckDb, withConnection } = await import('../../src/storage/duckdb/duckdb-session.js');
        const db = await openDuckDb(':memory:');
        try {
          const read = (sql: string) => withConnection(db, async (c) => (await c.runAndReadAll(sql)).getRowObjectsJS());
          // The view: states by feature name, no bookkeeping.
          expect(await read(`SELECT entity_key, epoch_ms(event_time) AS t, sa, sb FROM '${join(dir, 'sparse.parquet')}'`)).toEqual([
            { entity_key: 'k', t: BigInt(T0), sa: 1n, sb: null },
            { entity_key: 'k', t: BigInt(T0 + H), sa: 1n, sb: 'one' },
            { entity_key: 'k', t: BigInt(T0 + 2 * H), sa: 2n, sb: 'two' },
            { entity_key: 'k', t: BigInt(T0 + 4 * H), sa: 3n, sb: 'two' },
          ]);
          const columns = await read(`SELECT column_name FROM (DESCRIBE SELECT * FROM read_csv('${join(dir, 'sparse.csv')}', header = true))`);
          expect(columns.length).toBe(7); // key, time, ingested_at, and a value and a carried time per feature
          expect(await read(`SELECT count(*) AS n FROM '${join(dir, 'none.parquet')}'`)).toEqual([{ n: 0n }]);
        } finally {
          db.closeSync();
        }
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });

    it('refuses names that are not registry names before they reach SQL', async () => {
      await expect(store.write({ ...batch('ok', [['k', T0, { a: '1' }]]), featureGroup: 'g"; DROP TABLE x; --' }, Date.now())).rejects.toThrow(/cannot be a table or column/);
      await expect(
        store.write({ entity, featureGroup: 'hostile', entityKeys: ['k'], eventTimes: [T0], columns: [{ feature: 'a" INT); --', valueType: 'INT', values: ['1'] }] }, Date.now()),
      ).rejects.toThrow(/cannot be a table or column/);
    });

    describe('monitoring aggregates', () => {
      // Group m, day 1 (2025-01-01): mx = 1, 2, 2, 3, 10 (INT), my = "a","a","b","c" (STRING).
      // Day 2 (2025-01-02): mx = 4. Outside the window (2024-12-31): mx = 100.
      const D = 24 * H;
      const all = { entity, features: ['mx', 'my'], start: T0, end: T0 + 2 * D - 1 };
      beforeAll(async () => {
        await store.write(
          batch('m', [
            ['m1', T0, { mx: '1', my: '"a"' }],
            ['m2', T0, { mx: '2', my: '"a"' }],
            ['m3', T0 + H, { mx: '2', my: '"b"' }],
            ['m4', T0 + 2 * H, { mx: '3', my: '"c"' }],
            ['m5', T0 + 3 * H, { mx: '10' }],
            ['m1', T0 + D, { mx: '4' }],
            ['m1', T0 - D, { mx: '100' }],
          ]),
          Date.now(),
        );
      });

      it('summarizes numbers and values in a window', async () => {
        const [x, y, none] = await store.summarize({ ...all, features: ['mx', 'my', 'nothing'], probabilities: [0, 0.5, 0.75, 1] });
        // x in window: 1, 2, 2, 3, 10, 4 -> mean 22/6; sample variance = sum((v - 11/3)^2) / 5
        const values = [1, 2, 2, 3, 10, 4];
        const mean = 22 / 6;
        const std = Math.sqrt(values.reduce((s, v) => s + (v - mean) ** 2, 0) / 5);
        expect(x).toMatchObject({ feature: 'mx', count: 6, numeric: 6, min: 1, max: 10, distinct: 5 });
        expect(x!.mean).toBeCloseTo(mean, 12);
        expect(x!.std).toBeCloseTo(std, 12);
        // sorted 1,2,2,3,4,10: median = (2 + 3) / 2; p75 at rank 3.75 -> 3 + 0.75 * (4 - 3)
        expect(x!.quantiles).toEqual([1, 2.5, 3.75, 10]);
        expect(y).toMatchObject({ feature: 'my', count: 4, numeric: 0, min: null, max: null, distinct: 3 });
        expect(none).toEqual({ feature: 'nothing', count: 0, numeric: 0, min: null, max: null, mean: null, std: null, quantiles: [null, null, null, null], distinct: 0 });
      });

      it('counts numbers on a uniform grid per window, with bins below and above it', async () => {
        const windows = [{ start: T0, end: T0 + D - 1 }, { start: T0 + D, end: T0 + 2 * D - 1 }, { start: T0 - 2 * D, end: T0 - 1 }];
        const grids = [{ lo: 2, hi: 4, bins: 2 }, { lo: 0, hi: 10, bins: 5 }];
        const [day1, day2, before] = await store.histogram({ entity, features: ['mx', 'my'], windows, grids });
        // Day 1 mx: 1, 2, 2, 3, 10 on [2, 4) in 2 bins: below 2 | [2, 3) | [3, 4) | at or above 4
        expect(day1).toEqual([[1, 2, 1, 1], [0, 0, 0, 0, 0, 0, 0]]); // my is text: no numbers
        expect(day2).toEqual([[0, 0, 0, 1], [0, 0, 0, 0, 0, 0, 0]]);
        expect(before).toEqual([[0, 0, 0, 1], [0, 0, 0, 0, 0, 0, 0]]); // 100, the day before
        // Overlapping windows each count their own values.
        const [both, second] = await store.histogram({ entity, features: ['mx'], windows: [{ start: T0, end: T0 + 2 * D - 1 }, { start: T0 + D, end: T0 + 2 * D - 1 }], grids: [grids[0]!] });
        expect(both).toEqual([[1, 2, 1, 2]]);
        expect(second).toEqual([[0, 0, 0, 1]]);
        // Windows with a gap between them (given latest first): values in the gap count in neither.
        const [late, early] = await store.histogram({ entity, features: ['mx'], windows: [{ start: T0 + 2 * H, end: T0 + D }, { start: T0 - 2 * D, end: T0 - D - 1 }], grids: [grids[0]!] });
        expect(late).toEqual([[0, 0, 1, 2]]); // 3, 10, 4; the gap holds 100, 1, 2, 2
        expect(early).toEqual([[0, 0, 0, 0]]);
      });

      it('estimates quantiles of the numbers', async () => {
        const [x, y, none] = await store.quantiles({ ...all, features: ['mx', 'my', 'nothing'], probabilities: [0, 1] });
        expect(x).toEqual({ count: 6, quantiles: [1, 10] });
        expect(y).toEqual({ count: 0, quantiles: [null, null] });
        expect(none).toEqual({ count: 0, quantiles: [null, null] });
      });

      it('lists the most frequent values', async () => {
        const [x, y] = await store.topValues({ ...all, limit: 2 });
        expect(x).toEqual([{ value: '2', count: 2 }, { value: '1', count: 1 }]);
        expect(y).toEqual([{ value: '"a"', count: 2 }, { value: '"b"', count: 1 }]);
      });

      it('counts rows: distinct (key, event time) with any of the features', async () => {
        // mx rows in the window: 6 (m1@0, m2@0, m3@1h, m4@2h, m5@3h, m1@1d); my adds none of its own.
        expect(await store.countRows({ ...all })).toBe(6);
        expect(await store.countRows({ ...all, features: ['my'] })).toBe(4);
      });

      it('counts distinct keys in a window', async () => {
        expect(await store.countKeys({ ...all })).toBe(5); // m1..m5
        expect(await store.countKeys({ ...all, start: T0 + D })).toBe(1); // only m1 on day 2
        expect(await store.countKeys({ ...all, features: ['my'] })).toBe(4);
      });

      it('lists the newest written values of a feature, newest first, ties by key', async () => {
        const newest = await store.newestValues({ entity, feature: 'mx', limit: 7 });
        expect(newest).toEqual([
          { entityKey: 'm1', eventTime: T0 + D, value: '4' },
          { entityKey: 'm5', eventTime: T0 + 3 * H, value: '10' },
          { entityKey: 'm4', eventTime: T0 + 2 * H, value: '3' },
          { entityKey: 'm3', eventTime: T0 + H, value: '2' },
          { entityKey: 'm1', eventTime: T0, value: '1' },
          { entityKey: 'm2', eventTime: T0, value: '2' },
          { entityKey: 'm1', eventTime: T0 - D, value: '100' },
        ]);
        expect(await store.newestValues({ entity, feature: 'mx', limit: 2 })).toEqual(newest.slice(0, 2));
        // my was not written at m5's time (its cell there is NULL, not a value).
        expect(await store.newestValues({ entity, feature: 'my', limit: 1 })).toEqual([{ entityKey: 'm4', eventTime: T0 + 2 * H, value: '"c"' }]);
        expect(await store.newestValues({ entity, feature: 'nothing', limit: 5 })).toEqual([]);
      });

      it('summarizes per UTC day of event time', async () => {
        const days = await store.daily({ ...all, features: ['mx'] });
        expect(days).toEqual([
          { feature: 'mx', day: '2025-01-01', count: 5, numeric: 5, mean: 18 / 5, min: 1, max: 10 },
          { feature: 'mx', day: '2025-01-02', count: 1, numeric: 1, mean: 4, min: 4, max: 4 },
        ]);
      });
    });

    it("never shows readers a group's new table or columns before the write creating them commits", { timeout: 120_000 }, async () => {
      // A first write of a new group, large enough that its commit takes a while (100-200 ms here), with reads of its
      // features running on other connections the whole time: each read sees the group either not
      // at all (no values yet) or whole, never a column it cannot query (that was a 500).
      const rows = 20_000;
      const keys = Array.from({ length: rows }, (_, i) => `race-${i}`);
      const values = (f: number) => keys.map((_, i) => String((i * (f + 3)) % 997));
      const writer = await store.beginWrite(entity, 'race_new', Date.now());
      await writer.append({
        entity,
        featureGroup: 'race_new',
        entityKeys: keys,
        eventTimes: keys.map((_, i) => T0 + i),
        columns: [0, 1, 2].map((f) => ({ feature: `race_f${f}`, valueType: 'INT' as const, values: values(f) })),
      });
      const features = ['race_f0', 'race_f1', 'race_f2'];
      const window = { entity, features, start: T0 - H, end: T0 + rows + H };
      let committed = false;
      let readsDuringCommit = 0;
      const commit = writer.commit().finally(() => (committed = true));
      while (!committed) {
        const [keysSeen, newest] = await Promise.all([store.countKeys(window), store.newestValues({ entity, feature: 'race_f1', limit: 1 })]);
        expect([0, rows]).toContain(keysSeen);
        expect(newest.length === 0 || newest[0]!.entityKey === keys[rows - 1]).toBe(true);
        if (!committed) readsDuringCommit++;
        // Reads of a group the catalog does not list yet answer without I/O: let the commit run.
        await new Promise((resolve) => setImmediate(resolve));
      }
      expect(await commit).toBe(3 * rows);
      expect(readsDuringCommit, 'no read ran while the commit did: the test proved nothing').toBeGreaterThan(0);
      expect(await store.countKeys(window)).toBe(rows);
    });
  });
}
