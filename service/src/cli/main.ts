import { createReadStream, createWriteStream, statSync } from 'node:fs';
import { basename, extname } from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Command, Option } from 'commander';
import { createFStoreClient, FStoreApiError } from '../../../shared/api/client.js';
import type { Job, JobLogs } from '../../../shared/api/jobs.js';
import type { TrainingSetJobResult, UploadReceipt } from '../../../shared/api/serving.js';
import { isErrorBody, type ErrorCode } from '../../../shared/errors.js';
import { ProgressBar } from './progress-bar.js';
import { registerKeyCommands } from './keys-command.js';
// Shadows the global fetch in this module: every client command sends $FSTORE_API_KEY when set.
import { fetchWithApiKey as fetch } from './api-key-fetch.js';
import type { ApplyResult, DefinitionBundle, DefinitionPlan } from '../../../shared/api/definitions.js';
import { DefinitionsFolderError, readDefinitions, writeDefinitions } from './definitions-folder.js';
import { formatPlan } from './plan-printer.js';
import { ConfigError, loadConfig } from '../config/load-config.js';
import { registerServeCommand } from './serve-command.js';
import { migrateStores } from './migrate-command.js';
import { SERVICE_VERSION } from '../version.js';

const DEFAULT_URL = process.env['FSTORE_URL'] ?? 'http://127.0.0.1:8000';
const list = (v: string) => v.split(',').map((s) => s.trim()).filter(Boolean);

