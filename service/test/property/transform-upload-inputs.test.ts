/**
 * Property: hostile transform previews (SQL that tries to reach files, settings or extensions;
 * arbitrary code and options) and hostile uploads never get a 5xx, every rejection is a catalogue
 * error, and nothing is written outside the service's own folders. Concurrent runaway previews
 * (endless, memory-hungry, exploding joins) end at their limits while normal calls keep answering.
 */
import { existsSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestService, until, type TestService } from '../helpers.js';
import { previewOf, RUNAWAY_SQL, within } from '../runaway-sql.js';
import { deepValue, expectCleanAnswer, hostileQuery, hostileString, hostileValue, jsonPayload, mutatedBody, RUNS } from './hostile-inputs.js';

describe('transform preview and upload routes under hostile input', { timeout: 600_000 }, () => {
  let s: TestService;
  let sourceDir: string;
  let outside: string;

  const post = (url: string, body: unknown) => s.app.inject({ method: 'POST', url, payload: jsonPayload(body), headers: { 'content-type': 'application/json' } });

  beforeAll(async () => {
    sourceDir = mkdtempSync(join(tmpdir(), 'fstore-prop-tx-'));
    outside = mkdtempSync(join(tmpdir(), 'fstore-prop-outside-'));
    writeFileSync(join(sourceDir, 'events.csv'), 'user_id,amount,event_time\nu1,10,2025-01-01T00:00:00Z\nu2,20,2025-01-02T00:00:00Z\n');
    writeFileSync(join(outside, 'secret.csv'), 'secret\nhunter2\n');
    s = await startTestService(undefined, { fileSourceDirs: [sourceDir] });
    expect((await post('/api/data-sources/', { name: 'events', type: 'file', path: join(sourceDir, 'events.csv') })).statusCode).toBe(201);
  });
  afterAll(() => s.close());

  it('SQL previews that try to escape the session are refused cleanly and write nothing outside', async () => {
    const target = (name: string) => join(outside, name);
    const escapes = [
      `SELECT * FROM read_csv('${join(outside, 'secret.csv')}')`,
      `SELECT * FROM '${join(outside, 'secret.csv')}'`,
      `COPY (SELECT 1 AS x) TO '${target('copied.csv')}'`,
      `SELECT 1; COPY (SELECT 1) TO '${target('second.csv')}'`,
      `ATTACH '${target('attached.duckdb')}' AS x`,
      `EXPORT DATABASE '${target('exported')}'`,
      'INSTALL httpfs',
      'LOAD httpfs',
      "SET enable_external_access = true",
      "SET allowed_directories = ['/']",
      "SELECT getenv('HOME') AS h",
      "SELECT * FROM glob('/etc/*')",
      'PRAGMA database_list',
      'CREATE TABLE t AS SELECT 1 AS x',
      'DROP TABLE events',
      'SELECT user_id, amount FROM events; DROP TABLE events',
      "SELECT * FROM read_text('/etc/passwd')",
      "SELECT * FROM read_blob('/etc/hostname')",
      'CALL pragma_version()',
    ];
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.constantFrom(...escapes), hostileString.filter((c) => c.length > 0 && c.length <= 200_000)), async (code) => {
        const body = { language: 'sql', code, sources: ['events'], entity: 'user' };
        const res = await post('/api/transforms/preview', body);
        expectCleanAnswer(res, `preview ${code.slice(0, 200)}`);
        if (res.statusCode === 200) expect(JSON.stringify(res.json())).not.toContain('hunter2');
        expect(readdirSync(outside)).toEqual(['secret.csv']);
      }),
      { numRuns: RUNS },
    );
    // The source still reads: no statement above changed it.
    const after = await post('/api/transforms/preview', { language: 'sql', code: 'SELECT user_id, amount FROM events', sources: ['events'], entity: 'user' });
    expect(after.statusCode, after.body).toBe(200);
  });

  it('preview options, sources and names', async () => {
    const valid = { language: 'sql', code: 'SELECT user_id, amount, event_time FROM events', sources: ['events'], entity: 'user', sample: { mode: 'head', rows: 10 }, limit: 5 };
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          mutatedBody(valid),
          hostileValue.map((sample) => ({ ...valid, sample })),
          fc.array(hostileString, { minLength: 1, maxLength: 3 }).map((sources) => ({ ...valid, sources })),
          fc.tuple(hostileString, hostileString).map(([key, time]) => ({ ...valid, entity_key_column: key, event_time_column: time })),
        ),
        async (body) => expectCleanAnswer(await post('/api/transforms/preview', body), `preview ${jsonPayload(body).slice(0, 300)}`),
      ),
      { numRuns: RUNS },
    );
  });

  it('uploads: hostile bodies, content types and query strings; a rejected upload keeps no file', async () => {
    const uploadsDir = join(s.dataDir, 'tmp', 'uploads');
    const contentType = fc.constantFrom('text/csv', 'application/json', 'application/x-ndjson', 'application/vnd.apache.parquet', 'application/octet-stream', 'text/plain', 'multipart/form-data; boundary=x', 'application/xml');
    const body = fc.oneof(
      hostileString,
      fc.jsonValue().map((v) => JSON.stringify(v) ?? ''),
      fc.uint8Array({ maxLength: 2000 }).map((b) => Buffer.from(b).toString('latin1')),
      // JSON and NDJSON files with values nested far too deeply (DuckDB's reader crashed on them).
      deepValue.map((v) => jsonPayload([{ user_id: 'u1', user_note: v }])),
      deepValue.map((v) => `${jsonPayload({ user_id: 'u1', user_note: 1 })}\n${jsonPayload({ user_id: 'u2', user_note: v })}\n`),
    );
    await fc.assert(
      fc.asyncProperty(contentType, body, hostileQuery(['format', 'filename']), async (type, payload, query) => {
        const before = existsSync(uploadsDir) ? readdirSync(uploadsDir).length : 0;
        const res = await s.app.inject({ method: 'POST', url: `/api/uploads/${query}`, payload, headers: { 'content-type': type } });
        expectCleanAnswer(res, `upload ${type} ${query.slice(0, 200)} ${payload.slice(0, 200)}`);
        const after = existsSync(uploadsDir) ? readdirSync(uploadsDir).length : 0;
        // An upload keeps its bytes and a .meta record; a rejected one keeps nothing.
        expect(after, `upload ${type} ${query.slice(0, 200)} -> ${res.statusCode}`).toBe(res.statusCode === 201 ? before + 2 : before);
        if (res.statusCode === 201) {
          const preview = await s.get(`/api/uploads/${res.json().upload_id}/preview`);
          expectCleanAnswer(preview, `preview of upload ${type} ${payload.slice(0, 200)}`);
        }
      }),
      { numRuns: RUNS },
    );
  });
});

