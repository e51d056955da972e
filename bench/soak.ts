/**
 * Soak run: `fstore serve` (embedded stores, loopback only) under a steady mix of online reads and
 * small ingestions at half of its measured capacity, for a bounded time. Passes when no request
 * failed and memory did not grow beyond the stated bound; writes bench/results/soak.{json,md}.
 *
 *   npm run bench:soak                 # 60 s
 *   npm run bench:soak -- --seconds 300
 *   npm run bench:soak -- --rate 400   # skip the capacity probe, soak at 400 req/s
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { REPO_ROOT, startFStore, type ChildServer } from './child-process.js';

export interface SoakOptions {
  seconds: number;
  /** Requests per second to soak at; measured (half of saturation) when absent. */
  rate?: number;
  /** Seconds of the capacity probe. */
  probeSeconds?: number;
  log?: (line: string) => void;
}

export interface MemorySample {
  t: number;
  rss: number;
  heapUsed: number;
}

export interface SoakResult {
  date: string;
  /** load_average: the machine's 1-minute load when the run ended (other work shares the cores). */
  machine: { cores: number; cpu: string; memory_gb: number; node: string; load_average: number };
  seconds: number;
  capacity_rps: number | null;
  target_rps: number;
  achieved_rps: number;
  requests: number;
  reads: number;
  ingests: number;
  errors: number;
  non2xx: number;
  timeouts: number;
  latency_ms: { p50: number; p99: number; max: number };
  memory: {
    /** Mean over the first window after warm-up, and over the last window. */
    rss_start_mb: number;
    rss_end_mb: number;
    heap_start_mb: number;
    heap_end_mb: number;
    rss_growth_mb: number;
    heap_growth_mb: number;
    bound: string;
    samples: MemorySample[];
  };
  passed: boolean;
  failures: string[];
}

const KEYS = 1000;
const FEATURES = ['a', 'b', 'c', 'd', 'e'];
/** One push of a few values for every this many online reads. */
const READS_PER_INGEST = 9;
/** The stated bound: what the heap and the RSS may grow between the start and the end of the run. */
const HEAP_GROWTH_BOUND_MB = 32;
const RSS_GROWTH_BOUND_MB = 96;

const MB = 1024 * 1024;
const round = (n: number, digits = 1) => Math.round(n * 10 ** digits) / 10 ** digits;

export async function runSoak(options: SoakOptions): Promise<SoakResult> {
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const dataDir = mkdtempSync(join(tmpdir(), 'fstore-soak-'));
  let server: ChildServer | undefined;
  try {
    server = await startFStore(dataDir);
    await seed(server.url);
    let capacity: number | null = null;
    if (options.rate === undefined) {
      capacity = await measureCapacity(server.url, options.probeSeconds ?? 5);
      log(`soak: capacity ${Math.round(capacity)} req/s (online reads + ingests, 16 connections, ${options.probeSeconds ?? 5} s)`);
    }
    const target = Math.max(1, Math.round(options.rate ?? capacity! / 2));
    log(`soak: ${options.seconds} s at ${target} req/s`);

    const samples: MemorySample[] = [];
    const started = Date.now();
    const sampler = setInterval(() => {
      void sampleMemory(server!.url).then((m) => m && samples.push({ t: round((Date.now() - started) / 1000), ...m }));
    }, 1000);
    const run = await load(server.url, { duration: options.seconds, overallRate: target, connections: 8 });
    clearInterval(sampler);
    const last = await sampleMemory(server.url);
    if (last) samples.push({ t: round((Date.now() - started) / 1000), ...last });

    return summarize(options, capacity, target, run, samples);
  } finally {
    await server?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

async function seed(url: string): Promise<void> {
  const rows = Array.from({ length: KEYS }, (_, i) => ({
    usuario_id: `u${i}`,
    event_timestamp: '2025-01-01T00:00:00Z',
    ...Object.fromEntries(FEATURES.map((f, j) => [`usuario_${f}`, i * 10 + j])),
  }));
  const res = await fetch(`${url}/api/ingest/usuario/soak`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ rows }),
  });
  if (res.status !== 200) throw new Error(`seeding failed: ${res.status} ${await res.text()}`);
}

