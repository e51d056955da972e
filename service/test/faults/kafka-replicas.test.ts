import { execFileSync } from 'node:child_process';
import { Kafka, logLevel } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDataDir, serverStoresFor, startTestService, type TestService } from '../helpers.js';
import { brokers } from '../services/kcat.js';
import { waitUntil } from './private-servers.js';
import { serveChild, type ServiceChild } from './serve-child.js';

const MESSAGES = 20_000;
const PARTITIONS = 4;
const seed = (i: number) => `k${i}\t` + JSON.stringify({ entity_key: `k${i}`, feature_name: 'usuario_idade', value: i, timestamp: `2025-06-01T00:00:${String(i % 60).padStart(2, '0')}Z` });
const range = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => from + i);

/**
 * Two replicas in one Kafka consumer group on a 4-partition topic, on the same PostgreSQL, Redis
 * and registry: they share the partitions, and when one is killed (kill -9) mid-stream its
 * partitions move to the other, which re-reads from the last committed offsets. Every message ends
 * up in the offline store exactly once and the online store serves each key's value.
 */
describe('Kafka across replicas: one consumer group, a replica killed mid-stream', () => {
  const topic = `fstore_replicas_${Date.now()}`;
  const group = `${topic}_group`;
  let b: TestService;
  let a: ServiceChild;
  const produce = (lines: string[]) =>
    // Keyed by entity key (`key<TAB>value`), so the messages spread over every partition.
    execFileSync('kcat', ['-b', brokers(), '-t', topic, '-P', '-K', '\t', '-X', 'message.timeout.ms=60000'], { input: `${lines.join('\n')}\n`, stdio: ['pipe', 'ignore', 'pipe'], timeout: 90_000 });
  const status = async () => (await b.get('/api/streaming/status')).json() as { state: string; partitions: { partition: number }[]; messages_consumed: number };
  const history = async () =>
    (await b.post('/api/training/features', { entity: 'usuario', feature_list: ['idade'], start_date: '2025-01-01', end_date: '2026-01-01' })).json() as {
      row_count: number;
      rows: { entity_key: string; event_timestamp: string; idade: number }[];
    };

  beforeAll(async () => {
    const admin = new Kafka({ brokers: [brokers()], logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic, numPartitions: PARTITIONS }], waitForLeaders: true });
    const kafka = { kafkaBrokers: brokers(), kafkaTopics: [topic], kafkaGroupId: group };
    b = await startTestService(freshDataDir(), kafka);
    const stores = await serverStoresFor(b.dataDir);
    await b.post('/api/feature-groups/', { name: 'demografia', entity: 'usuario' });
    await b.post('/api/features/', { name: 'usuario_idade', value_type: 'INT', entity: 'usuario', feature_group: 'demografia' });
    a = await serveChild(freshDataDir(), [], {
      FSTORE_ONLINE_STORE: stores.onlineStore,
      FSTORE_OFFLINE_STORE: stores.offlineStore,
      FSTORE_REGISTRY: stores.registry,
      FSTORE_KAFKA_BROKERS: brokers(),
      FSTORE_KAFKA_TOPICS: topic,
      FSTORE_KAFKA_GROUP_ID: group,
    });
    // Both in the group, which has settled: each owns some of the partitions.
    await waitUntil('both replicas in the consumer group', async () => {
      const [described] = (await admin.describeGroups([group])).groups;
      return described?.state === 'Stable' && described.members.length === 2;
    }, 90);
    await admin.disconnect();
  }, 180_000);
  afterAll(async () => {
    await a?.kill().catch(() => undefined);
    await b?.close();
  });

  it('writes every message offline exactly once, and online, though a replica died mid-stream', async () => {
    produce(range(0, MESSAGES).map(seed));
    // Killed while it is consuming: some of what it read is not committed yet.
    await waitUntil('replica A to be part-way through its partitions', async () => (await a.call('GET', '/api/streaming/status')).body.messages_consumed > 500, 60);
    const consumedByA = (await a.call('GET', '/api/streaming/status')).body.messages_consumed as number;
    await a.kill();
    // B takes A's partitions once the group notices A is gone (the session timeout), and re-reads
    // them from their last committed offsets.
    await waitUntil(`${MESSAGES} rows offline`, async () => (await history()).row_count >= MESSAGES, 150);
    expect((await status()).partitions).toHaveLength(PARTITIONS);
    // Between them they read every message at least once (those A had read but not committed, twice).
    const redelivered = (await status()).messages_consumed + consumedByA - MESSAGES;
    expect(redelivered).toBeGreaterThanOrEqual(0);
    console.info(`kafka-replicas: A read ${consumedByA} messages before kill -9; ${redelivered} were read again by B`);
    const { rows } = await history();
    const seen = rows.map((r) => `${r.entity_key}=${r.idade}`);
    expect(new Set(seen).size).toBe(seen.length); // no duplicate row
    expect(seen.sort()).toEqual(range(0, MESSAGES).map((i) => `k${i}=${i}`).sort()); // none missing
    const sample = range(0, MESSAGES).filter((i) => i % 97 === 0);
    const online = (await b.post('/api/online/features', { entity: 'usuario', entity_keys: sample.map((i) => `k${i}`), feature_list: ['idade'] })).json();
    expect(online.results.map((r: { features: { idade: { value: number } } }) => r.features.idade.value)).toEqual(sample);
  }, 240_000);
});
