/**
 * Kafka stream into both stores (offline history and online latest values), on the embedded and
 * the server stores, with FStore (`fstore serve`) in a child process consuming a fresh topic.
 *
 * Throughput: N seed-format messages `{entity_key, feature_name, value, timestamp}` are produced (kcat) to
 * a fresh topic before anyone consumes; then a no-op kafkajs consumer (same client library, same
 * defaults, own group) reads the backlog, then FStore does. Rate = messages consumed between the
 * first and the last progress sample / elapsed time (FStore's progress is polled from
 * GET /api/streaming/status every 100 ms; the no-op consumer counts in-process).
 *
 * Freshness: while FStore runs caught up, messages are produced at half of its measured rate for a
 * few seconds; the first message of every 20 ms tick is a sentinel with a unique entity key. The
 * topic stamps each message with the broker's append time (LogAppendTime), so freshness starts when
 * the message is in Kafka, not when the producer (kcat) got round to sending it. A poller
 * reads the pending sentinel keys through POST /api/online/features every ~5 ms; a sentinel is
 * fresh when a response has it PRESENT (an upper bound: it includes the poll interval and one HTTP
 * round trip). Baseline: a no-op consumer on the same topic at the same time, timing each
 * sentinel's arrival from the same append time.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { Kafka, logLevel, type Consumer } from 'kafkajs';
import { allBackends, RUN_ID, serviceUrls, type Backend } from '../backends.js';
import { startFStore, type ChildServer } from '../child-process.js';
import { percentile } from '../online-fixture.js';
import type { BenchOptions, BenchResult } from './types.js';
import { speedRatio } from './types.js';

const PARTITIONS = 4;
const FEATURES = 10;
const ENTITY_KEYS = 5000;
const TICK_MS = 20;
const STATUS_POLL_MS = 100;
const FRESHNESS_POLL_MS = 5;

export async function kafkaStream(options: BenchOptions): Promise<BenchResult[]> {
  const brokers = serviceUrls().FSTORE_KAFKA_BROKERS;
  if (!brokers) {
    process.stderr.write('bench: kafka-stream: no figure: FSTORE_KAFKA_BROKERS not set (start the services: npm run services:up)\n');
    return [];
  }
  const kafka = new Kafka({ clientId: 'fstore-bench', brokers: brokers.split(','), logLevel: logLevel.NOTHING, retry: { retries: 2 } });
  const admin = kafka.admin();
  try {
    await withTimeout(admin.connect(), 10_000, `Kafka at ${brokers} did not answer`);
  } catch (err) {
    process.stderr.write(`bench: kafka-stream: no figure: ${(err as Error).message}\n`);
    return [];
  }
  const results: BenchResult[] = [];
  try {
    for (const backend of await allBackends('kafka-stream')) {
      const topic = `fstore_bench_${RUN_ID}_${backend.name}`;
      try {
        results.push(...(await onBackend(kafka, brokers, topic, backend, options)));
      } finally {
        await backend.cleanup();
        await admin.deleteTopics({ topics: [topic, `${topic}.dlq`] }).catch(() => undefined);
        await admin.deleteGroups([`noop_${topic}`, `noop_live_${topic}`, fstoreGroup(backend)]).catch(() => undefined);
      }
    }
  } finally {
    await admin.disconnect();
  }
  return results;
}

async function onBackend(kafka: Kafka, brokers: string, topic: string, backend: Backend, options: BenchOptions): Promise<BenchResult[]> {
  const messages = options.quick ? 30_000 : 500_000;
  const freshnessSeconds = options.quick ? 3 : 15;
  const entity = `stream_${RUN_ID}`;
  const features = Array.from({ length: FEATURES }, (_, f) => `${entity}_f${f}`);
  const dataDir = mkdtempSync(join(tmpdir(), 'fstore-bench-stream-'));
  const admin = kafka.admin();
  await admin.connect();
  let fstore: ChildServer | undefined;
  try {
    // LogAppendTime: messages carry the broker's append time, the start of freshness.
    await admin.createTopics({
      topics: [{ topic, numPartitions: PARTITIONS, replicationFactor: 1, configEntries: [{ name: 'message.timestamp.type', value: 'LogAppendTime' }] }],
      waitForLeaders: true,
    });
    // Register the features first (without Kafka), so no message of the backlog is dead-lettered.
    const setup = await startFStore(dataDir, backend.env);
    try {
      await postJson(setup.url, '/api/feature-groups/', { name: 'eventos', entity });
      for (const name of features) await postJson(setup.url, '/api/features/', { name, value_type: 'INT', entity, feature_group: 'eventos' });
    } finally {
      await setup.stop();
    }

    const base = Date.parse('2025-01-01T00:00:00Z');
    const lines: string[] = [];
    for (let i = 0; i < messages; i++) {
      const key = `u${Math.floor(i / FEATURES) % ENTITY_KEYS}`;
      lines.push(`${key}\t${JSON.stringify({ entity_key: key, feature_name: features[i % FEATURES], value: i, timestamp: new Date(base + i).toISOString() })}`);
    }
    const produceStarted = performance.now();
    const backlog = startKcatProducer(brokers, topic);
    backlog.write(lines);
    await backlog.end();
    const produceSeconds = (performance.now() - produceStarted) / 1000;

    const noop = await noopConsumerRate(kafka, topic, messages);

    fstore = await startFStore(dataDir, {
      ...backend.env,
      FSTORE_KAFKA_BROKERS: brokers,
      FSTORE_KAFKA_TOPICS: topic,
      FSTORE_KAFKA_GROUP_ID: fstoreGroup(backend),
    });
    const consumed = await fstoreConsumerRate(fstore.url, messages);

    const halfRate = Math.max(100, Math.floor(consumed.rate / 2));
    const fresh = await freshness(kafka, brokers, topic, fstore.url, entity, features[0]!, halfRate, freshnessSeconds);
    const status = (await getJson(fstore.url, '/api/streaming/status')) as { dead_lettered: number; values_written: number };

    const label = backend.label;
    return [
      {
        scenario: 'Kafka stream into both stores, sustained',
        backend: label,
        metric: `msgs/s (${messages} seed-format messages, ${PARTITIONS} partitions)`,
        fstore: Math.round(consumed.rate),
        baseline: Math.round(noop.rate),
        baselineLabel: 'no-op kafkajs consumer, same topic and partitions',
        ratio: speedRatio(consumed.rate, noop.rate, 'throughput'),
        target: '>= 0.4x the no-op rate and >= 50k msgs/s',
        details: {
          fstore_seconds: round(consumed.seconds),
          noop_seconds: round(noop.seconds),
          produce_msgs_per_s: Math.round(messages / produceSeconds),
          values_written_offline: consumed.valuesWritten,
          dead_lettered: status.dead_lettered,
        },
      },
      {
        scenario: 'Kafka stream, freshness at half load (produce -> readable online)',
        backend: label,
        metric: `p99 ms at ${halfRate} msgs/s`,
        fstore: fresh.fstore.p99_ms,
        baseline: fresh.noop.p99_ms,
        baselineLabel: 'produce -> received by a no-op kafkajs consumer, same messages',
        ratio: speedRatio(fresh.fstore.p99_ms, Math.max(fresh.noop.p99_ms, 0.001), 'duration'),
        target: 'freshness p99 <= 100 ms at half load',
        details: {
          p50_ms: fresh.fstore.p50_ms,
          p99_ms: fresh.fstore.p99_ms,
          noop_p50_ms: fresh.noop.p50_ms,
          noop_p99_ms: fresh.noop.p99_ms,
          producer_send_to_append_p50_ms: fresh.producer.p50_ms,
          producer_send_to_append_p99_ms: fresh.producer.p99_ms,
          sentinels: fresh.sentinels,
          sentinels_not_seen_online: fresh.missing,
          produced_msgs_per_s: Math.round(fresh.producedRate),
          method: `from the broker's append time (LogAppendTime) to the poll of POST /api/online/features (every ${FRESHNESS_POLL_MS} ms, pending sentinel keys) that saw it PRESENT; an upper bound (includes the poll interval and one HTTP round trip)`,
        },
      },
    ];
  } finally {
    await fstore?.stop();
    await admin.disconnect();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

const fstoreGroup = (backend: Backend) => `fstore_bench_${RUN_ID}_${backend.name}`;

/** A consumer that does nothing with the messages: the client's own ceiling on this topic. */
async function noopConsumerRate(kafka: Kafka, topic: string, expected: number): Promise<{ rate: number; seconds: number }> {
  const consumer = kafka.consumer({ groupId: `noop_${topic}` });
  await consumer.connect();
  await consumer.subscribe({ topics: [topic], fromBeginning: true });
  let count = 0;
  let first: { at: number; count: number } | undefined;
  let last = 0;
  const done = new Promise<void>((resolve) => {
    void consumer.run({
      eachBatch: async ({ batch }) => {
        count += batch.messages.length;
        const now = performance.now();
        first ??= { at: now, count };
        last = now;
        if (count >= expected) resolve();
      },
    });
  });
  await withTimeout(done, 300_000, `the no-op consumer did not read all ${expected} messages in 300 s`);
  await consumer.disconnect();
  // The first batch only marks the start: count what came after it.
  const seconds = (last - first!.at) / 1000;
  return { rate: (expected - first!.count) / seconds, seconds };
}

