import { execFileSync } from 'node:child_process';
import { Kafka, logLevel } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requiredUrl } from './service-urls.js';
import { startTestService, until, type TestService } from '../helpers.js';

const brokers = () => requiredUrl('FSTORE_KAFKA_BROKERS');

/**
 * The consumer writes online at once and commits a batch's offset only when its offline write is
 * durable (group-committed across partitions). Here the offline store fails its first writes: the
 * partitions rewind and re-read, nothing is lost or duplicated offline, and every offset ends up
 * committed — by the time a clean stop returns.
 */
describe('Kafka ingestion when the offline write fails (real broker)', () => {
  let s: TestService;
  const topic = `fstore_offline_fail_${Date.now()}`;
  const groupId = `fstore_offline_fail_${Date.now()}`;
  let failuresLeft = 2;
  let failed = 0;
  const historyCount = async () =>
    (await s.post('/api/training/features', { entity: 'usuario', feature_list: ['idade'], start_date: '2000-01-01', end_date: '2100-01-01' })).json()
      .row_count as number;

  beforeAll(async () => {
    s = await startTestService(undefined, { kafkaBrokers: brokers(), kafkaTopics: [topic], kafkaGroupId: groupId });
    await s.post('/api/feature-groups/', { name: 'demografia', entity: 'usuario' });
    await s.post('/api/features/', { name: 'usuario_idade', value_type: 'INT', entity: 'usuario', feature_group: 'demografia' });
    const offline = s.ctx.stores.offline;
    const write = offline.write.bind(offline);
    offline.write = async (batch, ingestedAt) => {
      if (failuresLeft > 0) {
        failuresLeft--;
        failed++;
        throw new Error('injected: the offline store is full');
      }
      return write(batch, ingestedAt);
    };
    await until('the consumer to run', async () => (await s.get('/api/streaming/status')).json().state, (st) => st === 'running');
  });
  afterAll(async () => {
    await s?.close().catch(() => undefined);
  });

  it('rewinds the failed batches, then writes every value once and commits every offset', async () => {
    const lines = Array.from({ length: 400 }, (_, i) =>
      JSON.stringify({ entity_key: `k${i}`, feature_name: 'usuario_idade', value: i, timestamp: '2025-06-01T00:00:00Z' }),
    );
    execFileSync('kcat', ['-b', brokers(), '-t', topic, '-P', '-T'], { input: `${lines.join('\n')}\n`, stdio: ['pipe', 'ignore', 'pipe'], timeout: 30_000 });

    const errorSeen = await until('the failure to be reported', async () => (await s.get('/api/streaming/status')).json(), (st) => st.last_error !== null);
    expect(errorSeen.last_error).toContain('injected: the offline store is full');
    expect(await until('all 400 values offline', historyCount, (n) => n >= 400, 90_000)).toBe(400);
    expect(failed).toBe(2);
    const online = (await s.post('/api/online/features', { entity: 'usuario', entity_keys: ['k0', 'k399'], feature_list: ['idade'] })).json();
    expect(online.results.map((r: { features: { idade: { value: number } } }) => r.features.idade.value)).toEqual([0, 399]);
    await until('the consumer to recover', async () => (await s.get('/api/streaming/status')).json().state, (st) => st === 'running');

    // A clean stop waits for the writes under way and their commits.
    await s.close();
    const admin = new Kafka({ clientId: 'fstore-test', brokers: [brokers()], logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
    try {
      const [ends, committed] = await Promise.all([admin.fetchTopicOffsets(topic), admin.fetchOffsets({ groupId, topics: [topic] })]);
      const committedBy = new Map(committed[0]!.partitions.map((p) => [p.partition, p.offset]));
      expect(ends.length).toBeGreaterThan(1);
      // Keyless messages go to partitions by the producer's (sticky) choice, so one may get none:
      // an empty partition has nothing to commit, which Kafka reports as -1.
      const expectedCommit = (high: string) => (high === '0' ? ['-1', '0'] : [high]);
      for (const p of ends) expect({ partition: p.partition, committed: committedBy.get(p.partition) }).toEqual({ partition: p.partition, committed: expect.toBeOneOf(expectedCommit(p.high)) });
      expect(ends.some((p) => p.high !== '0'), 'some partition received the messages').toBe(true);
    } finally {
      await admin.disconnect();
    }
  }, 150_000);
});
