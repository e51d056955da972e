import { MongoClient } from 'mongodb';
import { Redis } from 'ioredis';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serverStoresFor, startTestService, type TestService } from '../helpers.js';

/** With every role on a server, what FStore stores is visible with each server's own client. */
describe('data lands in Redis, PostgreSQL and the MongoDB-compatible server', () => {
  let s: TestService;
  let urls: { onlineStore: string; offlineStore: string; registry: string };

  beforeAll(async () => {
    s = await startTestService();
    const health = (await s.get('/health')).json();
    expect(health.stores.online).toMatch(/^Redis at /);
    expect(health.stores.offline).toMatch(/^PostgreSQL at /);
    expect(health.stores.registry).toMatch(/^MongoDB at /);
    expect(JSON.stringify(health)).not.toContain(':fstore@'); // credentials are redacted
    const res = await s.post('/api/ingest/usuario/demografia', {
      rows: [
        { usuario_id: 'user_123', event_timestamp: '2025-01-10T10:00:00Z', usuario_idade: 25 },
        { usuario_id: 'user_123', event_timestamp: '2025-02-01T00:00:00Z', usuario_idade: 26 },
      ],
    });
    expect(res.statusCode).toBe(200);
    urls = await serverStoresFor(s.dataDir);
  });
  afterAll(() => s.close());

  it('Redis holds the latest value in the group hash', async () => {
    const redis = new Redis(urls.onlineStore);
    try {
      expect(await redis.hmget('fs:v1:usuario:demografia:user_123', 'v:usuario_idade', 't:usuario_idade')).toEqual([
        '26',
        String(Date.parse('2025-02-01T00:00:00Z')),
      ]);
    } finally {
      redis.disconnect();
    }
  });

  it('PostgreSQL holds the full history, one typed table per group (docs/offline-store.md)', async () => {
    const client = new pg.Client({ connectionString: urls.offlineStore });
    await client.connect();
    try {
      const { rows } = await client.query("SELECT usuario_idade FROM fstore_features.demografia WHERE entity_key = 'user_123' ORDER BY event_time");
      expect(rows.map((r) => r.usuario_idade)).toEqual(['25', '26']); // bigint, as node-postgres reads it: text
    } finally {
      await client.end();
    }
  });

  it('the MongoDB-compatible server holds definitions, versions and audit events', async () => {
    const client = new MongoClient(urls.registry);
    await client.connect();
    try {
      const db = client.db();
      const head = await db.collection('fstore_heads').findOne({ kind: 'feature', name: 'usuario_idade' });
      expect(head?.['doc']).toMatchObject({ name: 'usuario_idade', value_type: 'INT', feature_group: 'demografia' });
      expect(await db.collection('fstore_versions').countDocuments({ kind: 'feature', name: 'usuario_idade' })).toBe(1);
      expect(await db.collection('fstore_audit').countDocuments({ name: 'usuario_idade' })).toBe(1);
    } finally {
      await client.close();
    }
  });
});

