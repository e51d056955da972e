import { createWriteStream } from 'node:fs';
import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { Job } from '../../../shared/api/jobs.js';
import { IngestReport, IngestRowsRequest } from '../../../shared/api/serving.js';
import type { AppContext } from '../app-context.js';
import { AppError } from '../errors/app-error.js';
import { resolveFormat, type DataFormat } from '../ingest/data-format.js';
import { actorOf } from './actor.js';

const Params = Type.Object({ entity: Type.String({ minLength: 1, maxLength: 200 }), feature_group: Type.String({ minLength: 1, maxLength: 200 }) });
const UploadQuery = Type.Object(
  { format: Type.Optional(Type.Union(['csv', 'parquet', 'json', 'ndjson'].map((f) => Type.Literal(f)))) },
  { additionalProperties: false },
);

/** Media types whose bodies are passed to the upload route as raw streams (never buffered whole). */
export const RAW_MEDIA_TYPES = [
  'text/csv',
  'application/csv',
  'application/vnd.apache.parquet',
  'application/x-parquet',
  'application/parquet',
  'application/x-ndjson',
  'application/ndjson',
  'application/jsonl',
  'application/octet-stream',
];

const INGEST_DOC = `Rows for one (entity, feature group). The entity key column is the entity's join key, else
\`entity_key\`, \`<entity>_id\` or \`id\`; the event time column is \`event_timestamp\` or \`timestamp\` (ISO-8601),
else the ingestion time. Other columns are features: unknown ones are registered with inferred types.
A batch with any invalid row is rejected whole (422, with row, column and reason); re-sending rows is idempotent.`;

export function registerIngestRoutes(app: FastifyInstance, ctx: AppContext): void {
  app.addContentTypeParser(RAW_MEDIA_TYPES, (_req, payload, done) => done(null, payload));
  registerIngestJobRoute(app, ctx);

  app.post(
    '/api/ingest/:entity/:feature_group',
    {
      schema: { tags: ['Ingestion'], summary: 'Ingest JSON rows', description: INGEST_DOC, params: Params, body: IngestRowsRequest, response: { 200: IngestReport } },
    },
    async (req) => {
      const { entity, feature_group } = req.params as { entity: string; feature_group: string };
      const { rows } = req.body as IngestRowsRequest;
      const path = join(ctx.tmpDir, `rows-${randomUUID()}.ndjson`);
      await writeFile(path, rows.map((r) => JSON.stringify(r)).join('\n'));
      try {
        return await ctx.ingest.ingestFile(entity, feature_group, path, 'ndjson', actorOf(req));
      } finally {
        await rm(path, { force: true });
      }
    },
  );

  app.post(
    '/api/ingest/:entity/:feature_group/upload',
    {
      schema: {
        tags: ['Ingestion'],
        summary: 'Upload a CSV, Parquet, JSON or NDJSON file',
        description: `${INGEST_DOC}\n\nSend the file as the raw body (Content-Type text/csv, application/vnd.apache.parquet, application/x-ndjson, or application/octet-stream with ?format=) or as multipart/form-data field \`file\`. The body is streamed to disk, never held in memory.`,
        params: Params,
        querystring: UploadQuery,
        response: { 200: IngestReport },
      },
    },
    async (req) => {
      const { entity, feature_group } = req.params as { entity: string; feature_group: string };
      const { path, format } = await receiveUpload(req, ctx);
      try {
        return await ctx.ingest.ingestFile(entity, feature_group, path, format, actorOf(req));
      } finally {
        await rm(path, { force: true });
      }
    },
  );
}

/** File ingestion as a job: the upload is received, then processed in the background with progress. */
function registerIngestJobRoute(app: FastifyInstance, ctx: AppContext): void {
  app.post(
    '/api/jobs/ingest/:entity/:feature_group',
    {
      schema: {
        tags: ['Ingestion', 'Jobs'],
        summary: 'Upload a file and ingest it as a job (202 with the job; follow /api/jobs/{id}/events)',
        description: `${INGEST_DOC}\n\nSame body as the upload route. Answers as soon as the file is received; the job reports its phase (reading, validating, registering, writing offline, writing online), rows done and total, and throughput, and can be cancelled until its offline commit.`,
        params: Params,
        querystring: UploadQuery,
        response: { 202: Job },
      },
    },
    async (req, reply) => {
      const { entity, feature_group } = req.params as { entity: string; feature_group: string };
      const { path, format, filename } = await receiveUpload(req, ctx);
      const actor = actorOf(req);
      const job = ctx.jobs.submit(
        'ingest_file',
        `ingest ${filename ?? `${format} upload`} into ${entity}/${feature_group}`,
        { entity, feature_group, format, ...(filename ? { filename } : {}) },
        actor,
        async ({ signal, progress }) => {
          const report = await ctx.ingest.ingestFile(entity, feature_group, path, format, actor, { signal, onProgress: progress });
          return report as unknown as Record<string, unknown>;
        },
        () => rm(path, { force: true }),
      );
      return reply.status(202).send(job);
    },
  );
}

async function receiveUpload(req: FastifyRequest, ctx: AppContext): Promise<{ path: string; format: DataFormat; filename?: string }> {
  const explicit = (req.query as { format?: string }).format;
  const contentType = req.headers['content-type'];
  let stream: Readable;
  let format: DataFormat;
  let filename: string | undefined;
  if (req.isMultipart()) {
    const part = await req.file();
    if (!part) throw new AppError('FSTORE_VALIDATION_FAILED', "The multipart body has no file field; send the file as field 'file'");
    format = resolveFormat(explicit, part.mimetype === 'application/octet-stream' ? undefined : part.mimetype, part.filename);
    stream = part.file;
    filename = part.filename;
  } else {
    format = resolveFormat(explicit, contentType === 'application/octet-stream' ? undefined : contentType, undefined);
    if (!isReadable(req.body)) {
      throw new AppError('FSTORE_UNSUPPORTED_FORMAT', 'Send the file as the raw request body or as multipart/form-data; JSON rows go to POST /api/ingest/{entity}/{group}');
    }
    stream = req.body;
  }
  const path = join(ctx.tmpDir, `upload-${randomUUID()}.${format}`);
  try {
    await pipeline(stream, limitBytes(ctx.config.maxBodyBytes), createWriteStream(path));
  } catch (err) {
    await rm(path, { force: true });
    throw err;
  }
  if ((stream as Readable & { truncated?: boolean }).truncated) {
    await rm(path, { force: true });
    throw new AppError('FSTORE_PAYLOAD_TOO_LARGE', `The upload exceeds the limit of ${ctx.config.maxBodyBytes} bytes`);
  }
  return { path, format, ...(filename ? { filename } : {}) };
}

function limitBytes(max: number): Transform {
  let seen = 0;
  return new Transform({
    transform(chunk: Buffer, _enc, callback) {
      seen += chunk.length;
      if (seen > max) callback(new AppError('FSTORE_PAYLOAD_TOO_LARGE', `The upload exceeds the limit of ${max} bytes (maxBodyBytes)`));
      else callback(null, chunk);
    },
  });
}

function isReadable(x: unknown): x is Readable {
  return typeof x === 'object' && x !== null && typeof (x as Readable).pipe === 'function';
}
