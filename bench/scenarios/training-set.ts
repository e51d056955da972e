/**
 * Point-in-time training set: L label rows x 10 features from 2 feature groups over H history rows.
 * The history is generated (seeded, deterministic) as one wide Parquet file per group and loaded
 * through FStore's own ingestion. FStore's figure is TrainingService.pointInTime (what
 * POST /api/training/point-in-time runs after parsing the body), drained to the last row. The
 * baselines run in the same process on the same data, loaded as plain wide tables: a hand-written
 * DuckDB ASOF JOIN (embedded) and hand-written PostgreSQL LATERAL lookups (server). Every output
 * cell of FStore is compared with the baseline's, so the two sides cannot be doing different work.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import type { DuckDBConnection } from '@duckdb/node-api';
import { buildApp } from '../../service/src/app.js';
import { loadConfig } from '../../service/src/config/load-config.js';
import type { AppContext } from '../../service/src/app-context.js';
import { openDuckDb, withConnection } from '../../service/src/storage/duckdb/duckdb-session.js';
import type { BenchOptions, BenchResult } from './types.js';
import { speedRatio } from './types.js';
import { freshBenchDatabase, redisDb, reportSkipped, serverBackends, wantsBackend } from '../backends.js';

const ENTITY = 'bench';
const GROUPS = ['g1', 'g2'] as const;
const PER_GROUP = 5;
const FEATURES = GROUPS.flatMap((g) => Array.from({ length: PER_GROUP }, (_, f) => `${g}_f${f}`));
const T0 = Date.parse('2025-01-01T00:00:00Z');
const DAY = 86_400_000;
/** Seed of the counter-based generator (DuckDB's hash of (row, seed, stream)): same data every run. */
const SEED = 20251;
const TARGET = '<= 1.5x the raw query; >= 1M output rows/s embedded';

interface Size {
  labels: number;
  history: number;
}

interface Dataset {
  dir: string;
  size: Size;
  keys: number;
  groupFiles: Record<(typeof GROUPS)[number], string>;
  labelsFile: string;
}

/** One output row as both sides produce it: label columns then the 10 feature values (null = none). */
interface Expected {
  keys: string[];
  labels: Int32Array;
  values: Float64Array;
}

