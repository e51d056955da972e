/**
 * Point-in-time training sets as jobs: labels from a file (an upload or a path under fileSourceDirs),
 * the output a Parquet or CSV file kept for `trainingSetRetentionHours` and served by
 * GET /api/jobs/{id}/result. For label sets too large for one request, and for Spark runs that take
 * minutes: state, progress, logs and cancellation come from the job service.
 */
import { mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { moveFile } from '../util/move-file.js';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type { Job } from '@shared/api/jobs.js';
import type { LabelQuery, Selected, TrainingSetJobRequest, TrainingSetJobResult, TrainingSetSummary } from '@shared/api/serving.js';
import { AppError } from '../errors/app-error.js';
import type { DataFormat } from '../staging/data-format.js';
import { resolveFileSource } from '../staging/file-source.js';
import type { StagingEngine } from '../staging/staging-engine.js';
import type { UploadStore } from '../staging/upload-store.js';
import type { JobContext, JobService } from '../jobs/job-service.js';
import { deprecationWarnings, type ResolvedFeature } from '../serving/feature-resolver.js';
import { stageLabelSet } from './label-set.js';
import { checkLabelFile, readLabelFile, type LabelColumns } from './label-file.js';
import type { LabelQueries } from './label-query.js';
import { summarizeResultFile } from './result-summary.js';
import { toFile } from './result-export.js';
import type { TrainingResult, TrainingService } from './training-service.js';

export interface TrainingSetJobsDeps {
  jobs: JobService;
  training: TrainingService;
  staging: StagingEngine;
  uploads: UploadStore;
  fileSourceDirs: string[];
  /** Where output files are kept (in the data folder, outside tmp/ which is cleared at start). */
  outputDir: string;
  tmpDir: string;
  retentionHours: number;
  /** Label rows from queries on registered data sources. */
  labelQueries: LabelQueries;
}

const JOB_ID = /^[0-9a-f-]{36}$/;

interface LabelSource {
  path: string;
  format: DataFormat;
  name: string;
  /** What the labels are, as messages start ("The label file labels.csv"). */
  what: string;
}

interface BuiltSet {
  path: string;
  features: ResolvedFeature[];
  columns: string[];
  rows: number;
}

export class TrainingSetJobs {
  constructor(private readonly deps: TrainingSetJobsDeps) {
    mkdirSync(deps.outputDir, { recursive: true });
  }

  /** Checks what can be checked before queueing (features, engine, label source), then queues the job. */
  async submit(request: Selected<TrainingSetJobRequest>, actor: string): Promise<Job> {
    this.sweep();
    const features = await this.deps.training.check(request);
    const given = request.labels;
    const query = 'query' in given ? given : undefined;
    // A query is run for its columns only (no rows), a file read for its header: wrong columns are a 4xx, not a failed job.
    const labels = 'query' in given ? queryLabels(given) : this.labelSource(given);
    if (query) await this.deps.labelQueries.check(query, labelChoice(request));
    else await checkLabelFile(this.deps.staging, labels.path, labels.format, labelChoice(request));
    if (request.keep_column_names) checkKeptNames(outputNames(request), features);
    const engine = request.engine ?? 'embedded';
    const format = request.format ?? 'parquet';
    const { deps } = this;
    return deps.jobs.submit(
      'training_set',
      `training set for ${request.entity} (${request.feature_list.length} feature${request.feature_list.length === 1 ? '' : 's'}) from ${labels.name} on ${engine}`,
      { ...request, engine, format },
      actor,
      async (job) => {
        job.progress({ phase: query ? 'running the label query' : 'reading labels', rowsDone: 0, rowsTotal: null });
        const target = this.outputPath(job.id, format);
        const queried = query ? await deps.labelQueries.run(query, labelChoice(request), job.signal) : undefined;
        let built: BuiltSet;
        try {
          const from = queried ? { ...labels, path: queried.path, format: queried.format } : labels;
          // On-demand features with request inputs are computed from label rows in JavaScript, as on Spark.
          const viaRows = engine === 'spark' || (await deps.training.needsLabelRows(request));
          built = viaRows ? await this.onRows(request, from, format, job, engine) : await this.onEngine(request, from, format, job);
        } finally {
          await queried?.remove();
        }
        await moveFile(built.path, target);
        const warnings = deprecationWarnings(built.features);
        const out: TrainingSetJobResult = {
          entity: request.entity,
          features: built.features.map((f) => f.name),
          columns: built.columns,
          row_count: built.rows,
          engine,
          format,
          size_bytes: statSync(target).size,
          download: `/api/jobs/${job.id}/result`,
          ...(warnings.length > 0 ? { warnings } : {}),
        };
        return out as unknown as Record<string, unknown>;
      },
    );
  }

  /** The embedded engine: labels staged as Parquet, joined and written by the offline store. */
  private async onEngine(request: Selected<TrainingSetJobRequest>, labels: LabelSource, format: 'parquet' | 'csv', job: JobContext): Promise<BuiltSet> {
    const { deps } = this;
    const staged = await stageLabelSet(deps.staging, labels.path, labels.format, labelChoice(request));
    try {
      if (staged.rows === 0) throw new AppError('FSTORE_VALIDATION_FAILED', `${labels.what} has no rows`);
      throwIfCancelled(job);
      job.progress({ phase: 'joining', rowsDone: 0, rowsTotal: staged.rows });
      const path = join(deps.tmpDir, `training-${randomUUID()}.${format}`);
      const result = await deps.training.pointInTimeToFile(request, staged, { path, format }, outputNames(request));
      job.progress({ phase: 'joining', rowsDone: result.rows, rowsTotal: staged.rows });
      return { path, features: result.features, columns: result.columns, rows: result.rows };
    } finally {
      if (staged.path) await rm(staged.path, { force: true });
    }
  }

  /** Labels read into the request, joined (by a Spark job on Spark), the rows written by the staging engine. */
  private async onRows(
    request: Selected<TrainingSetJobRequest>,
    labels: LabelSource,
    format: 'parquet' | 'csv',
    job: JobContext,
    engine: 'embedded' | 'spark',
  ): Promise<BuiltSet> {
    const { deps } = this;
    const rows = await readLabelFile(deps.staging, labels.path, labels.format, labelChoice(request));
    if (rows.length === 0) throw new AppError('FSTORE_VALIDATION_FAILED', `${labels.what} has no rows`);
    throwIfCancelled(job);
    const result = await deps.training.pointInTime(
      { entity: request.entity, feature_list: request.feature_list, rows, engine },
      { signal: job.signal, onLog: job.log, onProgress: (phase, done, total) => job.progress({ phase: `Spark: ${phase}`, rowsDone: done, rowsTotal: total }) },
    );
    // The join names the key and time entity_key and timestamp; the file gets the names asked for.
    const names = outputNames(request);
    const columns = [names.key, names.time, ...result.columns.slice(2)];
    const tracked: TrainingResult = { ...result, columns, rows: tracking(result.rows, rows.length, job) };
    const path = await toFile(tracked, format, deps.staging, deps.tmpDir);
    return { path, features: result.features, columns, rows: rows.length };
  }

  /** The output file of a succeeded training-set job. */
  async output(id: string): Promise<{ path: string; format: 'parquet' | 'csv'; filename: string }> {
    const job = await this.deps.jobs.get(id);
    if (job.kind !== 'training_set') throw new AppError('FSTORE_JOB_RESULT_NOT_FOUND', `Job '${id}' is a ${job.kind} job; only training-set jobs have a result file`);
    if (job.state !== 'succeeded') throw new AppError('FSTORE_JOB_RESULT_NOT_FOUND', `Job '${id}' is ${job.state}; its result file exists once it has succeeded`);
    const format = (job.result as unknown as TrainingSetJobResult).format;
    const path = this.outputPath(id, format);
    try {
      statSync(path);
    } catch {
      throw new AppError('FSTORE_JOB_RESULT_NOT_FOUND', `The result of job '${id}' has expired (kept for ${this.deps.retentionHours} hours); run it again`);
    }
    return { path, format, filename: `training-${job.params['entity'] as string}-${id.slice(0, 8)}.${format}` };
  }

  /** The first rows of a succeeded job's output and each feature's coverage over all of it. */
  async summary(id: string, limit: number): Promise<TrainingSetSummary> {
    const output = await this.output(id);
    const result = (await this.deps.jobs.get(id)).result as unknown as TrainingSetJobResult;
    const summary = await summarizeResultFile(this.deps.staging, { ...output, columns: result.columns, features: result.features }, limit);
    return { job_id: id, ...summary };
  }

  private outputPath(id: string, format: 'parquet' | 'csv'): string {
    // Job ids become file names: only our own UUIDs (no path traversal).
    if (!JOB_ID.test(id)) throw new AppError('FSTORE_JOB_NOT_FOUND', `Job '${id}' does not exist`);
    return join(this.deps.outputDir, `${id}.${format}`);
  }

  private labelSource(labels: Exclude<TrainingSetJobRequest['labels'], LabelQuery>): LabelSource {
    if ('upload' in labels) {
      const upload = this.deps.uploads.get(labels.upload);
      // The upload is kept (it expires like every upload): the same labels can be built again with other features.
      const name = upload.filename ?? `upload ${upload.upload_id}`;
      return { path: upload.path, format: upload.format, name, what: `The label file ${name}` };
    }
    const resolved = resolveFileSource(labels.path, this.deps.fileSourceDirs);
    return { ...resolved, name: labels.path, what: `The label file ${labels.path}` };
  }

  /** Removes output files older than the retention. */
  private sweep(): void {
    const cutoff = Date.now() - this.deps.retentionHours * 3_600_000;
    for (const name of readdirSync(this.deps.outputDir)) {
      const path = join(this.deps.outputDir, name);
      try {
        if (statSync(path).mtimeMs < cutoff) rmSync(path, { force: true });
      } catch {
        // removed meanwhile
      }
    }
  }
}

/** A query's labels before it runs (the job fills in the file). */
function queryLabels(query: LabelQuery): LabelSource {
  return { path: '', format: 'parquet', name: `a query on source ${query.source}`, what: `The label query on source '${query.source}'` };
}

function labelChoice(request: TrainingSetJobRequest): LabelColumns {
  return { keyColumn: request.key_column, timeColumn: request.time_column, keepNames: request.keep_column_names };
}

/** The output's key and time column names: the label file's own with keep_column_names, else entity_key and timestamp. */
function outputNames(request: TrainingSetJobRequest): { key: string; time: string } {
  if (!request.keep_column_names) return { key: 'entity_key', time: 'timestamp' };
  return { key: request.key_column ?? 'entity_key', time: request.time_column ?? 'timestamp' };
}

/** A kept key or time name that a requested feature's column also has would give the file two columns of one name. */
function checkKeptNames(names: { key: string; time: string }, features: ResolvedFeature[]): void {
  const fields = [
    ...(features.some((f) => f.requested === names.key) ? [{ field: 'key_column', column: names.key }] : []),
    ...(features.some((f) => f.requested === names.time) ? [{ field: 'time_column', column: names.time }] : []),
  ];
  if (fields.length === 0) return;
  throw new AppError(
    'FSTORE_VALIDATION_FAILED',
    `The label column '${fields[0]!.column}' has the name of a requested feature, and the training set keeps the label file's column names; rename the column, or leave the feature out`,
    { columns: fields.map((f) => f.column), fields: fields.map((f) => f.field) },
  );
}

/** Counts rows as the join yields them: progress, and the place to stop when cancelled. */
async function* tracking(rows: AsyncIterable<unknown[][]>, total: number, job: JobContext): AsyncIterable<unknown[][]> {
  let done = 0;
  job.progress({ phase: 'joining', rowsDone: 0, rowsTotal: total });
  for await (const chunk of rows) {
    throwIfCancelled(job);
    done += chunk.length;
    job.progress({ phase: 'joining', rowsDone: done, rowsTotal: total });
    yield chunk;
  }
  job.progress({ phase: 'writing the file', rowsDone: done, rowsTotal: total });
}

function throwIfCancelled(job: JobContext): void {
  if (job.signal.aborted) throw new AppError('FSTORE_CANCELLED', 'Cancelled');
}
