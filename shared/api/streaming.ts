/** The Kafka consumer's status (`GET /api/streaming/status`). */
import { Type, type Static } from 'typebox';

export const PartitionLag = Type.Object({ topic: Type.String(), partition: Type.Integer(), lag: Type.Integer() });
export type PartitionLag = Static<typeof PartitionLag>;

/** The consumer of a service started with kafkaBrokers. */
export const KafkaStatus = Type.Object({
  enabled: Type.Literal(true),
  state: Type.Union([Type.Literal('stopped'), Type.Literal('connecting'), Type.Literal('running'), Type.Literal('error')]),
  brokers: Type.Array(Type.String()),
  topics: Type.Array(Type.String()),
  group_id: Type.String(),
  messages_consumed: Type.Integer(),
  values_written: Type.Integer(),
  dead_lettered: Type.Integer(),
  lag: Type.Integer({ description: 'Sum over partitions of (latest offset - next offset to consume), refreshed every few seconds' }),
  partitions: Type.Array(PartitionLag),
  newest_event_time: Type.Union([Type.String(), Type.Null()], { description: 'Event time of the newest value written' }),
  last_write_at: Type.Union([Type.String(), Type.Null()]),
  last_batch_delay_ms: Type.Union([Type.Number(), Type.Null()], { description: 'End-to-end delay (write time - event time) of the last batch' }),
  last_error: Type.Union([Type.String(), Type.Null()]),
});
export type KafkaStatus = Static<typeof KafkaStatus>;

/** A service without kafkaBrokers: no consumer, and why. */
export const KafkaDisabled = Type.Object({ enabled: Type.Literal(false), state: Type.Literal('stopped'), reason: Type.String() });
export type KafkaDisabled = Static<typeof KafkaDisabled>;

export const StreamingStatus = Type.Union([KafkaStatus, KafkaDisabled]);
export type StreamingStatus = Static<typeof StreamingStatus>;
