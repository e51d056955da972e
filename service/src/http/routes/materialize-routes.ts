import { Job, MaterializeJobRequest } from '@shared/api/jobs.js';
import type { AppContext } from '../../app-context.js';
import { AppError } from '../../errors/app-error.js';
import type { MaterializeRequest } from '../../materialize/materialize-service.js';
import { parseInstant, parseRangeEnd } from '../../util/time.js';
import { actorOf } from './actor.js';
import type { TypedApp } from './typed-app.js';

export function registerMaterializeRoutes(app: TypedApp, ctx: AppContext): void {
  app.post(
    '/api/materialize',
    {
      schema: {
        tags: ['Jobs'],
        summary: 'Materialize offline history into the online store (a job)',
        description:
          'Writes the newest value per key and feature of a group to the online store, for an event-time window or incrementally. Idempotent and order-safe (an older event never overwrites a newer online value), so an interrupted run is re-run.',
        body: MaterializeJobRequest,
        response: { 202: Job },
      },
    },
    async (req, reply) => {
      const body = req.body;
      const request: MaterializeRequest = { entity: body.entity, featureGroup: body.feature_group, ...(body.incremental ? { incremental: true } : {}) };
      if (body.start_date !== undefined) {
        const start = parseInstant(body.start_date);
        if (start === undefined) throw new AppError('FSTORE_VALIDATION_FAILED', `start_date '${body.start_date}' is not a date or ISO-8601 timestamp`);
        request.start = start;
      }
      if (body.end_date !== undefined) {
        const end = parseRangeEnd(body.end_date);
        if (end === undefined) throw new AppError('FSTORE_VALIDATION_FAILED', `end_date '${body.end_date}' is not a date or ISO-8601 timestamp`);
        request.end = end;
      }
      await ctx.materialize.validate(request);
      const window = body.incremental ? 'incremental' : `${body.start_date ?? 'beginning'} to ${body.end_date ?? 'now'}`;
      const job = await ctx.jobs.submit(
        'materialize',
        `materialize ${body.entity}/${body.feature_group} (${window})`,
        body,
        actorOf(req),
        (jobCtx) => ctx.materialize.run(request, jobCtx),
      );
      return reply.status(202).send(job);
    },
  );
}
