import { createReadStream, createWriteStream, statSync } from 'node:fs';
import { basename, extname } from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Argument, Command, Option } from 'commander';
import { FStoreApiError } from '@shared/api/client.js';
import type { TrainingSetJobRequest, TrainingSetJobResult, UploadReceipt } from '@shared/api/serving.js';
import type { TransformRunRequest } from '@shared/api/transforms.js';
import { ProgressBar } from './progress-bar.js';
import { registerKeyCommands } from './keys-command.js';
import { cliClient, type CliBody, type CliClient } from './cli-client.js';
import { COMPLETION_SHELLS, completionScript, type CompletionShell } from './completion.js';
import { followJob } from './follow-job.js';
import { registerInitCommand } from './init-command.js';
import { DefinitionsFolderError, readDefinitions, writeDefinitions } from './definitions-folder.js';
import { formatPlan } from './plan-printer.js';
import { ConfigError, loadConfig } from '../config/load-config.js';
import { registerServeCommand } from './serve-command.js';
import { SERVICE_VERSION } from '../version.js';

const DEFAULT_URL = process.env['FSTORE_URL'] ?? 'http://127.0.0.1:8000';
const list = (v: string) => v.split(',').map((s) => s.trim()).filter(Boolean);

export function buildCli(): Command {
  const program = new Command('fstore')
    .description('FStore: feature registry, ingestion, online and training retrieval')
    .version(SERVICE_VERSION)
    .showHelpAfterError();

  registerServeCommand(program, parsePort);
  registerInitCommand(program);

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
      const client = cliClient(opts.url);
      const bar = new ProgressBar();
      const { body, size } = fileBody(file, bar);
      const job = await client.jobs.ingestFile(opts.entity, opts.group, body, {
        size,
        format: opts.format ?? extname(file).slice(1).toLowerCase(),
        ...(opts.keyColumn ? { key_column: opts.keyColumn } : {}),
        ...(opts.timeColumn ? { time_column: opts.timeColumn } : {}),
      });
      if (!opts.wait) return print(job);
      print((await followJob(client, job.id, bar)).result);
    });

  program
    .command('run-transform <name>')
    .description('Run (or backfill) a published transform into its feature group, showing progress')
    .addOption(new Option('--engine <engine>', 'where it runs (docs/spark.md); default: the transform\'s, else auto').choices(['auto', 'duckdb', 'spark']))
    .option('--start <date>', 'keep output rows with event time at or after this date/time')
    .option('--end <date>', 'keep output rows with event time at or before this date/time')
    .option('--no-wait', 'return once the job is queued instead of following it')
    .option('--url <url>', 'service URL', DEFAULT_URL)
    .action(async (name: string, opts: { engine?: TransformRunRequest['engine']; start?: string; end?: string; wait: boolean; url: string }) => {
      const client = cliClient(opts.url);
      const body = { ...(opts.engine ? { engine: opts.engine } : {}), ...(opts.start ? { start: opts.start } : {}), ...(opts.end ? { end: opts.end } : {}) };
      const job = await client.transforms.run(name, body);
      if (!opts.wait) return print(job);
      print((await followJob(client, job.id, new ProgressBar())).result);
    });

  program
    .command('materialize')
    .description('Write the newest offline values of feature groups to the online store (one job per group), showing progress')
    .option('-g, --group <group>', 'feature group (default: every online feature group)')
    .option('--start <date>', 'event-time window start (date or ISO timestamp)')
    .option('--end <date>', 'event-time window end; a bare date covers the day')
    .option('--incremental', 'only values ingested since the last successful incremental run of each group')
    .option('--no-wait', 'return once the jobs are queued instead of following them')
    .option('--url <url>', 'service URL', DEFAULT_URL)
    .action(async (opts: { group?: string; start?: string; end?: string; incremental?: boolean; wait: boolean; url: string }) => {
      if (opts.incremental && (opts.start || opts.end)) throw new Error('--incremental takes what was ingested since the last run: give it without --start and --end');
      const client = cliClient(opts.url);
      const groups = opts.group ? [await client.featureGroups.get(opts.group)] : (await client.featureGroups.list()).filter((g) => g.online);
      if (groups.length === 0) throw new Error('No online feature group to materialize: ingest data first, or give --group');
      const window = { ...(opts.start ? { start_date: opts.start } : {}), ...(opts.end ? { end_date: opts.end } : {}), ...(opts.incremental ? { incremental: true } : {}) };
      // One after another: each job sorts its group's history in the offline engine.
      for (const group of groups) {
        const job = await client.jobs.materialize({ entity: group.entity, feature_group: group.name, ...window });
        if (!opts.wait) {
          print(job);
          continue;
        }
        process.stderr.write(`${group.entity}/${group.name}\n`);
        print((await followJob(client, job.id, new ProgressBar())).result);
      }
    });

  program
    .command('completion')
    .description('Print a shell completion script: source <(fstore completion bash) in ~/.bashrc (zsh alike); fish: > ~/.config/fish/completions/fstore.fish')
    .addArgument(new Argument('<shell>', 'the shell').choices(COMPLETION_SHELLS))
    .action((shell: CompletionShell) => {
      process.stdout.write(completionScript(program, shell));
    });

  program
    .command('jobs')
    .description('List recent jobs (ingestion, materialization, SQL pulls)')
    .option('--url <url>', 'service URL', DEFAULT_URL)
    .action(async (opts: { url: string }) => {
      const jobs = await cliClient(opts.url).jobs.list({ limit: 20 });
      for (const j of jobs) {
        process.stdout.write(`${j.id}\t${j.state}\t${j.progress.phase}\t${j.progress.rows_done}\t${j.title}\n`);
      }
    });

  program
    .command('online')
    .description('Read the latest feature values of entity keys')
    .option('-e, --entity <entity>', 'entity name (with --features; a service knows its entity)')
    .requiredOption('-k, --keys <keys>', 'comma-separated entity keys', list)
    .option('-f, --features <features>', 'comma-separated feature names', list)
    .option('-s, --service <name>', 'a feature service: its features, instead of --features')
    .option('--url <url>', 'service URL', DEFAULT_URL)
    .action(async (opts: FeatureChoice & { keys: string[]; url: string }) => {
      const client = cliClient(opts.url);
      print(await client.online({ ...featureSelection(opts), entity_keys: opts.keys }));
    });

  program
    .command('training')
    .description('Retrieve a training set: rows of a time window, or point-in-time features for a label file (JSON/CSV to stdout, or a Parquet/CSV file)')
    .option('-e, --entity <entity>', 'entity name (with --features; a service knows its entity)')
    .option('-f, --features <features>', 'comma-separated feature names', list)
    .option('-s, --service <name>', 'a feature service: its features, instead of --features')
    .option('--start <date>', 'time window: start date or ISO timestamp (inclusive)')
    .option('--end <date>', 'time window: end date or ISO timestamp (inclusive)')
    .option('--labels <file>', 'point in time: a CSV, Parquet, JSON or NDJSON file of label rows (entity key, time, labels), run as a job')
    .option('--labels-source <source>', 'point in time: label rows from a query on this registered data source (with --labels-query), run as a job')
    .option('--labels-query <sql>', 'with --labels-source: one SELECT giving the entity key, the time and any labels (docs/ingestion-sql.md)')
    .option('--key-column <column>', 'with --labels: column of the entity key (default entity_key)')
    .option('--time-column <column>', 'with --labels: column of the label time (default timestamp)')
    .addOption(new Option('--engine <engine>', 'with --labels: where the join runs (docs/spark.md)').choices(['embedded', 'spark']).default('embedded'))
    .option('-o, --out <file>', 'write Parquet (.parquet) or CSV (.csv) to this file')
    .option('--url <url>', 'service URL', DEFAULT_URL)
    .action(async (opts: TrainingOptions) => {
      if ((opts.labelsSource === undefined) !== (opts.labelsQuery === undefined)) throw new Error('give --labels-source and --labels-query together');
      if (opts.labels && opts.labelsSource) throw new Error('give either --labels <file> or --labels-source with --labels-query, not both');
      if (opts.labels) return trainingFromLabels(opts, async (bar) => ({ upload: (await uploadFile(cliClient(opts.url), opts.labels!, bar)).upload_id }));
      if (opts.labelsSource && opts.labelsQuery) return trainingFromLabels(opts, async () => ({ source: opts.labelsSource!, query: opts.labelsQuery! }));
      if (!opts.start || !opts.end) throw new Error('give either --start and --end (a time window) or --labels <file> (point in time)');
      const client = cliClient(opts.url);
      const request = { ...featureSelection(opts), start_date: opts.start, end_date: opts.end };
      if (!opts.out) return print(await client.trainingRange(request));
      const res = await client.trainingRangeFile({ ...request, format: opts.out.endsWith('.csv') ? 'csv' : 'parquet' });
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
      const res = await cliClient(opts.url).featureGroups.offlineExport(group, { format, carried_times: opts.carriedTimes ?? false });
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
      // Loaded on use, as the store adapters are heavy to import (see keys-command.ts).
      const { migrateStores } = await import('./migrate-command.js');
      const report = await migrateStores(config, (message) => process.stderr.write(`${message}\n`));
      process.stdout.write(report ? `Migrated ${report.values.toLocaleString('en')} values of ${report.groups} feature groups in ${(report.elapsedMs / 1000).toFixed(1)} s\n` : 'The offline store already uses typed tables; nothing to do\n');
    });

  program
    .command('job-logs <id>')
    .description("Print what a job's engine printed (Spark's driver output)")
    .option('--url <url>', 'service URL', DEFAULT_URL)
    .action(async (id: string, opts: { url: string }) => {
      const logs = await cliClient(opts.url).jobs.logs(id);
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
      const rows = await cliClient(opts.url).features.list({ entity: opts.entity, tag: opts.tag });
      for (const f of rows) {
        process.stdout.write(`${f.name}\t${f.entity}\t${f.feature_group ?? '-'}\t${f.value_type}\tv${f.version}\n`);
      }
    });
  features
    .command('get <name>')
    .description('Show a feature definition')
    .option('--url <url>', 'service URL', DEFAULT_URL)
    .action(async (name: string, opts: { url: string }) => {
      print(await cliClient(opts.url).features.get(name));
    });
  registerFeatureServiceCommands(program);
  registerDefinitionCommands(program);
  registerKeyCommands(program);
  return program;
}

