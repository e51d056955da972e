/**
 * Drift over N rows x F numeric features in the embedded offline store (DuckDB), against a raw
 * DuckDB histogram query over the same table. The history is generated inside DuckDB (seeded,
 * deterministic): the scenario measures drift, not ingestion.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DriftService } from '../../service/src/monitoring/drift-service.js';
import type { RegistryService } from '../../service/src/registry/registry-service.js';
import { openDuckDb, withConnection } from '../../service/src/storage/duckdb/duckdb-session.js';
import { DuckDbOfflineStore } from '../../service/src/storage/embedded/duckdb-offline-store.js';
import type { BenchOptions, BenchResult } from './types.js';
import { speedRatio } from './types.js';

const T0 = Date.parse('2025-01-01T00:00:00Z');
const DAY = 86_400_000;

export async function drift(options: BenchOptions, size?: { rows: number; features: number }): Promise<BenchResult[]> {
  const rows = size?.rows ?? (options.quick ? 100_000 : 1_000_000);
  const featureCount = size?.features ?? (options.quick ? 20 : 100);
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
  const features = Array.from({ length: featureCount }, (_, f) => ({ name: `f${f}`, value_type: 'FLOAT', entity: 'bench', feature_group: 'g', status: 'active' }));
  const registry = { list: async () => features } as unknown as RegistryService;
  const service = new DriftService(registry, offline);
  const baselineWindow = { start: new Date(T0).toISOString(), end: new Date(T0 + 10 * DAY - 1).toISOString() };
  const current = { start: new Date(T0 + 10 * DAY).toISOString(), end: new Date(T0 + 20 * DAY).toISOString() };
  let start = performance.now();
  const report = await service.compare('bench', features.map((f) => f.name), baselineWindow, current);
  const fstore = (performance.now() - start) / 1000;
  await offline.close();

  // Raw baseline: one hand-written query: 13-bin equal-width histograms of both windows.
  const raw = await openDuckDb(path);
  start = performance.now();
  await withConnection(raw, (c) =>
    c.runAndReadAll(`SELECT feature, event_time_ms >= ${T0 + 10 * DAY} AS current, least(floor(TRY_CAST(value_json AS DOUBLE)), 12) AS bin, count(*)
      FROM feature_values WHERE entity = 'bench' GROUP BY ALL`),
  );
  const baseline = (performance.now() - start) / 1000;
  raw.closeSync();
  rmSync(dir, { recursive: true, force: true });
  const drifted = report.features.filter((f) => f.drifted).length;
  return [
    {
      scenario: `drift, ${rows.toLocaleString('en')} rows x ${featureCount} numeric features (PSI + KS)`,
      backend: 'embedded (DuckDB)',
      metric: 'seconds',
      fstore: Math.round(fstore * 100) / 100,
      baseline: Math.round(baseline * 100) / 100,
      baselineLabel: 'a raw DuckDB histogram query over the same table',
      ratio: speedRatio(fstore, baseline, 'duration'),
      target: '<= 10 s and <= 3x the raw query',
      details: { values: rows * featureCount, features_drifted: drifted, features_expected_drifted: Math.ceil(featureCount / 10) },
    },
  ];
}
