import { Kafka, logLevel, type Consumer, type EachBatchPayload, type Producer } from 'kafkajs';
import type { StreamIngestor } from './stream-ingestor.js';

export interface KafkaIngestionConfig {
  brokers: string[];
  topics: string[];
  groupId: string;
  /** Appended to a topic's name for its dead-letter topic. */
  deadLetterSuffix: string;
}

export interface PartitionLag {
  topic: string;
  partition: number;
  lag: number;
}

export interface StreamingStatus {
  enabled: boolean;
  state: 'stopped' | 'connecting' | 'running' | 'error';
  brokers: string[];
  topics: string[];
  group_id: string;
  messages_consumed: number;
  values_written: number;
  dead_lettered: number;
  /** Sum over partitions of (latest offset - next offset to consume), refreshed every few seconds. */
  lag: number;
  partitions: PartitionLag[];
  /** Age of the newest event written, and end-to-end delay (write time - event time) of the last batch. */
  newest_event_time: string | null;
  last_write_at: string | null;
  last_batch_delay_ms: number | null;
  last_error: string | null;
}

const LAG_REFRESH_MS = 5000;

/**
 * Kafka consumer in the service. One consumer group shares the partitions among FStore replicas.
 * Per batch: parse and validate every message, write the valid values (offline, then online),
 * dead-letter the invalid ones (original bytes plus the reason in headers), and only then commit
 * the offsets — at least once, and writes are idempotent, so a crash or broker restart loses
 * nothing and duplicates nothing. A failed write throws, so the batch is retried, not committed.
 */
export class KafkaIngestion {
  private readonly kafka: Kafka;
  private consumer: Consumer | undefined;
  private producer: Producer | undefined;
  private lagTimer: NodeJS.Timeout | undefined;
  private readonly status: StreamingStatus;

  constructor(
    private readonly config: KafkaIngestionConfig,
    private readonly ingestor: StreamIngestor,
    private readonly log: { info(o: object, m: string): void; warn(o: object, m: string): void; error(o: object, m: string): void },
  ) {
    this.kafka = new Kafka({ clientId: 'fstore', brokers: config.brokers, logLevel: logLevel.NOTHING, retry: { retries: 8, initialRetryTime: 300 } });
    this.status = {
      enabled: true,
      state: 'stopped',
      brokers: config.brokers,
      topics: config.topics,
      group_id: config.groupId,
      messages_consumed: 0,
      values_written: 0,
      dead_lettered: 0,
      lag: 0,
      partitions: [],
      newest_event_time: null,
      last_write_at: null,
      last_batch_delay_ms: null,
      last_error: null,
    };
  }

  getStatus(): StreamingStatus {
    return { ...this.status, partitions: [...this.status.partitions] };
  }