/** `fstore feature-services list|get|create`: the named feature sets that online and training read with --service. */
function registerFeatureServiceCommands(program: Command): void {
  const services = program.command('feature-services').description('Named sets of features a model consumes');
  services
    .command('list')
    .description('List feature services: name, entity, version and features')
    .option('-e, --entity <entity>', 'only this entity')
    .option('--feature <feature>', 'only services that serve this feature')
    .option('--url <url>', 'service URL', DEFAULT_URL)
    .action(async (opts: { entity?: string; feature?: string; url: string }) => {
      for (const s of await cliClient(opts.url).featureServices.list({ entity: opts.entity, feature: opts.feature })) {
        process.stdout.write(`${s.name}\t${s.entity}\tv${s.version}\t${s.features.join(',')}\n`);
      }
    });
  services
    .command('get <name>')
    .description('Show a feature service')
    .option('--url <url>', 'service URL', DEFAULT_URL)
    .action(async (name: string, opts: { url: string }) => print(await cliClient(opts.url).featureServices.get(name)));
  services
    .command('create <name>')
    .description('Create a feature service (version 1) from features of one entity')
    .requiredOption('-f, --features <features>', 'comma-separated "group:feature" references or feature names', list)
    .option('-d, --description <text>', 'what the service feeds')
    .option('-t, --tags <tags>', 'comma-separated tags', list)
    .option('--url <url>', 'service URL', DEFAULT_URL)
    .action(async (name: string, opts: { features: string[]; description?: string; tags?: string[]; url: string }) => {
      const created = await cliClient(opts.url).featureServices.create({
        name,
        features: opts.features,
        ...(opts.description ? { description: opts.description } : {}),
        ...(opts.tags ? { tags: opts.tags } : {}),
      });
      for (const warning of created.warnings ?? []) process.stderr.write(`warning: ${warning}\n`);
      print(created);
    });
}

