/**
 * A PostgreSQL offline store written by the last release with the long table
 * (`fstore_feature_values`, rows from fixtures/legacy-offline/pg-feature-values.csv, written by that
 * release) is upgraded to typed group tables on start, with nothing lost: the answers of that
 * release are given again and the old table is gone.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { startTestService } from '../helpers.js';
import { freshPostgresDatabase } from './service-urls.js';

const FIXTURE = join(import.meta.dirname, '..', 'fixtures', 'legacy-offline');
const ALL = ['cliente_nome', 'cliente_idade', 'cliente_renda', 'cliente_ativo', 'cliente_nascimento', 'cliente_ultimo_login', 'cliente_tags', 'cliente_notas', 'cliente_gasto', 'cliente_itens'];

describe('offline store migration from the long layout (PostgreSQL)', () => {
  it('answers exactly as the release that wrote the database did, and drops the long table', async () => {
    const expected = JSON.parse(await readFile(join(FIXTURE, 'expected.json'), 'utf8'));
    const database = await freshPostgresDatabase();
    const dataDir = mkdtempSync(join(tmpdir(), 'fstore-migrate-pg-'));
    try {
      // The registry and online store of the same release; the offline history in PostgreSQL.
      cpSync(join(FIXTURE, 'data'), dataDir, { recursive: true });
      rmSync(join(dataDir, 'offline.duckdb'));
      const admin = new pg.Client({ connectionString: database.url });
      await admin.connect();
      await admin.query(`CREATE TABLE fstore_feature_values (
        entity text COLLATE "C" NOT NULL, feature_group text COLLATE "C" NOT NULL, feature text COLLATE "C" NOT NULL,
        entity_key text COLLATE "C" NOT NULL, event_time_ms bigint NOT NULL, value_json text NOT NULL, ingested_ms bigint NOT NULL,
        PRIMARY KEY (entity, feature, entity_key, event_time_ms))`);
      execFileSync('psql', [database.url, '-q', '-c', `\\copy fstore_feature_values FROM '${join(FIXTURE, 'pg-feature-values.csv')}' (FORMAT csv, HEADER true)`]);
      const s = await startTestService(dataDir, { offlineStore: database.url, onlineStore: null, registry: null, monitoringIntervalSeconds: 0 });
      try {
        expect(s.ctx.offlineMigration).toMatchObject({ groups: 2, values: expected.values });
        const labels = ['c1', 'c2', 'c3', 'c6', '9007199254740993', 'nobody'].flatMap((k) =>
          ['2024-12-15T00:00:00Z', '2025-01-04T00:00:00Z', '2025-01-07T00:00:00Z', '2025-01-15T00:00:00Z', '2025-03-15T00:00:00Z'].map((t, i) => ({ entity_key: k, timestamp: t, label: i })),
        );
        // JSON answers: values compared as values (jsonb lists may space their text differently).
        expect((await s.post('/api/training/point-in-time', { entity: 'cliente', feature_list: ALL, rows: labels })).json()).toEqual(expected.pointInTime);
        expect((await s.post('/api/training/features', { entity: 'cliente', feature_list: ALL, start_date: '2024-01-01', end_date: '2026-01-01' })).json()).toEqual(expected.range);
        const quality = (await s.get(`/api/monitoring/quality?entity=cliente&features=${ALL.join(',')}&start=2024-01-01T00:00:00Z&end=2026-01-01T00:00:00Z`)).json();
        expect(roundFloats(quality)).toEqual(roundFloats(expected.quality));
        const counts = await Promise.all(['perfil', 'compras'].map((g) => s.ctx.stores.offline.countValues('cliente', g)));
        expect(counts[0]! + counts[1]!).toBe(expected.values);
        expect((await admin.query(`SELECT to_regclass('public.fstore_feature_values') IS NULL AS gone`)).rows[0].gone).toBe(true);
      } finally {
        await s.close();
        await admin.end();
      }
    } finally {
      await database.drop();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

/** Every number but small integers rounded to 12 significant digits, for comparing aggregates of two engines. */
function roundFloats(value: unknown): unknown {
  if (typeof value === 'number') return Number.isInteger(value) && Math.abs(value) < 1e12 ? value : Number(value.toPrecision(12));
  if (Array.isArray(value)) return value.map(roundFloats);
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, roundFloats(v)]));
  return value;
}