  async start(): Promise<void> {
    this.status.state = 'connecting';
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      const existing = new Set(await admin.listTopics());
      const missing = this.config.topics.flatMap((t) => [t, t + this.config.deadLetterSuffix]).filter((t) => !existing.has(t));
      if (missing.length > 0) await admin.createTopics({ topics: missing.map((topic) => ({ topic })), waitForLeaders: true });
    } finally {
      await admin.disconnect();
    }
    this.producer = this.kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await this.producer.connect();
    this.consumer = this.kafka.consumer({ groupId: this.config.groupId, allowAutoTopicCreation: false });
    this.consumer.on(this.consumer.events.CRASH, (e) => {
      this.status.state = 'error';
      this.status.last_error = String(e.payload.error?.message ?? e.payload.error);
      this.log.error({ err: e.payload.error }, 'Kafka consumer crashed; kafkajs restarts it');
    });
    await this.consumer.connect();
    await this.consumer.subscribe({ topics: this.config.topics, fromBeginning: true });
    await this.consumer.run({ autoCommit: false, eachBatchAutoResolve: false, eachBatch: (payload) => this.handleBatch(payload) });
    this.status.state = 'running';
    this.lagTimer = setInterval(() => void this.refreshLag(), LAG_REFRESH_MS);
    this.lagTimer.unref();
    this.log.info({ topics: this.config.topics, groupId: this.config.groupId }, 'consuming Kafka');
  }

  /** True once stopped for good (the service is closing): start retries end. */
  isClosed = false;

  async stop(final = true): Promise<void> {
    if (final) this.isClosed = true;
    if (this.lagTimer) clearInterval(this.lagTimer);
    await this.consumer?.disconnect().catch(() => undefined);
    await this.producer?.disconnect().catch(() => undefined);
    this.status.state = 'stopped';
  }

  private async handleBatch({ batch, resolveOffset, heartbeat, commitOffsetsIfNecessary, isRunning, isStale }: EachBatchPayload): Promise<void> {
    if (!isRunning() || isStale() || batch.messages.length === 0) return;
    const records: Record<string, unknown>[] = [];
    const origin: number[] = []; // record index -> message index
    const deadLetters: { index: number; reason: string }[] = [];
    batch.messages.forEach((message, i) => {
      try {
        const parsed: unknown = JSON.parse(message.value?.toString('utf8') ?? '');
        const items = Array.isArray(parsed) ? parsed : [parsed];
        for (const item of items) {
          records.push(item as Record<string, unknown>);
          origin.push(i);
        }
      } catch {
        deadLetters.push({ index: i, reason: 'the message is not valid JSON' });
      }
    });
    const { values, rejected } = await this.ingestor.validate(records);
    for (const r of rejected) deadLetters.push({ index: origin[r.index]!, reason: r.reason });
    const written = await this.ingestor.write(values, { concurrent: true });
    await heartbeat();
    if (deadLetters.length > 0) {
      await this.producer!.send({
        topic: batch.topic + this.config.deadLetterSuffix,
        messages: deadLetters.map(({ index, reason }) => {
          const m = batch.messages[index]!;
          return {
            key: m.key,
            value: m.value,
            headers: {
              'fstore-error': reason,
              'fstore-source': `${batch.topic}/${batch.partition}/${m.offset}`,
            },
          };
        }),
      });
    }
    // Only now are the values durable (or dead-lettered): commit.
    resolveOffset(batch.lastOffset());
    await commitOffsetsIfNecessary({ topics: [{ topic: batch.topic, partitions: [{ partition: batch.partition, offset: (BigInt(batch.lastOffset()) + 1n).toString() }] }] });
    const now = Date.now();
    this.status.messages_consumed += batch.messages.length;
    this.status.values_written += written.values_written;
    this.status.dead_lettered += deadLetters.length;
    this.status.last_write_at = new Date(now).toISOString();
    this.status.state = 'running';
    const newest = values.reduce((m, v) => Math.max(m, v.eventTime), -Infinity);
    if (Number.isFinite(newest)) {
      this.status.newest_event_time = new Date(Math.max(newest, Date.parse(this.status.newest_event_time ?? '1970-01-01'))).toISOString();
      this.status.last_batch_delay_ms = now - newest;
    }
    const highWater = BigInt(batch.highWatermark);
    const next = BigInt(batch.lastOffset()) + 1n;
    this.setLag(batch.topic, batch.partition, Number(highWater - next));
  }

  private setLag(topic: string, partition: number, lag: number): void {
    const existing = this.status.partitions.find((p) => p.topic === topic && p.partition === partition);
    if (existing) existing.lag = Math.max(0, lag);
    else this.status.partitions.push({ topic, partition, lag: Math.max(0, lag) });
    this.status.lag = this.status.partitions.reduce((sum, p) => sum + p.lag, 0);
  }

  private async refreshLag(): Promise<void> {
    const admin = this.kafka.admin();
    try {
      await admin.connect();
      for (const topic of this.config.topics) {
        const [latest, committed] = await Promise.all([
          admin.fetchTopicOffsets(topic),
          admin.fetchOffsets({ groupId: this.config.groupId, topics: [topic] }),
        ]);
        const committedByPartition = new Map(committed[0]?.partitions.map((p) => [p.partition, BigInt(p.offset)]) ?? []);
        for (const p of latest) {
          const done = committedByPartition.get(p.partition) ?? -1n;
          const end = BigInt(p.high);
          this.setLag(topic, p.partition, Number(done < 0n ? end : end - done));
        }
      }
    } catch (err) {
      this.status.last_error = (err as Error).message;
    } finally {
      await admin.disconnect().catch(() => undefined);
    }
  }
}
