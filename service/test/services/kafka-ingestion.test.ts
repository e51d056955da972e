import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { brokers, consumeAll, produce } from './kcat.js';
import { startTestService, until, type TestService } from '../helpers.js';

const ROOT = resolve(import.meta.dirname, '../../..');
describe('Kafka ingestion (real broker, messages produced by kcat)', () => {
  let s: TestService;
  const topic = `fstore_test_${Date.now()}`;
  const online = async (keys: string[]) =>
    (await s.post('/api/online/features', { entity: 'usuario', entity_keys: keys, feature_list: ['idade'] })).json().results as {
      entity_key: string;
      features: { idade: { value: unknown; status: string; event_timestamp: string | null } };
    }[];
  const historyCount = async () =>
    (await s.post('/api/training/features', { entity: 'usuario', feature_list: ['idade'], start_date: '2000-01-01', end_date: '2100-01-01' })).json()
      .row_count as number;

  beforeAll(async () => {
    s = await startTestService(undefined, { kafkaBrokers: brokers(), kafkaTopics: [topic], kafkaGroupId: `fstore_test_${Date.now()}` });
    await s.post('/api/feature-groups/', { name: 'demografia', entity: 'usuario' });
    await s.post('/api/features/', { name: 'usuario_idade', value_type: 'INT', entity: 'usuario', feature_group: 'demografia' });
    await until('the consumer to run', async () => (await s.get('/api/streaming/status')).json().state, (st) => st === 'running');
  });
  afterAll(async () => {
    execFileSync('bash', ['scripts/services/up.sh', 'kafka'], { cwd: ROOT, stdio: 'ignore' });
    await s.close();
  });

  it("ingests the seed's message verbatim, dead-letters poison and invalid messages, and keeps going", async () => {
    produce(topic, [
      '{"entity_key": "user_123", "feature_name": "usuario_idade", "value": 25, "timestamp": "2025-02-20T15:45:11Z"}',
      'this is not json {',
      '{"entity_key": "user_123", "feature_name": "usuario_idade", "value": "old", "timestamp": "2025-02-21T00:00:00Z"}',
      '{"entity": "usuario", "feature_group": "demografia", "entity_key": "user_456", "timestamp": "2025-02-20T10:00:00Z", "features": {"idade": 31}}',
    ]);
    // The two keys may sit on different partitions, written by different batches: wait for both.
    const [u123, u456] = await until('values online', () => online(['user_123', 'user_456']), (r) => r.every((x) => x.features.idade.status === 'PRESENT'));
    expect(u123!.features.idade).toEqual({ value: 25, status: 'PRESENT', event_timestamp: '2025-02-20T15:45:11.000Z' });
    expect(u456!.features.idade.value).toBe(31);
    const dead = await until('dead letters', async () => consumeAll(`${topic}.dlq`), (d) => d.length >= 2);
    expect(dead).toHaveLength(2);
    // Messages spread over partitions, so dead letters come in any order.
    const poison = dead.find((d) => d.includes('fstore-error=the message is not valid JSON'));
    expect(poison).toContain('this is not json {'); // the original bytes
    expect(dead.some((d) => d.includes("fstore-error=feature 'usuario_idade': expected an integer for INT"))).toBe(true);
    const status = (await s.get('/api/streaming/status')).json();
    expect(status).toMatchObject({ state: 'running', dead_lettered: 2 });
    expect(status.messages_consumed).toBeGreaterThanOrEqual(4);
  });

  it('never lets an out-of-order (older) event overwrite the newer online value', async () => {
    produce(topic, [
      '{"entity_key": "user_9", "feature_name": "usuario_idade", "value": 50, "timestamp": "2025-05-01T00:00:00Z"}',
      '{"entity_key": "user_9", "feature_name": "usuario_idade", "value": 49, "timestamp": "2025-04-01T00:00:00Z"}',
    ]);
    await until('both events offline', historyCount, (n) => n >= 4);
    expect((await online(['user_9']))[0]!.features.idade.value).toBe(50);
  });

  it('ties on (key, event time): the later message of a partition wins, online and offline', async () => {
    const at = '2025-05-02T00:00:00Z';
    const message = (value: number) => JSON.stringify({ entity_key: 'user_tie', feature_name: 'usuario_idade', value, timestamp: at });
    const pit = async () =>
      (await s.post('/api/training/point-in-time', { entity: 'usuario', feature_list: ['idade'], rows: [{ entity_key: 'user_tie', timestamp: at }] })).json().rows[0].idade;
    // Keyed by the entity key, as producers should: one partition, so the messages keep their order.
    produce(topic, [message(1), message(2), message(3)], 'user_tie');
    await until('the last message offline', pit, (v) => v === 3);
    expect((await online(['user_tie']))[0]!.features.idade.value).toBe(3);
    produce(topic, [message(4)], 'user_tie');
    await until('the re-sent value offline', pit, (v) => v === 4);
    expect((await online(['user_tie']))[0]!.features.idade.value).toBe(4);
  });

  it('loses nothing and duplicates nothing across a broker restart mid-stream', async () => {
    const before = await historyCount();
    const message = (i: number) => JSON.stringify({ entity_key: `bulk_${i}`, feature_name: 'usuario_idade', value: i, timestamp: '2025-06-01T00:00:00Z' });
    produce(topic, Array.from({ length: 300 }, (_, i) => message(i)));
    execFileSync('bash', ['scripts/services/down.sh', 'kafka'], { cwd: ROOT, stdio: 'ignore' });
    execFileSync('bash', ['scripts/services/up.sh', 'kafka'], { cwd: ROOT, stdio: 'ignore' });
    // Some of these repeat earlier messages: at-least-once delivery plus idempotent writes.
    produce(topic, Array.from({ length: 300 }, (_, i) => message(i + 200)));
    const after = await until('all 500 distinct values', historyCount, (n) => n >= before + 500, 120_000);
    expect(after).toBe(before + 500);
    const sample = await online(['bulk_0', 'bulk_250', 'bulk_499']);
    expect(sample.map((r) => r.features.idade.value)).toEqual([0, 250, 499]);
    await until('lag to drain', async () => (await s.get('/api/streaming/status')).json() as { lag: number }, (st) => st.lag === 0, 60_000);
    const metrics = (await s.get('/metrics')).body;
    expect(metrics).toMatch(new RegExp(`fstore_kafka_consumer_lag\\{topic="${topic}",partition="\\d"\\} 0`));
    expect(metrics).toMatch(/fstore_kafka_messages_dead_lettered_total 2/);
    expect(metrics).toMatch(/fstore_kafka_freshness_seconds \d/);
  });
});
