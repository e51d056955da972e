/**
 * Drift over N rows x F numeric features in the embedded offline store (DuckDB), against a raw
 * DuckDB histogram query over the same table in the same run. The history is generated inside
 * DuckDB (seeded, deterministic): the benchmark measures drift, not ingestion.
 * Run: npx tsx bench/drift.ts [rows=1000000] [features=100]
 * Issue 9 folds this into `npm run bench`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { DuckDbOfflineStore } from '../service/src/storage/embedded/duckdb-offline-store.js';
import { DriftService } from '../service/src/monitoring/drift-service.js';
import { openDuckDb, withConnection } from '../service/src/storage/duckdb/duckdb-session.js';
import type { RegistryService } from '../service/src/registry/registry-service.js';

const rows = Number(process.argv[2] ?? 1_000_000);
const featureCount = Number(process.argv[3] ?? 100);
const dir = mkdtempSync(join(tmpdir(), 'fstore-bench-drift-'));
const path = join(dir, 'offline.duckdb');
const T0 = Date.parse('2025-01-01T00:00:00Z');
const DAY = 86_400_000;
const seconds = (start: number) => Math.round((performance.now() - start) / 10) / 100;

// Half the rows in the baseline window (days 0-9), half in the current one (days 10-19); every
// tenth feature is shifted in the current window.
const store = await DuckDbOfflineStore.open(path);
await store.close();
const generator = await openDuckDb(path);
let t = performance.now();
await withConnection(generator, (c) =>
  c.run(`INSERT INTO feature_values
    SELECT 'bench', 'g', 'f' || f, 'k' || i, ${T0} + (i * ${Math.floor((20 * DAY) / rows)}),
           CAST(round((hash(i * 1000 + f) % 100000) / 100000.0 * 10 + CASE WHEN f % 10 = 0 AND i >= ${rows / 2} THEN 3 ELSE 0 END, 4) AS VARCHAR), 0
    FROM range(${rows}) r(i), range(${featureCount}) q(f)`),
);
const generated = seconds(t);
generator.closeSync();

const offline = await DuckDbOfflineStore.open(path);
const features = Array.from({ length: featureCount }, (_, f) => ({ name: `f${f}`, value_type: 'FLOAT', entity: 'bench', feature_group: 'g', status: 'active' }));
const registry = { list: async () => features } as unknown as RegistryService;
const drift = new DriftService(registry, offline);
const baseline = { start: new Date(T0).toISOString(), end: new Date(T0 + 10 * DAY - 1).toISOString() };
const current = { start: new Date(T0 + 10 * DAY).toISOString(), end: new Date(T0 + 20 * DAY).toISOString() };
t = performance.now();
const report = await drift.compare('bench', features.map((f) => f.name), baseline, current);
const fstoreSeconds = seconds(t);
const drifted = report.features.filter((f) => f.drifted).length;
await offline.close();

// Raw baseline: one hand-written DuckDB query: equal-width 10-bin histograms of both windows.
const raw = await openDuckDb(path);
t = performance.now();
await withConnection(raw, (c) =>
  c.runAndReadAll(`SELECT feature, event_time_ms >= ${T0 + 10 * DAY} AS current, least(floor(TRY_CAST(value_json AS DOUBLE)), 12) AS bin, count(*)
    FROM feature_values WHERE entity = 'bench' GROUP BY ALL`),
);
const rawSeconds = seconds(t);
raw.closeSync();
rmSync(dir, { recursive: true, force: true });

console.log(
  JSON.stringify(
    {
      scenario: `drift, ${rows} rows x ${featureCount} numeric features (PSI + KS), embedded DuckDB`,
      machine: { cores: cpus().length, memory_gb: Math.round(totalmem() / 2 ** 30) },
      generated_values: rows * featureCount,
      generate_seconds: generated,
      fstore_seconds: fstoreSeconds,
      raw_histogram_seconds: rawSeconds,
      ratio: Math.round((fstoreSeconds / rawSeconds) * 100) / 100,
      features_drifted: drifted,
      features_expected_drifted: Math.ceil(featureCount / 10),
      target: '<= 10 s and <= 3x the raw query',
    },
    null,
    2,
  ),
);
