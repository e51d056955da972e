import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Job } from '@shared/api/jobs.js';
import { SEED_FEATURE, startTestService, type TestService } from './helpers.js';

const CSV = `usuario_id,idade,cidade,quando
user_1,25,SP,2025-01-10T10:00:00Z
user_2,31,RJ,2025-01-11T10:00:00Z
user_3,x,BH,2025-01-12T10:00:00Z
`;

describe('uploads, preview (dry run) and ingestion by upload id', () => {
  let s: TestService;
  const upload = async (body: string, contentType: string, query = '') =>
    (await s.app.inject({ method: 'POST', url: `/api/uploads/${query}`, payload: body, headers: { 'content-type': contentType } })).json();

  beforeAll(async () => {
    s = await startTestService();
    await s.post('/api/features/', SEED_FEATURE);
  });
  afterAll(() => s.close());

  it('previews columns and first rows without a target, and the full plan with one', async () => {
    const u = await upload(CSV, 'text/csv', '?filename=dados.csv');
    expect(u).toMatchObject({ filename: 'dados.csv', format: 'csv', size_bytes: CSV.length });
    const bare = (await s.get(`/api/uploads/${u.upload_id}/preview`)).json();
    expect(bare).toMatchObject({ rows: 3, plan: null, problems: [], validation: null });
    expect(bare.columns.map((c: { name: string }) => c.name)).toEqual(['usuario_id', 'idade', 'cidade', 'quando']);
    expect(bare.sample[0]).toEqual({ usuario_id: 'user_1', idade: '25', cidade: 'SP', quando: '2025-01-10T10:00:00Z' });
    expect(bare.time_candidates).toEqual([]);

    const planned = (await s.get(`/api/uploads/${u.upload_id}/preview?entity=usuario&feature_group=demografia&time_column=quando`)).json();
    expect(planned.plan).toMatchObject({
      entity_exists: true,
      group_exists: false,
      entity_key_column: 'usuario_id',
      event_time_column: 'quando',
      features: [
        { column: 'idade', feature: 'usuario_idade', value_type: 'INT', registration: 'assign' },
        { column: 'cidade', feature: 'cidade', value_type: 'STRING', registration: 'new' },
      ],
    });
    expect(planned.validation).toEqual({
      invalid_rows: 1,
      errors: [{ row: 3, column: 'idade', value: 'x', reason: "expected an integer for feature 'usuario_idade' (INT)" }],
    });
    // A dry run writes nothing: the group still does not exist and the feature is unassigned.
    expect((await s.get('/api/feature-groups/demografia')).statusCode).toBe(404);
    expect((await s.get('/api/features/usuario_idade')).json().feature_group).toBeNull();
  });

  it('reports column problems and bad choices instead of failing', async () => {
    const u = await upload(CSV, 'text/csv');
    const res = (await s.get(`/api/uploads/${u.upload_id}/preview?entity=usuario&feature_group=demografia&key_column=nope`)).json();
    expect(res.problems).toEqual(["the chosen entity key column 'nope' is not in the data"]);
    expect(res.plan).toBeNull();
  });

  it('ingests an upload by id as a job with the chosen time column, then forgets the upload', async () => {
    const good = CSV.split('\n').slice(0, 3).join('\n');
    const u = await upload(good, 'text/csv', '?filename=dados.csv');
    const res = await s.app.inject({ method: 'POST', url: `/api/jobs/ingest/usuario/demografia?upload=${u.upload_id}&time_column=quando` });
    expect(res.statusCode).toBe(202);
    expect(res.json().title).toBe('ingest dados.csv into usuario/demografia');
    let job: Job = res.json();
    for (let i = 0; i < 100 && !['succeeded', 'failed'].includes(job.state); i++) {
      await new Promise((r) => setTimeout(r, 100));
      job = (await s.get(`/api/jobs/${job.id}`)).json();
    }
    expect(job.state).toBe('succeeded');
    expect(job.result).toMatchObject({ rows: 2, event_time_column: 'quando' });
    const online = await s.post('/api/online/features', { entity: 'usuario', entity_keys: ['user_2'], feature_list: ['idade'] });
    expect(online.json().results[0].features.idade).toMatchObject({ value: 31, event_timestamp: '2025-01-11T10:00:00.000Z' });
    expect((await s.get(`/api/uploads/${u.upload_id}/preview`)).json().error.code).toBe('FSTORE_UPLOAD_NOT_FOUND');
  });

  it('accepts JSON files as uploads and refuses ids that are not ours', async () => {
    const u = await upload(JSON.stringify([{ usuario_id: 'u9', usuario_nota: 4.5 }]), 'application/json');
    expect(u.format).toBe('json');
    expect((await s.get(`/api/uploads/${u.upload_id}/preview`)).json().sample).toEqual([{ usuario_id: 'u9', usuario_nota: 4.5 }]);
    expect((await s.get('/api/uploads/..%2F..%2Fregistry.lmdb/preview')).json().error.code).toBe('FSTORE_UPLOAD_NOT_FOUND');
    expect((await s.app.inject({ method: 'POST', url: '/api/jobs/ingest/usuario/g?upload=00000000-0000-0000-0000-000000000000' })).json().error.code).toBe(
      'FSTORE_UPLOAD_NOT_FOUND',
    );
  });

  it('stamps ingestion time on request and rejects contradictory choices', async () => {
    const both = await s.app.inject({ method: 'POST', url: '/api/ingest/usuario/outro/upload?time_column=quando&ingestion_time=true', payload: 'usuario_id,x_nota\nu,1\n', headers: { 'content-type': 'text/csv' } });
    expect(both.json().error.message).toBe('Give either time_column or ingestion_time=true, not both');
    const before = Date.now();
    const stamped = await s.app.inject({ method: 'POST', url: '/api/ingest/usuario/outro/upload?ingestion_time=true', payload: 'usuario_id,usuario_nota,event_timestamp\nu,1,2020-01-01T00:00:00Z\n', headers: { 'content-type': 'text/csv' } });
    expect(stamped.json()).toMatchObject({ event_time_column: null, registered_features: [{ name: 'usuario_nota' }, { name: 'event_timestamp', value_type: 'TIMESTAMP' }] });
    const online = await s.post('/api/online/features', { entity: 'usuario', entity_keys: ['u'], feature_list: ['nota'] });
    expect(Date.parse(online.json().results[0].features.nota.event_timestamp)).toBeGreaterThanOrEqual(before - 1000);
  });
});

