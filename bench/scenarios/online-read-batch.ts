/**
 * Online read of 100 entities x 50 features (5 groups) per request over HTTP, on the embedded and
 * the server stores, FStore (`fstore serve`) in a child process loaded by autocannon: latency at a
 * fixed 100 req/s, and values/s at saturation. Baseline in the same run: the raw store reads of the
 * same records with no FStore in between — pipelined HMGETs of the same hash fields (Redis), or
 * synchronous lmdb gets of the same records (embedded). The same figures for the Arrow IPC answer
 * (`Accept: application/vnd.apache.arrow.stream`) beside JSON's, against the same baselines.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tableFromIPC } from 'apache-arrow';
import autocannon from 'autocannon';
import { onEachBackend, RUN_ID, type Backend } from '../backends.js';
import { startFStore } from '../child-process.js';
import { atFixedRate, checkedOnlineRead, rawLmdbReader, rawRedisReader, saturate, seedOnlineData } from '../online-fixture.js';
import type { BenchOptions, BenchResult } from './types.js';
import { speedRatio } from './types.js';

const KEYS = 1000;
const PER_REQUEST = 100;
const FIXED_RATE = 100;
/** In-flight requests at saturation, for FStore and for the raw pipelines alike. */
const CONCURRENCY = 8;
const ARROW = 'application/vnd.apache.arrow.stream';

export function onlineReadBatch(options: BenchOptions): Promise<BenchResult[]> {
  return onEachBackend('online-read-batch', (backend) => onBackend(backend, options));
}

