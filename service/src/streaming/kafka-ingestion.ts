import { Kafka, logLevel, type Consumer, type EachBatchPayload, type Producer } from 'kafkajs';
import type { KafkaStatus } from '@shared/api/streaming.js';
import type { StreamIngestor } from './stream-ingestor.js';

export interface KafkaIngestionConfig {
  brokers: string[];
  topics: string[];
  groupId: string;
  /** Appended to a topic's name for its dead-letter topic. */
  deadLetterSuffix: string;
  /** How long the group waits for a silent member before its partitions move (kafkaSessionTimeoutMs). */
  sessionTimeoutMs?: number;
}

const LAG_REFRESH_MS = 5000;
/** Who registry changes made by the consumer are recorded as (a feature placed in its default group). */
const KAFKA_ACTOR = 'kafka';
/**
 * Partitions of one fetch handled at once. Their online writes go out immediately and their
 * offline writes share one transaction (group commit), so a fetch costs one offline write instead
 * of one per partition: the next fetch, and so the freshness of what arrived meanwhile, waits less.
 */
const PARTITIONS_IN_PARALLEL = 8;
/** Values accepted (readable online) but not yet durable offline before consumption waits. */
const MAX_PENDING_OFFLINE_VALUES = 100_000;
const REWIND_MIN_DELAY_MS = 500;
const REWIND_MAX_DELAY_MS = 30_000;
/** How long a clean stop waits for the offline writes under way to finish and commit. */
const DRAIN_TIMEOUT_MS = 30_000;

interface PartitionState {
  /** Bumped by a rewind: commits of batches handled before it are dropped. */
  epoch: number;
  /** Paused until it re-reads from the failed batch. */
  rewinding: boolean;
  retryDelayMs: number;
  /** Commits in order: the chain, the highest offset durable, and the highest committed. */
  commits: Promise<void>;
  durable: bigint;
  committed: bigint;
}

/**
 * Kafka consumer in the service. One consumer group shares the partitions among FStore replicas.
 * Per batch: parse and validate every message, write the valid values (online at once, offline
 * group-committed with the other partitions of the same fetch), dead-letter the invalid ones
 * (original bytes plus the reason in headers), and only then commit the offsets — at least once,
 * and writes are idempotent, so a crash or broker restart loses nothing and duplicates nothing. A failed write throws, so the batch is retried, not committed.
 */
export class KafkaIngestion {
  private readonly kafka: Kafka;
  private consumer: Consumer | undefined;
  private producer: Producer | undefined;
  private lagTimer: NodeJS.Timeout | undefined;
  private readonly partitions = new Map<string, PartitionState>();
  /** Batches whose offline write (and then offset commit) is still running. */
  private readonly inFlight = new Set<Promise<void>>();
  private pendingValues = 0;
  private handling = 0;
  private readonly status: KafkaStatus;

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

