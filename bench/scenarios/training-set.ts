/**
 * Point-in-time training set: L label rows x 10 features from 2 feature groups over H history rows,
 * from a label Parquet file to an output Parquet file. The history is generated (seeded,
 * deterministic) as one wide Parquet file per group and loaded through FStore's own ingestion.
 *
 * FStore's figure is a training-set job (TrainingSetJobs.submit, waited for): the labels staged as
 * Parquet (stageLabelSet), the join and the output file written by the offline store
 * (TrainingService.pointInTimeToFile -> OfflineStore.pointInTimeToFile), the file moved into place.
 *
 * The baselines start from the same label file and end with an output file of the same columns:
 * - embedded: the same history in a raw DuckDB as the same wide typed tables as FStore's (one per
 *   group, same columns, same row order), one hand-written
 *   COPY (SELECT ... FROM read_parquet(labels) ASOF LEFT JOIN g1 ... ASOF LEFT JOIN g2 ... ORDER BY
 *   row) TO 'raw.parquet' (zstd, as FStore writes);
 * - PostgreSQL: the same wide tables with their (entity_key, event_time) primary key, one psql
 *   session loading the labels (\copy of the same rows as CSV) and writing
 *   \copy (SELECT ... LEFT JOIN LATERAL (... ORDER BY event_time DESC LIMIT 1) per group ...) TO a CSV.
 * The two output files are compared cell by cell inside DuckDB (a join on row position and a count
 * of differing rows); any difference fails the run.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import type { Job } from '@shared/api/jobs.js';
import type { TrainingSetJobResult } from '@shared/api/serving.js';
import { createAppContext, type AppContext } from '../../service/src/app-context.js';
import { loadConfig } from '../../service/src/config/load-config.js';
import { openDuckDb, withConnection } from '../../service/src/storage/duckdb/duckdb-session.js';
import { KEY_COLUMN, TIME_COLUMN } from '../../service/src/storage/offline-layout.js';
import type { BenchOptions, BenchResult } from './types.js';
import { speedRatio } from './types.js';
import { freshBenchDatabase, redisDb, reportSkipped, serverBackends, wantsBackend } from '../backends.js';
import { compareOutputs, duckWideTable, literal, parquetSchema, pgWideTable, psql, type OutputCheck, type WideFeature } from '../wide-tables.js';

const ENTITY = 'bench';
const GROUPS = ['g1', 'g2'] as const;
const PER_GROUP = 5;
const FEATURES = GROUPS.flatMap((g) => Array.from({ length: PER_GROUP }, (_, f) => `${g}_f${f}`));
/** The output's columns, in order, on both sides: the label file's, then the features. */
const OUTPUT = ['entity_key', 'timestamp', 'label', ...FEATURES];
const T0 = Date.parse('2025-01-01T00:00:00Z');
const DAY = 86_400_000;
/** Seed of the counter-based generator (DuckDB's hash of (row, seed, stream)): same data every run. */
const SEED = 20251;
const TARGET = { embedded: '>= 0.67x raw (<= 1.5x its time) and >= 1M output rows/s', server: '>= 0.5x raw' };

interface Size {
  labels: number;
  history: number;
}

interface Dataset {
  dir: string;
  size: Size;
  keys: number;
  groupFiles: Record<(typeof GROUPS)[number], string>;
  /** The user's label file: entity_key, timestamp (TIMESTAMPTZ, ms precision), label. */
  labelsFile: string;
}

interface FStoreRun {
  seconds: number;
  /** From submit until the job reported the join phase: reading, checking and staging the labels. */
  stagingSeconds: number;
  output: string;
  rows: number;
  sizeBytes: number;
}

