import { randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { Type } from 'typebox';
import { Job } from '@shared/api/jobs.js';
import { LineageGraph, LineageParams, PreviewParquetRequest, PublishPlan, TransformPreview, TransformPreviewRequest, TransformRunRequest } from '@shared/api/transforms.js';
import { DataSource, TransformInput } from '@shared/domain/schemas.js';
import type { AppContext } from '../../app-context.js';
import { buildLineage } from '../../transforms/lineage.js';
import { writePreviewParquet } from '../../transforms/preview-parquet.js';
import { actorOf } from './actor.js';
import { abortWhenClientLeaves } from './client-gone.js';
import type { TypedApp } from './typed-app.js';

const NameParams = Type.Object({ name: Type.String({ minLength: 1, maxLength: 200 }) });

/** Preview, publish plan, runs and lineage; CRUD and versions come from the registry routes. */
export function registerTransformRoutes(app: TypedApp, ctx: AppContext): void {
  const tags = ['Transforms'];
  app.post(
    '/api/transforms/preview',
    {
      schema: {
        tags,
        summary: 'Run a transform on a sample of its sources (nothing is stored)',
        description:
          'Runs SQL (DuckDB dialect, one SELECT over the sources by name) or TypeScript on the first rows of each source (`head`, default 10,000), a seeded random sample (`random`) or everything (`all`). Returns the first result rows, the output schema with each column\'s role and feature type, per-column statistics over all result rows, and the elapsed time. Errors carry `details.location` {line, column} in the code. Limits (docs/security.md): a time limit (422 `FSTORE_TRANSFORM_TIMEOUT`), memory and temp space (422 `FSTORE_TRANSFORM_MEMORY`), a bounded number of previews and runs at once (503 `FSTORE_TRANSFORM_BUSY` with Retry-After when the queue is full or the wait too long); a preview whose client disconnects is stopped.',
        body: TransformPreviewRequest,
        response: { 200: TransformPreview },
      },
    },
    (req, reply) => ctx.transforms.preview(req.body, abortWhenClientLeaves(reply)),
  );
  app.post(
    '/api/transforms/preview/parquet',
    {
      schema: {
        tags,
        summary: 'Write preview rows as a Parquet file (a download; nothing is stored)',
        description:
          "The rows a preview answered (or any rows) with the preview's columns: each column in its DuckDB type (`duck_type`), timestamps read from ISO-8601 text; a type other than a plain one (STRUCT, MAP) is written as JSON text. 400 when a column is named twice or a value does not fit its column's type.",
        body: PreviewParquetRequest,
      },
    },
    async (req, reply) => {
      const path = join(ctx.tmpDir, `preview-${randomUUID()}.parquet`);
      await writePreviewParquet(ctx.staging, req.body, path);
      const stream = createReadStream(path);
      stream.on('close', () => void rm(path, { force: true }));
      return reply.type('application/vnd.apache.parquet').header('content-disposition', 'attachment; filename="preview.parquet"').send(stream);
    },
  );
  app.post(
    '/api/transforms/plan',
    {
      schema: {
        tags,
        summary: 'What publishing this transform would change (dry run)',
        description: 'Every registry object publishing would create, update or archive, with field-level changes, whether the change breaks consumers, and what depends on the transform.',
        body: TransformInput,
        response: { 200: PublishPlan },
      },
    },
    (req, reply) => ctx.transforms.plan(req.body, abortWhenClientLeaves(reply)),
  );
  app.post(
    '/api/transforms/:name/runs',
    {
      schema: {
        tags: [...tags, 'Jobs'],
        summary: 'Run or backfill a published transform into its feature group (a job)',
        description: 'Computes the transform over all of its sources and writes the output rows whose event time is in [start, end] (everything when omitted) to the offline store and, for online groups, the online store — idempotently and event-time aware, like any ingestion.',
        params: NameParams,
        body: TransformRunRequest,
        response: { 202: Job },
      },
    },
    async (req, reply) => {
      const { name } = req.params;
      return reply.status(202).send(await ctx.transforms.run(name, req.body ?? {}, actorOf(req)));
    },
  );
  app.post(
    '/api/data-sources/:name/refresh',
    { schema: { tags: ['Data sources'], summary: 'Re-read the schema of a source (a new version when it changed)', params: NameParams, response: { 200: DataSource } } },
    (req) => ctx.dataSources.refresh(req.params.name, actorOf(req)),
  );
  app.get(
    '/api/lineage/:kind/:name',
    {
      schema: {
        tags: ['Lineage'],
        summary: 'Upstream and downstream of a registry object',
        description: 'Nodes are `kind:name`; edges point the way data flows: data source -> transform -> feature group -> feature (and feature group -> data source when a source reads a group).',
        params: LineageParams,
        response: { 200: LineageGraph },
      },
    },
    (req) => {
      const { kind, name } = req.params;
      return buildLineage(ctx.registry, kind, name);
    },
  );
}