/** The request mix: READS_PER_INGEST online reads of 10 keys, then one push of 5 values. */
function requests(): autocannon.Request[] {
  let n = 0;
  const read: autocannon.Request = {
    method: 'POST',
    path: '/api/online/features',
    headers: { 'content-type': 'application/json' },
    setupRequest: (req) => {
      const first = (n++ * 7) % (KEYS - 10);
      const keys = Array.from({ length: 10 }, (_, i) => `u${first + i}`);
      return { ...req, body: JSON.stringify({ entity: 'usuario', entity_keys: keys, feature_list: FEATURES }) };
    },
  };
  let m = 0;
  // Small writes go through the push API (the records a Kafka topic carries, seed format).
  const ingest: autocannon.Request = {
    method: 'POST',
    path: '/api/push',
    headers: { 'content-type': 'application/json' },
    setupRequest: (req) => {
      const batch = m++;
      const timestamp = new Date(Date.UTC(2025, 0, 2) + batch * 1000).toISOString();
      const records = Array.from({ length: 5 }, (_, i) => ({
        entity_key: `u${(batch * 5 + i) % KEYS}`,
        feature_name: `usuario_${FEATURES[i % FEATURES.length]}`,
        value: batch + i,
        timestamp,
      }));
      return { ...req, body: JSON.stringify({ records }) };
    },
  };
  return [...Array.from({ length: READS_PER_INGEST }, () => read), ingest];
}

function load(url: string, opts: { duration: number; connections: number; overallRate?: number }): Promise<autocannon.Result> {
  return autocannon({ url, ...opts, requests: requests(), timeout: 10 });
}

async function measureCapacity(url: string, seconds: number): Promise<number> {
  const result = await load(url, { duration: seconds, connections: 16 });
  if (result.errors > 0 || result.non2xx > 0) throw new Error(`the capacity probe saw ${result.errors} errors and ${result.non2xx} non-2xx answers`);
  return result.requests.average;
}

/** The service's own view of its memory, from /metrics (prom-client default metrics). */
async function sampleMemory(url: string): Promise<{ rss: number; heapUsed: number } | undefined> {
  try {
    const text = await (await fetch(`${url}/metrics`)).text();
    const metric = (name: string) => Number(new RegExp(`^${name}(?:\\{[^}]*\\})? ([0-9.e+]+)$`, 'm').exec(text)?.[1]);
    const rss = metric('process_resident_memory_bytes');
    const heapUsed = metric('nodejs_heap_size_used_bytes');
    return Number.isFinite(rss) && Number.isFinite(heapUsed) ? { rss, heapUsed } : undefined;
  } catch {
    return undefined;
  }
}

function summarize(options: SoakOptions, capacity: number | null, target: number, run: autocannon.Result, samples: MemorySample[]): SoakResult {
  // Warm-up (JIT, caches, LMDB maps) is excluded: compare the window after the first fifth of
  // the run with the last fifth.
  const window = Math.max(2, Math.floor(samples.length / 5));
  const mean = (xs: MemorySample[], k: 'rss' | 'heapUsed') => xs.reduce((s, x) => s + x[k], 0) / Math.max(1, xs.length);
  const startWindow = samples.slice(window, 2 * window);
  const endWindow = samples.slice(-window);
  const rssStart = mean(startWindow, 'rss') / MB;
  const rssEnd = mean(endWindow, 'rss') / MB;
  const heapStart = mean(startWindow, 'heapUsed') / MB;
  const heapEnd = mean(endWindow, 'heapUsed') / MB;
  const failures: string[] = [];
  if (run.errors > 0) failures.push(`${run.errors} requests failed (connection errors)`);
  if (run.timeouts > 0) failures.push(`${run.timeouts} requests timed out`);
  if (run.non2xx > 0) failures.push(`${run.non2xx} requests answered with a non-2xx status`);
  if (samples.length < 4) failures.push(`only ${samples.length} memory samples`);
  if (heapEnd - heapStart > HEAP_GROWTH_BOUND_MB) failures.push(`heap grew ${round(heapEnd - heapStart)} MB (bound ${HEAP_GROWTH_BOUND_MB} MB)`);
  if (rssEnd - rssStart > RSS_GROWTH_BOUND_MB) failures.push(`RSS grew ${round(rssEnd - rssStart)} MB (bound ${RSS_GROWTH_BOUND_MB} MB)`);
  const total = run.requests.total;
  return {
    date: new Date().toISOString(),
    machine: {
      cores: cpus().length,
      cpu: cpus()[0]?.model.trim() ?? '?',
      memory_gb: Math.round(totalmem() / 1024 ** 3),
      node: process.version,
      load_average: round(loadavg()[0]!, 2),
    },
    seconds: options.seconds,
    capacity_rps: capacity === null ? null : Math.round(capacity),
    target_rps: target,
    achieved_rps: round(run.requests.average),
    requests: total,
    reads: Math.round((total * READS_PER_INGEST) / (READS_PER_INGEST + 1)),
    ingests: Math.round(total / (READS_PER_INGEST + 1)),
    errors: run.errors,
    non2xx: run.non2xx,
    timeouts: run.timeouts,
    latency_ms: { p50: run.latency.p50, p99: run.latency.p99, max: run.latency.max },
    memory: {
      rss_start_mb: round(rssStart),
      rss_end_mb: round(rssEnd),
      heap_start_mb: round(heapStart),
      heap_end_mb: round(heapEnd),
      rss_growth_mb: round(rssEnd - rssStart),
      heap_growth_mb: round(heapEnd - heapStart),
      bound: `heap growth <= ${HEAP_GROWTH_BOUND_MB} MB and RSS growth <= ${RSS_GROWTH_BOUND_MB} MB between the window after warm-up (2nd fifth of the run) and the last fifth`,
      samples,
    },
    passed: failures.length === 0,
    failures,
  };
}

