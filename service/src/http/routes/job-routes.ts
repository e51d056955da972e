import { createReadStream } from 'node:fs';
import { Type } from 'typebox';
import { isTerminal, Job, JobLogs, ListJobsQuery } from '@shared/api/jobs.js';
import { TrainingSetJobRequest, TrainingSetSummary } from '@shared/api/serving.js';
import type { AppContext } from '../../app-context.js';
import { selectFeatures } from '../../serving/feature-selection.js';
import { actorOf } from './actor.js';
import type { TypedApp } from './typed-app.js';

const IdParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 100 }) });

/** Jobs: list, read, follow live (server-sent events) and cancel. */
export function registerJobRoutes(app: TypedApp, ctx: AppContext): void {
  const tags = ['Jobs'];
  app.get(
    '/api/jobs/',
    {
      schema: {
        tags,
        summary: 'Jobs, newest first',
        querystring: ListJobsQuery,
        response: { 200: Type.Array(Job) },
      },
    },
    (req) => ctx.jobs.list(req.query),
  );
  app.get('/api/jobs/:id', { schema: { tags, summary: 'One job with its progress', params: IdParams, response: { 200: Job } } }, (req) =>
    ctx.jobs.get(req.params.id),
  );
  app.post(
    '/api/jobs/:id/cancel',
    {
      schema: {
        tags,
        summary: 'Cancel a queued or running job',
        description: 'An ingestion cancelled before its offline commit writes nothing; once committed, it completes.',
        params: IdParams,
        response: { 200: Job },
      },
    },
    (req) => ctx.jobs.cancel(req.params.id),
  );
  app.get(
    '/api/jobs/:id/logs',
    {
      schema: {
        tags,
        summary: "What the job's engine printed",
        description: "Spark's driver output for Spark runs (live while running, the last 2,000 lines); empty for jobs that print nothing.",
        params: IdParams,
        response: { 200: JobLogs },
      },
    },
    (req) => ctx.jobs.logs(req.params.id),
  );
  app.post(
    '/api/jobs/training-set',
    {
      schema: {
        tags: ['Training', 'Jobs'],
        summary: 'Build a point-in-time training set from a label file, as a job (202 with the job)',
        description:
          "The label file (CSV, Parquet, JSON, NDJSON; first POST it to /api/uploads/, or name a file under fileSourceDirs) has an entity key column, a time column and any label columns. Same rule as POST /api/training/point-in-time: each feature's latest value at or before the row's time and within its TTL; labels pass through; rows keep their order. `engine: spark` runs the join on Spark (docs/spark.md). The job reports 'reading labels', 'joining' (rows done of total) and Spark's stages; once succeeded its `result.download` (GET /api/jobs/{id}/result) serves the Parquet or CSV file and GET /api/jobs/{id}/summary its first rows and per-feature coverage. The output's key and time columns are `entity_key` and `timestamp`, or with `keep_column_names: true` the label file's own names (as the app asks).",
        body: TrainingSetJobRequest,
        response: { 202: Job },
      },
    },
    async (req, reply) => reply.status(202).send(await ctx.trainingSets.submit(await selectFeatures(ctx.registry, req.body), actorOf(req))),
  );
  app.get(
    '/api/jobs/:id/result',
    {
      schema: {
        tags: ['Training', 'Jobs'],
        summary: "A training-set job's output file (Parquet or CSV)",
        description: 'Available once the job succeeded, for trainingSetRetentionHours (default 24).',
        params: IdParams,
      },
    },
    async (req, reply) => {
      const output = await ctx.trainingSets.output(req.params.id);
      return reply
        .type(output.format === 'parquet' ? 'application/vnd.apache.parquet' : 'text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="${output.filename}"`)
        .send(createReadStream(output.path));
    },
  );
  app.get(
    '/api/jobs/:id/summary',
    {
      schema: {
        tags: ['Training', 'Jobs'],
        summary: "A succeeded training-set job's first rows and per-feature coverage",
        description:
          'For a look before downloading: the first `limit` rows (default 20) and, per feature column, how many rows have a value and their share of all rows (counted over the whole output file, not only the rows shown). Available while the result file is (trainingSetRetentionHours).',
        params: IdParams,
        querystring: Type.Object({ limit: Type.Optional(Type.Integer({ minimum: 0, maximum: 100, default: 20 })) }, { additionalProperties: false }),
        response: { 200: TrainingSetSummary },
      },
    },
    (req) => ctx.trainingSets.summary(req.params.id, req.query.limit ?? 20),
  );
  app.get(
    '/api/jobs/:id/events',
    {
      schema: {
        tags,
        summary: 'Follow a job live (text/event-stream)',
        description: 'Server-sent events: one `job` event with the job JSON at once and on every change, until it ends.',
        params: IdParams,
      },
    },
    async (req, reply) => {
      const job = await ctx.jobs.get(req.params.id);
      reply.hijack();
      const res = reply.raw;
      // A hijacked reply does not send the headers hooks set on it, so they are written here: the
      // CORS plugin's allow-origin (only for app://fstore and corsOrigins) among them.
      const hooked = Object.entries(reply.getHeaders()).filter((entry): entry is [string, string | number | string[]] => entry[1] !== undefined);
      res.writeHead(200, {
        ...Object.fromEntries(hooked),
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache',
        connection: 'keep-alive',
      });
      const send = (j: Job) => res.write(`event: job\ndata: ${JSON.stringify(j)}\n\n`);
      send(job);
      if (isTerminal(job.state)) {
        res.end();
        return;
      }
      const off = ctx.jobs.subscribe(job.id, (j) => {
        send(j);
        if (isTerminal(j.state)) {
          off();
          res.end();
        }
      });
      req.raw.on('close', off);
    },
  );
}
