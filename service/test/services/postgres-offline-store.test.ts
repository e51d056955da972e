/**
 * The PostgreSQL offline store beyond the shared conformance suite: its limits, text that COPY
 * must carry verbatim, the JSON forms of doubles, and a differential test against the embedded
 * store (the reference implementation of the layout's semantics) over random sparse, late,
 * duplicated and chunked writes through both write paths (JSON chunks and typed Parquet files).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import type { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ValueType } from '@shared/domain/value-types.js';
import { quoteLiteral } from '../../src/staging/typed-sql.js';
import { openDuckDb, withConnection } from '../../src/storage/duckdb/duckdb-session.js';
import { DuckDbOfflineStore } from '../../src/storage/embedded/duckdb-offline-store.js';
import { duckColumnType } from '../../src/storage/offline-layout.js';
import type { FeatureRef, OfflineBatch, OfflineStore } from '../../src/storage/offline-store.js';
import { PostgresOfflineStore } from '../../src/storage/postgres/postgres-offline-store.js';
import { pgFloatJson } from '../../src/storage/postgres/postgres-typed-values.js';
import { freshPostgresDatabase } from './service-urls.js';

const H = 3_600_000;
const T0 = Date.parse('2025-01-01T00:00:00Z');

async function collect<T>(iterable: AsyncIterable<T[]>): Promise<T[]> {
  const out: T[] = [];
  for await (const chunk of iterable) out.push(...chunk);
  return out;
}

/** A seeded generator (mulberry32): the same writes on every run. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Text COPY and CSV must carry verbatim (and keep apart from NULL). */
const HOSTILE_TEXT = ['', 'tab\there', 'new\nline', 'cr\rlf\r\n', 'back\\slash', '\\N', '"quoted"', "it's", 'a,b', ' lead', 'ção ✓', '\\', 'NULL', '\u0001ctl'];

const pgDb = freshPostgresDatabase();
let pgStore: PostgresOfflineStore;
let duck: DuckDBInstance;
const dir = mkdtempSync(join(tmpdir(), 'fstore-pg-offline-'));

beforeAll(async () => {
  pgStore = await PostgresOfflineStore.open((await pgDb).url);
  duck = await openDuckDb(':memory:');
});
afterAll(async () => {
  await pgStore.close();
  duck.closeSync();
  await (await pgDb).drop();
  rmSync(dir, { recursive: true, force: true });
});

/** Writes rows [key, time ms, seq, ...values as DuckDB SQL literals] as the typed Parquet file appendParquet reads. */
async function parquetOf(name: string, columns: { feature: string; valueType: ValueType }[], select: string): Promise<string> {
  const path = join(dir, `${name}.parquet`);
  await withConnection(duck, (c) =>
    c.run(
      `COPY (SELECT CAST(entity_key AS VARCHAR) AS entity_key, CAST(event_time_ms AS BIGINT) AS event_time_ms, CAST(seq AS BIGINT) AS seq,
                    ${columns.map((col) => `CAST("${col.feature}" AS ${duckColumnType(col.valueType)}) AS "${col.feature}"`).join(', ')}
             FROM (${select})) TO '${path}' (FORMAT parquet)`,
    ),
  );
  return path;
}