export function soakMarkdown(r: SoakResult): string {
  return [
    '# Soak run',
    '',
    `${r.date} · ${r.machine.cores} cores (${r.machine.cpu}), ${r.machine.memory_gb} GB, Node ${r.machine.node}, load average ${r.machine.load_average} at the end (the cores are shared with other work) · \`npm run bench:soak -- --seconds ${r.seconds}\``,
    '',
    `\`fstore serve\` with embedded stores on 127.0.0.1; ${READS_PER_INGEST} online reads (10 keys × ${FEATURES.length} features) for each push of 5 values (\`POST /api/push\`, seed format), autocannon with 8 connections.`,
    '',
    '| | |',
    '|---|---|',
    `| result | **${r.passed ? 'passed' : 'FAILED'}**${r.failures.length ? `: ${r.failures.join('; ')}` : ''} |`,
    `| measured capacity | ${r.capacity_rps ?? 'not measured (--rate given)'} req/s |`,
    `| soak rate (half of capacity) | ${r.target_rps} req/s target, ${r.achieved_rps} req/s achieved |`,
    `| duration | ${r.seconds} s |`,
    `| requests | ${r.requests} (≈ ${r.reads} reads, ${r.ingests} ingests) |`,
    `| errors / non-2xx / timeouts | ${r.errors} / ${r.non2xx} / ${r.timeouts} |`,
    `| latency p50 / p99 / max | ${r.latency_ms.p50} / ${r.latency_ms.p99} / ${r.latency_ms.max} ms |`,
    `| RSS after warm-up → end | ${r.memory.rss_start_mb} → ${r.memory.rss_end_mb} MB (${r.memory.rss_growth_mb >= 0 ? '+' : ''}${r.memory.rss_growth_mb} MB) |`,
    `| heap used after warm-up → end | ${r.memory.heap_start_mb} → ${r.memory.heap_end_mb} MB (${r.memory.heap_growth_mb >= 0 ? '+' : ''}${r.memory.heap_growth_mb} MB) |`,
    `| bound | ${r.memory.bound} |`,
    '',
    'Latency figures come from a shared machine and are not a target; the pass criteria are zero errors and the memory bound.',
    '',
  ].join('\n');
}

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop()!)) {
  const seconds = Number(arg('seconds') ?? 60);
  const rate = arg('rate');
  if (!Number.isFinite(seconds) || seconds < 5) throw new Error('--seconds must be a number >= 5');
  const result = await runSoak({ seconds, ...(rate ? { rate: Number(rate) } : {}) });
  const base = join(REPO_ROOT, 'bench/results/soak');
  writeFileSync(`${base}.json`, `${JSON.stringify(result, null, 2)}\n`);
  writeFileSync(`${base}.md`, soakMarkdown(result));
  process.stderr.write(`${readFileSync(`${base}.md`, 'utf8')}\n`);
  process.exitCode = result.passed ? 0 : 1;
}
