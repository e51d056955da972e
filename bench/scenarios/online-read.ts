/**
 * Online read of 1 entity x 50 features (5 groups) over HTTP, against a bare node:http server that
 * returns a precomputed body of the same size, both loaded by autocannon at the same concurrency;
 * then FStore's latency at half of its measured saturation rate.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { buildApp } from '../../service/src/app.js';
import { loadConfig } from '../../service/src/config/load-config.js';
import type { BenchOptions, BenchResult } from './types.js';
import { speedRatio } from './types.js';

const GROUPS = 5;
const PER_GROUP = 10;
const KEYS = 1000;
const CONNECTIONS = 16;

export async function onlineRead(options: BenchOptions): Promise<BenchResult[]> {
  const duration = options.quick ? 4 : 15;
  const dataDir = mkdtempSync(join(tmpdir(), 'fstore-bench-online-'));
  const { app } = await buildApp(loadConfig({ env: {}, overrides: { dataDir, logLevel: 'silent', monitoringIntervalSeconds: 0 } }));
  await app.listen({ host: '127.0.0.1', port: 0 });
  const url = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  const features: string[] = [];
  for (let g = 0; g < GROUPS; g++) {
    const rows = Array.from({ length: KEYS }, (_, k) => {
      const row: Record<string, unknown> = { cliente_id: `k${k}`, event_timestamp: '2025-01-01T00:00:00Z' };
      for (let f = 0; f < PER_GROUP; f++) row[`cliente_g${g}_f${f}`] = (k * 31 + f) % 1000;
      return row;
    });
    const res = await app.inject({ method: 'POST', url: `/api/ingest/cliente/grupo_${g}`, payload: { rows } });
    if (res.statusCode !== 200) throw new Error(`setup ingest failed: ${res.body}`);
    for (let f = 0; f < PER_GROUP; f++) features.push(`cliente_g${g}_f${f}`);
  }
  const body = JSON.stringify({ entity: 'cliente', entity_keys: ['k42'], feature_list: features });
  const sample = await fetch(`${url}/api/online/features`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
  const responseBody = await sample.text();
  if (!sample.ok) throw new Error(`online read failed: ${responseBody}`);

  // The physical limit of this machine for this exchange: same request, same response bytes.
  const bare = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(responseBody) });
      res.end(responseBody);
    });
  });
  await new Promise<void>((r) => bare.listen(0, '127.0.0.1', r));
  const bareUrl = `http://127.0.0.1:${(bare.address() as AddressInfo).port}`;

  const load = (target: string, extra: Partial<autocannon.Options> = {}) =>
    autocannon({ url: `${target}/api/online/features`, method: 'POST', headers: { 'content-type': 'application/json' }, body, connections: CONNECTIONS, duration, ...extra });
  await load(url, { duration: 2 }); // warm-up
  const fstore = await load(url);
  const baseline = await load(bareUrl);
  const halfRate = Math.max(1, Math.floor(fstore.requests.average / 2));
  const atHalf = await load(url, { overallRate: halfRate, connections: 8 });
  await app.close();
  bare.close();
  rmSync(dataDir, { recursive: true, force: true });
  const errors = fstore.errors + fstore.non2xx + atHalf.errors + atHalf.non2xx;
  return [
    {
      scenario: 'online read, 1 entity x 50 features (5 groups), HTTP',
      backend: 'embedded (LMDB)',
      metric: `req/s at ${CONNECTIONS} connections`,
      fstore: Math.round(fstore.requests.average),
      baseline: Math.round(baseline.requests.average),
      baselineLabel: 'bare node:http, same request and response bytes',
      ratio: speedRatio(fstore.requests.average, baseline.requests.average, 'throughput'),
      target: '>= 0.5x bare HTTP req/s',
      details: { fstore_p50_ms: fstore.latency.p50, fstore_p99_ms: fstore.latency.p99, bare_p50_ms: baseline.latency.p50, bare_p99_ms: baseline.latency.p99, errors },
    },
    {
      scenario: 'online read, 1 entity x 50 features, at half of saturation',
      backend: 'embedded (LMDB)',
      metric: `p99 ms at ${halfRate} req/s`,
      fstore: atHalf.latency.p99,
      baseline: baseline.latency.p99,
      baselineLabel: 'bare node:http p99 at saturation',
      ratio: speedRatio(atHalf.latency.p99, Math.max(baseline.latency.p99, 0.001), 'duration'),
      target: 'p99 <= 2 ms at half of saturation',
      details: { p50_ms: atHalf.latency.p50, p99_ms: atHalf.latency.p99, requests: atHalf.requests.total, errors },
    },
  ];
}