describe('PostgreSQL offline store', () => {
  it('refuses a 799th feature in one table with a clear error, leaving the table as it was', async () => {
    const columns = (from: number, n: number) => Array.from({ length: n }, (_, i) => ({ feature: `w${from + i}`, valueType: 'INT' as const, values: ['1'] }));
    const batch = (cols: OfflineBatch['columns']): OfflineBatch => ({ entity: 'e', featureGroup: 'wide', entityKeys: ['k'], eventTimes: [T0], columns: cols });
    expect(await pgStore.write(batch(columns(0, 798)), Date.now())).toBe(798);
    await expect(pgStore.write(batch(columns(798, 1)), Date.now())).rejects.toThrow(/at most 798/);
    expect(await pgStore.countValues('e', 'wide')).toBe(798);
    const rows = await collect(pgStore.pointInTime({ entity: 'e', features: [{ name: 'w797', group: 'wide', ttlSeconds: null }], entityKeys: ['k'], times: [T0] }));
    expect(rows).toEqual([['1']]);
  }, 120_000);

  it('carries keys and text verbatim through COPY on both write paths, empty text apart from NULL', async () => {
    const keys = HOSTILE_TEXT.map((s) => `k${s}`).concat(['']);
    const values = keys.map((_, i) => HOSTILE_TEXT[i % HOSTILE_TEXT.length]!);
    // JSON chunks.
    await pgStore.write(
      { entity: 'e', featureGroup: 'texts', entityKeys: keys, eventTimes: keys.map(() => T0), columns: [{ feature: 'tx', valueType: 'STRING', values: values.map((v) => JSON.stringify(v)) }] },
      Date.now(),
    );
    // A typed Parquet file, one hour later, with a NULL (not written) in the last row.
    const literal = (s: string) => quoteLiteral(s);
    const rows = keys.map((k, i) => `(${literal(k)}, ${T0 + H}, ${i}, ${i === keys.length - 1 ? 'NULL' : literal(`p${values[i]}`)}, ${literal(values[i]!)})`);
    const path = await parquetOf('texts', [{ feature: 'tx', valueType: 'STRING' }, { feature: 'ty', valueType: 'STRING' }], `SELECT * FROM (VALUES ${rows.join(', ')}) t(entity_key, event_time_ms, seq, tx, ty)`);
    const writer = await pgStore.beginWrite('e', 'texts', Date.now());
    await writer.appendParquet(path, [{ feature: 'tx', valueType: 'STRING' }, { feature: 'ty', valueType: 'STRING' }]);
    expect(await writer.commit()).toBe(2 * keys.length - 1);

    const refs: FeatureRef[] = [{ name: 'tx', group: 'texts', ttlSeconds: null }, { name: 'ty', group: 'texts', ttlSeconds: null }];
    const at = async (time: number) => collect(pgStore.pointInTime({ entity: 'e', features: refs, entityKeys: keys, times: keys.map(() => time) }));
    expect(await at(T0)).toEqual(values.map((v) => [JSON.stringify(v), null]));
    expect(await at(T0 + H)).toEqual(
      values.map((v, i) => [i === keys.length - 1 ? JSON.stringify(v) : JSON.stringify(`p${v}`), JSON.stringify(v)]), // the NULL carries the older value
    );

    // The same through the file paths: labels from Parquet, typed output in Parquet and CSV.
    const labels = join(dir, 'text-labels.parquet');
    await withConnection(duck, (c) =>
      c.run(`COPY (SELECT * FROM (VALUES ${keys.map((k, i) => `(${i}, ${literal(k)}, ${T0 + H})`).join(', ')}) t(row_idx, entity_key, label_time_ms)) TO '${labels}' (FORMAT parquet)`),
    );
    for (const format of ['parquet', 'csv'] as const) {
      const output = join(dir, `text-out.${format}`);
      const features = refs.map((r) => ({ ...r, column: r.name, valueType: 'STRING' as const }));
      expect(await pgStore.pointInTimeToFile({ entity: 'e', features, labels: { path: labels, passthrough: ['entity_key'] }, output: { path: output, format } })).toBe(keys.length);
      const reader = format === 'parquet' ? `read_parquet('${output}')` : `read_csv('${output}', header = true, all_varchar = true, allow_quoted_nulls = false)`;
      const back = await withConnection(duck, async (c) => (await c.runAndReadAll(`SELECT entity_key, tx, ty FROM ${reader}`)).getRowsJS());
      expect(back).toEqual(keys.map((k, i) => [k, i === keys.length - 1 ? values[i] : `p${values[i]}`, values[i]]));
    }
    const snapshot = join(dir, 'texts-export.parquet');
    expect(await pgStore.exportGroup('texts', { path: snapshot, format: 'parquet' })).toBe(2 * keys.length);
    const exported = await withConnection(duck, async (c) => (await c.runAndReadAll(`SELECT entity_key, tx FROM read_parquet('${snapshot}') WHERE event_time = make_timestamptz(${T0 * 1000}::BIGINT)`)).getRowsJS());
    expect(new Map(exported as [string, string][])).toEqual(new Map(keys.map((k, i) => [k, values[i]!])));
  });

  it('writes doubles as the embedded store does: same JSON text, exact values through Parquet', async () => {
    const next = random(7);
    const doubles: number[] = [0, -0, 0.1, 3, -2, 1e15, 1e16, Number('123456789012345678'), 1e20, 1e21, 1.5e300, 1e-5, 1e-6, 1e-7, 2.5e-10, 5e-324, Number.MAX_VALUE, 0.30000000000000004, Number('1234567890123456.7')];
    for (let i = 0; i < 400; i++) {
      const bits = new DataView(new ArrayBuffer(8));
      bits.setUint32(0, Math.floor(next() * 2 ** 32));
      bits.setUint32(4, Math.floor(next() * 2 ** 32));
      const d = bits.getFloat64(0);
      if (Number.isFinite(d)) doubles.push(d);
      doubles.push((next() - 0.5) * 10 ** Math.floor(next() * 40 - 20));
    }
    const path = await parquetOf('doubles', [{ feature: 'dv', valueType: 'FLOAT' }], `SELECT * FROM (VALUES ${doubles.map((d, i) => `('d${i}', ${T0}, 0, CAST('${Object.is(d, -0) ? '-0.0' : d.toString()}' AS DOUBLE))`).join(', ')}) t(entity_key, event_time_ms, seq, dv)`);
    const writer = await pgStore.beginWrite('e', 'doubles', Date.now());
    await writer.appendParquet(path, [{ feature: 'dv', valueType: 'FLOAT' }]);
    expect(await writer.commit()).toBe(doubles.length);
    const keys = doubles.map((_, i) => `d${i}`);
    const rows = await collect(pgStore.pointInTime({ entity: 'e', features: [{ name: 'dv', group: 'doubles', ttlSeconds: null }], entityKeys: keys, times: keys.map(() => T0) }));
    const expected = await withConnection(duck, async (c) =>
      (await c.runAndReadAll(`SELECT CAST(to_json(dv) AS VARCHAR) FROM read_parquet('${path}') ORDER BY CAST(substr(entity_key, 2) AS INTEGER)`)).getRowsJS().map((r) => r[0]),
    );
    expect(rows.map((r) => r[0])).toEqual(expected);
    expect(rows.map((r) => Object.is(Number(r[0]), -0) ? -0 : Number(r[0]))).toEqual(doubles);
    // The expression alone, on PostgreSQL's own doubles.
    const c = new pg.Client({ connectionString: (await pgDb).url });
    await c.connect();
    try {
      const text = await c.query({ text: `SELECT ${pgFloatJson('x')} FROM unnest($1::text[]::float8[]) WITH ORDINALITY u(x, i) ORDER BY i`, values: [doubles.map((d) => (Object.is(d, -0) ? '-0' : String(d)))], rowMode: 'array' });
      expect(text.rows.map((r: unknown[]) => r[0])).toEqual(expected);
    } finally {
      await c.end();
    }
  });
});