export function buildCli(): Command {
  const program = new Command('fstore')
    .description('FStore: feature registry, ingestion, online and training retrieval')
    .version(SERVICE_VERSION)
    .showHelpAfterError();

  registerServeCommand(program, parsePort);

  program
    .command('ingest <file>')
    .description('Upload a CSV, Parquet, JSON or NDJSON file into a feature group, showing progress')
    .requiredOption('-e, --entity <entity>', 'entity name, e.g. usuario')
    .requiredOption('-g, --group <group>', 'feature group name, e.g. demografia')
    .option('--format <format>', 'csv | parquet | json | ndjson (default: from the extension)')
    .option('--key-column <column>', 'column holding the entity key (default: the conventions)')
    .option('--time-column <column>', 'column holding the event time (default: event_timestamp or timestamp)')
    .option('--no-wait', 'return once the job is queued instead of following it')
    .option('--url <url>', 'service URL', DEFAULT_URL)
    .action(async (file: string, opts: { entity: string; group: string; format?: string; keyColumn?: string; timeColumn?: string; wait: boolean; url: string }) => {
      const base = opts.url.replace(/\/+$/, '');
      const size = statSync(file).size;
      const query = new URLSearchParams({ format: opts.format ?? extname(file).slice(1).toLowerCase() });
      if (opts.keyColumn) query.set('key_column', opts.keyColumn);
      if (opts.timeColumn) query.set('time_column', opts.timeColumn);
      const bar = new ProgressBar();
      let sent = 0;
      const counter = new Transform({
        transform(chunk: Buffer, _enc, cb) {
          sent += chunk.length;
          bar.update('uploading', sent, size, 'bytes');
          cb(null, chunk);
        },
      });
      const res = await fetch(`${base}/api/jobs/ingest/${encodeURIComponent(opts.entity)}/${encodeURIComponent(opts.group)}?${query}`, {
        method: 'POST',
        headers: { 'content-type': 'application/octet-stream', 'content-length': String(size), 'x-fstore-user': userName() },
        body: Readable.toWeb(createReadStream(file).pipe(counter)) as never,
        duplex: 'half',
      } as RequestInit);
      const job = (await readJson(res)) as Job;
      if (!opts.wait) return print(job);
      const final = await followJob(base, job.id, (j) => bar.update(j.progress.phase, j.progress.rows_done, j.progress.rows_total, 'rows', j.progress.rows_per_second));
      bar.done();
      if (final.state !== 'succeeded') {
        const error = final.error ?? { code: 'FSTORE_INTERNAL', message: `job ${final.state}` };
        throw new FStoreApiError(0, error.code as ErrorCode, `${error.message} (job ${final.id})`, error.details);
      }
      print(final.result);
    });

  program
    .command('run-transform <name>')
    .description('Run (or backfill) a published transform into its feature group, showing progress')
    .addOption(new Option('--engine <engine>', 'where it runs (docs/spark.md); default: the transform\'s, else auto').choices(['auto', 'duckdb', 'spark']))
    .option('--start <date>', 'keep output rows with event time at or after this date/time')
    .option('--end <date>', 'keep output rows with event time at or before this date/time')
    .option('--no-wait', 'return once the job is queued instead of following it')
    .option('--url <url>', 'service URL', DEFAULT_URL)
    .action(async (name: string, opts: { engine?: string; start?: string; end?: string; wait: boolean; url: string }) => {
      const base = opts.url.replace(/\/+$/, '');
      const body = { ...(opts.engine ? { engine: opts.engine } : {}), ...(opts.start ? { start: opts.start } : {}), ...(opts.end ? { end: opts.end } : {}) };
      const res = await fetch(`${base}/api/transforms/${encodeURIComponent(name)}/runs`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-fstore-user': userName() },
        body: JSON.stringify(body),
      });
      const job = (await readJson(res)) as Job;
      if (!opts.wait) return print(job);
      const bar = new ProgressBar();
      const final = await followJob(base, job.id, (j) => bar.update(j.progress.phase, j.progress.rows_done, j.progress.rows_total, 'rows', j.progress.rows_per_second));
      bar.done();
      if (final.state !== 'succeeded') {
        const error = final.error ?? { code: 'FSTORE_INTERNAL', message: `job ${final.state}` };
        throw new FStoreApiError(0, error.code as ErrorCode, `${error.message} (job ${final.id})`, error.details);
      }
      print(final.result);
    });

  program
    .command('jobs')
    .description('List recent jobs (ingestion, materialization, SQL pulls)')
    .option('--url <url>', 'service URL', DEFAULT_URL)
    .action(async (opts: { url: string }) => {
      const jobs = (await readJson(await fetch(`${opts.url.replace(/\/+$/, '')}/api/jobs/?limit=20`))) as Job[];
      for (const j of jobs) {
        process.stdout.write(`${j.id}\t${j.state}\t${j.progress.phase}\t${j.progress.rows_done}\t${j.title}\n`);
      }
    });

  program
    .command('online')
    .description('Read the latest feature values of entity keys')
    .requiredOption('-e, --entity <entity>', 'entity name')
    .requiredOption('-k, --keys <keys>', 'comma-separated entity keys', list)
    .requiredOption('-f, --features <features>', 'comma-separated feature names', list)
    .option('--url <url>', 'service URL', DEFAULT_URL)
    .action(async (opts: { entity: string; keys: string[]; features: string[]; url: string }) => {
      const client = createFStoreClient({ baseUrl: opts.url, fetch });
      print(await client.online({ entity: opts.entity, entity_keys: opts.keys, feature_list: opts.features }));
    });

  program
    .command('training')
    .description('Retrieve a training set: rows of a time window, or point-in-time features for a label file (JSON/CSV to stdout, or a Parquet/CSV file)')
    .requiredOption('-e, --entity <entity>', 'entity name')
    .requiredOption('-f, --features <features>', 'comma-separated feature names', list)
    .option('--start <date>', 'time window: start date or ISO timestamp (inclusive)')
    .option('--end <date>', 'time window: end date or ISO timestamp (inclusive)')
    .option('--labels <file>', 'point in time: a CSV, Parquet, JSON or NDJSON file of label rows (entity key, time, labels), run as a job')
    .option('--key-column <column>', 'with --labels: column of the entity key (default entity_key)')
    .option('--time-column <column>', 'with --labels: column of the label time (default timestamp)')
    .addOption(new Option('--engine <engine>', 'with --labels: where the join runs (docs/spark.md)').choices(['embedded', 'spark']).default('embedded'))
    .option('-o, --out <file>', 'write Parquet (.parquet) or CSV (.csv) to this file')
    .option('--url <url>', 'service URL', DEFAULT_URL)
    .action(async (opts: TrainingOptions) => {
      if (opts.labels) return trainingFromLabels({ ...opts, labels: opts.labels });
      if (!opts.start || !opts.end) throw new Error('give either --start and --end (a time window) or --labels <file> (point in time)');
      const format = opts.out ? (opts.out.endsWith('.csv') ? 'csv' : 'parquet') : 'json';
      const res = await fetch(`${opts.url.replace(/\/+$/, '')}/api/training/features`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ entity: opts.entity, feature_list: opts.features, start_date: opts.start, end_date: opts.end, format }),
      });
      if (!opts.out || !res.ok) return printResponse(res);
      await pipeline(Readable.fromWeb(res.body as never), createWriteStream(opts.out));
      process.stderr.write(`Wrote ${opts.out}\n`);
    });

  program
    .command('export-offline <group>')
    .description("Write a snapshot of a feature group's offline table (one row per key and event time, every feature as of that time) to a Parquet or CSV file")
    .requiredOption('-o, --out <file>', 'the file to write: .parquet, or .csv for CSV')
    .option('--carried-times', 'also write ingested_at and, per feature, the event time a carried value was written at')
    .option('--url <url>', 'service URL', DEFAULT_URL)
    .action(async (group: string, opts: { out: string; carriedTimes?: boolean; url: string }) => {
      const format = opts.out.endsWith('.csv') ? 'csv' : 'parquet';
      const query = new URLSearchParams({ format, ...(opts.carriedTimes ? { carried_times: 'true' } : {}) });
      const res = await fetch(`${opts.url.replace(/\/+$/, '')}/api/feature-groups/${encodeURIComponent(group)}/offline?${query}`);
      if (!res.ok) return printResponse(res);
      await pipeline(Readable.fromWeb(res.body as never), createWriteStream(opts.out));
      process.stderr.write(`Wrote ${opts.out} (${statSync(opts.out).size.toLocaleString('en')} bytes)\n`);
    });

  program
    .command('migrate')
    .description('Upgrade an offline store written before typed tables per feature group (the service also does it on start)')
    .option('--data-dir <dir>', 'folder of the embedded stores (default ./.fstore-data)')
    .option('--config <file>', 'JSON config file (see docs/configuration.md)')
    .action(async (opts: { dataDir?: string; config?: string }) => {
      const config = loadConfig({ file: opts.config, env: process.env, overrides: { dataDir: opts.dataDir } });
      const report = await migrateStores(config, (message) => process.stderr.write(`${message}\n`));
      process.stdout.write(report ? `Migrated ${report.values.toLocaleString('en')} values of ${report.groups} feature groups in ${(report.elapsedMs / 1000).toFixed(1)} s\n` : 'The offline store already uses typed tables; nothing to do\n');
    });

  program
    .command('job-logs <id>')
    .description("Print what a job's engine printed (Spark's driver output)")
    .option('--url <url>', 'service URL', DEFAULT_URL)
    .action(async (id: string, opts: { url: string }) => {
      const logs = (await readJson(await fetch(`${opts.url.replace(/\/+$/, '')}/api/jobs/${encodeURIComponent(id)}/logs`))) as JobLogs;
      if (logs.truncated) process.stdout.write('(older lines were dropped)\n');
      for (const line of logs.lines) process.stdout.write(`${line}\n`);
    });

  const features = program.command('features').description('Inspect the feature registry');
  features
    .command('list')
    .description('List features')
    .option('-e, --entity <entity>', 'only this entity')
    .option('-t, --tag <tag>', 'only features with this tag')
    .option('--url <url>', 'service URL', DEFAULT_URL)
    .action(async (opts: { entity?: string; tag?: string; url: string }) => {
      const client = createFStoreClient({ baseUrl: opts.url, fetch });
      const rows = await client.features.list({ entity: opts.entity, tag: opts.tag });
      for (const f of rows) {
        process.stdout.write(`${f.name}\t${f.entity}\t${f.feature_group ?? '-'}\t${f.value_type}\tv${f.version}\n`);
      }
    });
  features
    .command('get <name>')
    .description('Show a feature definition')
    .option('--url <url>', 'service URL', DEFAULT_URL)
    .action(async (name: string, opts: { url: string }) => {
      print(await createFStoreClient({ baseUrl: opts.url, fetch }).features.get(name));
    });
  registerDefinitionCommands(program);
  registerKeyCommands(program);
  return program;
}

