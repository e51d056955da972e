/**
 * Drift over N rows x F numeric features in the offline store, against a raw histogram query over
 * the same table in the same engine: embedded (DuckDB) and server (PostgreSQL, a smaller size: its
 * load alone would outlast the suite at 1M x 100). The history is generated inside the database
 * (seeded, deterministic): the scenario measures drift, not ingestion.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DriftService } from '../../service/src/monitoring/drift-service.js';
import type { RegistryService } from '../../service/src/registry/registry-service.js';
import { openDuckDb, withConnection } from '../../service/src/storage/duckdb/duckdb-session.js';
import { DuckDbOfflineStore } from '../../service/src/storage/embedded/duckdb-offline-store.js';
import type { OfflineStore } from '../../service/src/storage/offline-store.js';
import { PostgresOfflineStore } from '../../service/src/storage/postgres/postgres-offline-store.js';
import pg from 'pg';
import type { BenchOptions, BenchResult } from './types.js';
import { speedRatio } from './types.js';
import { freshBenchDatabase, reportSkipped, serverBackends, wantsBackend } from '../backends.js';

const T0 = Date.parse('2025-01-01T00:00:00Z');
const DAY = 86_400_000;

const TARGET = '<= 10 s and <= 3x the raw query';

export async function drift(options: BenchOptions, size?: { rows: number; features: number }): Promise<BenchResult[]> {
  const results = wantsBackend('embedded') ? [await embedded(size?.rows ?? (options.quick ? 100_000 : 1_000_000), size?.features ?? (options.quick ? 20 : 100))] : [];
  if (!wantsBackend('server')) return results;
  const server = await serverBackends();
  if ('unavailable' in server) reportSkipped('drift', server.unavailable);
  else results.push(await onPostgres(server.offline, options.quick ? 20_000 : 100_000, options.quick ? 20 : 50));
  return results;
}

async function embedded(rows: number, featureCount: number): Promise<BenchResult> {
  const dir = mkdtempSync(join(tmpdir(), 'fstore-bench-drift-'));
  const path = join(dir, 'offline.duckdb');
  await (await DuckDbOfflineStore.open(path)).close();
  // Half the rows in the baseline window (days 0-9), half in the current one (days 10-19); every
  // tenth feature shifts in the current window.
  const generator = await openDuckDb(path);
  await withConnection(generator, (c) =>
    c.run(`INSERT INTO feature_values
      SELECT 'bench', 'g', 'f' || f, 'k' || i, ${T0} + (i * ${Math.floor((20 * DAY) / rows)}),
             CAST(round((hash(i * 1000 + f) % 100000) / 100000.0 * 10 + CASE WHEN f % 10 = 0 AND i >= ${rows / 2} THEN 3 ELSE 0 END, 4) AS VARCHAR), 0
      FROM range(${rows}) r(i), range(${featureCount}) q(f)`),
  );
  generator.closeSync();

  const offline = await DuckDbOfflineStore.open(path);
  const { seconds: fstore, drifted } = await fstoreDrift(offline, featureCount);
  await offline.close();

  // Raw baseline: one hand-written query: 13-bin equal-width histograms of both windows.
  const raw = await openDuckDb(path);
  const start = performance.now();
  await withConnection(raw, (c) =>
    c.runAndReadAll(`SELECT feature, event_time_ms >= ${T0 + 10 * DAY} AS current, least(floor(TRY_CAST(value_json AS DOUBLE)), 12) AS bin, count(*)
      FROM feature_values WHERE entity = 'bench' GROUP BY ALL`),
  );
  const baseline = (performance.now() - start) / 1000;
  raw.closeSync();
  rmSync(dir, { recursive: true, force: true });
  return result('embedded', 'embedded (DuckDB)', rows, featureCount, fstore, baseline, drifted, 'a raw DuckDB histogram query over the same table');
}

async function onPostgres(baseUrl: string, rows: number, featureCount: number): Promise<BenchResult> {
  const database = await freshBenchDatabase(baseUrl, 'drift');
  try {
    const offline = await PostgresOfflineStore.open(database.url);
    // The same shape of data as the embedded variant (PostgreSQL's own hash, so other values).
    const c = new pg.Client({ connectionString: database.url });
    await c.connect();
    try {
      await c.query(`INSERT INTO fstore_feature_values
        SELECT 'bench', 'g', 'f' || f, 'k' || i, ${T0}::bigint + i::bigint * ${Math.floor((20 * DAY) / rows)},
               round(((hashint8(i::bigint * 1000 + f) & 1048575) / 1048576.0 * 10 + CASE WHEN f % 10 = 0 AND i >= ${rows / 2} THEN 3 ELSE 0 END)::numeric, 4)::text, 0
        FROM generate_series(0, ${rows - 1}) i, generate_series(0, ${featureCount - 1}) f`);
      await c.query('ANALYZE fstore_feature_values');
      const { seconds: fstore, drifted } = await fstoreDrift(offline, featureCount);
      await offline.close();
      const start = performance.now();
      await c.query(`SELECT feature, event_time_ms >= ${T0 + 10 * DAY} AS current, least(floor(value_json::float8), 12) AS bin, count(*)
        FROM fstore_feature_values WHERE entity = 'bench' GROUP BY 1, 2, 3`);
      const baseline = (performance.now() - start) / 1000;
      return result('server', 'server (PostgreSQL)', rows, featureCount, fstore, baseline, drifted, 'a raw PostgreSQL histogram query over the same table', {
        note: 'smaller than the embedded size: generating and indexing 100M rows in PostgreSQL would outlast the suite',
      });
    } finally {
      await c.end();
    }
  } finally {
    await database.drop();
  }
}

async function fstoreDrift(offline: OfflineStore, featureCount: number): Promise<{ seconds: number; drifted: number }> {
  const features = Array.from({ length: featureCount }, (_, f) => ({ name: `f${f}`, value_type: 'FLOAT', entity: 'bench', feature_group: 'g', status: 'active' }));
  const registry = { list: async () => features } as unknown as RegistryService;
  const service = new DriftService(registry, offline);
  const baselineWindow = { start: new Date(T0).toISOString(), end: new Date(T0 + 10 * DAY - 1).toISOString() };
  const current = { start: new Date(T0 + 10 * DAY).toISOString(), end: new Date(T0 + 20 * DAY).toISOString() };
  const start = performance.now();
  const report = await service.compare('bench', features.map((f) => f.name), baselineWindow, current);
  return { seconds: (performance.now() - start) / 1000, drifted: report.features.filter((f) => f.drifted).length };
}

function result(
  kind: 'embedded' | 'server',
  backend: string,
  rows: number,
  featureCount: number,
  fstore: number,
  baseline: number,
  drifted: number,
  baselineLabel: string,
  extra: Record<string, unknown> = {},
): BenchResult {
  const expected = Math.ceil(featureCount / 10);
  return {
    scenario: `drift, ${rows.toLocaleString('en')} rows x ${featureCount} numeric features (PSI + KS)`,
    backend,
    metric: 'seconds',
    fstore: Math.round(fstore * 100) / 100,
    baseline: Math.round(baseline * 100) / 100,
    baselineLabel,
    ratio: speedRatio(fstore, baseline, 'duration'),
    target: TARGET,
    details: { backend_kind: kind, rows, features: featureCount, values: rows * featureCount, features_drifted: drifted, features_expected_drifted: expected, ...extra },
  };
}