describe('PostgreSQL offline store: session defaults', () => {
  it('gives the same values and text forms whatever the database sets for dates, zones and floats', async () => {
    const other = await freshPostgresDatabase();
    const admin = new pg.Client({ connectionString: other.url });
    await admin.connect();
    const name = new URL(other.url).pathname.slice(1);
    for (const setting of ["DateStyle = 'SQL, DMY'", "TimeZone = 'America/Sao_Paulo'", 'extra_float_digits = -3', "IntervalStyle = 'sql_standard'"]) {
      await admin.query(`ALTER DATABASE ${name} SET ${setting}`);
    }
    await admin.end();
    const store = await PostgresOfflineStore.open(other.url);
    try {
      const columns = [
        { feature: 'sd_float', valueType: 'FLOAT' as const, json: '0.30000000000000004' },
        { feature: 'sd_date', valueType: 'DATE' as const, json: '"2024-02-29"' },
        { feature: 'sd_ts', valueType: 'TIMESTAMP' as const, json: '"2025-03-04T05:06:07.089Z"' },
      ];
      await store.write({ entity: 'e', featureGroup: 'sd', entityKeys: ['k'], eventTimes: [T0], columns: columns.map((c) => ({ ...c, values: [c.json] })) }, Date.now());
      const path = await parquetOf('session-defaults', columns, `SELECT 'j' AS entity_key, ${T0 + 1} AS event_time_ms, 0 AS seq, CAST('0.30000000000000004' AS DOUBLE) AS sd_float, DATE '2024-02-29' AS sd_date, TIMESTAMPTZ '2025-03-04 05:06:07.089Z' AS sd_ts`);
      const writer = await store.beginWrite('e', 'sd', Date.now());
      await writer.appendParquet(path, columns);
      await writer.commit();
      const refs = columns.map((c) => ({ name: c.feature, group: 'sd', ttlSeconds: null }));
      const rows = await collect(store.pointInTime({ entity: 'e', features: refs, entityKeys: ['k', 'j'], times: [T0, T0 + 1] }));
      expect(rows).toEqual([columns.map((c) => c.json), columns.map((c) => c.json)]);
      const latest = await collect(store.latest({ entity: 'e', features: columns.map((c) => c.feature) }));
      expect(latest.map((r) => [r[0], r[2], r[3]])).toEqual([
        ['j', '"2024-02-29"', T0 + 1],
        ['j', '0.30000000000000004', T0 + 1],
        ['j', '"2025-03-04T05:06:07.089Z"', T0 + 1],
        ['k', '"2024-02-29"', T0],
        ['k', '0.30000000000000004', T0],
        ['k', '"2025-03-04T05:06:07.089Z"', T0],
      ]);
      const labels = join(dir, 'sd-labels.parquet');
      await withConnection(duck, (c) => c.run(`COPY (SELECT 0 AS row_idx, 'k' AS entity_key, ${T0} AS label_time_ms) TO '${labels}' (FORMAT parquet)`));
      const output = join(dir, 'sd-out.parquet');
      await store.pointInTimeToFile({ entity: 'e', features: columns.map((c, i) => ({ ...refs[i]!, column: c.feature, valueType: c.valueType })), labels: { path: labels, passthrough: [] }, output: { path: output, format: 'parquet' } });
      const back = await withConnection(duck, async (c) =>
        (await c.runAndReadAll(`SELECT CAST(sd_float AS VARCHAR), CAST(sd_date AS VARCHAR), CAST(epoch_ms(sd_ts) AS VARCHAR) FROM read_parquet('${output}')`)).getRowsJS(),
      );
      expect(back).toEqual([['0.30000000000000004', '2024-02-29', String(Date.parse('2025-03-04T05:06:07.089Z'))]]);
      const [day] = await store.daily({ entity: 'e', features: ['sd_float'], start: T0 - H, end: T0 + H });
      expect(day?.day).toBe('2025-01-01');
    } finally {
      await store.close();
      await other.drop();
    }
  });
});

