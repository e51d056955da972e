/**
 * The same transform run and point-in-time training set on the embedded engine and on Spark
 * (local[*]) at a few sizes, to find where Spark starts to pay off (bench/README.md). Needs the
 * Spark install: eval "$(bash scripts/provision/spark.sh)".
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../service/src/http/app.js';
import { loadConfig } from '../../service/src/config/load-config.js';
import type { BenchOptions, BenchResult } from './types.js';
import { speedRatio } from './types.js';

const SQL = `SELECT user_id, date_trunc('day', event_time) AS event_time, sum(amount) AS user_day_spend, count(*) AS user_day_tx
FROM transactions GROUP BY user_id, date_trunc('day', event_time)`;

export async function sparkVsDuckdb(options: BenchOptions): Promise<BenchResult[]> {
  const submit = process.env['FSTORE_SPARK_SUBMIT'];
  if (!submit) {
    process.stderr.write('bench: spark-vs-duckdb SKIPPED: FSTORE_SPARK_SUBMIT is not set; eval "$(bash scripts/provision/spark.sh)" first\n');
    return [];
  }
  const sizes = options.quick ? [100_000, 1_000_000] : [100_000, 1_000_000, 10_000_000];
  const results: BenchResult[] = [];
  for (const rows of sizes) {
    const dir = mkdtempSync(join(tmpdir(), 'fstore-bench-spark-'));
    try {
      const file = join(dir, 'transactions.parquet');
      await writeTransactions(file, rows);
      const { app } = await buildApp(
        loadConfig({
          env: {},
          overrides: { dataDir: join(dir, 'data'), logLevel: 'silent', fileSourceDirs: [dir], monitoringIntervalSeconds: 0, sparkMaster: 'local[*]', sparkSubmit: submit },
        }),
      );
      await app.ready();
      await call(app, 'POST', '/api/data-sources/', { name: 'transactions', type: 'file', path: file }, 201);
      await call(app, 'POST', '/api/transforms/', { name: 'user_days', language: 'sql', code: SQL, sources: ['transactions'], entity: 'user' }, 201);
      const duck = await timedRun(app, 'duckdb');
      const spark = await timedRun(app, 'spark');
      results.push({
        scenario: `transform run over ${rows.toLocaleString('en')} Parquet rows (daily aggregate, ingest included)`,
        backend: 'Spark local[*] vs embedded DuckDB',
        metric: 'seconds per run',
        fstore: round(spark),
        baseline: round(duck),
        baselineLabel: 'the same run on the embedded engine',
        ratio: speedRatio(spark, duck, 'duration'),
        target: 'informational: crossover where ratio >= 1',
      });
      const labels = Array.from({ length: Math.min(rows / 10, 100_000) }, (_, i) => ({ entity_key: `u${i % 5000}`, timestamp: `2025-01-${String(1 + (i % 28)).padStart(2, '0')}T12:00:00Z` }));
      const body = { entity: 'user', feature_list: ['user_day_spend', 'user_day_tx'], rows: labels };
      const embedded = await timed(() => call(app, 'POST', '/api/training/point-in-time', body, 200));
      const onSpark = await timed(() => call(app, 'POST', '/api/training/point-in-time', { ...body, engine: 'spark' }, 200));
      results.push({
        scenario: `point-in-time set, ${labels.length.toLocaleString('en')} labels over the ${rows.toLocaleString('en')}-row run's history`,
        backend: 'Spark local[*] vs embedded offline store',
        metric: 'seconds per request',
        fstore: round(onSpark),
        baseline: round(embedded),
        baselineLabel: "the embedded offline store's ASOF join",
        ratio: speedRatio(onSpark, embedded, 'duration'),
        target: 'informational: crossover where ratio >= 1',
      });
      await app.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  return results;
}

async function timedRun(app: FastifyInstance, engine: 'duckdb' | 'spark'): Promise<number> {
  return timed(async () => {
    const job = (await call(app, 'POST', '/api/transforms/user_days/runs', { engine }, 202)) as { id: string };
    for (;;) {
      const state = (await call(app, 'GET', `/api/jobs/${job.id}`, undefined, 200)) as { state: string; error: unknown };
      if (state.state === 'succeeded') return;
      if (state.state === 'failed' || state.state === 'cancelled') throw new Error(`${engine} run ${state.state}: ${JSON.stringify(state.error)}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  });
}

async function call(app: FastifyInstance, method: 'GET' | 'POST', url: string, payload: unknown, status: number): Promise<unknown> {
  const res = await app.inject({ method, url, ...(payload === undefined ? {} : { payload: payload as object }) });
  if (res.statusCode !== status) throw new Error(`${method} ${url}: ${res.statusCode} ${res.body.slice(0, 500)}`);
  return res.json();
}

async function timed(run: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await run();
  return (performance.now() - start) / 1000;
}

async function writeTransactions(file: string, rows: number): Promise<void> {
  const db = await DuckDBInstance.create(':memory:');
  const c = await db.connect();
  await c.run(`COPY (SELECT 'u' || (i * 7919 % 5000) AS user_id, round((i * 104729 % 50000) / 100.0, 2) AS amount,
                      TIMESTAMPTZ '2025-01-01 00:00:00+00' + to_seconds(i * 2419200 // ${rows}) AS event_time
               FROM range(${rows}) t(i)) TO '${file}' (FORMAT parquet)`);
  c.closeSync();
  db.closeSync();
}

function round(n: number): number {
  return Math.round(n * 100) / 100;
}
