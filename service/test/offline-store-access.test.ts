/**
 * The offline store as users reach it outside FStore (docs/offline-store.md): a snapshot of a group
 * through the API, and the DuckDB file itself, whose view per group has the registry's feature names.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { describe, expect, it } from 'vitest';
import { freshDataDir, startTestService } from './helpers.js';

describe('the offline store outside FStore', () => {
  it('exports a group as Parquet or CSV, states per key and time, and 404s an unknown group', async () => {
    const dataDir = freshDataDir();
    const s = await startTestService(dataDir);
    try {
      const rows = [
        { loja_id: 'l1', event_timestamp: '2025-01-01T00:00:00Z', loja_vendas: 10, loja_cidade: 'SP' },
        { loja_id: 'l1', event_timestamp: '2025-01-02T00:00:00Z', loja_vendas: 12 },
        { loja_id: 'l2', event_timestamp: '2025-01-01T12:00:00Z', loja_cidade: 'RJ' },
      ];
      expect((await s.post('/api/ingest/loja/loja_dia', { rows })).statusCode).toBe(200);
      const csv = await s.get('/api/feature-groups/loja_dia/offline?format=csv');
      expect(csv.statusCode).toBe(200);
      expect(csv.headers['content-disposition']).toContain('loja_dia.csv');
      expect(csv.body.trim().split('\n')).toEqual([
        'entity_key,event_time,loja_vendas,loja_cidade',
        'l1,2025-01-01 00:00:00+00,10,SP',
        'l1,2025-01-02 00:00:00+00,12,SP', // the city carried from the day before
        'l2,2025-01-01 12:00:00+00,,RJ',
      ]);
      const parquet = await s.get('/api/feature-groups/loja_dia/offline?carried_times=true');
      expect(parquet.headers['content-type']).toBe('application/vnd.apache.parquet');
      const file = join(dataDir, 'snapshot.parquet');
      writeFileSync(file, parquet.rawPayload);
      const db = await DuckDBInstance.create(':memory:');
      const c = await db.connect();
      const read = await c.runAndReadAll(`SELECT entity_key, loja_cidade, CAST(_time_loja_cidade AS VARCHAR) AS carried_from FROM '${file}' ORDER BY entity_key, event_time`);
      expect(read.getRowObjectsJS()).toEqual([
        { entity_key: 'l1', loja_cidade: 'SP', carried_from: null },
        { entity_key: 'l1', loja_cidade: 'SP', carried_from: '2025-01-01 00:00:00+00' },
        { entity_key: 'l2', loja_cidade: 'RJ', carried_from: null },
      ]);
      c.closeSync();
      db.closeSync();
      const unknown = await s.get('/api/feature-groups/no_such_group/offline');
      expect([unknown.statusCode, unknown.json().error.code]).toEqual([404, 'FSTORE_FEATURE_GROUP_NOT_FOUND']);
      expect((await s.get('/api/feature-groups/loja_dia/offline?format=xlsx')).statusCode).toBe(400);
    } finally {
      await s.close();
    }
  });

  it('leaves a DuckDB file whose view per group reads with the registry names (service stopped)', async () => {
    const dataDir = freshDataDir();
    const s = await startTestService(dataDir);
    await s.post('/api/ingest/loja/loja_mes', { rows: [{ loja_id: 'l1', event_timestamp: '2025-01-01T00:00:00Z', loja_receita: 99.5 }] });
    await s.close();
    const db = await DuckDBInstance.create(join(dataDir, 'offline.duckdb'), { access_mode: 'READ_ONLY' });
    const c = await db.connect();
    try {
      const view = await c.runAndReadAll('SELECT entity_key, CAST(event_time AS VARCHAR) AS t, loja_receita FROM fstore_features.loja_mes');
      expect(view.getRowObjectsJS()).toEqual([{ entity_key: 'l1', t: '2025-01-01 00:00:00+00', loja_receita: 99.5 }]);
      const types = await c.runAndReadAll("SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = 'fstore_offline' AND table_name = 'loja_mes' ORDER BY ordinal_position");
      expect(types.getRowsJS()).toEqual([
        ['entity_key', 'VARCHAR'],
        ['event_time', 'TIMESTAMP WITH TIME ZONE'],
        ['ingested_at', 'TIMESTAMP WITH TIME ZONE'],
        ['loja_receita', 'DOUBLE'],
        ['_time_loja_receita', 'TIMESTAMP WITH TIME ZONE'],
      ]);
    } finally {
      c.closeSync();
      db.closeSync();
    }
  });
});
