import { Type } from 'typebox';
import { StreamingStatus } from '@shared/api/streaming.js';
import type { AppContext } from '../../app-context.js';
import { AppError } from '../../errors/app-error.js';
import { actorOf } from './actor.js';
import type { TypedApp } from './typed-app.js';

const PushRequest = Type.Object(
  {
    records: Type.Array(Type.Record(Type.String(), Type.Unknown()), {
      minItems: 1,
      maxItems: 100_000,
      description:
        'Seed format `{entity_key, feature_name, value, timestamp}` or row format `{entity, feature_group, entity_key, timestamp, features: {...}}`',
    }),
  },
  { additionalProperties: false },
);

const PushResponse = Type.Object({ accepted: Type.Integer(), values_written: Type.Integer(), online_values_written: Type.Integer() });

/** Streaming writes over HTTP (when Kafka is not in use) and the Kafka consumer's status. */
export function registerStreamingRoutes(app: TypedApp, ctx: AppContext): void {
  app.post(
    '/api/push',
    {
      schema: {
        tags: ['Streaming'],
        summary: 'Push streamed values (the same records as Kafka messages)',
        description:
          'All records are validated first; if any is invalid the request is rejected (422, each bad record with its index and reason) and nothing is written. Writes are idempotent and a late, older event never overwrites a newer online value. A feature registered without a group is placed in its entity\'s default group `<entity>_default` (created on demand: online, no TTL), or in the group a row record names.',
        body: PushRequest,
        response: { 200: PushResponse },
      },
    },
    async (req) => {
      const { records } = req.body;
      const { values, rejected, accepted } = await ctx.stream.validate(records);
      if (rejected.length > 0) {
        const first = rejected[0]!;
        throw new AppError(
          'FSTORE_INGEST_REJECTED',
          `${rejected.length} of ${records.length} records are invalid, so nothing was written. First: record ${first.index}: ${first.reason}`,
          { errors: rejected.slice(0, 100) },
        );
      }
      return { accepted, ...(await ctx.stream.write(values, actorOf(req))) };
    },
  );

  app.get(
    '/api/streaming/status',
    {
      schema: {
        tags: ['Streaming'],
        summary: 'Kafka consumer state, lag per partition, freshness and counters',
        description: 'Without kafkaBrokers: `{ enabled: false, state: "stopped", reason }`.',
        response: { 200: StreamingStatus },
      },
    },
    (): StreamingStatus => ctx.kafka?.getStatus() ?? { enabled: false, state: 'stopped', reason: 'kafkaBrokers is not configured (FSTORE_KAFKA_BROKERS)' },
  );
}