/** `fstore export|plan|apply <dir>`: definitions as a folder of YAML files (see definitions-folder.ts). */
function registerDefinitionCommands(program: Command): void {
  program
    .command('export <dir>')
    .description('Write the registry\'s definitions to a folder of YAML files (for git); removes files of objects that no longer exist')
    .option('--url <url>', 'service URL', DEFAULT_URL)
    .action(async (dir: string, opts: { url: string }) => {
      const bundle = await cliClient(opts.url).definitions.export();
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
      const plan = await cliClient(opts.url).definitions.plan({ bundle: readDefinitions(dir), prune: opts.prune ?? false });
      process.stdout.write(opts.json ? `${JSON.stringify(plan, null, 2)}\n` : formatPlan(plan, { prune: opts.prune ?? false }));
    });
  program
    .command('apply <dir>')
    .description('Apply a folder of definitions: every change becomes a new version')
    .option('--prune', 'archive registry objects the folder does not list')
    .option('--url <url>', 'service URL', DEFAULT_URL)
    .action(async (dir: string, opts: { prune?: boolean; url: string }) => {
      const result = await cliClient(opts.url).definitions.apply({ bundle: readDefinitions(dir), prune: opts.prune ?? false });
      process.stdout.write(formatPlan(result.plan, { prune: opts.prune ?? false }));
      for (const a of result.applied) process.stdout.write(`applied: ${a.action} ${a.kind} ${a.name}${a.version ? ` (version ${a.version})` : ''}\n`);
      process.stdout.write(`Applied ${result.applied.length} changes.\n`);
    });
}

