/** Transform preview over an N-row CSV (the seed's SQL, sample: all) against the same SQL in raw DuckDB. */
import { createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { buildApp } from '../../service/src/http/app.js';
import { loadConfig } from '../../service/src/config/load-config.js';
import type { BenchOptions, BenchResult } from './types.js';
import { speedRatio } from './types.js';

const SQL = 'SELECT user_id, AVG(transaction_amount) AS avg_transaction_value, COUNT(*) AS transaction_count FROM transactions GROUP BY user_id';

export async function transformPreview(options: BenchOptions): Promise<BenchResult[]> {
  const rows = options.quick ? 200_000 : 1_000_000;
  const dir = mkdtempSync(join(tmpdir(), 'fstore-bench-preview-'));
  const csv = join(dir, 'transactions.csv');
  await writeTransactions(csv, rows);
  const { app } = await buildApp(loadConfig({ env: {}, overrides: { dataDir: join(dir, 'data'), logLevel: 'silent', fileSourceDirs: [dir], monitoringIntervalSeconds: 0 } }));
  await app.ready();
  const created = await app.inject({ method: 'POST', url: '/api/data-sources/', payload: { name: 'transactions', type: 'file', path: csv } });
  if (created.statusCode !== 201) throw new Error(created.body);
  const preview = async () => {
    const start = performance.now();
    const res = await app.inject({ method: 'POST', url: '/api/transforms/preview', payload: { language: 'sql', code: SQL, sources: ['transactions'], entity: 'user', sample: { mode: 'all' } } });
    if (res.statusCode !== 200) throw new Error(res.body);
    return (performance.now() - start) / 1000;
  };
  const raw = async () => {
    const start = performance.now();
    const db = await DuckDBInstance.create(':memory:');
    const c = await db.connect();
    await c.runAndReadAll(SQL.replace('FROM transactions', `FROM read_csv('${csv}')`));
    c.closeSync();
    db.closeSync();
    return (performance.now() - start) / 1000;
  };
  await preview(); // warm-up: first DuckDB instance, file cache
  const fstore = median(await repeat(3, preview));
  const baseline = median(await repeat(3, raw));
  await app.close();
  rmSync(dir, { recursive: true, force: true });
  return [
    {
      scenario: `transform preview on a ${rows.toLocaleString('en')}-row CSV (seed SQL, all rows)`,
      backend: 'embedded (DuckDB)',
      metric: 'seconds to first result (median of 3)',
      fstore: round(fstore),
      baseline: round(baseline),
      baselineLabel: 'the same SQL in a fresh raw DuckDB over the same file',
      ratio: speedRatio(fstore, baseline, 'duration'),
      target: '<= 1.5 s and <= 1.5x raw',
    },
  ];
}

async function writeTransactions(path: string, rows: number): Promise<void> {
  const out = createWriteStream(path);
  out.write('user_id,transaction_amount,event_time\n');
  let seed = 7;
  const next = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
  for (let i = 0; i < rows; i++) {
    const line = `u${Math.floor(next() * 50_000)},${(next() * 500).toFixed(2)},2025-01-${String(1 + Math.floor(next() * 28)).padStart(2, '0')}T10:00:00Z\n`;
    if (!out.write(line)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'close');
}

async function repeat(n: number, run: () => Promise<number>): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < n; i++) out.push(await run());
  return out;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

function round(n: number): number {
  return Math.round(n * 1000) / 1000;
}
