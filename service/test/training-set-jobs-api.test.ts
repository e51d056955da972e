import { DuckDBInstance } from '@duckdb/node-api';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Job } from '@shared/api/jobs.js';
import type { TrainingSetJobResult, TrainingSetSummary } from '@shared/api/serving.js';
import { freshDataDir, startTestService, waitForJob, type TestService } from './helpers.js';

/** Point-in-time training sets from a label file, as jobs: the same rows as the JSON route. */
describe('training-set jobs (POST /api/jobs/training-set)', () => {
  let s: TestService;
  const files = mkdtempSync(join(tmpdir(), 'fstore-labels-'));
  const serverDir = join(files, 'server');
  mkdirSync(serverDir);

  const LABELS_CSV =
    'entity_key,timestamp,label,weight\n' +
    'u1,2025-01-06T00:00:00Z,1,0.5\n' + // between u1's two values: the older one
    'u1,2025-01-12T00:00:00Z,0,1.5\n' + // after both: the newer
    'u2,2024-12-31T00:00:00Z,1,2.5\n' + // before any of u2's history: null
    'u9,2025-01-06T00:00:00Z,0,3.5\n'; // unknown key: null
  const LABEL_ROWS = [
    { entity_key: 'u1', timestamp: '2025-01-06T00:00:00Z', label: 1, weight: 0.5 },
    { entity_key: 'u1', timestamp: '2025-01-12T00:00:00Z', label: 0, weight: 1.5 },
    { entity_key: 'u2', timestamp: '2024-12-31T00:00:00Z', label: 1, weight: 2.5 },
    { entity_key: 'u9', timestamp: '2025-01-06T00:00:00Z', label: 0, weight: 3.5 },
  ];

  beforeAll(async () => {
    s = await startTestService(freshDataDir(), { fileSourceDirs: [serverDir] });
    await s.post('/api/feature-groups/', { name: 'perfil', entity: 'usuario' });
    await s.post('/api/ingest/usuario/perfil', {
      rows: [
        { usuario_id: 'u1', event_timestamp: '2025-01-01T00:00:00Z', usuario_plano: 'free', usuario_score: 1.0 },
        { usuario_id: 'u1', event_timestamp: '2025-01-10T00:00:00Z', usuario_plano: 'pro', usuario_score: 2.5 },
        { usuario_id: 'u2', event_timestamp: '2025-01-05T00:00:00Z', usuario_plano: 'free', usuario_score: 0.5 },
      ],
    });
  });
  afterAll(() => s.close());

  const upload = async (body: string | Buffer, format: string, filename = `labels.${format}`) => {
    const res = await s.app.inject({
      method: 'POST',
      url: `/api/uploads/?format=${format}&filename=${filename}`,
      payload: body,
      headers: { 'content-type': 'application/octet-stream' },
    });
    expect(res.statusCode, res.body).toBe(201);
    return (res.json() as { upload_id: string }).upload_id;
  };
  const run = async (body: Record<string, unknown>): Promise<Job> => {
    const res = await s.post('/api/jobs/training-set', { entity: 'usuario', feature_list: ['plano', 'score'], ...body });
    expect(res.statusCode, res.body).toBe(202);
    return waitForJob(s, (res.json() as Job).id);
  };
  const expected = async () => {
    const res = await s.post('/api/training/point-in-time', { entity: 'usuario', feature_list: ['plano', 'score'], rows: LABEL_ROWS, format: 'csv' });
    expect(res.statusCode).toBe(200);
    return res.body;
  };

  it('builds the same CSV as the point-in-time route from an uploaded label file, with progress and the file to download', async () => {
    const uploadId = await upload(LABELS_CSV, 'csv');
    const job = await run({ labels: { upload: uploadId }, format: 'csv' });
    expect(job.state, JSON.stringify(job.error)).toBe('succeeded');
    expect(job.kind).toBe('training_set');
    expect(job.progress).toMatchObject({ phase: 'done', rows_done: 4, rows_total: 4 });
    const result = job.result as unknown as TrainingSetJobResult;
    expect(result).toMatchObject({
      entity: 'usuario',
      features: ['usuario_plano', 'usuario_score'],
      columns: ['entity_key', 'timestamp', 'label', 'weight', 'plano', 'score'],
      row_count: 4,
      engine: 'embedded',
      format: 'csv',
      download: `/api/jobs/${job.id}/result`,
    });
    const file = await s.get(result.download);
    expect(file.statusCode).toBe(200);
    expect(file.headers['content-type']).toContain('text/csv');
    expect(file.headers['content-disposition']).toContain('.csv');
    expect(result.size_bytes).toBe(file.rawPayload.length);
    expect(file.body).toBe(await expected());
    expect(file.body.split('\n').slice(1, 5)).toEqual([
      'u1,2025-01-06 00:00:00+00,1,0.5,free,1.0',
      'u1,2025-01-12 00:00:00+00,0,1.5,pro,2.5',
      'u2,2024-12-31 00:00:00+00,1,2.5,,',
      'u9,2025-01-06 00:00:00+00,0,3.5,,',
    ]);
    // The upload stays: the same labels again, with another feature list.
    const again = await run({ labels: { upload: uploadId }, feature_list: ['score'], format: 'csv' });
    expect(again.state, JSON.stringify(again.error)).toBe('succeeded');
    expect(again.title).toContain('(1 feature) from labels.csv on embedded');
  });

  it('reads Parquet labels with their own column names and types, and writes typed Parquet', async () => {
    const parquet = join(serverDir, 'labels.parquet');
    const db = await DuckDBInstance.create(':memory:');
    const c = await db.connect();
    await c.run(`COPY (SELECT * FROM (VALUES
        ('u1', TIMESTAMPTZ '2025-01-06 00:00:00+00', 1::BIGINT, DATE '2025-02-01'),
        ('u1', TIMESTAMPTZ '2025-01-12 00:00:00+00', 0::BIGINT, DATE '2025-02-02')) t(usuario_id, quando, converteu, dia))
      TO '${parquet}' (FORMAT parquet)`);
    const job = await run({ labels: { path: parquet }, key_column: 'usuario_id', time_column: 'quando' });
    expect(job.state, JSON.stringify(job.error)).toBe('succeeded');
    const file = await s.get((job.result as unknown as TrainingSetJobResult).download);
    const out = join(files, 'out.parquet');
    writeFileSync(out, file.rawPayload);
    const read = await c.runAndReadAll(`SELECT entity_key, timestamp, converteu, dia, plano, score, typeof(converteu) t_label, typeof(score) t_score FROM '${out}'`);
    expect(read.getRowObjectsJson()).toEqual([
      { entity_key: 'u1', timestamp: '2025-01-06 00:00:00+00', converteu: '1', dia: '2025-02-01', plano: 'free', score: 1, t_label: 'BIGINT', t_score: 'DOUBLE' },
      { entity_key: 'u1', timestamp: '2025-01-12 00:00:00+00', converteu: '0', dia: '2025-02-02', plano: 'pro', score: 2.5, t_label: 'BIGINT', t_score: 'DOUBLE' },
    ]);
    c.closeSync();
  });

  // Issue 21: a missing label column is refused before queueing (it used to fail the job).
  it('refuses a missing label column before queueing, naming the request field, and queues nothing', async () => {
    const before = (await s.get('/api/jobs/?kind=training_set&limit=1000')).json().length;
    const res = await s.post('/api/jobs/training-set', { entity: 'usuario', feature_list: ['plano', 'score'], labels: { upload: await upload('entity_key,quando\nu1,2025-01-06\n', 'csv') } });
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toMatchObject({
      code: 'FSTORE_VALIDATION_FAILED',
      details: { missing_columns: ['timestamp'], columns: ['entity_key', 'quando'], fields: ['time_column'] },
    });
    expect(res.json().error.message).toContain("no column 'timestamp'");
    const wrongKey = await s.post('/api/jobs/training-set', {
      entity: 'usuario',
      feature_list: ['plano', 'score'],
      labels: { upload: await upload('entity_key,timestamp\nu1,2025-01-06\n', 'csv') },
      key_column: 'usuario_id',
    });
    expect(wrongKey.statusCode).toBe(400);
    expect(wrongKey.json().error.details).toMatchObject({ missing_columns: ['usuario_id'], fields: ['key_column'] });
    const empty = await s.post('/api/jobs/training-set', { entity: 'usuario', feature_list: ['plano'], labels: { upload: await upload('', 'csv') } });
    expect(empty.statusCode).toBe(400);
    expect(empty.json().error.message).toBe('The label file is empty: it has no column names and no rows');
    expect((await s.get('/api/jobs/?kind=training_set&limit=1000')).json().length).toBe(before);
  });

  it('fails the job on an unparseable label time, naming the row', async () => {
    const job = await run({ labels: { upload: await upload('entity_key,timestamp\nu1,2025-01-06\nu1,yesterday\n', 'csv') } });
    expect(job.state).toBe('failed');
    expect(job.error).toMatchObject({ code: 'FSTORE_VALIDATION_FAILED' });
    expect(job.error!.message).toContain("row 2: timestamp 'yesterday'");
  });

  it('fails an empty label file and a label column that would overwrite the output key column', async () => {
    const empty = await run({ labels: { upload: await upload('entity_key,timestamp\n', 'csv') } });
    expect(empty.error?.message).toContain('has no rows');
    // Issue 21: refused before queueing now (it used to fail the job).
    const clash = await s.post('/api/jobs/training-set', {
      entity: 'usuario',
      feature_list: ['plano', 'score'],
      labels: { upload: await upload('user,timestamp,entity_key\nu1,2025-01-06,x\n', 'csv') },
      key_column: 'user',
    });
    expect(clash.statusCode).toBe(400);
    expect(clash.json().error.message).toContain("'entity_key' would collide");
  });

  // Issue 21: the app asks for the label file's own key and time column names in the output.
  it('keeps the label file\'s key and time column names with keep_column_names, on the same rows and values', async () => {
    const csv = LABELS_CSV.replace('entity_key,timestamp,', 'usuario_id,quando,');
    const job = await run({ labels: { upload: await upload(csv, 'csv') }, key_column: 'usuario_id', time_column: 'quando', keep_column_names: true, format: 'csv' });
    expect(job.state, JSON.stringify(job.error)).toBe('succeeded');
    const result = job.result as unknown as TrainingSetJobResult;
    expect(result.columns).toEqual(['usuario_id', 'quando', 'label', 'weight', 'plano', 'score']);
    const file = await s.get(result.download);
    const [header, ...rows] = file.body.split('\n');
    expect(header).toBe('usuario_id,quando,label,weight,plano,score');
    // Only the header differs from the renamed output.
    expect(rows.join('\n')).toBe((await expected()).split('\n').slice(1).join('\n'));

    // Parquet keeps them too, typed as before.
    const parquet = join(serverDir, 'labels-kept.parquet');
    const db = await DuckDBInstance.create(':memory:');
    const c = await db.connect();
    await c.run(`COPY (SELECT * FROM (VALUES ('u1', TIMESTAMPTZ '2025-01-12 00:00:00+00', 1::BIGINT)) t(usuario_id, quando, converteu)) TO '${parquet}' (FORMAT parquet)`);
    const typed = await run({ labels: { path: parquet }, key_column: 'usuario_id', time_column: 'quando', keep_column_names: true });
    expect(typed.state, JSON.stringify(typed.error)).toBe('succeeded');
    const out = join(files, 'kept.parquet');
    writeFileSync(out, (await s.get((typed.result as unknown as TrainingSetJobResult).download)).rawPayload);
    const read = await c.runAndReadAll(`SELECT *, typeof(quando) t_time FROM '${out}'`);
    expect(read.getRowObjectsJson()).toEqual([{ usuario_id: 'u1', quando: '2025-01-12 00:00:00+00', converteu: '1', plano: 'pro', score: 2.5, t_time: 'TIMESTAMP WITH TIME ZONE' }]);
    c.closeSync();

    // Without the key and time columns named, the defaults are what the file has and keeps.
    const defaults = await run({ labels: { upload: await upload(LABELS_CSV, 'csv') }, keep_column_names: true, format: 'csv' });
    expect((defaults.result as unknown as TrainingSetJobResult).columns).toEqual(['entity_key', 'timestamp', 'label', 'weight', 'plano', 'score']);
  });

  it('refuses, before queueing, kept names that would give the output two columns of one name, naming the field', async () => {
    const before = (await s.get('/api/jobs/?kind=training_set&limit=1000')).json().length;
    const asFeature = await s.post('/api/jobs/training-set', {
      entity: 'usuario',
      feature_list: ['plano', 'score'],
      labels: { upload: await upload('plano,quando\nu1,2025-01-06\n', 'csv') },
      key_column: 'plano',
      time_column: 'quando',
      keep_column_names: true,
    });
    expect(asFeature.statusCode).toBe(400);
    expect(asFeature.json().error).toMatchObject({ code: 'FSTORE_VALIDATION_FAILED', details: { columns: ['plano'], fields: ['key_column'] } });
    expect(asFeature.json().error.message).toContain("'plano' has the name of a requested feature");
    // The join's own names stay reserved for the key and time.
    const reserved = await s.post('/api/jobs/training-set', {
      entity: 'usuario',
      feature_list: ['plano'],
      labels: { upload: await upload('user,quando,timestamp\nu1,2025-01-06,x\n', 'csv') },
      key_column: 'user',
      time_column: 'quando',
      keep_column_names: true,
    });
    expect(reserved.statusCode).toBe(400);
    expect(reserved.json().error.message).toContain("The label column 'timestamp' has the name the join gives the label time");
    expect((await s.get('/api/jobs/?kind=training_set&limit=1000')).json().length).toBe(before);
  });

  it('summarises a finished set: the first rows, and each feature\'s coverage over all rows (not only those shown)', async () => {
    for (const format of ['csv', 'parquet'] as const) {
      const job = await run({ labels: { upload: await upload(LABELS_CSV, 'csv') }, format });
      const res = await s.get(`/api/jobs/${job.id}/summary?limit=1`);
      expect(res.statusCode, res.body).toBe(200);
      const summary = res.json() as TrainingSetSummary;
      expect(summary).toMatchObject({
        job_id: job.id,
        row_count: 4,
        columns: ['entity_key', 'timestamp', 'label', 'weight', 'plano', 'score'],
        // u1 twice has values; u2 (before its history) and u9 (no history) have none.
        coverage: [
          { feature: 'usuario_plano', column: 'plano', non_null: 2, share: 0.5 },
          { feature: 'usuario_score', column: 'score', non_null: 2, share: 0.5 },
        ],
      });
      // A CSV shows its text; Parquet its typed values (times as ISO-8601).
      expect(summary.preview).toEqual(
        format === 'csv' ? [['u1', '2025-01-06 00:00:00+00', '1', '0.5', 'free', '1.0']] : [['u1', '2025-01-06T00:00:00.000Z', 1, 0.5, 'free', 1]],
      );
      // 20 rows by default: all four here, nulls as null.
      const all = (await s.get(`/api/jobs/${job.id}/summary`)).json() as TrainingSetSummary;
      expect(all.preview).toHaveLength(4);
      expect(all.preview[3]!.slice(-2)).toEqual([null, null]);
    }
    const tooMany = await s.get(`/api/jobs/00000000-0000-0000-0000-000000000000/summary?limit=101`);
    expect([tooMany.statusCode, tooMany.json().error.code]).toEqual([400, 'FSTORE_VALIDATION_FAILED']);
    expect((await s.get('/api/jobs/00000000-0000-0000-0000-000000000000/summary')).statusCode).toBe(404);
  });

  it('refuses before queueing: unknown feature, unknown upload, path outside fileSourceDirs, Spark not configured, unknown fields', async () => {
    const before = (await s.get('/api/jobs/?kind=training_set&limit=1000')).json().length;
    const cases: [Record<string, unknown>, number, string][] = [
      [{ feature_list: ['nope'], labels: { upload: '00000000-0000-0000-0000-000000000000' } }, 404, 'FSTORE_FEATURE_NOT_FOUND'],
      [{ labels: { upload: '00000000-0000-0000-0000-000000000000' } }, 404, 'FSTORE_UPLOAD_NOT_FOUND'],
      [{ labels: { path: '/etc/passwd' } }, 403, 'FSTORE_FORBIDDEN_PATH'],
      [{ labels: { path: join(serverDir, 'labels.parquet') }, engine: 'spark' }, 501, 'FSTORE_SPARK_UNAVAILABLE'],
      [{ labels: { upload: 'x' }, extra: 1 }, 400, 'FSTORE_VALIDATION_FAILED'],
      [{ labels: { upload: 'x', path: '/tmp' } }, 400, 'FSTORE_VALIDATION_FAILED'],
    ];
    for (const [body, status, code] of cases) {
      const res = await s.post('/api/jobs/training-set', { entity: 'usuario', feature_list: ['plano'], ...body });
      expect([res.statusCode, res.json().error?.code], JSON.stringify(body)).toEqual([status, code]);
    }
    expect((await s.get('/api/jobs/?kind=training_set&limit=1000')).json().length).toBe(before);
  });

  it('serves results only for succeeded training-set jobs, and logs for every job', async () => {
    const other = await s.app.inject({
      method: 'POST',
      url: '/api/jobs/ingest/usuario/perfil?format=csv',
      payload: 'usuario_id,event_timestamp,usuario_score\nu3,2025-01-01T00:00:00Z,1\n',
      headers: { 'content-type': 'text/csv' },
    });
    const ingestJob = await waitForJob(s, (other.json() as Job).id);
    expect(ingestJob.state).toBe('succeeded');
    const res = await s.get(`/api/jobs/${ingestJob.id}/result`);
    expect([res.statusCode, res.json().error.code]).toEqual([404, 'FSTORE_JOB_RESULT_NOT_FOUND']);
    expect(res.json().error.message).toContain('ingest_file job');
    expect((await s.get(`/api/jobs/${ingestJob.id}/logs`)).json()).toEqual({ job_id: ingestJob.id, lines: [], truncated: false });
    expect((await s.get('/api/jobs/not-a-job/logs')).statusCode).toBe(404);
    expect((await s.get('/api/jobs/not-a-job/result')).statusCode).toBe(404);
  });
});