describe('PostgreSQL offline store: value type changes', () => {
  const write = (feature: string, valueType: ValueType, time: number, json: string) =>
    pgStore.write({ entity: 'e', featureGroup: 'types_pg', entityKeys: ['k'], eventTimes: [time], columns: [{ feature, valueType, values: [json] }] }, Date.now());
  const read = async (feature: string, times: number[]) =>
    (await collect(pgStore.pointInTime({ entity: 'e', features: [{ name: feature, group: 'types_pg', ttlSeconds: null }], entityKeys: times.map(() => 'k'), times }))).map((r) => r[0]);
  const columns = async () => {
    const c = new pg.Client({ connectionString: (await pgDb).url });
    await c.connect();
    try {
      const r = await c.query(
        `SELECT column_name, data_type, col_description('fstore_offline.types_pg'::regclass, ordinal_position::int) AS comment
         FROM information_schema.columns WHERE table_schema = 'fstore_offline' AND table_name = 'types_pg' ORDER BY ordinal_position`,
      );
      return r.rows as { column_name: string; data_type: string; comment: string | null }[];
    } finally {
      await c.end();
    }
  };

  it('converts in place when every stored value converts', async () => {
    await write('ti', 'INT', T0, '10');
    await write('ti', 'FLOAT', T0 + H, '2.5');
    expect(await read('ti', [T0, T0 + H])).toEqual(['10.0', '2.5']);
    await write('tl', 'INT_LIST', T0, '[1,2]');
    await write('tl', 'FLOAT_LIST', T0 + H, '[1.5]');
    expect((await read('tl', [T0, T0 + H])).map((v) => JSON.parse(v!))).toEqual([[1, 2], [1.5]]);
    const cols = await columns();
    expect(cols.find((c) => c.column_name === 'ti')?.data_type).toBe('double precision');
    expect(cols.find((c) => c.column_name === 'tl')?.comment).toBe('fstore:FLOAT_LIST');
    expect(cols.some((c) => c.column_name.startsWith('_retired_'))).toBe(false);
  });

  it('keeps a column whose values do not convert under a retired name and starts a new one', async () => {
    await write('ts', 'STRING', T0, '"abc"');
    await write('ts', 'INT', T0 + H, '7');
    expect(await read('ts', [T0, T0 + H])).toEqual([null, '7']);
    await write('tl', 'STRING_LIST', T0 + 2 * H, '["x"]');
    expect(await read('tl', [T0 + H, T0 + 2 * H])).toEqual([null, '["x"]']);
    const retired = (await columns()).filter((c) => c.column_name.startsWith('_retired_')).map((c) => [c.column_name.replace(/_\d+_/, '_N_'), c.data_type]);
    expect(retired.sort()).toEqual([
      ['_retired_N_tl', 'jsonb'],
      ['_retired_N_tl_time', 'timestamp with time zone'],
      ['_retired_N_ts', 'text'],
      ['_retired_N_ts_time', 'timestamp with time zone'],
    ]);
    expect(await pgStore.countValues('e', 'types_pg')).toBe(4); // ti x2, tl: ["x"], ts: 7; retired columns are not features
  });
});