/** How a command names its features: --features within --entity, or --service. */
interface FeatureChoice {
  entity?: string;
  features?: string[];
  service?: string;
}

/** The request fields of a feature choice; the service says what is wrong with one (both, neither, no entity). */
function featureSelection(opts: FeatureChoice): { entity?: string; feature_list?: string[]; feature_service?: string } {
  if (!opts.features && !opts.service) throw new Error('give --features (with --entity) or --service <feature service>');
  return {
    ...(opts.entity ? { entity: opts.entity } : {}),
    ...(opts.features ? { feature_list: opts.features } : {}),
    ...(opts.service ? { feature_service: opts.service } : {}),
  };
}

interface TrainingOptions extends FeatureChoice {
  start?: string;
  end?: string;
  labels?: string;
  labelsSource?: string;
  labelsQuery?: string;
  keyColumn?: string;
  timeColumn?: string;
  engine: 'embedded' | 'spark';
  out?: string;
  url: string;
}

/** `fstore training --labels` (the file uploaded) or `--labels-source`: runs a training-set job, downloads its output. */
async function trainingFromLabels(opts: TrainingOptions, labelsOf: (bar: ProgressBar) => Promise<TrainingSetJobRequest['labels']>): Promise<void> {
  const client = cliClient(opts.url);
  const bar = new ProgressBar();
  const job = await client.jobs.trainingSet({
    ...featureSelection(opts),
    labels: await labelsOf(bar),
    engine: opts.engine,
    format: opts.out?.endsWith('.parquet') ? 'parquet' : 'csv',
    ...(opts.keyColumn ? { key_column: opts.keyColumn } : {}),
    ...(opts.timeColumn ? { time_column: opts.timeColumn } : {}),
  });
  const final = await followJob(client, job.id, bar, opts.engine === 'spark' ? ` (Spark output: fstore job-logs ${job.id})` : '');
  const result = final.result as unknown as TrainingSetJobResult;
  const download = await client.jobs.result(final.id);
  if (!download.body) throw new Error(`the service sent no file for job ${final.id}`);
  const target = opts.out ? createWriteStream(opts.out) : process.stdout;
  await pipeline(Readable.fromWeb(download.body as never), target, { end: Boolean(opts.out) });
  for (const warning of result.warnings ?? []) process.stderr.write(`warning: ${warning}\n`);
  process.stderr.write(`${result.row_count} rows × ${result.columns.length} columns on ${result.engine}${opts.out ? `; wrote ${opts.out}` : ''}\n`);
}

/** Streams a file to POST /api/uploads/ with a progress bar; answers the upload receipt. */
async function uploadFile(client: CliClient, file: string, bar: ProgressBar): Promise<UploadReceipt> {
  const { body, size } = fileBody(file, bar);
  return client.uploads.create(body, { size, format: extname(file).slice(1).toLowerCase(), filename: basename(file) });
}

/** A file as a streamed request body that draws the upload's progress on `bar`. */
function fileBody(file: string, bar: ProgressBar): { body: CliBody; size: number } {
  const size = statSync(file).size;
  let sent = 0;
  const counter = new Transform({
    transform(chunk: Buffer, _enc, cb) {
      sent += chunk.length;
      bar.update('uploading', sent, size, 'bytes');
      cb(null, chunk);
    },
  });
  return { body: Readable.toWeb(createReadStream(file).pipe(counter)) as CliBody, size };
}

function parsePort(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new Error(`--port must be an integer 0-65535, got '${v}'`);
  return n;
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
      // The id the service logged the request under, for whoever reads its logs.
      if (err.requestId) process.stderr.write(`(request ${err.requestId})\n`);
    } else process.stderr.write(`fstore: ${(err as Error).message}\n`);
    process.exitCode = 1;
  }
}
