import { createReadStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import type { FastifyReply } from 'fastify';
import { Type } from 'typebox';
import {
  OnlineRequest,
  OnlineResponse,
  TrainingJsonResponse,
  TrainingPointInTimeRequest,
  TrainingRangeRequest,
  type TrainingFormat,
} from '@shared/api/serving.js';
import type { AppContext } from '../../app-context.js';
import type { OnlineService } from '../../serving/online-service.js';
import { toFile, toJson } from '../../training/result-export.js';
import type { TrainingResult } from '../../training/training-service.js';
import { deprecationWarnings } from '../../serving/feature-resolver.js';
import { selectFeatures } from '../../serving/feature-selection.js';
import { ARROW_STREAM_MEDIA_TYPE, onlineArrow } from '../../serving/online-arrow.js';
import { prefersArrowStream } from './prefers-arrow.js';
import type { TypedApp } from './typed-app.js';

/** Warnings as one header value (ASCII, no line breaks). */
function headerText(warnings: string[]): string {
  return warnings.join(' | ').replace(/[^\x20-\x7e]/g, '?').slice(0, 4000);
}

const MEDIA: Record<'parquet' | 'csv', string> = { parquet: 'application/vnd.apache.parquet', csv: 'text/csv; charset=utf-8' };

export function registerServingRoutes(app: TypedApp, ctx: AppContext): void {
  registerOnlineRoute(app, ctx.online);

  app.post(
    '/api/training/features',
    {
      schema: {
        tags: ['Training'],
        summary: 'Training rows for a time window',
        description:
          'One row per entity key and event time in [start_date, end_date] at which any requested feature has a value; each feature as of that time (latest at or before it, within the TTL). A bare end date covers that whole day. The features: `feature_list` within `entity`, or `feature_service` (a feature service\'s features). `format`: json (default), parquet or csv. On-demand features that read request inputs are refused (400): a range has no requests to take the inputs from; ask for them at label rows carrying those columns (`/api/training/point-in-time`).',
        body: TrainingRangeRequest,
        response: { 200: TrainingJsonResponse },
      },
    },
    async (req, reply) => {
      const body = await selectFeatures(ctx.registry, req.body);
      return send(reply, await ctx.training.range(body), body.format ?? 'json', ctx);
    },
  );

  app.post(
    '/api/training/point-in-time',
    {
      schema: {
        tags: ['Training'],
        summary: 'Point-in-time correct features for label rows',
        description:
          'For each row `{entity_key, timestamp, ...labels}`: each feature\'s latest value at or before `timestamp` and within its group TTL, never a later one. Labels pass through. Rows keep their order. The features: `feature_list` within `entity`, or `feature_service` (a feature service\'s features). `format`: json (default), parquet or csv.',
        body: TrainingPointInTimeRequest,
        response: { 200: TrainingJsonResponse },
      },
    },
    async (req, reply) => {
      const body = await selectFeatures(ctx.registry, req.body);
      return send(reply, await ctx.training.pointInTime(body), body.format ?? 'json', ctx);
    },
  );
}

async function send(reply: FastifyReply, result: TrainingResult, format: TrainingFormat, ctx: AppContext): Promise<TrainingJsonResponse | FastifyReply> {
  // Parquet and CSV have no place for warnings: every format gets them as a header too.
  const warnings = deprecationWarnings(result.features);
  if (warnings.length > 0) void reply.header('x-fstore-warning', headerText(warnings));
  if (format === 'json') return { ...(await toJson(result)), ...(warnings.length > 0 ? { warnings } : {}) };
  const path = await toFile(result, format, ctx.staging, ctx.tmpDir);
  const stream = createReadStream(path);
  stream.on('close', () => void rm(path, { force: true }));
  return reply
    .type(MEDIA[format])
    .header('content-disposition', `attachment; filename="training-${result.entity}.${format}"`)
    .send(stream);
}

/** `POST /api/online/features`: also what each serving worker answers itself (http/worker-server.ts). */
export function registerOnlineRoute(app: TypedApp, online: OnlineService): void {
  app.post(
    '/api/online/features',
    {
      schema: {
        tags: ['Serving'],
        summary: 'Latest feature values for entity keys',
        description:
          'Per key and feature: value, event time and status PRESENT, NOT_FOUND, or EXPIRED (older than the group TTL; checked on every read). Names resolve within the entity, also with the entity prefix (`idade` finds `usuario_idade`). Output keys are the requested names. ' +
          'Instead of `entity` and `feature_list`, `feature_service` names a feature service (POST /api/feature-services/): its entity and features, in its order.\n\n' +
          `Two answers, by the \`Accept\` header: JSON (the default, also for \`*/*\` and types this route cannot produce), or an Arrow IPC stream when \`Accept\` names \`${ARROW_STREAM_MEDIA_TYPE}\` with a q at least that of JSON. ` +
          'The Arrow stream has one row per requested key in request order and columns `entity_key`, then per requested feature `f`: `f` (INT int64, FLOAT float64, BOOL bool, STRING utf8, TIMESTAMP timestamp[ms, UTC], DATE date32, lists list<item>; null unless PRESENT), ' +
          '`f__status` (dictionary utf8) and `f__event_timestamp` (timestamp[ms, UTC]). Schema metadata: `fstore.entity`, `fstore.features` and `fstore.value_types` (JSON), `fstore.warnings` (JSON, when any). ' +
          'A value that does not fit its Arrow type sends its column as JSON text, with field metadata `fstore.encoding: json`. Errors are JSON whatever `Accept` says. Deprecation warnings also come in the `x-fstore-warning` header. See docs/serving.md.',
        body: OnlineRequest,
        response: {
          200: {
            description: 'The values, statuses and event times, as JSON or as an Arrow IPC stream (by `Accept`)',
            content: {
              'application/json': { schema: OnlineResponse },
              // Unsafe<Buffer>: the same JSON schema, typed as the bytes the handler sends.
              [ARROW_STREAM_MEDIA_TYPE]: { schema: Type.Unsafe<Buffer>({ type: 'string', format: 'binary', description: 'Arrow IPC stream format, one record batch' }) },
            },
          },
        },
      },
      // Both answers are written by the encoders (online-json.ts, online-arrow.ts), never serialised here.
      // Never compressed: the SDKs ask for br/gzip, which cost 22-64% of online read throughput on
      // localhost (1 and 100 entities x 50 features) for bytes a model server next door does not miss.
      compress: false,
    },
    async (req, reply) => {
      const body = req.body;
      if (prefersArrowStream(req.headers.accept)) {
        const read = await online.read(body);
        if (read.plan.warnings.length > 0) void reply.header('x-fstore-warning', headerText(read.plan.warnings));
        return reply.type(ARROW_STREAM_MEDIA_TYPE).send(onlineArrow(read));
      }
      const answer = await online.get(body);
      if (answer.warnings.length > 0) void reply.header('x-fstore-warning', headerText(answer.warnings));
      // As bytes: a string body is scanned once for its length and again to encode it.
      return reply.type('application/json; charset=utf-8').send(Buffer.from(answer.json));
    },
  );
}