/**
 * FStore's consumption rate, from its status counters (samples every 100 ms). The clock starts at
 * the last sample that saw nothing consumed: the counters move when a whole fetch is written (all
 * partitions at once), so the first fetch's work is counted too, within one poll interval.
 */
async function fstoreConsumerRate(url: string, expected: number): Promise<{ rate: number; seconds: number; valuesWritten: number }> {
  let startedAt: number | undefined;
  let idleSampleAt = performance.now();
  let lastProgress = performance.now();
  let lastCount = 0;
  for (;;) {
    const status = (await getJson(url, '/api/streaming/status')) as { messages_consumed: number; values_written: number; state: string; last_error: string | null };
    const now = performance.now();
    if (status.messages_consumed === 0) idleSampleAt = now;
    else startedAt ??= idleSampleAt;
    if (status.messages_consumed >= expected) {
      const seconds = (now - startedAt!) / 1000;
      return { rate: expected / seconds, seconds, valuesWritten: status.values_written };
    }
    if (status.messages_consumed > lastCount) {
      lastCount = status.messages_consumed;
      lastProgress = now;
    } else if (now - lastProgress > 120_000) {
      throw new Error(`FStore stopped consuming at ${lastCount} of ${expected} messages (state ${status.state}, last error ${status.last_error})`);
    }
    await sleep(STATUS_POLL_MS);
  }
}

