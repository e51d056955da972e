import { createWriteStream } from 'node:fs';
import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { Job } from '@shared/api/jobs.js';
import { ColumnChoiceFields, FileFormat, IngestPreview, IngestReport, IngestRowsRequest, PreviewQuery, UploadReceipt } from '@shared/api/serving.js';
import type { AppContext } from '../../app-context.js';
import { AppError } from '../../errors/app-error.js';
import { resolveFormat, type DataFormat } from '../../staging/data-format.js';
import { rejectUnstorableRows } from '../../ingest/unstorable-rows.js';
import { resolveFileSource } from '../../staging/file-source.js';
import type { ColumnChoice } from '../../ingest/ingest-service.js';
import { actorOf } from './actor.js';
import type { TypedApp } from './typed-app.js';

const Params = Type.Object({ entity: Type.String({ minLength: 1, maxLength: 200 }), feature_group: Type.String({ minLength: 1, maxLength: 200 }) });
const Format = Type.Optional(FileFormat);
const UploadQuery = Type.Object({ format: Format, ...ColumnChoiceFields }, { additionalProperties: false });
const JobQuery = Type.Object(
  { format: Format, upload: Type.Optional(Type.String({ description: 'Ingest a file received earlier by POST /api/uploads/' })), ...ColumnChoiceFields },
  { additionalProperties: false },
);

/** Media types whose bodies are passed to the upload routes as raw streams (never buffered whole). */
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
else the ingestion time (override both with \`key_column\`, \`time_column\` or \`ingestion_time=true\`). Other
columns are features of this entity: unknown ones are registered with inferred types; a column whose bare name is
another entity's feature is stored as \`<entity>_<column>\` (a warning says so). A batch with any invalid row is
rejected whole (422, with row, column and reason); re-sending rows is idempotent.`;

const UPLOAD_BODY_DOC = `Send the file as the raw body (Content-Type text/csv, application/vnd.apache.parquet,
application/x-ndjson, or application/octet-stream with ?format=) or as multipart/form-data field \`file\`. The
body is streamed to disk, never held in memory.`;

export function registerIngestRoutes(app: TypedApp, ctx: AppContext): void {
  app.addContentTypeParser(RAW_MEDIA_TYPES, (_req, payload, done) => done(null, payload));

  app.post(
    '/api/ingest/:entity/:feature_group',
    {
      schema: { tags: ['Ingestion'], summary: 'Ingest JSON rows', description: INGEST_DOC, params: Params, body: IngestRowsRequest, response: { 200: IngestReport } },
    },
    async (req) => {
      const { entity, feature_group } = req.params;
      const { rows } = req.body;
      rejectUnstorableRows(rows);
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
        summary: 'Upload a CSV, Parquet, JSON or NDJSON file and ingest it (answers when done)',
        description: `${INGEST_DOC}\n\n${UPLOAD_BODY_DOC}`,
        params: Params,
        querystring: UploadQuery,
        response: { 200: IngestReport },
      },
    },
    async (req) => {
      const { entity, feature_group } = req.params;
      const { path, format } = await receiveToTemp(req, req.query, ctx);
      try {
        return await ctx.ingest.ingestFile(entity, feature_group, path, format, actorOf(req), columnChoice(req.query));
      } finally {
        await rm(path, { force: true });
      }
    },
  );

  // A JSON *file* is uploaded as-is (streamed), so this route alone takes application/json raw.
  void app.register(async (uploads) => {
    uploads.removeContentTypeParser('application/json');
    uploads.addContentTypeParser('application/json', (_req, payload, done) => done(null, payload));
    registerUploadRoute(uploads, ctx);
  });

  app.get(
    '/api/uploads/:id/preview',
    {
      schema: {
        tags: ['Ingestion'],
        summary: 'Dry run: what ingesting an upload would do (nothing is written)',
        description: 'Columns, the first rows, and with entity and feature_group: the column plan, warnings, problems that would reject the batch, and the invalid rows.',
        params: Type.Object({ id: Type.String({ minLength: 1, maxLength: 100 }) }),
        querystring: PreviewQuery,
        response: { 200: IngestPreview },
      },
    },
    async (req) => {
      const upload = ctx.uploads.get(req.params.id);
      const q = req.query;
      return ctx.ingest.preview(upload.path, upload.format, {
        ...(q.entity ? { entity: q.entity } : {}),
        ...(q.feature_group ? { group: q.feature_group } : {}),
        ...columnChoice(q),
      });
    },
  );

  app.post(
    '/api/jobs/ingest/:entity/:feature_group',
    {
      schema: {
        tags: ['Ingestion', 'Jobs'],
        summary: 'Ingest a file as a job (202 with the job; follow /api/jobs/{id}/events)',
        description: `${INGEST_DOC}\n\nEither \`?upload=<id>\` from POST /api/uploads/ (no body), or a JSON body \`{"path": "/data/events/*.parquet"}\` naming files on the server under \`fileSourceDirs\` (read in place), or the file as the body (${UPLOAD_BODY_DOC}) Answers as soon as the file is received; the job reports its phase (reading, validating, registering, writing offline, writing online), rows done and total, and throughput, and can be cancelled until its offline commit.`,
        params: Params,
        querystring: JobQuery,
        response: { 202: Job },
      },
    },
    async (req, reply) => {
      const { entity, feature_group } = req.params;
      const uploadId = req.query.upload;
      let source: { path: string; format: DataFormat; filename?: string | undefined; cleanup: () => Promise<void> };
      const fileSource = fileSourceOf(req.body);
      if (fileSource) {
        const resolved = resolveFileSource(fileSource.path, ctx.config.fileSourceDirs, fileSource.format);
        source = { ...resolved, filename: fileSource.path, cleanup: async () => undefined };
      } else if (uploadId) {
        const upload = ctx.uploads.get(uploadId);
        source = { path: upload.path, format: upload.format, filename: upload.filename ?? undefined, cleanup: async () => ctx.uploads.remove(uploadId) };
      } else {
        const received = await receiveToTemp(req, req.query, ctx);
        source = { ...received, cleanup: () => rm(received.path, { force: true }) };
      }
      const actor = actorOf(req);
      const choice = columnChoice(req.query);
      const job = await ctx.jobs.submit(
        'ingest_file',
        `ingest ${source.filename ?? `${source.format} upload`} into ${entity}/${feature_group}`,
        { entity, feature_group, format: source.format, ...(source.filename ? { filename: source.filename } : {}) },
        actor,
        async ({ signal, progress }) => {
          const report = await ctx.ingest.ingestFile(entity, feature_group, source.path, source.format, actor, { ...choice, signal, onProgress: progress });
          return report as unknown as Record<string, unknown>;
        },
        source.cleanup,
      );
      return reply.status(202).send(job);
    },
  );
}

