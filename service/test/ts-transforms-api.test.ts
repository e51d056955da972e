import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TransformPreview } from '@shared/api/transforms.js';
import { startTestService, waitForJob, type TestService } from './helpers.js';

/** A code transform over the state of another group: the same function serves training and inference. */
const RATIO_TS = `interface Perfil { usuario_id: string; usuario_idade: number | null; usuario_renda: number | null }

export default function transform(row: Perfil) {
  if (row.usuario_renda === null || row.usuario_idade === null) return null;
  return {
    usuario_renda_por_idade: row.usuario_renda / row.usuario_idade,
    usuario_adulto: row.usuario_idade >= 18,
  };
}
`;

describe('transforms API (TypeScript, on demand)', () => {
  let s: TestService;
  let sourceDir: string;

  const previewTs = (code: string, sources = ['perfil_src'], extra: Record<string, unknown> = {}) =>
    s.post('/api/transforms/preview', { language: 'typescript', code, sources, entity: 'usuario', ...extra });
  const online = (keys: string[]) =>
    s.post('/api/online/features', { entity: 'usuario', entity_keys: keys, feature_list: ['usuario_renda_por_idade', 'usuario_adulto'] });

  beforeAll(async () => {
    sourceDir = mkdtempSync(join(tmpdir(), 'fstore-sources-'));
    writeFileSync(join(sourceDir, 'compras.csv'), 'usuario_id,valor,event_time\nu1,10.5,2025-01-01T00:00:00Z\nu2,3,2025-01-02T00:00:00Z\n');
    s = await startTestService(undefined, { fileSourceDirs: [sourceDir] });
    const ingest = await s.post('/api/ingest/usuario/perfil', {
      rows: [
        { usuario_id: 'u1', event_timestamp: '2025-01-01T00:00:00Z', usuario_idade: 30, usuario_renda: 3000 },
        { usuario_id: 'u1', event_timestamp: '2025-01-10T00:00:00Z', usuario_renda: 6000 },
        { usuario_id: 'u2', event_timestamp: '2025-01-05T00:00:00Z', usuario_idade: 15, usuario_renda: 1500 },
      ],
    });
    expect(ingest.statusCode, ingest.body).toBe(200);
    const source = await s.post('/api/data-sources/', { name: 'perfil_src', type: 'feature_group', feature_group: 'perfil' });
    expect(source.statusCode, source.body).toBe(201);
    expect(source.json().columns.map((c: { name: string }) => c.name)).toEqual(['usuario_id', 'event_time', 'usuario_idade', 'usuario_renda']);
    await s.post('/api/data-sources/', { name: 'compras', type: 'file', path: join(sourceDir, 'compras.csv') });
  });
  afterAll(() => s.close());

  it('previews a row function over a group: its state at every event, key and time carried over', async () => {
    const res = await previewTs(RATIO_TS);
    expect(res.statusCode, res.body).toBe(200);
    const p = res.json() as TransformPreview;
    expect(p.rows).toEqual([
      { usuario_id: 'u1', event_time: '2025-01-01T00:00:00.000Z', usuario_renda_por_idade: 100, usuario_adulto: true },
      { usuario_id: 'u1', event_time: '2025-01-10T00:00:00.000Z', usuario_renda_por_idade: 200, usuario_adulto: true },
      { usuario_id: 'u2', event_time: '2025-01-05T00:00:00.000Z', usuario_renda_por_idade: 100, usuario_adulto: false },
    ]);
    expect(p.columns.map((c) => [c.name, c.role, c.value_type])).toEqual([
      ['usuario_id', 'entity_key', null],
      ['event_time', 'event_time', null],
      ['usuario_renda_por_idade', 'feature', 'FLOAT'],
      ['usuario_adulto', 'feature', 'BOOL'],
    ]);
  });

  it('runs row functions over file sources too', async () => {
    const p = (await previewTs('export default (row: { valor: number }) => ({ usuario_valor_centavos: Math.round(row.valor * 100) })', ['compras'])).json() as TransformPreview;
    expect(p.rows.map((r) => [r['usuario_id'], r['usuario_valor_centavos']])).toEqual([['u1', 1050], ['u2', 300]]);
  });

  it('reports compile errors, runtime errors, escapes and endless loops with where they happened', async () => {
    const compile = (await previewTs('export default function transform(row) {\n  return { x: row.a +* 1 };\n}')).json().error;
    expect(compile.code).toBe('FSTORE_TRANSFORM_COMPILE');
    expect(compile.details.location.line).toBe(2);

    const runtime = await previewTs('export default function transform(row: any) {\n  return { usuario_x: row.missing.deep };\n}');
    expect(runtime.statusCode).toBe(422);
    expect(runtime.json().error.code).toBe('FSTORE_TRANSFORM_RUNTIME');
    expect(runtime.json().error.details.location.line).toBe(2);

    const escape = (await previewTs('export default function transform(row: any) {\n  return { usuario_x: (globalThis as any).process.env.HOME };\n}')).json().error;
    expect(escape.code).toBe('FSTORE_TRANSFORM_RUNTIME');
    const required = (await previewTs('export default function transform(row: any) {\n  return { usuario_x: require("fs").readFileSync("/etc/passwd", "utf8") };\n}')).json().error;
    expect(required.code).toMatch(/FSTORE_TRANSFORM_(RUNTIME|COMPILE)/);

    const endless = await previewTs('export default function transform(row: any) {\n  while (true) {}\n}');
    expect(endless.statusCode).toBe(422);
    expect(endless.json().error.code).toBe('FSTORE_TRANSFORM_TIMEOUT');
    // The sandbox recovers: the next preview works.
    expect((await previewTs(RATIO_TS)).statusCode).toBe(200);
  });

  it('refuses on-demand transforms that could not run at request time', async () => {
    const sql = await s.post('/api/transforms/plan', { name: 'od_sql', language: 'sql', code: 'SELECT 1', sources: ['perfil_src'], entity: 'usuario', on_demand: true });
    expect(sql.json().error.message).toMatch(/Only TypeScript/);
    const file = await s.post('/api/transforms/plan', { name: 'od_file', language: 'typescript', code: RATIO_TS, sources: ['compras'], entity: 'usuario', on_demand: true });
    expect(file.json().error.message).toMatch(/'compras' is a file source/);
  });

  it('serves on-demand features at request time with the values batch computes for training', async () => {
    const published = await s.post('/api/transforms/', {
      name: 'usuario_razoes',
      language: 'typescript',
      code: RATIO_TS,
      sources: ['perfil_src'],
      entity: 'usuario',
      on_demand: true,
    });
    expect(published.statusCode, published.body).toBe(201);
    const job = await waitForJob(s, (await s.post('/api/transforms/usuario_razoes/runs', {})).json().id);
    expect(job.state, JSON.stringify(job.error)).toBe('succeeded');
    expect(job.result).toMatchObject({ rows: 3, online_values_written: 0 });

    const served = (await online(['u1', 'u2', 'u9'])).json();
    expect(served.results[0].features).toEqual({
      usuario_renda_por_idade: { value: 200, status: 'PRESENT', event_timestamp: '2025-01-10T00:00:00.000Z' },
      usuario_adulto: { value: true, status: 'PRESENT', event_timestamp: '2025-01-10T00:00:00.000Z' },
    });
    expect(served.results[2].features.usuario_adulto.status).toBe('NOT_FOUND');

    // Training at the time of each key's newest input sees exactly what serving returns.
    const training = (
      await s.post('/api/training/point-in-time', {
        entity: 'usuario',
        feature_list: ['usuario_renda_por_idade', 'usuario_adulto'],
        rows: [
          { entity_key: 'u1', timestamp: '2025-01-10T00:00:00Z' },
          { entity_key: 'u2', timestamp: '2025-01-05T00:00:00Z' },
        ],
      })
    ).json();
    for (const [i, row] of training.rows.entries()) {
      const features = served.results[i].features;
      expect([row.usuario_renda_por_idade, row.usuario_adulto]).toEqual([features.usuario_renda_por_idade.value, features.usuario_adulto.value]);
    }

    // A new input value changes the served value at once, without a run.
    await s.post('/api/ingest/usuario/perfil', { rows: [{ usuario_id: 'u2', event_timestamp: '2025-02-01T00:00:00Z', usuario_idade: 20 }] });
    const after = (await online(['u2'])).json().results[0].features;
    expect(after.usuario_renda_por_idade).toEqual({ value: 75, status: 'PRESENT', event_timestamp: '2025-02-01T00:00:00.000Z' });
    expect(after.usuario_adulto.value).toBe(true);
  });

  it('batch and on-demand outputs are identical for the same inputs', async () => {
    // Re-run the batch over the grown history; at each key's newest state both paths must agree.
    const job = await waitForJob(s, (await s.post('/api/transforms/usuario_razoes/runs', {})).json().id);
    expect(job.state).toBe('succeeded');
    const served = (await online(['u1', 'u2'])).json().results;
    const training = (
      await s.post('/api/training/point-in-time', {
        entity: 'usuario',
        feature_list: ['usuario_renda_por_idade', 'usuario_adulto'],
        rows: served.map((r: { entity_key: string; features: Record<string, { event_timestamp: string }> }) => ({
          entity_key: r.entity_key,
          timestamp: r.features['usuario_adulto']!.event_timestamp,
        })),
      })
    ).json().rows;
    expect(training.map((r: Record<string, unknown>) => [r['usuario_renda_por_idade'], r['usuario_adulto']])).toEqual(
      served.map((r: { features: Record<string, { value: unknown }> }) => [r.features['usuario_renda_por_idade']!.value, r.features['usuario_adulto']!.value]),
    );
    expect(training).toHaveLength(2);
  });

  it('runaway previews cannot delay an on-demand read beyond its request-time budget (separate sandbox pools)', { timeout: 60_000 }, async () => {
    const runaway = 'export default function transform(row: any) {\n  while (true) {}\n}';
    const previews = [1, 2, 3].map(() => previewTs(runaway));
    await new Promise((resolve) => setTimeout(resolve, 500)); // the previews are running (or queued) now
    const started = performance.now();
    const served = await online(['u1']);
    const elapsed = performance.now() - started;
    expect(served.statusCode, served.body).toBe(200);
    expect(served.json().results[0].features.usuario_renda_por_idade.status).toBe('PRESENT');
    // The budget at request time is 1 s; today's single serialised sandbox made this wait > 10 s.
    expect(elapsed).toBeLessThan(3000);
    // Each runaway preview is stopped at its own time limit, and the sandbox keeps working.
    for (const preview of await Promise.all(previews)) expect(preview.json().error.code).toBe('FSTORE_TRANSFORM_TIMEOUT');
    expect((await previewTs(RATIO_TS)).statusCode).toBe(200);
  });
});