describe('files on the server (path or glob)', () => {
  it('ingests a glob under an allowed folder and refuses anything outside it', async () => {
    const { mkdtempSync, writeFileSync, mkdirSync, symlinkSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const root = mkdtempSync(join(tmpdir(), 'fstore-files-'));
    const allowed = join(root, 'data');
    mkdirSync(join(allowed, 'eventos'), { recursive: true });
    writeFileSync(join(allowed, 'eventos', 'a.csv'), 'usuario_id,usuario_visitas,event_timestamp\nu1,1,2025-01-01T00:00:00Z\n');
    writeFileSync(join(allowed, 'eventos', 'b.csv'), 'usuario_id,usuario_visitas,event_timestamp\nu2,2,2025-01-01T00:00:00Z\n');
    writeFileSync(join(root, 'secret.csv'), 'usuario_id,usuario_x\nu,1\n');
    symlinkSync(root, join(allowed, 'escape'));
    const s = await startTestService(undefined, { fileSourceDirs: [allowed] });
    try {
      const job = await s.post('/api/jobs/ingest/usuario/visitas', { path: join(allowed, 'eventos', '*.csv') });
      expect(job.statusCode).toBe(202);
      let state = job.json();
      while (!['succeeded', 'failed'].includes(state.state)) {
        await new Promise((r) => setTimeout(r, 50));
        state = (await s.get(`/api/jobs/${state.id}`)).json();
      }
      expect(state.state, JSON.stringify(state.error)).toBe('succeeded');
      expect(state.result).toMatchObject({ rows: 2, values_written: 2 });
      const refused = async (path: string) => (await s.post('/api/jobs/ingest/usuario/visitas', { path })).json().error;
      expect(await refused(join(root, 'secret.csv'))).toMatchObject({ code: 'FSTORE_FORBIDDEN_PATH' });
      expect(await refused(join(allowed, 'escape', 'secret.csv'))).toMatchObject({ code: 'FSTORE_FORBIDDEN_PATH' });
      expect(await refused(`${allowed}/../secret.csv`)).toMatchObject({ code: 'FSTORE_FORBIDDEN_PATH' });
      expect(await refused('data/eventos/a.csv')).toMatchObject({ code: 'FSTORE_FORBIDDEN_PATH' });
      expect((await refused(join(allowed, '*', 'secret.csv'))).message).toMatch(/wildcards are allowed in the file name only/);
    } finally {
      await s.close();
    }
    const disabled = await startTestService();
    try {
      expect((await disabled.post('/api/jobs/ingest/usuario/visitas', { path: '/etc/passwd.csv' })).json().error.message).toMatch(/disabled; set fileSourceDirs/);
    } finally {
      await disabled.close();
    }
  });
});
