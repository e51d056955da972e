import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { isTerminal, Job } from '../../../shared/api/jobs.js';
import type { AppContext } from '../app-context.js';

const IdParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 100 }) });

/** Jobs: list, read, follow live (server-sent events) and cancel. */
export function registerJobRoutes(app: FastifyInstance, ctx: AppContext): void {
  const tags = ['Jobs'];
  app.get(
    '/api/jobs/',
    {
      schema: {
        tags,
        summary: 'Jobs, newest first',
        querystring: Type.Object(
          {
            state: Type.Optional(Type.String()),
            kind: Type.Optional(Type.String()),
            limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })),
          },
          { additionalProperties: false },
        ),
        response: { 200: Type.Array(Job) },
      },
    },
    (req) => ctx.jobs.list(req.query as { state?: string; kind?: string; limit?: number }),
  );
  app.get('/api/jobs/:id', { schema: { tags, summary: 'One job with its progress', params: IdParams, response: { 200: Job } } }, (req) =>
    ctx.jobs.get((req.params as { id: string }).id),
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
    (req) => ctx.jobs.cancel((req.params as { id: string }).id),
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
    (req, reply) => {
      const job = ctx.jobs.get((req.params as { id: string }).id);
      reply.hijack();
      const res = reply.raw;
      res.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache',
        connection: 'keep-alive',
        ...(req.headers.origin ? { 'access-control-allow-origin': req.headers.origin, vary: 'Origin' } : {}),
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