function registerUploadRoute(app: TypedApp, ctx: AppContext): void {
  app.post(
    '/api/uploads/',
    {
      schema: {
        tags: ['Ingestion'],
        summary: 'Receive a file for preview and ingestion by id (kept for an hour)',
        description: UPLOAD_BODY_DOC,
        querystring: Type.Object({ format: Format, filename: Type.Optional(Type.String({ maxLength: 255 })) }, { additionalProperties: false }),
        response: { 201: UploadReceipt },
      },
    },
    async (req, reply) => {
      const { format, stream, filename } = await openUpload(req, req.query);
      const { id, path } = ctx.uploads.reserve(format);
      await receive(stream, path, ctx.config.maxBodyBytes);
      const name = req.query.filename ?? filename ?? null;
      return reply.status(201).send(ctx.uploads.register(id, format, name));
    },
  );
}

/** A JSON body `{path, format?}` names files on the server instead of carrying one. */
function fileSourceOf(body: unknown): { path: string; format?: string } | undefined {
  if (typeof body !== 'object' || body === null || typeof (body as { pipe?: unknown }).pipe === 'function') return undefined;
  const { path, format, ...rest } = body as { path?: unknown; format?: unknown };
  if (typeof path !== 'string' || Object.keys(rest).length > 0 || (format !== undefined && typeof format !== 'string')) {
    throw new AppError('FSTORE_VALIDATION_FAILED', 'A JSON body must be {"path": "/absolute/path/or/*.glob", "format"?: "csv|parquet|json|ndjson"}');
  }
  return { path, ...(typeof format === 'string' ? { format } : {}) };
}