export async function trainingSet(options: BenchOptions): Promise<BenchResult[]> {
  // Quick sizes keep the whole quick suite near its 2-minute budget (loading the history dominates).
  const embeddedSize: Size = options.quick ? { labels: 50_000, history: 500_000 } : { labels: 1_000_000, history: 10_000_000 };
  // PostgreSQL loads through COPY + upsert and answers with index lookups; the full size would take
  // far longer than the whole suite's budget, so its variant runs a tenth of the data.
  const serverSize: Size = options.quick ? { labels: 10_000, history: 100_000 } : { labels: 100_000, history: 1_000_000 };
  const dir = mkdtempSync(join(tmpdir(), 'fstore-bench-training-'));
  try {
    const results: BenchResult[] = [];
    if (wantsBackend('embedded')) results.push(await embedded(await generate(join(dir, 'embedded'), embeddedSize)));
    if (!wantsBackend('server')) return results;
    const server = await serverBackends();
    if ('unavailable' in server) reportSkipped('training-set', server.unavailable);
    else results.push(await onPostgres(await generate(join(dir, 'server'), serverSize), server.offline, server.online));
    return results;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A phase of the scenario on stderr: the full size runs for minutes. */
function phase(backend: string, what: string): void {
  process.stderr.write(`bench: training-set (${backend}): ${what} [${new Date().toISOString().slice(11, 19)}]\n`);
}

async function embedded(data: Dataset): Promise<BenchResult> {
  const { app, ctx } = await buildApp(loadConfig({ env: {}, overrides: { dataDir: join(data.dir, 'fstore'), logLevel: 'silent', monitoringIntervalSeconds: 0 } }));
  try {
    phase('embedded', `loading ${data.size.history.toLocaleString('en')} history rows through ingestion`);
    const ingestSeconds = await ingestHistory(ctx, data);
    const request = await labelRequest(data);
    phase('embedded', `point-in-time retrieval of ${data.size.labels.toLocaleString('en')} label rows`);
    const fstore = await fstoreRetrieval(ctx, request);
    phase('embedded', 'raw DuckDB baseline');

    // Baseline: the same history as plain wide tables in a raw DuckDB, one ASOF JOIN per group.
    const raw = await openDuckDb(join(data.dir, 'raw.duckdb'));
    try {
      await withConnection(raw, async (c) => {
        for (const g of GROUPS) {
          await c.run(`CREATE TABLE ${g} AS SELECT bench_id, epoch_ms(event_timestamp) AS t, ${columnsOf(g).join(', ')} FROM read_parquet('${data.groupFiles[g]}')`);
        }
        await c.run(`CREATE TABLE labels AS SELECT * FROM read_parquet('${data.labelsFile}')`);
      });
      const baseline = await withConnection(raw, (c) => duckBaseline(c, data.size.labels));
      return result('embedded', 'embedded (DuckDB)', data, fstore, baseline, 'hand-written DuckDB ASOF JOIN over the same history as wide tables', ingestSeconds);
    } finally {
      raw.closeSync();
    }
  } finally {
    await app.close();
  }
}

async function onPostgres(data: Dataset, baseUrl: string, redisUrl: string): Promise<BenchResult> {
  const database = await freshBenchDatabase(baseUrl, 'training');
  try {
    const overrides = { dataDir: join(data.dir, 'fstore'), logLevel: 'silent' as const, monitoringIntervalSeconds: 0, offlineStore: database.url, onlineStore: redisDb(redisUrl, 15) };
    const { app, ctx } = await buildApp(loadConfig({ env: {}, overrides }));
    try {
      phase('server', `loading ${data.size.history.toLocaleString('en')} history rows through ingestion`);
      const ingestSeconds = await ingestHistory(ctx, data);
      const request = await labelRequest(data);
      phase('server', `point-in-time retrieval of ${data.size.labels.toLocaleString('en')} label rows`);
      const fstore = await fstoreRetrieval(ctx, request);
      phase('server', 'raw PostgreSQL baseline');

      // Baseline: the same history as plain wide tables (psql \copy), one LATERAL lookup per group.
      await exportCsv(data);
      const c = new pg.Client({ connectionString: database.url });
      await c.connect();
      try {
        for (const g of GROUPS) {
          await c.query(`CREATE TABLE ${g} (bench_id text COLLATE "C", t bigint, ${columnsOf(g).map((f) => `${f} float8`).join(', ')})`);
          execFileSync('psql', [database.url, '-q', '-c', `\\copy ${g} FROM '${join(data.dir, `${g}.csv`)}' (FORMAT csv)`]);
          await c.query(`CREATE INDEX ON ${g} (bench_id, t); ANALYZE ${g}`);
        }
        await c.query('CREATE TABLE labels (row_idx bigint, entity_key text COLLATE "C", t bigint, label int)');
        execFileSync('psql', [database.url, '-q', '-c', `\\copy labels FROM '${join(data.dir, 'labels.csv')}' (FORMAT csv)`]);
        await c.query('ANALYZE labels');
        const baseline = await pgBaseline(c, data.size.labels);
        return result('server', 'server (PostgreSQL)', data, fstore, baseline, 'hand-written PostgreSQL LATERAL ... ORDER BY t DESC LIMIT 1 per group over the same history as wide tables', ingestSeconds);
      } finally {
        await c.end();
      }
    } finally {
      await app.close();
    }
  } finally {
    await database.drop();
  }
}

/** Writes each group's history and the labels as Parquet, deterministically, with DuckDB. */
async function generate(dir: string, size: Size): Promise<Dataset> {
  mkdirSync(dir, { recursive: true });
  const keys = Math.max(100, Math.floor(size.history / 100));
  const perGroup = Math.floor(size.history / GROUPS.length);
  const groupFiles = { g1: join(dir, 'g1.parquet'), g2: join(dir, 'g2.parquet') };
  const labelsFile = join(dir, 'labels.parquet');
  const db = await openDuckDb(':memory:');
  try {
    await withConnection(db, async (c) => {
      for (const [gi, g] of GROUPS.entries()) {
        // Row i: key i mod K, its (i div K)-th event, one per day with a seeded offset, so event
        // times are unique per key; values are seeded, never null (see README: semantics of nulls).
        const values = columnsOf(g).map((f, fi) => `CAST(hash(i, ${SEED}, ${gi * 100 + fi}) % 1000000 AS DOUBLE) / 1000 AS ${f}`);
        await c.run(`COPY (
          SELECT 'k' || (i % ${keys}) AS bench_id,
                 make_timestamp(CAST(${T0} + (i // ${keys}) * ${DAY} + hash(i, ${SEED}, ${gi}) % ${DAY} AS BIGINT) * 1000) AS event_timestamp,
                 ${values.join(', ')}
          FROM range(${perGroup}) r(i)) TO '${groupFiles[g]}' (FORMAT parquet)`);
      }
      // Labels: random keys at random times from 2 days before the history to past its end, so
      // some rows have no value yet (null) and most pick a value from the middle of a key's history.
      const span = Math.ceil(perGroup / keys) + 4;
      await c.run(`COPY (
        SELECT i AS row_idx, 'k' || (hash(i, ${SEED}, 900) % ${keys}) AS entity_key,
               CAST(${T0 - 2 * DAY} + hash(i, ${SEED}, 901) % ${span * DAY} AS BIGINT) AS t,
               CAST(hash(i, ${SEED}, 902) % 2 AS INTEGER) AS label
        FROM range(${size.labels}) r(i)) TO '${labelsFile}' (FORMAT parquet)`);
    });
  } finally {
    db.closeSync();
  }
  return { dir, size, keys, groupFiles, labelsFile };
}

async function ingestHistory(ctx: AppContext, data: Dataset): Promise<number> {
  const started = performance.now();
  for (const g of GROUPS) {
    await ctx.ingest.ingestFile(ENTITY, g, data.groupFiles[g], 'parquet', 'bench', { offlineOnly: true });
  }
  return (performance.now() - started) / 1000;
}

/** The request body as the route receives it once parsed: one object per label row. */
async function labelRequest(data: Dataset) {
  const db = await openDuckDb(':memory:');
  try {
    const rows = await withConnection(db, async (c) =>
      (await c.runAndReadAll(`SELECT entity_key, CAST(t AS DOUBLE), label FROM read_parquet('${data.labelsFile}') ORDER BY row_idx`)).getRowsJS(),
    );
    return {
      entity: ENTITY,
      feature_list: FEATURES,
      rows: rows.map(([key, t, label]) => ({ entity_key: String(key), timestamp: new Date(Number(t)).toISOString(), label: Number(label) })),
    };
  } finally {
    db.closeSync();
  }
}

/** FStore's retrieval, drained; the rows are kept (not checked) so checking costs no timed work. */
async function fstoreRetrieval(ctx: AppContext, request: Awaited<ReturnType<typeof labelRequest>>): Promise<{ seconds: number; rows: unknown[][][] }> {
  const started = performance.now();
  const result = await ctx.training.pointInTime(request);
  const chunks: unknown[][][] = [];
  for await (const chunk of result.rows) chunks.push(chunk);
  const seconds = (performance.now() - started) / 1000;
  const expectedColumns = ['entity_key', 'timestamp', 'label', ...FEATURES].join(',');
  if (result.columns.join(',') !== expectedColumns) throw new Error(`training set columns ${result.columns.join(',')}, expected ${expectedColumns}`);
  return { seconds, rows: chunks };
}

async function duckBaseline(c: DuckDBConnection, labels: number): Promise<{ seconds: number; expected: Expected }> {
  const sql = `SELECT l.entity_key, l.label, ${FEATURES.join(', ')}
    FROM labels l
    ${GROUPS.map((g) => `ASOF LEFT JOIN ${g} ON l.entity_key = ${g}.bench_id AND l.t >= ${g}.t`).join('\n')}
    ORDER BY l.row_idx`;
  const expected = emptyExpected(labels);
  let row = 0;
  const started = performance.now();
  const result = await c.stream(sql);
  for await (const rows of result.yieldRowsJs()) for (const r of rows) keep(expected, row++, r);
  return { seconds: (performance.now() - started) / 1000, expected };
}

async function pgBaseline(c: pg.Client, labels: number): Promise<{ seconds: number; expected: Expected }> {
  const sql = `SELECT l.entity_key, l.label, ${FEATURES.join(', ')}
    FROM labels l
    ${GROUPS.map((g) => `LEFT JOIN LATERAL (SELECT ${columnsOf(g).join(', ')} FROM ${g} WHERE ${g}.bench_id = l.entity_key AND ${g}.t <= l.t ORDER BY ${g}.t DESC LIMIT 1) ${g} ON true`).join('\n')}
    ORDER BY l.row_idx`;
  const expected = emptyExpected(labels);
  const started = performance.now();
  const result = await c.query({ text: sql, rowMode: 'array' });
  (result.rows as unknown[][]).forEach((r, i) => keep(expected, i, r));
  return { seconds: (performance.now() - started) / 1000, expected };
}

function emptyExpected(labels: number): Expected {
  return { keys: new Array<string>(labels), labels: new Int32Array(labels), values: new Float64Array(labels * FEATURES.length) };
}

/** Stores a baseline row [key, label, ...features] (null features as NaN). */
function keep(expected: Expected, row: number, r: unknown[]): void {
  expected.keys[row] = String(r[0]);
  expected.labels[row] = Number(r[1]);
  for (let f = 0; f < FEATURES.length; f++) {
    const v = r[2 + f];
    expected.values[row * FEATURES.length + f] = v === null || v === undefined ? Number.NaN : Number(v);
  }
}

/** Cell-by-cell comparison of FStore's rows [key, time, label, ...JSON features] with the baseline. */
function compare(fstore: unknown[][][], expected: Expected): { rows: number; mismatches: number; nulls: number; firstMismatch: string | null } {
  let row = 0;
  let mismatches = 0;
  let nulls = 0;
  let firstMismatch: string | null = null;
  const width = FEATURES.length;
  for (const chunk of fstore) {
    for (const r of chunk) {
      const problems: string[] = [];
      if (r[0] !== expected.keys[row]) problems.push(`key ${String(r[0])} != ${expected.keys[row]}`);
      if (r[2] !== expected.labels[row]) problems.push(`label ${String(r[2])} != ${expected.labels[row]}`);
      for (let f = 0; f < width; f++) {
        const cell = r[3 + f];
        const want = expected.values[row * width + f]!;
        if (cell === null) nulls++;
        const got = cell === null ? Number.NaN : Number(cell);
        if (!(Number.isNaN(got) && Number.isNaN(want)) && got !== want) problems.push(`${FEATURES[f]} ${String(cell)} != ${want}`);
      }
      if (problems.length > 0) {
        mismatches++;
        firstMismatch ??= `row ${row}: ${problems.join('; ')}`;
      }
      row++;
    }
  }
  return { rows: row, mismatches, nulls, firstMismatch };
}

function result(
  kind: 'embedded' | 'server',
  backendLabel: string,
  data: Dataset,
  fstore: { seconds: number; rows: unknown[][][] },
  baseline: { seconds: number; expected: Expected },
  baselineLabel: string,
  ingestSeconds: number,
): BenchResult {
  const check = compare(fstore.rows, baseline.expected);
  if (check.rows !== data.size.labels) throw new Error(`FStore returned ${check.rows} rows for ${data.size.labels} label rows`);
  if (check.mismatches > 0) throw new Error(`training set (${backendLabel}): ${check.mismatches} rows differ from the baseline; first: ${check.firstMismatch}`);
  const rowsPerSecond = data.size.labels / fstore.seconds;
  return {
    scenario: `point-in-time training set, ${data.size.labels.toLocaleString('en')} labels x ${FEATURES.length} features (2 groups) over ${data.size.history.toLocaleString('en')} history rows`,
    backend: backendLabel,
    metric: 'seconds',
    fstore: round(fstore.seconds),
    baseline: round(baseline.seconds),
    baselineLabel,
    ratio: speedRatio(fstore.seconds, baseline.seconds, 'duration'),
    target: TARGET,
    details: {
      backend_kind: kind,
      label_rows: data.size.labels,
      history_rows: data.size.history,
      history_values: data.size.history * PER_GROUP,
      entity_keys: data.keys,
      fstore_rows_per_s: Math.round(rowsPerSecond),
      baseline_rows_per_s: Math.round(data.size.labels / baseline.seconds),
      null_cells: check.nulls,
      cells_compared: check.rows * FEATURES.length,
      checksum_match: true,
      history_ingest_s: round(ingestSeconds),
      history_ingest_rows_per_s: Math.round(data.size.history / ingestSeconds),
      ...(kind === 'server' && data.size.history < 10_000_000 ? { note: 'PostgreSQL runs a smaller size than the embedded variant (COPY + upsert load time)' } : {}),
    },
  };
}

async function exportCsv(data: Dataset): Promise<void> {
  const db = await openDuckDb(':memory:');
  try {
    await withConnection(db, async (c) => {
      for (const g of GROUPS) {
        await c.run(`COPY (SELECT bench_id, epoch_ms(event_timestamp), ${columnsOf(g).join(', ')} FROM read_parquet('${data.groupFiles[g]}')) TO '${join(data.dir, `${g}.csv`)}' (FORMAT csv, HEADER false)`);
      }
      await c.run(`COPY (SELECT row_idx, entity_key, t, label FROM read_parquet('${data.labelsFile}')) TO '${join(data.dir, 'labels.csv')}' (FORMAT csv, HEADER false)`);
    });
  } finally {
    db.closeSync();
  }
}

function columnsOf(group: string): string[] {
  return FEATURES.filter((f) => f.startsWith(`${group}_`));
}

function round(n: number): number {
  return Math.round(n * 1000) / 1000;
}
