/**
 * Online read of 1 entity x 50 features (5 groups) over HTTP, on the embedded stores and on the
 * server stores. FStore (`fstore serve`) and the baseline (bare node:http returning the same
 * response bytes) each run as a child process, loaded by autocannon from this process at the same
 * concurrency; then FStore's latency at half of its measured saturation rate. The store's own
 * figure goes in the details: redis-benchmark on the same HMGET (server), or raw LMDB reads of the
 * same records (embedded).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { onEachBackend, RUN_ID, type Backend } from '../backends.js';
import { startChild, startFStore, type ChildServer } from '../child-process.js';
import { checkedOnlineRead, rawLmdbReader, redisBenchmark, saturate, seedOnlineData } from '../online-fixture.js';
import { hashKey } from '../../service/src/storage/redis/redis-online-store.js';
import type { BenchOptions, BenchResult } from './types.js';
import { speedRatio } from './types.js';

const KEYS = 1000;
const CONNECTIONS = 16;
/** Serving workers of the N-worker figure: one per core, as `fstore serve` defaults to. */
const WORKERS = availableParallelism();

export function onlineRead(options: BenchOptions): Promise<BenchResult[]> {
  return onEachBackend('online-read', (backend) => onBackend(backend, options));
}

async function onBackend(backend: Backend, options: BenchOptions): Promise<BenchResult[]> {
  const duration = options.quick ? 2 : 15;
  const dataDir = mkdtempSync(join(tmpdir(), 'fstore-bench-online-'));
  const children: ChildServer[] = [];
  try {
    const fstore = await startFStore(dataDir, backend.env);
    children.push(fstore);
    const fixture = await seedOnlineData(fstore.url, `cliente_${RUN_ID}`, KEYS);
    const body = JSON.stringify({ entity: fixture.entity, entity_keys: ['k42'], feature_list: fixture.features });
    const responseBody = await checkedOnlineRead(fstore.url, body, fixture.features.length);
    const bodyFile = join(dataDir, 'bare-response.json');
    writeFileSync(bodyFile, responseBody);
    // The physical limit of this machine for this exchange: same request, same response bytes.
    const bare = await startChild('bench/bare-http-server.ts', [bodyFile]);
    children.push(bare);

    const load = (target: string, extra: Partial<autocannon.Options> = {}) =>
      autocannon({ url: `${target}/api/online/features`, method: 'POST', headers: { 'content-type': 'application/json' }, body, connections: CONNECTIONS, duration, ...extra });
    await load(fstore.url, { duration: 2 }); // warm-up (JIT, connections)
    await load(bare.url, { duration: 1 });
    const saturated = await load(fstore.url);
    const baseline = await load(bare.url);
    const halfRate = Math.max(1, Math.floor(saturated.requests.average / 2));
    const atHalf = await load(fstore.url, { overallRate: halfRate, connections: 8 });

    // The same reads from `fstore serve --workers N` (one per core) on the same data: the
    // single-process service stops first (the embedded offline store takes one process).
    await fstore.stop();
    children.splice(children.indexOf(fstore), 1);
    const workers = await startFStore(dataDir, { ...backend.env, FSTORE_WORKERS: String(WORKERS) });
    children.push(workers);
    await checkedOnlineRead(workers.url, body, fixture.features.length);
    await load(workers.url, { duration: 2 }); // warm-up of every worker
    const workersSaturated = await load(workers.url);
    const workersHalfRate = Math.max(1, Math.floor(workersSaturated.requests.average / 2));
    const workersAtHalf = await load(workers.url, { overallRate: workersHalfRate, connections: 8 });

    const store = backend.redisUrl
      ? {
          redis_benchmark: redisBenchmark(
            backend.redisUrl,
            ['HMGET', hashKey(fixture.entity, fixture.groups[0]!.group, 'k42'), ...fixture.groups[0]!.features.flatMap((f) => [`v:${f}`, `t:${f}`])],
            options.quick ? 50_000 : 200_000,
            CONNECTIONS,
            fixture.groups.length, // one request's pipeline: one HMGET per group
          ),
        }
      : await (async () => {
          const reader = await rawLmdbReader(dataDir, fixture, ['k42']);
          const raw = await saturate(reader, 1, options.quick ? 1 : 3);
          await reader.close();
          return { raw_lmdb_requests_per_s: Math.round(raw.reads / raw.seconds), raw_lmdb_note: `${reader.label}, sequential, in the bench process` };
        })();
    const errors = saturated.errors + saturated.non2xx + atHalf.errors + atHalf.non2xx;
    const workersErrors = workersSaturated.errors + workersSaturated.non2xx + workersAtHalf.errors + workersAtHalf.non2xx;
    const backendLabel = backend.label;
    return [
      {
        scenario: 'online read, 1 entity x 50 features (5 groups), HTTP',
        backend: backendLabel,
        metric: `req/s at ${CONNECTIONS} connections`,
        fstore: Math.round(saturated.requests.average),
        baseline: Math.round(baseline.requests.average),
        baselineLabel: 'bare node:http child process, same request and response bytes',
        ratio: speedRatio(saturated.requests.average, baseline.requests.average, 'throughput'),
        target: '>= 0.5x bare HTTP req/s',
        details: {
          fstore_p50_ms: saturated.latency.p50,
          fstore_p99_ms: saturated.latency.p99,
          bare_p50_ms: baseline.latency.p50,
          bare_p99_ms: baseline.latency.p99,
          response_bytes: Buffer.byteLength(responseBody),
          errors,
          ...store,
        },
      },
      {
        scenario: 'online read, 1 entity x 50 features, at half of saturation',
        backend: backendLabel,
        metric: `p99 ms at ${halfRate} req/s`,
        fstore: atHalf.latency.p99,
        baseline: baseline.latency.p99,
        baselineLabel: 'bare node:http p99 at saturation',
        ratio: speedRatio(atHalf.latency.p99, Math.max(baseline.latency.p99, 0.001), 'duration'),
        target: 'p99 <= 2 ms at half of saturation',
        details: { p50_ms: atHalf.latency.p50, p99_ms: atHalf.latency.p99, requests: atHalf.requests.total, errors },
      },
      {
        scenario: `online read, 1 entity x 50 features, HTTP, --workers ${WORKERS}`,
        backend: backendLabel,
        metric: `req/s at ${CONNECTIONS} connections`,
        fstore: Math.round(workersSaturated.requests.average),
        baseline: Math.round(baseline.requests.average),
        baselineLabel: 'bare node:http child process (one process), same request and response bytes',
        ratio: speedRatio(workersSaturated.requests.average, baseline.requests.average, 'throughput'),
        target: 'the N-worker figure beside the 1-worker one (issue 22)',
        details: {
          workers: WORKERS,
          cores: availableParallelism(),
          one_process_req_s: Math.round(saturated.requests.average),
          vs_one_process: speedRatio(workersSaturated.requests.average, saturated.requests.average, 'throughput'),
          p50_ms: workersSaturated.latency.p50,
          p99_ms: workersSaturated.latency.p99,
          half_load_req_s: workersHalfRate,
          half_load_p50_ms: workersAtHalf.latency.p50,
          half_load_p99_ms: workersAtHalf.latency.p99,
          note: 'the load generator (autocannon) runs in the bench process on the same cores as the workers and the primary',
          errors: workersErrors,
        },
      },
    ];
  } finally {
    for (const c of children) await c.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