describe('PostgreSQL offline store: concurrent writers of one group', () => {
  it('serialises merges, so concurrent sparse and late writes end as if applied one after another', async () => {
    const embedded = await DuckDbOfflineStore.open(join(dir, 'concurrent.duckdb'));
    try {
      // 12 writers, each its own feature subset and times (no cell is written twice), all keys.
      const writes: OfflineBatch[] = Array.from({ length: 12 }, (_, w) => ({
        entity: 'e',
        featureGroup: 'conc',
        entityKeys: ['a', 'b', 'c'],
        eventTimes: [T0 + ((w * 7) % 12) * H, T0 + ((w * 5) % 12) * H + 1, T0 + w * H + 2],
        columns: [{ feature: `c${w % 3}`, valueType: 'INT' as const, values: [String(w), null, String(100 + w)] }, { feature: 'cz', valueType: 'INT' as const, values: [null, String(w), null] }],
      }));
      for (const batch of writes) await embedded.write(batch, T0);
      await Promise.all(writes.map((batch) => pgStore.write(batch, T0)));
      const query = {
        entity: 'e',
        features: ['c0', 'c1', 'c2', 'cz'].map((name) => ({ name, group: 'conc', ttlSeconds: null })),
        entityKeys: ['a', 'b', 'c'].flatMap((k) => Array.from({ length: 30 }, () => k)),
        times: ['a', 'b', 'c'].flatMap(() => Array.from({ length: 30 }, (_, i) => T0 + (i * H) / 2)),
      };
      expect(await collect(pgStore.pointInTime(query))).toEqual(await collect(embedded.pointInTime(query)));
      expect(await pgStore.countValues('e', 'conc')).toBe(await embedded.countValues('e', 'conc'));
    } finally {
      await embedded.close();
    }
  });
});

// ---- differential test against the embedded store ----

const TYPES: Record<string, ValueType> = { fa: 'INT', fb: 'FLOAT', fc: 'STRING', fd: 'BOOL', fe: 'INT_LIST', ff: 'TIMESTAMP', fg: 'DATE' };
const FEATURES = Object.keys(TYPES);
const KEYS = ['k0', 'k1', 'k2', 'k\t3', 'k4'];

function jsonValue(feature: string, next: () => number): string {
  switch (TYPES[feature]) {
    case 'INT':
      return String(Math.floor((next() - 0.5) * 1e6));
    case 'FLOAT':
      return next() < 0.2 ? `${Math.floor(next() * 100)}.0` : String(Math.round((next() - 0.5) * 1e6) / 1000);
    case 'STRING':
      return JSON.stringify(HOSTILE_TEXT[Math.floor(next() * HOSTILE_TEXT.length)]);
    case 'BOOL':
      return next() < 0.5 ? 'true' : 'false';
    case 'INT_LIST':
      return JSON.stringify(Array.from({ length: Math.floor(next() * 3) }, () => Math.floor(next() * 100)));
    case 'DATE':
      return JSON.stringify(new Date(T0 + Math.floor(next() * 1e10)).toISOString().slice(0, 10));
    default:
      return JSON.stringify(new Date(T0 + Math.floor(next() * 1e10)).toISOString());
  }
}

/** Lists print with spaces from JSONB: compared as values. */
function normalize(feature: string, json: string | null): string | null {
  return json !== null && TYPES[feature] === 'INT_LIST' ? JSON.stringify(JSON.parse(json)) : json;
}