export async function trainingSet(options: BenchOptions): Promise<BenchResult[]> {
  // Quick sizes keep the whole quick suite near its 2-minute budget (loading the history dominates).
  const embeddedSize: Size = options.quick ? { labels: 50_000, history: 500_000 } : { labels: 1_000_000, history: 10_000_000 };
  // PostgreSQL runs a tenth: loading 10M history rows twice (FStore's ingestion and the raw \copy
  // with its primary key) would take several minutes of the suite's budget; the join's cost per
  // label row is what the ratio compares.
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
  const overrides = { dataDir: join(data.dir, 'fstore'), logLevel: 'silent' as const, monitoringIntervalSeconds: 0, fileSourceDirs: [data.dir] };
  const { fstore, ingestSeconds } = await runFStore('embedded', data, overrides);

  phase('embedded', 'raw DuckDB baseline');
  const raw = await openDuckDb(join(data.dir, 'raw.duckdb'));
  try {
    return await withConnection(raw, async (c) => {
      // The same wide typed tables as FStore's, in the order FStore stores them (key, then time).
      for (const g of GROUPS) {
        await c.run(duckWideTable(g, groupFeatures(g)));
        await c.run(`INSERT INTO ${g} BY NAME ${historySelect(data, g)} ORDER BY ${KEY_COLUMN}, ${TIME_COLUMN}`);
      }
      await c.run('CHECKPOINT');
      const rawFile = join(data.dir, 'raw.parquet');
      const sql = `COPY (SELECT l.entity_key, l."timestamp", l.label, ${GROUPS.flatMap((g) => columnsOf(g).map((f) => `${g}.${f}`)).join(', ')}
        FROM read_parquet(${literal(data.labelsFile)}, file_row_number = true) l
        ${GROUPS.map((g) => `ASOF LEFT JOIN ${g} ON l.entity_key = ${g}.entity_key AND l."timestamp" >= ${g}.event_time`).join('\n')}
        ORDER BY l.file_row_number) TO ${literal(rawFile)} (FORMAT parquet, COMPRESSION zstd)`;
      const started = performance.now();
      await c.run(sql);
      const seconds = (performance.now() - started) / 1000;
      const baseline = `SELECT file_row_number AS pos, * EXCLUDE (file_row_number) FROM read_parquet(${literal(rawFile)}, file_row_number = true)`;
      const check = await checkOutputs(c, 'embedded (DuckDB)', data, fstore, baseline);
      return result('embedded', 'embedded (DuckDB)', data, fstore, seconds, check, ingestSeconds, {
        label: 'raw DuckDB: one hand-written COPY (... ASOF LEFT JOIN per group ... ORDER BY row) TO Parquet (zstd) over the same wide typed tables, from the same label file',
      });
    });
  } finally {
    raw.closeSync();
  }
}

async function onPostgres(data: Dataset, baseUrl: string, redisUrl: string): Promise<BenchResult> {
  const database = await freshBenchDatabase(baseUrl, 'training');
  try {
    const overrides = {
      dataDir: join(data.dir, 'fstore'),
      logLevel: 'silent' as const,
      monitoringIntervalSeconds: 0,
      fileSourceDirs: [data.dir],
      offlineStore: database.url,
      onlineStore: redisDb(redisUrl, 15),
    };
    const { fstore, ingestSeconds } = await runFStore('server', data, overrides);

    phase('server', 'raw PostgreSQL baseline');
    // The same wide tables (columns, primary key, row order) loaded with psql \copy; the labels as
    // CSV (PostgreSQL reads no Parquet): row position, key, time, label.
    const labelsCsv = join(data.dir, 'labels.csv');
    const rawCsv = join(data.dir, 'raw.csv');
    const exporter = await openDuckDb(':memory:');
    try {
      await withConnection(exporter, async (c) => {
        for (const g of GROUPS) {
          const columns = [KEY_COLUMN, TIME_COLUMN, 'ingested_at', ...columnsOf(g)];
          await c.run(`COPY (SELECT ${columns.join(', ')} FROM (${historySelect(data, g)}) ORDER BY ${KEY_COLUMN}, ${TIME_COLUMN})
            TO ${literal(join(data.dir, `${g}.csv`))} (FORMAT csv, HEADER false)`);
        }
        await c.run(`COPY (SELECT file_row_number, entity_key, "timestamp", label FROM read_parquet(${literal(data.labelsFile)}, file_row_number = true) ORDER BY 1)
          TO ${literal(labelsCsv)} (FORMAT csv, HEADER false)`);
      });
    } finally {
      exporter.closeSync();
    }
    for (const g of GROUPS) {
      const columns = [KEY_COLUMN, TIME_COLUMN, 'ingested_at', ...columnsOf(g)];
      psql(database.url, [pgWideTable(g, groupFeatures(g)), `\\copy ${g} (${columns.join(', ')}) FROM ${literal(join(data.dir, `${g}.csv`))} (FORMAT csv)`, `ANALYZE ${g}`]);
    }
    const lateral = GROUPS.map(
      (g) => `LEFT JOIN LATERAL (SELECT ${columnsOf(g).join(', ')} FROM ${g} WHERE ${g}.entity_key = l.entity_key AND ${g}.event_time <= l."timestamp"
                ORDER BY ${g}.event_time DESC LIMIT 1) ${g} ON true`,
    );
    const started = performance.now();
    psql(database.url, [
      'CREATE TEMP TABLE labels (row_idx bigint, entity_key text COLLATE "C", "timestamp" timestamptz, label integer)',
      `\\copy labels FROM ${literal(labelsCsv)} (FORMAT csv)`,
      'ANALYZE labels',
      `\\copy (SELECT l.row_idx, l.entity_key, l."timestamp", l.label, ${FEATURES.join(', ')} FROM labels l ${lateral.join(' ')} ORDER BY l.row_idx) TO ${literal(rawCsv)} (FORMAT csv)`,
    ]);
    const seconds = (performance.now() - started) / 1000;

    const checker = await openDuckDb(':memory:');
    try {
      return await withConnection(checker, async (c) => {
        const types = { row_idx: 'BIGINT', entity_key: 'VARCHAR', timestamp: 'TIMESTAMPTZ', label: 'INTEGER', ...Object.fromEntries(FEATURES.map((f) => [f, 'DOUBLE'])) };
        const spec = Object.entries(types).map(([name, type]) => `${literal(name)}: ${literal(type)}`).join(', ');
        const baseline = `SELECT row_idx AS pos, * EXCLUDE (row_idx) FROM read_csv(${literal(rawCsv)}, header = false, auto_detect = false, columns = {${spec}})`;
        const check = await checkOutputs(c, 'server (PostgreSQL)', data, fstore, baseline);
        return result('server', 'server (PostgreSQL)', data, fstore, seconds, check, ingestSeconds, {
          label: 'raw PostgreSQL: one psql session, \\copy of the labels (CSV) then \\copy (... LEFT JOIN LATERAL (... ORDER BY event_time DESC LIMIT 1) per group ...) TO CSV, over the same wide typed tables and primary key',
        });
      });
    } finally {
      checker.closeSync();
    }
  } finally {
    await database.drop();
  }
}

