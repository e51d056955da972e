import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestService, type TestService } from '../helpers.js';
import { privateKafka, privateRedis, waitUntil, type PrivateServer } from './private-servers.js';

const T1 = '2025-06-01T00:00:00Z';
const T2 = '2025-06-02T00:00:00Z';
const seed = (key: number, value: number, timestamp: string) => JSON.stringify({ entity_key: `k${key}`, feature_name: 'usuario_idade', value, timestamp });
const range = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => from + i);

/**
 * The Kafka broker is killed (kill -9) and restarted while FStore consumes a stream in the seed's
 * format. Consumption is at least once and writes are idempotent, so every value lands in the
 * offline store exactly once — messages produced before, redelivered across, and after the
 * restart — and the online store holds the newest value of each key.
 */
describe('Kafka broker restart during a stream', () => {
  let kafka: PrivateServer;
  let redis: PrivateServer;
  let s: TestService;
  const topic = `fstore_fault_${Date.now()}`;

  /** kcat, a Kafka client from outside this code base, produces one message per line. */
  const produce = (lines: string[]) =>
    execFileSync('kcat', ['-b', kafka.url, '-t', topic, '-P', '-X', 'message.timeout.ms=60000'], {
      input: `${lines.join('\n')}\n`,
      stdio: ['pipe', 'ignore', 'pipe'],
      timeout: 90_000,
    });
  const history = async () =>
    (await s.post('/api/training/features', { entity: 'usuario', feature_list: ['idade'], start_date: '2025-01-01', end_date: '2026-01-01' })).json() as {
      row_count: number;
      rows: { entity_key: string; event_timestamp: string; idade: number }[];
    };
  const status = async () => (await s.get('/api/streaming/status')).json() as { state: string; messages_consumed: number; last_error: string | null };

  beforeAll(async () => {
    [kafka, redis] = await Promise.all([privateKafka(), privateRedis()]);
    // A private Redis too: a logical database of the shared one may be flushed by another test run.
    s = await startTestService(undefined, { onlineStore: redis.url, kafkaBrokers: kafka.url, kafkaTopics: [topic], kafkaGroupId: `${topic}_group` });
    await s.post('/api/feature-groups/', { name: 'demografia', entity: 'usuario' });
    await s.post('/api/features/', { name: 'usuario_idade', value_type: 'INT', entity: 'usuario', feature_group: 'demografia' });
    await waitUntil('the consumer to run', async () => (await status()).state === 'running', 90);
  });
  afterAll(async () => {
    await s?.close();
    await Promise.all([kafka?.destroy(), redis?.destroy()]);
  });

  it('loses no value and duplicates none, and serves the newest value of each key online', async () => {
    produce(range(0, 300).map((i) => seed(i, i, T1)));
    await waitUntil('the consumer to take some of the first batch', async () => (await status()).messages_consumed > 0, 60);

    await kafka.kill();
    await kafka.start();

    // After the restart: newer values for k0..k99, exact repeats of k200..k299 (a producer retry
    // looks like this), and new keys k300..k399.
    produce([...range(0, 100).map((i) => seed(i, i + 1000, T2)), ...range(200, 300).map((i) => seed(i, i, T1)), ...range(300, 400).map((i) => seed(i, i, T1))]);

    const expectedRows = 300 + 100 + 100;
    await waitUntil(`${expectedRows} rows offline`, async () => (await history()).row_count >= expectedRows, 120);
    // Give redelivery a moment to show itself as duplicates, if the writes were not idempotent.
    await waitUntil('the consumer to be running', async () => (await status()).state === 'running', 60);
    const { rows } = await history();
    const seen = rows.map((r) => `${r.entity_key}@${r.event_timestamp}=${r.idade}`);
    expect(new Set(seen).size).toBe(seen.length); // no duplicate row
    const expected = [
      ...range(0, 400).map((i) => `k${i}@${new Date(T1).toISOString()}=${i}`),
      ...range(0, 100).map((i) => `k${i}@${new Date(T2).toISOString()}=${i + 1000}`),
    ];
    expect(seen.sort()).toEqual(expected.sort()); // every value, exactly once

    // Online is written right after offline, batch by batch: the last batch may still be on its way.
    const keys = range(0, 400).map((i) => `k${i}`);
    const expectedOnline = range(0, 400).map((i) => (i < 100 ? i + 1000 : i));
    const online = async () =>
      (
        (await s.post('/api/online/features', { entity: 'usuario', entity_keys: keys, feature_list: ['idade'] })).json().results as {
          features: { idade: { value: number } };
        }[]
      ).map((r) => r.features.idade.value);
    await waitUntil('the newest values online', async () => JSON.stringify(await online()) === JSON.stringify(expectedOnline), 30).catch(() => undefined);
    expect(await online()).toEqual(expectedOnline);
  }, 240_000);
});