interface Percentiles {
  p50_ms: number;
  p99_ms: number;
}

async function freshness(
  kafka: Kafka,
  brokers: string,
  topic: string,
  url: string,
  entity: string,
  feature: string,
  rate: number,
  seconds: number,
): Promise<{ fstore: Percentiles; noop: Percentiles; producer: Percentiles; sentinels: number; missing: number; producedRate: number }> {
  // Wall-clock ms: the broker stamps the append time (LogAppendTime) on the same machine's clock.
  const sentAt = new Map<string, number>();
  const appendedAt = new Map<string, number>();
  const receivedAt = new Map<string, number>();
  const readableAt = new Map<string, number>();
  const noop = await liveNoopConsumer(kafka, topic, (key, appended) => {
    if (!sentAt.has(key)) return;
    receivedAt.set(key, Date.now());
    appendedAt.set(key, appended);
  });

  const pending = new Set<string>();
  let producing = true;
  const poller = (async () => {
    while (producing || pending.size > 0) {
      const keys = [...pending].slice(0, 100);
      if (keys.length > 0) {
        const res = (await postJson(url, '/api/online/features', { entity, entity_keys: keys, feature_list: [feature] })) as {
          results: { entity_key: string; features: Record<string, { status: string }> }[];
        };
        const now = Date.now();
        for (const r of res.results) {
          if (r.features[feature]?.status !== 'PRESENT') continue;
          readableAt.set(r.entity_key, now);
          pending.delete(r.entity_key);
        }
      }
      await sleep(FRESHNESS_POLL_MS);
    }
  })();

  const perTick = Math.max(1, Math.round((rate * TICK_MS) / 1000));
  const ticks = Math.round((seconds * 1000) / TICK_MS);
  const producer = startKcatProducer(brokers, topic);
  const started = performance.now();
  for (let t = 0; t < ticks; t++) {
    const due = started + t * TICK_MS;
    const wait = due - performance.now();
    if (wait > 0) await sleep(wait);
    const sentinel = `fresh_${t}`;
    const now = Date.now();
    const lines = Array.from({ length: perTick }, (_, i) => {
      const key = i === 0 ? sentinel : `u${(t * perTick + i) % ENTITY_KEYS}`;
      return `${key}\t${JSON.stringify({ entity_key: key, feature_name: feature, value: t * perTick + i, timestamp: new Date(now).toISOString() })}`;
    });
    sentAt.set(sentinel, now);
    pending.add(sentinel);
    producer.write(lines);
  }
  await producer.end();
  const producedRate = (ticks * perTick) / ((performance.now() - started) / 1000);
  // Give stragglers 10 s; whatever is still pending then is reported as not seen.
  const deadline = performance.now() + 10_000;
  while ((pending.size > 0 || receivedAt.size < ticks) && performance.now() < deadline) await sleep(50);
  const missing = pending.size;
  pending.clear();
  producing = false;
  await poller;
  await noop.disconnect();
  const since = (from: Map<string, number>, to: Map<string, number>) =>
    [...to].flatMap(([k, t]) => (from.has(k) ? [t - from.get(k)!] : []));
  const pct = (xs: number[]) => ({ p50_ms: percentile(xs, 0.5), p99_ms: percentile(xs, 0.99) });
  return {
    fstore: pct(since(appendedAt, readableAt)),
    noop: pct(since(appendedAt, receivedAt)),
    producer: pct(since(sentAt, appendedAt)),
    sentinels: ticks,
    missing,
    producedRate,
  };
}