/** Loads the history through FStore's ingestion, then runs the training-set job; the context is closed before the baseline runs. */
async function runFStore(backend: string, data: Dataset, overrides: Record<string, unknown>): Promise<{ fstore: FStoreRun; ingestSeconds: number }> {
  const ctx = await createAppContext(loadConfig({ env: {}, overrides }));
  try {
    phase(backend, `loading ${data.size.history.toLocaleString('en')} history rows through ingestion`);
    const ingestSeconds = await ingestHistory(ctx, data);
    phase(backend, `training-set job over ${data.size.labels.toLocaleString('en')} label rows`);
    return { fstore: await trainingSetJob(ctx, data), ingestSeconds };
  } finally {
    await ctx.close();
  }
}

/** What a user runs: a training-set job from a label file on the server, waited for. */
async function trainingSetJob(ctx: AppContext, data: Dataset): Promise<FStoreRun> {
  const started = performance.now();
  let joining: number | undefined;
  const submitted = await ctx.trainingSets.submit({ entity: ENTITY, feature_list: FEATURES, labels: { path: data.labelsFile }, format: 'parquet' }, 'bench');
  const off = ctx.jobs.subscribe(submitted.id, (job) => {
    if (joining === undefined && job.progress.phase === 'joining') joining = performance.now();
  });
  let job: Job;
  try {
    job = await ctx.jobs.waitFor(submitted.id);
  } finally {
    off();
  }
  const seconds = (performance.now() - started) / 1000;
  if (job.state !== 'succeeded') throw new Error(`the training-set job ${job.state}: ${job.error?.code ?? ''} ${job.error?.message ?? ''}`);
  const result = job.result as unknown as TrainingSetJobResult;
  if (result.columns.join(',') !== OUTPUT.join(',')) throw new Error(`training set columns ${result.columns.join(',')}, expected ${OUTPUT.join(',')}`);
  return {
    seconds,
    stagingSeconds: ((joining ?? started) - started) / 1000,
    output: (await ctx.trainingSets.output(job.id)).path,
    rows: result.row_count,
    sizeBytes: result.size_bytes,
  };
}

