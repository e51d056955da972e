import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tableFromIPC } from 'apache-arrow';
import type { Job } from '@shared/api/jobs.js';
import type { TransformPreview } from '@shared/api/transforms.js';
import { startTestService, waitForJob, type TestService } from './helpers.js';

const ARROW = 'application/vnd.apache.arrow.stream';

/** An on-demand transform that also reads the transaction being scored, from the request. */
const SCORE_TS = `interface Row { usuario_id: string; usuario_renda: number | null; valor_transacao: number; canal: string }

export default function transform(row: Row) {
  if (row.usuario_renda === null) return null;
  return {
    usuario_valor_sobre_renda: row.valor_transacao / row.usuario_renda,
    usuario_canal_app: row.canal === 'app',
  };
}
`;
const INPUTS = [
  { name: 'valor_transacao', value_type: 'FLOAT' },
  { name: 'canal', value_type: 'STRING' },
];
const FEATURES = ['usuario_valor_sobre_renda', 'usuario_canal_app'];

describe('request-time inputs of on-demand transforms (request_data)', () => {
  let s: TestService;

  const online = (body: Record<string, unknown>, headers: Record<string, string> = {}) =>
    s.post('/api/online/features', { entity: 'usuario', feature_list: FEATURES, ...body }, headers);
  const values = (res: { json(): unknown }) =>
    (res.json() as { results: { entity_key: string; features: Record<string, { value: unknown; status: string }> }[] }).results.map((r) => [
      r.entity_key,
      ...FEATURES.map((f) => r.features[f]!.value),
    ]);

  beforeAll(async () => {
    s = await startTestService();
    const ingest = await s.post('/api/ingest/usuario/perfil', {
      rows: [
        { usuario_id: 'u1', event_timestamp: '2025-01-01T00:00:00Z', usuario_renda: 1000 },
        { usuario_id: 'u1', event_timestamp: '2025-01-10T00:00:00Z', usuario_renda: 4000 },
        { usuario_id: 'u2', event_timestamp: '2025-01-05T00:00:00Z', usuario_renda: 500 },
      ],
    });
    expect(ingest.statusCode, ingest.body).toBe(200);
    expect((await s.post('/api/data-sources/', { name: 'perfil_src', type: 'feature_group', feature_group: 'perfil' })).statusCode).toBe(201);
    const published = await s.post('/api/transforms/', {
      name: 'usuario_transacao',
      language: 'typescript',
      code: SCORE_TS,
      sources: ['perfil_src'],
      entity: 'usuario',
      on_demand: true,
      request_inputs: INPUTS,
    });
    expect(published.statusCode, published.body).toBe(201);
    expect(published.json().features.map((f: { name: string; value_type: string }) => [f.name, f.value_type])).toEqual([
      ['usuario_valor_sobre_renda', 'FLOAT'],
      ['usuario_canal_app', 'BOOL'],
    ]);
  });
  afterAll(() => s.close());

  it('keeps the declared inputs with the transform version, and refuses inputs that cannot work', async () => {
    expect((await s.get('/api/transforms/usuario_transacao')).json()).toMatchObject({ version: 1, request_inputs: INPUTS });
    const exported = (await s.get('/api/definitions/export')).json();
    expect(exported.transforms.find((t: { name: string }) => t.name === 'usuario_transacao').request_inputs).toEqual(INPUTS);
    const plan = (extra: Record<string, unknown>) =>
      s.post('/api/transforms/plan', { name: 'od_x', language: 'typescript', code: SCORE_TS, sources: ['perfil_src'], entity: 'usuario', on_demand: true, ...extra });
    const notOnDemand = await plan({ on_demand: false, request_inputs: INPUTS });
    expect(notOnDemand.statusCode).toBe(400);
    expect(notOnDemand.json().error.message).toMatch(/Only on-demand transforms/);
    const hidesColumn = await plan({ request_inputs: [{ name: 'usuario_renda', value_type: 'FLOAT' }] });
    expect(hidesColumn.statusCode).toBe(400);
    expect(hidesColumn.json().error.message).toMatch(/'usuario_renda' has the name of a column of group 'perfil'/);
    const twice = await plan({ request_inputs: [INPUTS[0], INPUTS[0]] });
    expect(twice.json().error.message).toMatch(/declared twice/);
    const badType = await plan({ request_inputs: [{ name: 'valor_transacao', value_type: 'MONEY' }] });
    expect(badType.statusCode).toBe(400);
    // A run has no request to take the inputs from.
    const run = await s.post('/api/transforms/usuario_transacao/runs', {});
    expect(run.statusCode).toBe(400);
    expect(run.json().error.message).toMatch(/computed only at request time/);
  });

  it('previews with the request input values given, checked as an online request would be', async () => {
    const preview = (request_data?: Record<string, unknown>) =>
      s.post('/api/transforms/preview', {
        language: 'typescript',
        code: SCORE_TS,
        sources: ['perfil_src'],
        entity: 'usuario',
        request_inputs: INPUTS,
        ...(request_data ? { request_data } : {}),
      });
    const res = await preview({ valor_transacao: 100, canal: 'app' });
    expect(res.statusCode, res.body).toBe(200);
    expect((res.json() as TransformPreview).rows.map((r) => [r['usuario_id'], r['usuario_valor_sobre_renda'], r['usuario_canal_app']])).toEqual([
      ['u1', 0.1, true],
      ['u1', 0.025, true],
      ['u2', 0.2, true],
    ]);
    const missing = await preview({ valor_transacao: 100 });
    expect(missing.statusCode).toBe(400);
    expect(missing.json().error.message).toBe("request_data: 'canal' is missing");
  });

  it('serves with request_data shared by all keys or one object per key, in JSON and Arrow', async () => {
    const shared = await online({ entity_keys: ['u1', 'u2', 'u9'], request_data: { valor_transacao: 120.5, canal: 'app' } });
    expect(shared.statusCode, shared.body).toBe(200);
    expect(values(shared)).toEqual([
      ['u1', 120.5 / 4000, true],
      ['u2', 120.5 / 500, true],
      ['u9', null, null],
    ]);
    expect(shared.json().results[0].features.usuario_valor_sobre_renda).toEqual({ value: 120.5 / 4000, status: 'PRESENT', event_timestamp: '2025-01-10T00:00:00.000Z' });
    expect(shared.json().results[2].features.usuario_canal_app.status).toBe('NOT_FOUND');

    const perKey = { entity_keys: ['u1', 'u2'], request_data: [{ valor_transacao: 40, canal: 'web' }, { valor_transacao: 50, canal: 'app', extra: 'ignored' }] };
    const json = await online(perKey);
    expect(values(json)).toEqual([
      ['u1', 0.01, false],
      ['u2', 0.1, true],
    ]);
    const arrow = await online(perKey, { accept: ARROW });
    expect(arrow.statusCode, arrow.body).toBe(200);
    expect(arrow.headers['content-type']).toBe(ARROW);
    const table = tableFromIPC(arrow.rawPayload);
    expect(table.getChild('usuario_valor_sobre_renda')!.toArray()).toEqual(Float64Array.from([0.01, 0.1]));
    expect([...table.getChild('usuario_canal_app')!]).toEqual([false, true]);
  });

  it('serves a feature service with request_data', async () => {
    const created = await s.post('/api/feature-services/', { name: 'fraude_transacao', features: ['usuario_renda', ...FEATURES] });
    expect(created.statusCode, created.body).toBe(201);
    const res = await s.post('/api/online/features', { feature_service: 'fraude_transacao', entity_keys: ['u2'], request_data: { valor_transacao: 25, canal: 'pos' } });
    expect(res.statusCode, res.body).toBe(200);
    const features = res.json().results[0].features;
    expect([features.usuario_renda.value, features.usuario_valor_sobre_renda.value, features.usuario_canal_app.value]).toEqual([500, 0.05, false]);
  });

  it('answers bad request_data with a 400 naming the problem, and computes nothing', async () => {
    const bad = async (body: Record<string, unknown>) => {
      const res = await online({ entity_keys: ['u1', 'u2'], ...body });
      expect(res.statusCode, res.body).toBe(400);
      expect(res.json().error.code).toBe('FSTORE_VALIDATION_FAILED');
      return res.json().error;
    };
    expect((await bad({})).message).toBe("request_data: 'valor_transacao' is missing (and 1 more)");
    expect((await bad({ request_data: [{ valor_transacao: 1, canal: 'app' }, { canal: 'app' }] })).details).toEqual([
      { path: '/request_data/1/valor_transacao', message: "request_data[1] (entity key 1): 'valor_transacao' is missing" },
    ]);
    expect((await bad({ request_data: { valor_transacao: '120.5', canal: 'app' } })).message).toBe(
      'request_data: \'valor_transacao\' must be a number (FLOAT), not "120.5"',
    );
    expect((await bad({ request_data: { valor_transacao: 1, canal: null } })).message).toBe("request_data: 'canal' is missing");
    expect((await bad({ request_data: [{ valor_transacao: 1, canal: 'app' }] })).message).toBe(
      'request_data has 1 objects for 2 entity keys; give one per key, in the order of entity_keys, or one object for all',
    );
    const tooMany = await s.post('/api/online/features', { entity: 'usuario', feature_list: ['usuario_renda'], entity_keys: ['u1'], request_data: [{}, {}] });
    expect(tooMany.statusCode).toBe(400);
    expect((await bad({ request_data: 'x' })).message).toMatch(/request_data/);

    // Features that take no request inputs ignore request_data.
    const stored = await s.post('/api/online/features', { entity: 'usuario', feature_list: ['usuario_renda'], entity_keys: ['u1'], request_data: { anything: 1 } });
    expect(stored.statusCode, stored.body).toBe(200);
    expect(stored.json().results[0].features.usuario_renda.value).toBe(4000);
  });

  it('training takes the inputs from the label rows and computes the values online serving answers', async () => {
    const requests = [
      { key: 'u1', valor_transacao: 120.5, canal: 'app' },
      { key: 'u2', valor_transacao: 7, canal: 'web' },
      { key: 'u1', valor_transacao: 0.25, canal: 'web' },
    ];
    const served = await online({ entity_keys: requests.map((r) => r.key), request_data: requests.map(({ key: _key, ...data }) => data) });
    expect(served.statusCode, served.body).toBe(200);
    const training = await s.post('/api/training/point-in-time', {
      entity: 'usuario',
      feature_list: FEATURES,
      // After every input's event time, so the state is the one serving reads now.
      rows: requests.map(({ key, ...data }) => ({ entity_key: key, timestamp: '2025-06-01T00:00:00Z', ...data, rotulo: 1 })),
    });
    expect(training.statusCode, training.body).toBe(200);
    const rows = training.json().rows as Record<string, unknown>[];
    expect(rows.map((r) => [r['entity_key'], ...FEATURES.map((f) => r[f])])).toEqual(values(served));
    expect(rows[0]).toMatchObject({ valor_transacao: 120.5, canal: 'app', rotulo: 1 });

    // Point in time: before u1's second value its state is the first one (renda 1000); before any value, nothing.
    const past = await s.post('/api/training/point-in-time', {
      entity: 'usuario',
      feature_list: ['valor_sobre_renda', 'usuario_renda'],
      rows: [
        { entity_key: 'u1', timestamp: '2025-01-05T00:00:00Z', valor_transacao: 100, canal: 'app' },
        { entity_key: 'u1', timestamp: '2024-12-01T00:00:00Z', valor_transacao: 100, canal: 'app' },
      ],
    });
    expect(past.statusCode, past.body).toBe(200);
    expect(past.json().rows.map((r: Record<string, unknown>) => [r['valor_sobre_renda'], r['usuario_renda']])).toEqual([
      [0.1, 1000],
      [null, null],
    ]);
  });

  it('refuses label rows without a valid request input, naming the row and column', async () => {
    const res = await s.post('/api/training/point-in-time', {
      entity: 'usuario',
      feature_list: FEATURES,
      rows: [
        { entity_key: 'u1', timestamp: '2025-06-01T00:00:00Z', valor_transacao: 1, canal: 'app' },
        { entity_key: 'u2', timestamp: '2025-06-01T00:00:00Z', valor_transacao: 'muito', canal: 'app' },
      ],
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.message).toBe(
      '1 label row problems; first: row 2: column \'valor_transacao\' (a request input of an on-demand feature) must be a number (FLOAT), not "muito"',
    );
    expect(res.json().error.details.errors).toEqual([{ row: 2, column: 'valor_transacao', message: expect.stringContaining('must be a number') }]);
  });

  it('refuses a date-range training request for them (no requests to take the inputs from), naming the form that works', async () => {
    const res = await s.post('/api/training/features', { entity: 'usuario', feature_list: ['usuario_renda', ...FEATURES], start_date: '2025-01-01', end_date: '2025-12-31' });
    expect(res.statusCode, res.body).toBe(400);
    expect(res.json().error.code).toBe('FSTORE_VALIDATION_FAILED');
    expect(res.json().error.message).toBe(
      "'usuario_valor_sobre_renda', 'usuario_canal_app' are computed at request time by the on-demand transform 'usuario_transacao' from request inputs (valor_transacao, canal), " +
        'which a date range does not have: ask for them with label rows carrying those columns (POST /api/training/point-in-time, or a training-set job)',
    );
    // The stored features alone still come back.
    const stored = await s.post('/api/training/features', { entity: 'usuario', feature_list: ['usuario_renda'], start_date: '2025-01-01', end_date: '2025-12-31' });
    expect(stored.json().row_count).toBe(3);
  });

  it('builds a training-set job from a label file with the request inputs as columns', async () => {
    const csv = 'entity_key,timestamp,valor_transacao,canal\nu1,2025-06-01T00:00:00Z,120.5,app\nu2,2025-06-01T00:00:00Z,7,web\n';
    const upload = await s.app.inject({ method: 'POST', url: '/api/uploads/?format=csv&filename=labels.csv', payload: csv, headers: { 'content-type': 'application/octet-stream' } });
    expect(upload.statusCode, upload.body).toBe(201);
    const started = await s.post('/api/jobs/training-set', { entity: 'usuario', feature_list: FEATURES, labels: { upload: upload.json().upload_id }, format: 'csv' });
    expect(started.statusCode, started.body).toBe(202);
    const job = await waitForJob(s, (started.json() as Job).id);
    expect(job.state, JSON.stringify(job.error)).toBe('succeeded');
    const file = await s.get(`/api/jobs/${job.id}/result`);
    const lines = file.body.trim().split('\n');
    expect(lines[0]).toBe(['entity_key', 'timestamp', 'valor_transacao', 'canal', ...FEATURES].join(','));
    expect(lines.slice(1).map((l) => l.split(',').slice(4))).toEqual([
      [String(120.5 / 4000), 'true'],
      [String(7 / 500), 'false'],
    ]);
  });
});