/** A no-op consumer from the end of the topic that reports each message's key and broker append time. */
async function liveNoopConsumer(kafka: Kafka, topic: string, onMessage: (key: string, appendedAt: number) => void): Promise<Consumer> {
  const consumer = kafka.consumer({ groupId: `noop_live_${topic}` });
  await consumer.connect();
  await consumer.subscribe({ topics: [topic], fromBeginning: false });
  const joined = new Promise<void>((resolve) => consumer.on(consumer.events.GROUP_JOIN, () => resolve()));
  void consumer.run({
    eachBatch: async ({ batch }) => {
      for (const m of batch.messages) if (m.key) onMessage(m.key.toString(), Number(m.timestamp));
    },
  });
  await withTimeout(joined, 60_000, 'the live no-op consumer did not join its group in 60 s');
  // Joined is not yet fetching: give it its first fetch round before producing.
  await sleep(1000);
  return consumer;
}

/**
 * kcat (librdkafka, the C client) as the producer: a JS producer in the bench process would cost the
 * CPU this 2-core machine needs for the consumers under test. Lines are `key<TAB>json`.
 */
function startKcatProducer(brokers: string, topic: string): { write(lines: string[]): void; end(): Promise<void> } {
  const child = spawn('kcat', ['-b', brokers, '-t', topic, '-P', '-K', '\t', '-X', 'linger.ms=1'], { stdio: ['pipe', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  const exited = new Promise<void>((resolve, reject) => {
    child.once('error', (err) => reject(new Error(`kcat could not run (install kcat): ${err.message}`)));
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`kcat exited with ${code}: ${stderr}`))));
  });
  return {
    write: (lines) => void child.stdin.write(`${lines.join('\n')}\n`),
    end: async () => {
      child.stdin.end();
      await exited;
    },
  };
}

async function postJson(url: string, path: string, body: unknown): Promise<unknown> {
  const res = await fetch(`${url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const text = await res.text();
  if (!res.ok) throw new Error(`POST ${path} failed: HTTP ${res.status} ${text}`);
  return JSON.parse(text) as unknown;
}

async function getJson(url: string, path: string): Promise<unknown> {
  const res = await fetch(`${url}${path}`);
  if (!res.ok) throw new Error(`GET ${path} failed: HTTP ${res.status} ${await res.text()}`);
  return (await res.json()) as unknown;
}

function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise.finally(() => clearTimeout(timer)),
    new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(message)), ms))),
  ]);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function round(n: number): number {
  return Math.round(n * 100) / 100;
}