/** The column choice of an ingestion's query (`ColumnChoiceFields`). */
function columnChoice(q: { key_column?: string; time_column?: string; ingestion_time?: boolean; evolve_schema?: boolean }): ColumnChoice {
  if (q.ingestion_time && q.time_column) {
    throw new AppError('FSTORE_VALIDATION_FAILED', 'Give either time_column or ingestion_time=true, not both');
  }
  return {
    ...(q.key_column ? { keyColumn: q.key_column } : {}),
    ...(q.evolve_schema ? { evolveSchema: true } : {}),
    ...(q.ingestion_time ? { timeColumn: null } : q.time_column ? { timeColumn: q.time_column } : {}),
  };
}

/** The query of an upload request: the file's format and name, when the request gives them. */
interface UploadFileQuery {
  format?: string;
  filename?: string;
}

/** The body of an upload request as a stream, with its format (multipart field `file` or raw body). */
async function openUpload(req: FastifyRequest, query: UploadFileQuery): Promise<{ stream: Readable; format: DataFormat; filename?: string }> {
  const explicit = query.format;
  const contentType = req.headers['content-type'];
  if (req.isMultipart()) {
    const part = await req.file().catch((err: unknown) => {
      throw unreadableBody(err);
    });
    if (!part) throw new AppError('FSTORE_VALIDATION_FAILED', "The multipart body has no file field; send the file as field 'file'");
    const format = resolveFormat(explicit, part.mimetype === 'application/octet-stream' ? undefined : part.mimetype, part.filename);
    return { stream: part.file, format, ...(part.filename ? { filename: part.filename } : {}) };
  }
  const queryName = query.filename;
  const format = resolveFormat(explicit, contentType === 'application/octet-stream' || contentType === 'application/json' ? undefined : contentType, queryName ?? (contentType === 'application/json' ? 'x.json' : undefined));
  if (!isReadable(req.body)) {
    throw new AppError('FSTORE_UNSUPPORTED_FORMAT', 'Send the file as the raw request body or as multipart/form-data; JSON rows go to POST /api/ingest/{entity}/{group}');
  }
  return { stream: req.body, format };
}

async function receiveToTemp(req: FastifyRequest, query: UploadFileQuery, ctx: AppContext): Promise<{ path: string; format: DataFormat; filename?: string }> {
  const { stream, format, filename } = await openUpload(req, query);
  const path = join(ctx.tmpDir, `upload-${randomUUID()}.${format}`);
  await receive(stream, path, ctx.config.maxBodyBytes);
  return { path, format, ...(filename ? { filename } : {}) };
}

/** Streams a body to disk with a size limit; a partial file is removed on any failure. */
async function receive(stream: Readable, path: string, maxBytes: number): Promise<void> {
  let bodyError: unknown;
  stream.once('error', (err) => (bodyError = err));
  try {
    await pipeline(stream, limitBytes(maxBytes), createWriteStream(path));
    if ((stream as Readable & { truncated?: boolean }).truncated) {
      throw new AppError('FSTORE_PAYLOAD_TOO_LARGE', `The upload exceeds the limit of ${maxBytes} bytes (maxBodyBytes)`);
    }
  } catch (err) {
    await rm(path, { force: true });
    // A body that breaks off or a malformed multipart part is the request's fault; a disk error is not.
    // (A small body may have failed already, before this function attached its listener.)
    throw err === bodyError || err === stream.errored ? unreadableBody(err) : err;
  }
}

/** A request body that cannot be read (malformed multipart, a body that ends early) as a 400. */
function unreadableBody(err: unknown): unknown {
  if (err instanceof AppError || (typeof (err as { statusCode?: unknown }).statusCode === 'number')) return err;
  return new AppError('FSTORE_VALIDATION_FAILED', `The request body could not be read: ${err instanceof Error ? err.message : String(err)}`);
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