  getStatus(): KafkaStatus {
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
    const session = this.config.sessionTimeoutMs;
    this.consumer = this.kafka.consumer({
      groupId: this.config.groupId,
      allowAutoTopicCreation: false,
      // Heartbeats at a third of the session, as Kafka advises.
      ...(session ? { sessionTimeout: session, heartbeatInterval: Math.max(1000, Math.floor(session / 3)) } : {}),
    });
    this.consumer.on(this.consumer.events.CRASH, (e) => {
      this.status.state = 'error';
      this.status.last_error = String(e.payload.error?.message ?? e.payload.error);
      this.log.error({ err: e.payload.error }, 'Kafka consumer crashed; kafkajs restarts it');
    });
    await this.consumer.connect();
    await this.consumer.subscribe({ topics: this.config.topics, fromBeginning: true });
    await this.consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: PARTITIONS_IN_PARALLEL,
      eachBatch: (payload) => this.handleBatch(payload),
    });
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
    await this.drain();
    await this.consumer?.disconnect().catch(() => undefined);
    await this.producer?.disconnect().catch(() => undefined);
    this.status.state = 'stopped';
  }

  /** Pauses fetching and lets the writes under way finish and commit, so a clean stop re-reads nothing. */
  private async drain(): Promise<void> {
    try {
      this.consumer?.pause(this.config.topics.map((topic) => ({ topic })));
    } catch {
      return; // never ran: nothing is under way
    }
    const deadline = Date.now() + DRAIN_TIMEOUT_MS;
    while ((this.handling > 0 || this.inFlight.size > 0) && Date.now() < deadline) {
      await Promise.race([Promise.allSettled([...this.inFlight]), new Promise((r) => setTimeout(r, 50))]);
    }
  }

  private async handleBatch(payload: EachBatchPayload): Promise<void> {
    this.handling++;
    try {
      await this.writeBatch(payload);
    } finally {
      this.handling--;
    }
  }

  private async writeBatch({ batch, resolveOffset, heartbeat, isRunning, isStale }: EachBatchPayload): Promise<void> {
    if (!isRunning() || isStale() || batch.messages.length === 0) return;
    const partition = this.partitionState(batch.topic, batch.partition);
    // Rewinding after a failed offline write: what was fetched before the rewind is fetched again.
    if (partition.rewinding) return;
    const epoch = partition.epoch;
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
    const { online, offline } = this.ingestor.writeStreamed(values, KAFKA_ACTOR);
    const durable = offline.then(
      (written) => ({ written, error: undefined }),
      (error: unknown) => ({ written: 0, error }),
    );
    this.pendingValues += values.length;
    try {
      await online;
      if (deadLetters.length > 0) await this.sendDeadLetters(batch, deadLetters);
    } catch (err) {
      // Nothing of this batch is committed; kafkajs retries it (online and offline writes are idempotent).
      await durable;
      this.pendingValues -= values.length;
      throw err;
    }
    // The next fetch continues after this batch; its offset is committed once the offline write is
    // durable (in order, per partition), or the partition rewinds to it if that write fails.
    resolveOffset(batch.lastOffset());
    await heartbeat();
    const firstOffset = batch.firstOffset() ?? batch.lastOffset();
    const next = (BigInt(batch.lastOffset()) + 1n).toString();
    const settled = durable.then(({ written, error }) => {
      this.pendingValues -= values.length;
      if (error !== undefined) return this.rewind(batch.topic, batch.partition, firstOffset, epoch, error);
      partition.retryDelayMs = 0;
      this.status.values_written += written;
      if (partition.epoch === epoch) return this.commit(batch.topic, batch.partition, next);
    });
    this.inFlight.add(settled);
    void settled.finally(() => this.inFlight.delete(settled));

    const now = Date.now();
    this.status.messages_consumed += batch.messages.length;
    this.status.dead_lettered += deadLetters.length;
    this.status.last_write_at = new Date(now).toISOString();
    if (this.status.state === 'error' && !partition.rewinding) this.status.state = 'running';
    const newest = values.reduce((m, v) => Math.max(m, v.eventTime), -Infinity);
    if (Number.isFinite(newest)) {
      this.status.newest_event_time = new Date(Math.max(newest, Date.parse(this.status.newest_event_time ?? '1970-01-01'))).toISOString();
      this.status.last_batch_delay_ms = now - newest;
    }
    this.setLag(batch.topic, batch.partition, Number(BigInt(batch.highWatermark) - BigInt(next)));
    // Bounded memory: while too many values wait for their offline write, consumption waits too.
    if (this.pendingValues > MAX_PENDING_OFFLINE_VALUES) await settled;
  }

  private async sendDeadLetters(batch: EachBatchPayload['batch'], deadLetters: { index: number; reason: string }[]): Promise<void> {
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

  private partitionState(topic: string, partition: number): PartitionState {
    const id = `${topic}/${partition}`;
    let state = this.partitions.get(id);
    if (!state) this.partitions.set(id, (state = { epoch: 0, rewinding: false, retryDelayMs: 0, commits: Promise.resolve(), committed: -1n, durable: -1n }));
    return state;
  }

  /** Commits up to `next` once every earlier commit of the partition is done (commits never go backwards). */
  private commit(topic: string, partition: number, next: string): Promise<void> {
    const state = this.partitionState(topic, partition);
    if (BigInt(next) > state.durable) state.durable = BigInt(next);
    state.commits = state.commits.then(async () => {
      const target = state.durable;
      if (target <= state.committed || !this.consumer) return;
      try {
        await this.consumer.commitOffsets([{ topic, partition, offset: target.toString() }]);
        state.committed = target;
      } catch (err) {
        // A rebalance took the partition: its new owner resumes from the last committed offset and
        // rewrites the rest (idempotent writes), so nothing is lost.
        this.log.warn({ err, topic, partition }, 'Kafka offset commit failed; the batch will be delivered again');
      }
    });
    return state.commits;
  }

  /**
   * An offline write failed: stop committing this partition, pause it, and after a growing delay
   * fetch again from the first offset of the failed batch (every earlier batch is durable, since
   * offline writes complete in order). Later batches already written online are rewritten then.
   */
  private rewind(topic: string, partition: number, offset: string, epoch: number, error: unknown): void {
    const state = this.partitionState(topic, partition);
    if (state.epoch !== epoch) return; // a batch before this one already rewound the partition
    state.epoch++;
    state.rewinding = true;
    state.retryDelayMs = Math.min(Math.max(REWIND_MIN_DELAY_MS, state.retryDelayMs * 2), REWIND_MAX_DELAY_MS);
    this.status.state = 'error';
    this.status.last_error = (error as Error)?.message ?? String(error);
    this.log.error({ err: error, topic, partition, offset, retryInMs: state.retryDelayMs }, 'offline write of a Kafka batch failed; the partition will re-read it');
    const consumer = this.consumer;
    if (!consumer) return;
    consumer.pause([{ topic, partitions: [partition] }]);
    const timer = setTimeout(() => {
      if (this.isClosed) return;
      consumer.seek({ topic, partition, offset });
      state.rewinding = false;
      consumer.resume([{ topic, partitions: [partition] }]);
    }, state.retryDelayMs);
    timer.unref();
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