describe('PostgreSQL offline store = embedded store, over random writes', () => {
  let embedded: OfflineStore;
  beforeAll(async () => {
    embedded = await DuckDbOfflineStore.open(join(dir, 'reference.duckdb'));
  });
  afterAll(async () => {
    await embedded.close();
  });

  it('stores the same states for sparse, late, duplicated and chunked writes through both write paths', async () => {
    const next = random(20_251);
    const group = 'diff';
    for (let w = 0; w < 40; w++) {
      const dense = next() < 0.25;
      const features = dense ? FEATURES : FEATURES.filter(() => next() < 0.4);
      if (features.length === 0) features.push(FEATURES[w % FEATURES.length]!);
      const rows = 1 + Math.floor(next() * 12);
      const keys = Array.from({ length: rows }, () => KEYS[Math.floor(next() * KEYS.length)]!);
      // Times on a coarse grid so that later writes hit stored times (re-sends) and fall between them.
      const times = keys.map(() => T0 + Math.floor(next() * 24) * H);
      const values = features.map((f) => keys.map(() => (dense || next() < 0.7 ? jsonValue(f, next) : null)));
      const columns = features.map((feature, i) => ({ feature, valueType: TYPES[feature]!, values: values[i]! }));
      const ingestedAt = T0 + w;
      const viaParquet = next() < 0.4;
      const chunked = !viaParquet && next() < 0.3;
      const counts: number[] = [];
      for (const store of [embedded, pgStore]) {
        const writer = await store.beginWrite('e', group, ingestedAt);
        if (viaParquet) {
          const literal = (f: string, json: string | null) => {
            if (json === null) return 'NULL';
            if (TYPES[f] === 'STRING' || TYPES[f] === 'TIMESTAMP' || TYPES[f] === 'DATE') return quoteLiteral(JSON.parse(json) as string);
            return TYPES[f] === 'INT_LIST' ? `${json}::BIGINT[]` : json;
          };
          const tuples = keys.map((k, r) => `(${quoteLiteral(k)}, ${times[r]}, ${r}${features.map((f, i) => `, ${literal(f, values[i]![r]!)}`).join('')})`);
          const path = await parquetOf(`diff${w}`, columns, `SELECT * FROM (VALUES ${tuples.join(', ')}) t(entity_key, event_time_ms, seq, ${features.join(', ')})`);
          await writer.appendParquet(path, columns);
        } else if (chunked) {
          const half = Math.ceil(rows / 2);
          const part = (from: number, to: number): OfflineBatch => ({
            entity: 'e',
            featureGroup: group,
            entityKeys: keys.slice(from, to),
            eventTimes: times.slice(from, to),
            columns: columns.map((c) => ({ ...c, values: c.values.slice(from, to) })),
          });
          await writer.append(part(0, half));
          await writer.append(part(half, rows));
        } else {
          await writer.append({ entity: 'e', featureGroup: group, entityKeys: keys, eventTimes: times, columns });
        }
        counts.push(await writer.commit());
      }
      expect(counts[1], `values written by write ${w}`).toBe(counts[0]);
    }

    expect(await pgStore.countValues('e', group)).toBe(await embedded.countValues('e', group));
    for (const ttlSeconds of [null, 3 * 3600]) {
      const refs = FEATURES.map((name) => ({ name, group, ttlSeconds }));
      const labelKeys = KEYS.flatMap((k) => Array.from({ length: 52 }, () => k));
      const labelTimes = KEYS.flatMap(() => Array.from({ length: 52 }, (_, i) => T0 - H + (i * H) / 2));
      const query = { entity: 'e', features: refs, entityKeys: labelKeys, times: labelTimes };
      const [expected, actual] = await Promise.all([collect(embedded.pointInTime(query)), collect(pgStore.pointInTime(query))]);
      const norm = (rows: (string | null)[][]) => rows.map((r) => r.map((v, i) => normalize(FEATURES[i]!, v)));
      expect(norm(actual)).toEqual(norm(expected));
    }
    // Ranges over the group's own rows, with TTLs, and over two groups (lookups in the other).
    const other: OfflineBatch = { entity: 'e', featureGroup: 'diff_other', entityKeys: ['k0', 'k1', 'k0'], eventTimes: [T0 + 3 * H, T0 + 7 * H, T0 + 30 * H], columns: [{ feature: 'oz', valueType: 'INT', values: ['1', '2', '3'] }] };
    for (const store of [embedded, pgStore]) await store.write(other, T0);
    for (const [features, ttlSeconds] of [[FEATURES, null], [FEATURES, 2 * 3600], [[...FEATURES, 'oz'], 4 * 3600], [['oz', 'fa'], null]] as const) {
      const refs = features.map((name) => ({ name, group: name === 'oz' ? 'diff_other' : group, ttlSeconds }));
      const window = { entity: 'e', features: refs, start: T0, end: T0 + 24 * H };
      const [expectedRange, actualRange] = await Promise.all([collect(embedded.range(window)), collect(pgStore.range(window))]);
      const normRange = (rows: unknown[][]) => rows.map((r) => r.map((v, i) => (i < 2 ? v : normalize(features[i - 2]!, v as string | null))));
      expect(normRange(actualRange), JSON.stringify({ features, ttlSeconds })).toEqual(normRange(expectedRange));
    }
    const normLatest = (rows: unknown[][], ingested: boolean) => rows.map((r) => [r[0], r[1], normalize(String(r[1]), r[2] as string), r[3], ingested ? r[4] : 0]);
    for (const latest of [
      { entity: 'e', features: FEATURES },
      { entity: 'e', features: FEATURES, start: T0 + 5 * H, end: T0 + 15 * H },
      { entity: 'e', features: FEATURES.slice(1, 4), end: T0 + 10 * H },
      { entity: 'e', features: FEATURES, ingestedAfter: T0 + 25 },
      { entity: 'e', features: FEATURES, start: T0 + 3 * H, ingestedAfter: T0 + 30 },
    ]) {
      const [expectedLatest, actualLatest] = await Promise.all([collect(embedded.latest(latest)), collect(pgStore.latest(latest))]);
      expect(normLatest(actualLatest, 'ingestedAfter' in latest), JSON.stringify(latest)).toEqual(normLatest(expectedLatest, 'ingestedAfter' in latest));
    }
  }, 120_000);

  it('computes the same monitoring figures over the random writes', async () => {
    const features = ['fa', 'fb', 'fc', 'fd', 'fg', 'missing'];
    const window = { entity: 'e', features, start: T0 + 2 * H, end: T0 + 20 * H };
    const round = (v: unknown): unknown => (typeof v === 'number' ? Number(v.toPrecision(12)) : Array.isArray(v) ? v.map(round) : v && typeof v === 'object' ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, round(x)])) : v);
    const both = async <T,>(f: (store: OfflineStore) => Promise<T>) => {
      const [expected, actual] = await Promise.all([f(embedded), f(pgStore)]);
      expect(round(actual)).toEqual(round(expected));
    };
    await both((s) => s.summarize({ ...window, probabilities: [0, 0.25, 0.5, 0.9, 1] }));
    // The embedded store estimates these with a reservoir (discrete quantiles): counts only.
    await both(async (s) => (await s.quantiles({ ...window, probabilities: [0.1, 0.5] })).map((q) => q.count));
    await both((s) => s.histogram({ entity: 'e', features, windows: [{ start: T0, end: T0 + 12 * H }, { start: T0 + 6 * H, end: T0 + 30 * H }], grids: features.map(() => ({ lo: -2e5, hi: 2e5, bins: 7 })) }));
    await both((s) => s.topValues({ ...window, limit: 3 }));
    await both((s) => s.countRows(window));
    await both((s) => s.countKeys(window));
    await both((s) => s.daily({ ...window, start: T0 - 30 * H }));
  });

  it('counts and merges parts written after a dense first part that went straight into the table', async () => {
    const group = 'parts';
    const columns = [{ feature: 'pa', valueType: 'INT' as const }, { feature: 'pb', valueType: 'STRING' as const }];
    const first = await parquetOf('parts-first', columns, `SELECT 'p' || (i % 3) AS entity_key, ${T0} + (i // 3) * ${H} AS event_time_ms, i AS seq, i AS pa, 'v' || i AS pb FROM range(12) r(i)`);
    const second = await parquetOf('parts-second', columns, `SELECT 'p' || (i % 4) AS entity_key, ${T0} + (i // 2) * ${H} AS event_time_ms, i AS seq, 100 + i AS pa, CASE WHEN i % 2 = 0 THEN 'w' || i END AS pb FROM range(10) r(i)`);
    const chunk: OfflineBatch = {
      entity: 'e',
      featureGroup: group,
      entityKeys: ['p0', 'p1', 'p9'],
      eventTimes: [T0, T0 + 1.5 * H, T0],
      columns: [{ feature: 'pa', valueType: 'INT', values: ['7', null, '9'] }, { feature: 'pc', valueType: 'BOOL', values: ['true', 'false', null] }],
    };
    const counts: number[] = [];
    for (const store of [embedded, pgStore]) {
      const writer = await store.beginWrite('e', group, T0);
      await writer.appendParquet(first, columns);
      await writer.appendParquet(second, columns);
      await writer.append(chunk);
      counts.push(await writer.commit());
    }
    expect(counts[1]).toBe(counts[0]);
    const keys = ['p0', 'p1', 'p2', 'p3', 'p9'];
    const query = {
      entity: 'e',
      features: ['pa', 'pb', 'pc'].map((name) => ({ name, group, ttlSeconds: null })),
      entityKeys: keys.flatMap((k) => Array.from({ length: 12 }, () => k)),
      times: keys.flatMap(() => Array.from({ length: 12 }, (_, i) => T0 + (i * H) / 2)),
    };
    expect(await collect(pgStore.pointInTime(query))).toEqual(await collect(embedded.pointInTime(query)));
    expect(await pgStore.countValues('e', group)).toBe(await embedded.countValues('e', group));
  });

  it('merges 50k-row Parquet batches (a dense load, then sparse and late rows) as the embedded store does', async () => {
    const group = 'bulk';
    const columns = [
      { feature: 'ba', valueType: 'FLOAT' as const },
      { feature: 'bb', valueType: 'INT' as const },
      { feature: 'bc', valueType: 'STRING' as const },
    ];
    const keys = 2000;
    // 50k dense rows: 25 events per key, one a day.
    const dense = await parquetOf(
      'bulk-dense',
      columns,
      `SELECT 'b' || (i % ${keys}) AS entity_key, ${T0} + (i // ${keys}) * 86400000 + hash(i, 1) % 3600000 AS event_time_ms, i AS seq,
              CAST(hash(i, 2) % 100000 AS DOUBLE) / 100 AS ba, CAST(hash(i, 3) % 1000 AS BIGINT) AS bb, 's' || (hash(i, 4) % 50) AS bc
       FROM range(50000) r(i)`,
    );
    // 50k sparse rows: late (between stored days), re-sent times and new times, one or two features
    // each, some keys repeated at one time (the higher seq wins).
    const sparse = await parquetOf(
      'bulk-sparse',
      columns,
      `SELECT 'b' || (hash(i, 5) % ${keys}) AS entity_key,
              CASE WHEN i % 3 = 0 THEN ${T0} + (hash(i, 6) % 30) * 86400000 + hash(CAST(hash(i, 5) % ${keys} + (hash(i, 6) % 30) * ${keys} AS BIGINT), 1) % 3600000
                   ELSE ${T0} + hash(i, 7) % ${30 * 86_400_000} END AS event_time_ms,
              i AS seq,
              CASE WHEN i % 2 = 0 THEN CAST(hash(i, 8) % 100000 AS DOUBLE) / 100 END AS ba,
              CASE WHEN i % 2 = 1 OR i % 5 = 0 THEN CAST(hash(i, 9) % 1000 AS BIGINT) END AS bb,
              CASE WHEN i % 7 = 0 THEN 's' || (hash(i, 10) % 50) END AS bc
       FROM range(50000) r(i)`,
    );
    // Dense again, newer than everything stored (the bulk path into a non-empty table), and dense
    // with one key's row older than its stored rows (merged instead).
    const newer = (name: string, late: string) =>
      parquetOf(
        name,
        columns,
        `SELECT 'b' || (i % ${keys}) AS entity_key, ${T0} + (40 + i // ${keys}) * 86400000 + hash(i, 11) % 3600000 - ${late} AS event_time_ms, i AS seq,
                CAST(hash(i, 12) % 100000 AS DOUBLE) / 100 AS ba, CAST(hash(i, 13) % 1000 AS BIGINT) AS bb, 's' || (hash(i, 14) % 50) AS bc
         FROM range(${keys * 2}) r(i)`,
      );
    const after = await newer('bulk-newer', '0');
    const notAfter = await newer('bulk-not-newer', `CASE WHEN i = 7 THEN ${45 * 86_400_000} ELSE 0 END`);
    for (const path of [dense, sparse, after, notAfter]) {
      const counts: number[] = [];
      for (const store of [embedded, pgStore]) {
        const writer = await store.beginWrite('e', group, T0);
        await writer.appendParquet(path, columns);
        counts.push(await writer.commit());
      }
      expect(counts[1]).toBe(counts[0]);
    }
    expect(await pgStore.countValues('e', group)).toBe(await embedded.countValues('e', group));
    const next = random(99);
    const n = 20_000;
    const query = {
      entity: 'e',
      features: columns.map((c, i) => ({ name: c.feature, group, ttlSeconds: i === 0 ? 2 * 86400 : null })),
      entityKeys: Array.from({ length: n }, () => `b${Math.floor(next() * keys)}`),
      times: Array.from({ length: n }, () => T0 - 86400000 + Math.floor(next() * 45 * 86400000)),
    };
    const [expected, actual] = await Promise.all([collect(embedded.pointInTime(query)), collect(pgStore.pointInTime(query))]);
    expect(actual.length).toBe(n);
    const mismatches = actual.filter((row, i) => JSON.stringify(row) !== JSON.stringify(expected[i]));
    expect(mismatches.slice(0, 3)).toEqual([]);
  }, 300_000);
});
