/**
 * `npm run bench` (full, ~10 min) and `npm run bench:quick` (< 2 min): every scenario next to its
 * raw baseline measured in the same run; results in bench/results/latest.{json,md}.
 * Run one scenario: npx tsx bench/run.ts [--quick] [scenario ...]
 * Re-run some after a fix, keeping the other scenarios' figures of the last run:
 * npx tsx bench/run.ts --resume ingest (each figure records its scenario and when it was measured).
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { drift } from './scenarios/drift.js';
import { ingest } from './scenarios/ingest.js';
import { kafkaStream } from './scenarios/kafka-stream.js';
import { onlineRead } from './scenarios/online-read.js';
import { onlineReadBatch } from './scenarios/online-read-batch.js';
import { trainingSet } from './scenarios/training-set.js';
import { transformPreview } from './scenarios/transform-preview.js';
import { sparkVsDuckdb } from './scenarios/spark-vs-duckdb.js';
import type { BenchOptions, BenchResult } from './scenarios/types.js';

const SCENARIOS: Record<string, (options: BenchOptions) => Promise<BenchResult[]>> = {
  'online-read': onlineRead,
  'online-read-batch': onlineReadBatch,
  'training-set': trainingSet,
  ingest,
  'kafka-stream': kafkaStream,
  'transform-preview': transformPreview,
  drift,
  'spark-vs-duckdb': sparkVsDuckdb,
};
/** Run only when named: each Spark job costs a JVM start and minutes at these sizes. */
const ON_REQUEST = new Set(['spark-vs-duckdb']);

const args = process.argv.slice(2);
const options: BenchOptions = { quick: args.includes('--quick') };
const resume = args.includes('--resume');
const chosen = args.filter((a) => !a.startsWith('--'));
const unknown = chosen.filter((c) => !SCENARIOS[c]);
if (unknown.length > 0) throw new Error(`Unknown scenario(s) ${unknown.join(', ')}; choose from ${Object.keys(SCENARIOS).join(', ')}`);
// The quick run is a check of the harness within two minutes: the embedded backends unless asked
// otherwise (BENCH_BACKENDS=embedded,server); the full run reports both.
if (options.quick && !process.env['BENCH_BACKENDS']) {
  process.env['BENCH_BACKENDS'] = 'embedded';
  process.stderr.write('bench: quick run on the embedded backends (BENCH_BACKENDS=embedded,server for both)\n');
}

// The load average when the run started: on a shared machine it says how noisy the figures are.
const machine = {
  cores: cpus().length,
  cpu: cpus()[0]?.model ?? 'unknown',
  memory_gb: Math.round(totalmem() / 2 ** 30),
  node: process.version,
  platform: process.platform,
  load_average: loadavg().map((l) => Math.round(l * 100) / 100),
};
type Measured = BenchResult & { id: string; measured_at: string };
const report = {
  date: new Date().toISOString(),
  mode: options.quick ? 'quick' : 'full',
  complete: false,
  machine,
  results: [] as Measured[],
  failed: [] as { scenario: string; error: string }[],
};
const dir = join(fileURLToPath(new URL('.', import.meta.url)), 'results');
mkdirSync(dir, { recursive: true });
const stem = options.quick ? 'latest-quick' : 'latest';
if (resume) {
  if (chosen.length === 0) throw new Error('--resume needs the scenarios to re-run');
  const previous = existsSync(join(dir, `${stem}.json`)) ? (JSON.parse(readFileSync(join(dir, `${stem}.json`), 'utf8')) as typeof report) : undefined;
  if (!previous) throw new Error(`--resume: no earlier ${stem}.json to resume`);
  report.date = previous.date;
  report.results = previous.results.filter((r) => !chosen.includes(r.id));
  report.failed = previous.failed.filter((f) => !chosen.includes(f.scenario));
}
/** Written after every scenario: a run stopped or failing late keeps what it measured. */
const save = () => {
  writeFileSync(join(dir, `${stem}.json`), `${JSON.stringify(report, null, 2)}\n`);
  writeFileSync(join(dir, `${stem}.md`), markdown(report));
};

for (const [name, run] of Object.entries(SCENARIOS)) {
  if (chosen.length > 0 ? !chosen.includes(name) : ON_REQUEST.has(name)) continue;
  if (resume) report.results = report.results.filter((r) => r.id !== name);
  process.stderr.write(`bench: ${name}${options.quick ? ' (quick)' : ''}...\n`);
  const started = performance.now();
  try {
    const measuredAt = new Date().toISOString();
    report.results.push(...(await run(options)).map((r) => ({ id: name, measured_at: measuredAt, ...r })));
    process.stderr.write(`bench: ${name} done in ${Math.round((performance.now() - started) / 1000)} s\n`);
  } catch (err) {
    // One broken scenario must not lose the others' figures; the run still fails at the end.
    report.failed.push({ scenario: name, error: (err as Error).stack ?? String(err) });
    process.stderr.write(`bench: ${name} FAILED: ${(err as Error).stack ?? String(err)}\n`);
  }
  save();
}
report.complete = report.failed.length === 0;
save();
process.stdout.write(markdown(report));
if (report.failed.length > 0) process.exitCode = 1;

function markdown(r: typeof report): string {
  const lines = [
    `# FStore benchmarks (${r.mode}, ${r.date})${r.complete ? "" : " (incomplete: running, stopped or failed)"}`,
    '',
    `Machine: ${r.machine.cores} cores (${r.machine.cpu}), ${r.machine.memory_gb} GB, Node ${r.machine.node}, ${r.machine.platform}; load average ${r.machine.load_average.join(' / ')} (1 / 5 / 15 min) at the start.`,
    'Ratio: share of the baseline\'s speed (1.0 = as fast as the raw baseline; higher is better).',
    '',
    '| scenario | backend | metric | FStore | baseline | ratio | target |',
    '|---|---|---|---|---|---|---|',
    ...r.results.map((x) => `| ${x.scenario} (${x.id}, ${x.measured_at.slice(11, 16)} UTC) | ${x.backend} | ${x.metric} | ${x.fstore} | ${x.baseline} (${x.baselineLabel}) | ${x.ratio} | ${x.target} |`),
    '',
    ...r.failed.map((f) => `**FAILED: ${f.scenario}**: ${f.error.split('\n')[0]}`),
  ];
  return lines.join('\n');
}