describe('concurrent runaway previews', { timeout: 600_000 }, () => {
  let s: TestService;
  /** Short limits so each run ends in seconds; the bound on normal calls is the point. */
  const LIMITS = { userSqlPreviewTimeoutMs: 1500, userSqlQueueWaitMs: 1000, userSqlMemoryLimit: '256MiB', userSqlTempDirectoryLimit: '256MiB' };
  /** Queries that never end, or would eat memory or disk without bound. */
  const RUNAWAYS = [
    RUNAWAY_SQL,
    "SELECT 'u' AS user_id, count(*) AS n FROM range(100000000) a(x), range(100000000) b(y)",
    "WITH RECURSIVE r(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM r) SELECT 'u' AS user_id, count(*) AS n FROM r",
    "SELECT 'u' AS user_id, length(string_agg(repeat('x', 1000000), '')) AS n FROM range(100000)",
    "SELECT user_id, count(DISTINCT md5(CAST(x AS VARCHAR))) AS n FROM events, range(1000000000) t(x) GROUP BY user_id",
    "SELECT md5(CAST(x AS VARCHAR)) AS user_id FROM range(1000000000) t(x) ORDER BY 1",
  ];

  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fstore-prop-runaway-'));
    writeFileSync(join(dir, 'events.csv'), 'user_id,amount\nu1,10\nu2,20\n');
    s = await startTestService(undefined, { fileSourceDirs: [dir], ...LIMITS });
    expect((await s.post('/api/data-sources/', { name: 'events', type: 'file', path: join(dir, 'events.csv') })).statusCode).toBe(201);
    expect((await s.post('/api/ingest/usuario/perfil', { rows: [{ usuario_id: 'u1', event_timestamp: '2025-01-01T00:00:00Z', idade: 30 }] })).statusCode).toBe(200);
  });
  afterAll(() => s.close());

  it('end at their limits with catalogue errors while online reads, ingestion and training answer within 5 s', async () => {
    let batch = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(fc.constantFrom(...RUNAWAYS), { minLength: 3, maxLength: 6 }), async (codes) => {
        batch++;
        const previews = codes.map((code) => s.post('/api/transforms/preview', previewOf(code, 'events')));
        const online = await within('online read', 5000, s.post('/api/online/features', { entity: 'usuario', entity_keys: ['u1'], feature_list: ['idade'] }));
        expect(online.value.json().results[0].features.idade.value).toBe(30);
        const row = { usuario_id: `b${batch}`, event_timestamp: '2025-02-01T00:00:00Z', idade: batch };
        expect((await within('ingest', 5000, s.post('/api/ingest/usuario/perfil', { rows: [row] }))).value.statusCode).toBe(200);
        const training = await within(
          'point-in-time training',
          5000,
          s.post('/api/training/point-in-time', { entity: 'usuario', feature_list: ['idade'], rows: [{ entity_key: `b${batch}`, timestamp: '2026-01-01T00:00:00Z' }] }),
        );
        expect(training.value.json().rows[0].idade).toBe(batch);
        for (const [i, res] of (await Promise.all(previews)).entries()) {
          expectCleanAnswer(res, `runaway preview ${codes[i]}`, ['FSTORE_TRANSFORM_BUSY']);
          expect(res.statusCode, `${codes[i]} -> ${res.body.slice(0, 300)}`).not.toBe(200);
        }
        // Every session was given back.
        await until('the user-SQL pool to empty', async () => s.ctx.userSql.running + s.ctx.userSql.waiting, (n) => n === 0, 10_000, 50);
      }),
      { numRuns: Math.min(RUNS, 8) },
    );
  });
});