/** `fstore export|plan|apply <dir>`: definitions as a folder of YAML files (see definitions-folder.ts). */
function registerDefinitionCommands(program: Command): void {
  const post = async (url: string, path: string, body: unknown) =>
    readJson(await fetch(`${url.replace(/\/+$/, '')}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-fstore-user': userName() }, body: JSON.stringify(body) }));
  program
    .command('export <dir>')
    .description('Write the registry\'s definitions to a folder of YAML files (for git); removes files of objects that no longer exist')
    .option('--url <url>', 'service URL', DEFAULT_URL)
    .action(async (dir: string, opts: { url: string }) => {
      const bundle = (await readJson(await fetch(`${opts.url.replace(/\/+$/, '')}/api/definitions/export`))) as DefinitionBundle;
      const files = writeDefinitions(dir, bundle);
      process.stdout.write(`Wrote ${files.length} files to ${dir}\n`);
    });
  program
    .command('plan <dir>')
    .description('Show what applying a folder of definitions would change (nothing is written)')
    .option('--prune', 'plan to archive registry objects the folder does not list')
    .option('--json', 'print the plan as JSON')
    .option('--url <url>', 'service URL', DEFAULT_URL)
    .action(async (dir: string, opts: { prune?: boolean; json?: boolean; url: string }) => {
      const plan = (await post(opts.url, '/api/definitions/plan', { bundle: readDefinitions(dir), prune: opts.prune ?? false })) as DefinitionPlan;
      process.stdout.write(opts.json ? `${JSON.stringify(plan, null, 2)}\n` : formatPlan(plan, { prune: opts.prune ?? false }));
    });
  program
    .command('apply <dir>')
    .description('Apply a folder of definitions: every change becomes a new version')
    .option('--prune', 'archive registry objects the folder does not list')
    .option('--url <url>', 'service URL', DEFAULT_URL)
    .action(async (dir: string, opts: { prune?: boolean; url: string }) => {
      const result = (await post(opts.url, '/api/definitions/apply', { bundle: readDefinitions(dir), prune: opts.prune ?? false })) as ApplyResult;
      process.stdout.write(formatPlan(result.plan, { prune: opts.prune ?? false }));
      for (const a of result.applied) process.stdout.write(`applied: ${a.action} ${a.kind} ${a.name}${a.version ? ` (version ${a.version})` : ''}\n`);
      process.stdout.write(`Applied ${result.applied.length} changes.\n`);
    });
}

interface TrainingOptions {
  entity: string;
  features: string[];
  start?: string;
  end?: string;
  labels?: string;
  keyColumn?: string;
  timeColumn?: string;
  engine: 'embedded' | 'spark';
  out?: string;
  url: string;
}

/** `fstore training --labels`: uploads the label file, runs a training-set job, downloads its output. */
async function trainingFromLabels(opts: TrainingOptions & { labels: string }): Promise<void> {
  const base = opts.url.replace(/\/+$/, '');
  const format = opts.out?.endsWith('.parquet') ? 'parquet' : 'csv';
  const bar = new ProgressBar();
  const upload = await uploadFile(base, opts.labels, bar);
  const res = await fetch(`${base}/api/jobs/training-set`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-fstore-user': userName() },
    body: JSON.stringify({
      entity: opts.entity,
      feature_list: opts.features,
      labels: { upload: upload.upload_id },
      engine: opts.engine,
      format,
      ...(opts.keyColumn ? { key_column: opts.keyColumn } : {}),
      ...(opts.timeColumn ? { time_column: opts.timeColumn } : {}),
    }),
  });
  const job = (await readJson(res)) as Job;
  const final = await followJob(base, job.id, (j) => bar.update(j.progress.phase, j.progress.rows_done, j.progress.rows_total, 'rows', j.progress.rows_per_second));
  bar.done();
  if (final.state !== 'succeeded') {
    const error = final.error ?? { code: 'FSTORE_INTERNAL', message: `job ${final.state}` };
    const hint = opts.engine === 'spark' ? ` (Spark output: fstore job-logs ${final.id})` : '';
    throw new FStoreApiError(0, error.code as ErrorCode, `${error.message} (job ${final.id})${hint}`, error.details);
  }
  const result = final.result as unknown as TrainingSetJobResult;
  const download = await fetch(`${base}${result.download}`);
  if (!download.ok || !download.body) return printResponse(download);
  const target = opts.out ? createWriteStream(opts.out) : process.stdout;
  await pipeline(Readable.fromWeb(download.body as never), target, { end: Boolean(opts.out) });
  for (const warning of result.warnings ?? []) process.stderr.write(`warning: ${warning}\n`);
  process.stderr.write(`${result.row_count} rows × ${result.columns.length} columns on ${result.engine}${opts.out ? `; wrote ${opts.out}` : ''}\n`);
}

/** Streams a file to POST /api/uploads/ with a progress bar; answers the upload receipt. */
async function uploadFile(base: string, file: string, bar: ProgressBar): Promise<UploadReceipt> {
  const size = statSync(file).size;
  let sent = 0;
  const counter = new Transform({
    transform(chunk: Buffer, _enc, cb) {
      sent += chunk.length;
      bar.update('uploading', sent, size, 'bytes');
      cb(null, chunk);
    },
  });
  const query = new URLSearchParams({ format: extname(file).slice(1).toLowerCase(), filename: basename(file) });
  const res = await fetch(`${base}/api/uploads/?${query}`, {
    method: 'POST',
    headers: { 'content-type': 'application/octet-stream', 'content-length': String(size), 'x-fstore-user': userName() },
    body: Readable.toWeb(createReadStream(file).pipe(counter)) as never,
    duplex: 'half',
  } as RequestInit);
  return (await readJson(res)) as UploadReceipt;
}

function parsePort(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new Error(`--port must be an integer 0-65535, got '${v}'`);
  return n;
}

async function readJson(res: Response): Promise<unknown> {
  const text = await res.text();
  const body: unknown = text ? JSON.parse(text) : {};
  if (!res.ok) {
    if (isErrorBody(body)) throw new FStoreApiError(res.status, body.error.code, body.error.message, body.error.details);
    throw new Error(`HTTP ${res.status}: ${text.slice(0, 500)}`);
  }
  return body;
}

async function printResponse(res: Response): Promise<void> {
  print(await readJson(res));
}

/** Follows a job through its server-sent events until it ends. */
async function followJob(base: string, id: string, onUpdate: (job: Job) => void): Promise<Job> {
  const res = await fetch(`${base}/api/jobs/${id}/events`);
  if (!res.ok || !res.body) return (await readJson(res)) as Job;
  let buffer = '';
  let last: Job | undefined;
  const decoder = new TextDecoder();
  for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
    buffer += decoder.decode(chunk, { stream: true });
    let end: number;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const event = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const data = event.split('\n').find((l) => l.startsWith('data: '));
      if (data) {
        last = JSON.parse(data.slice(6)) as Job;
        onUpdate(last);
      }
    }
  }
  return last ?? ((await readJson(await fetch(`${base}/api/jobs/${id}`))) as Job);
}

function userName(): string {
  return (process.env['USER'] ?? 'cli').replace(/[^\w.@ -]/g, '').slice(0, 100) || 'cli';
}

function print(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

export async function runCli(argv: string[]): Promise<void> {
  try {
    await buildCli().parseAsync(argv);
  } catch (err) {
    if (err instanceof ConfigError || err instanceof DefinitionsFolderError) process.stderr.write(`fstore: ${err.message}\n`);
    else if (err instanceof FStoreApiError) {
      process.stderr.write(`fstore: ${err.code}: ${err.message}\n`);
      if (err.details) process.stderr.write(`${JSON.stringify(err.details, null, 2)}\n`);
    } else process.stderr.write(`fstore: ${(err as Error).message}\n`);
    process.exitCode = 1;
  }
}