async function onBackend(backend: Backend, options: BenchOptions): Promise<BenchResult[]> {
  const duration = options.quick ? 2 : 15;
  const dataDir = mkdtempSync(join(tmpdir(), 'fstore-bench-batch-'));
  const fstore = await startFStore(dataDir, backend.env);
  try {
    const fixture = await seedOnlineData(fstore.url, `cliente_${RUN_ID}`, KEYS);
    // 100 keys spread over the key space.
    const keys = Array.from({ length: PER_REQUEST }, (_, i) => `k${i * (KEYS / PER_REQUEST)}`);
    const valuesPerRequest = keys.length * fixture.features.length;
    const body = JSON.stringify({ entity: fixture.entity, entity_keys: keys, feature_list: fixture.features });
    const responseBytes = Buffer.byteLength(await checkedOnlineRead(fstore.url, body, valuesPerRequest));

    const arrowBytes = await checkedArrowRead(fstore.url, body, valuesPerRequest);

    const load = (extra: Partial<autocannon.Options>, accept = 'application/json') =>
      autocannon({ url: `${fstore.url}/api/online/features`, method: 'POST', headers: { 'content-type': 'application/json', accept }, body, duration, ...extra });
    await load({ duration: 2, connections: CONCURRENCY }); // warm-up (JIT, connections)
    const fixed = await load({ overallRate: FIXED_RATE, connections: 16 });
    const saturated = await load({ connections: CONCURRENCY });
    const fstoreValuesPerS = saturated.requests.average * valuesPerRequest;
    await load({ duration: 2, connections: CONCURRENCY }, ARROW);
    const arrowFixed = await load({ overallRate: FIXED_RATE, connections: 16 }, ARROW);
    const arrowSaturated = await load({ connections: CONCURRENCY }, ARROW);
    const arrowValuesPerS = arrowSaturated.requests.average * valuesPerRequest;

    const reader = backend.redisUrl ? await rawRedisReader(backend.redisUrl, fixture, keys) : await rawLmdbReader(dataDir, fixture, keys);
    let raw: Awaited<ReturnType<typeof saturate>>;
    let rawFixed: Awaited<ReturnType<typeof atFixedRate>>;
    try {
      rawFixed = await atFixedRate(reader, FIXED_RATE, duration);
      raw = await saturate(reader, CONCURRENCY, duration);
    } finally {
      await reader.close();
    }
    const rawValuesPerS = raw.values / raw.seconds;
    const errors = fixed.errors + fixed.non2xx + saturated.errors + saturated.non2xx;
    const arrowErrors = arrowFixed.errors + arrowFixed.non2xx + arrowSaturated.errors + arrowSaturated.non2xx;
    return [
      {
        scenario: 'online read, 100 entities x 50 features, at 100 req/s',
        backend: backend.label,
        metric: `p99 ms at ${FIXED_RATE} req/s`,
        fstore: fixed.latency.p99,
        baseline: rawFixed.p99_ms,
        baselineLabel: `${reader.label}, p99 at ${FIXED_RATE} reads/s`,
        ratio: speedRatio(fixed.latency.p99, Math.max(rawFixed.p99_ms, 0.001), 'duration'),
        target: 'p99 <= 10 ms at 100 req/s',
        details: {
          p50_ms: fixed.latency.p50,
          p99_ms: fixed.latency.p99,
          achieved_req_per_s: round(fixed.requests.average),
          requests: fixed.requests.total,
          raw_p50_ms: rawFixed.p50_ms,
          raw_p99_ms: rawFixed.p99_ms,
          response_bytes: responseBytes,
          errors,
        },
      },
      {
        scenario: 'online read, 100 entities x 50 features, saturation',
        backend: backend.label,
        metric: `values/s at ${CONCURRENCY} in flight`,
        fstore: Math.round(fstoreValuesPerS),
        baseline: Math.round(rawValuesPerS),
        baselineLabel: `${reader.label}, ${backend.redisUrl ? `${CONCURRENCY} in flight` : 'sequential'}`,
        ratio: speedRatio(fstoreValuesPerS, rawValuesPerS, 'throughput'),
        target: '>= 0.4x raw values/s',
        details: {
          fstore_req_per_s: round(saturated.requests.average),
          fstore_p50_ms: saturated.latency.p50,
          fstore_p99_ms: saturated.latency.p99,
          raw_reads_per_s: round(raw.reads / raw.seconds),
          values_per_request: valuesPerRequest,
          errors,
        },
      },
      {
        scenario: 'online read, 100 entities x 50 features, at 100 req/s, Arrow IPC answer',
        backend: backend.label,
        metric: `p99 ms at ${FIXED_RATE} req/s`,
        fstore: arrowFixed.latency.p99,
        baseline: rawFixed.p99_ms,
        baselineLabel: `${reader.label}, p99 at ${FIXED_RATE} reads/s`,
        ratio: speedRatio(arrowFixed.latency.p99, Math.max(rawFixed.p99_ms, 0.001), 'duration'),
        target: 'p99 <= 10 ms at 100 req/s',
        details: {
          p50_ms: arrowFixed.latency.p50,
          p99_ms: arrowFixed.latency.p99,
          achieved_req_per_s: round(arrowFixed.requests.average),
          requests: arrowFixed.requests.total,
          response_bytes: arrowBytes,
          json_p50_ms: fixed.latency.p50,
          json_p99_ms: fixed.latency.p99,
          errors: arrowErrors,
        },
      },
      {
        scenario: 'online read, 100 entities x 50 features, saturation, Arrow IPC answer',
        backend: backend.label,
        metric: `values/s at ${CONCURRENCY} in flight`,
        fstore: Math.round(arrowValuesPerS),
        baseline: Math.round(rawValuesPerS),
        baselineLabel: `${reader.label}, ${backend.redisUrl ? `${CONCURRENCY} in flight` : 'sequential'}`,
        ratio: speedRatio(arrowValuesPerS, rawValuesPerS, 'throughput'),
        target: '>= 0.4x raw values/s',
        details: {
          fstore_req_per_s: round(arrowSaturated.requests.average),
          fstore_p50_ms: arrowSaturated.latency.p50,
          fstore_p99_ms: arrowSaturated.latency.p99,
          json_req_per_s: round(saturated.requests.average),
          values_per_request: valuesPerRequest,
          errors: arrowErrors,
        },
      },
    ];
  } finally {
    await fstore.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

function round(n: number): number {
  return Math.round(n * 100) / 100;
}

/** POST /api/online/features once asking for Arrow; throws unless it is Arrow with every value PRESENT. Returns its size. */
async function checkedArrowRead(url: string, body: string, expectedValues: number): Promise<number> {
  const res = await fetch(`${url}/api/online/features`, { method: 'POST', headers: { 'content-type': 'application/json', accept: ARROW }, body });
  const bytes = new Uint8Array(await res.arrayBuffer());
  if (!res.ok || res.headers.get('content-type') !== ARROW) throw new Error(`Arrow online read failed: HTTP ${res.status} ${res.headers.get('content-type')}`);
  const table = tableFromIPC(bytes);
  let present = 0;
  for (const field of table.schema.fields) {
    if (!field.name.endsWith('__status')) continue;
    for (const status of table.getChild(field.name)!) if (status === 'PRESENT') present++;
  }
  if (present !== expectedValues) throw new Error(`Arrow online read returned ${present} PRESENT values, expected ${expectedValues}`);
  return bytes.byteLength;
}