/** Writes each group's history and the label file as Parquet, deterministically, with DuckDB. */
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
          FROM range(${perGroup}) r(i)) TO ${literal(groupFiles[g])} (FORMAT parquet)`);
      }
      // Labels: random keys at random times (ms precision) from 2 days before the history to past
      // its end, so some rows have no value yet (null) and most pick a value from the middle of a
      // key's history.
      const span = Math.ceil(perGroup / keys) + 4;
      await c.run(`COPY (
        SELECT 'k' || (hash(i, ${SEED}, 900) % ${keys}) AS entity_key,
               CAST(epoch_ms(CAST(${T0 - 2 * DAY} + hash(i, ${SEED}, 901) % ${span * DAY} AS BIGINT)) AS TIMESTAMPTZ) AS "timestamp",
               CAST(hash(i, ${SEED}, 902) % 2 AS INTEGER) AS label
        FROM range(${size.labels}) r(i) ORDER BY i) TO ${literal(labelsFile)} (FORMAT parquet)`);
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

/** A group's history as rows of its wide table (the carried-time columns stay NULL: every row writes every feature). */
function historySelect(data: Dataset, g: (typeof GROUPS)[number]): string {
  return `SELECT bench_id AS ${KEY_COLUMN}, CAST(event_timestamp AS TIMESTAMPTZ) AS ${TIME_COLUMN}, TIMESTAMPTZ '2026-01-01 00:00:00+00' AS ingested_at, ${columnsOf(g).join(', ')}
          FROM read_parquet(${literal(data.groupFiles[g])})`;
}

/** Same column names and types on both sides, then every cell: a difference fails the run. */
async function checkOutputs(c: DuckDBConnection, backend: string, data: Dataset, fstore: FStoreRun, baseline: string): Promise<OutputCheck> {
  const schema = await parquetSchema(c, fstore.output);
  const expected = ['entity_key VARCHAR', 'timestamp TIMESTAMP WITH TIME ZONE', 'label INTEGER', ...FEATURES.map((f) => `${f} DOUBLE`)];
  const got = schema.map((s) => `${s.name} ${s.type}`);
  if (got.join(',') !== expected.join(',')) throw new Error(`training set (${backend}): output columns ${got.join(', ')}, expected ${expected.join(', ')}`);
  const check = await compareOutputs(c, fstore.output, baseline, OUTPUT);
  if (check.rows !== data.size.labels || check.unmatched > 0 || fstore.rows !== data.size.labels) {
    throw new Error(`training set (${backend}): ${fstore.rows} rows from FStore, ${check.rows} compared, ${check.unmatched} unmatched, for ${data.size.labels} label rows`);
  }
  if (check.mismatchedRows > 0) throw new Error(`training set (${backend}): ${check.mismatchedRows} rows differ from the baseline; first: ${check.first}`);
  return check;
}

function result(
  kind: 'embedded' | 'server',
  backendLabel: string,
  data: Dataset,
  fstore: FStoreRun,
  baselineSeconds: number,
  check: OutputCheck,
  ingestSeconds: number,
  baseline: { label: string },
): BenchResult {
  const rowsPerSecond = (seconds: number) => Math.round(data.size.labels / seconds);
  return {
    scenario: `point-in-time training set, label Parquet file to output Parquet file, ${data.size.labels.toLocaleString('en')} labels x ${FEATURES.length} features (2 groups) over ${data.size.history.toLocaleString('en')} history rows`,
    backend: backendLabel,
    metric: 'output rows/s',
    fstore: rowsPerSecond(fstore.seconds),
    baseline: rowsPerSecond(baselineSeconds),
    baselineLabel: baseline.label,
    ratio: speedRatio(fstore.seconds, baselineSeconds, 'duration'),
    target: TARGET[kind],
    details: {
      backend_kind: kind,
      label_rows: data.size.labels,
      history_rows: data.size.history,
      entity_keys: data.keys,
      fstore_s: round(fstore.seconds),
      fstore_label_staging_s: round(fstore.stagingSeconds),
      fstore_join_and_write_s: round(fstore.seconds - fstore.stagingSeconds),
      baseline_s: round(baselineSeconds),
      output_bytes: fstore.sizeBytes,
      null_cells: check.nullCells,
      cells_compared: check.cellsCompared,
      cells_match: true,
      history_ingest_s: round(ingestSeconds),
      history_ingest_rows_per_s: Math.round(data.size.history / ingestSeconds),
      ...(kind === 'server' && data.size.history < 10_000_000 ? { note: 'PostgreSQL runs a tenth of the embedded size (loading the history twice dominates its time)' } : {}),
    },
  };
}

function groupFeatures(group: string): WideFeature[] {
  return columnsOf(group).map((feature) => ({ feature, valueType: 'FLOAT' }));
}

function columnsOf(group: string): string[] {
  return FEATURES.filter((f) => f.startsWith(`${group}_`));
}

function round(n: number): number {
  return Math.round(n * 1000) / 1000;
}
