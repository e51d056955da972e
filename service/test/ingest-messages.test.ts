import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { redactPaths } from '../src/staging/staging-engine.js';
import { SEED_FEATURE, startTestService, type TestService } from './helpers.js';

/** An absolute path anywhere in a message (POSIX or Windows). */
const SERVER_PATH = /(^|[\s"'(=])(\/[\w.-]+\/|[A-Za-z]:\\)/;
/** A zip archive's start (an .xlsx is one) followed by compressed bytes. */
const BINARY = Buffer.concat([Buffer.from('PK\x03\x04\x14\x00\x06\x00'), randomBytes(4000)]);

describe('ingestion messages a user can act on', () => {
  let s: TestService;
  const upload = async (body: string | Buffer, filename: string, contentType = 'text/csv') =>
    (await s.app.inject({ method: 'POST', url: `/api/uploads/?filename=${filename}`, payload: body, headers: { 'content-type': contentType } })).json();
  const preview = async (body: string | Buffer, filename = 'data.csv', contentType = 'text/csv') => {
    const u = await upload(body, filename, contentType);
    return (await s.get(`/api/uploads/${u.upload_id}/preview?entity=usuario&feature_group=demografia`)).json();
  };
  const ingest = async (body: string | Buffer, contentType = 'text/csv') =>
    (await s.app.inject({ method: 'POST', url: '/api/ingest/usuario/demografia/upload', payload: body, headers: { 'content-type': contentType } })).json();

  beforeAll(async () => {
    s = await startTestService();
    await s.post('/api/features/', SEED_FEATURE);
  });
  afterAll(() => s.close());

  it('says an empty file is empty, in the preview and on ingestion', async () => {
    for (const body of ['', '\n\n', '\uFEFF  \r\n']) {
      const res = await preview(body);
      expect(res.error).toMatchObject({ code: 'FSTORE_INGEST_REJECTED', message: 'The file is empty: it has no column names and no rows' });
      expect(JSON.stringify(res)).not.toContain('column0');
    }
    expect((await ingest('')).error.message).toBe('The file is empty: it has no column names and no rows');
  });

  it('says a binary file given as CSV is not a text CSV, briefly and without the server path', async () => {
    const res = await preview(BINARY, 'report.csv');
    expect(res.error.code).toBe('FSTORE_INGEST_REJECTED');
    expect(res.error.message).toMatch(/^The file is not a text CSV: it holds binary data/);
    expect(res.error.message).not.toMatch(SERVER_PATH);
    expect(res.error.message.length).toBeLessThan(200);
    expect((await ingest(BINARY)).error.message).toMatch(/^The file is not a text CSV/);
  });

  it('names no server path when DuckDB cannot read a file (a text file given as Parquet)', async () => {
    const res = await preview('usuario_id,idade\nu1,3\n', 'data.parquet', 'application/vnd.apache.parquet');
    expect(res.error.code).toBe('FSTORE_INGEST_REJECTED');
    expect(res.error.message).toMatch(/^The PARQUET data could not be read: /);
    expect(res.error.message).not.toMatch(SERVER_PATH);
    expect(res.error.message).not.toMatch(/uploads|fstore-test/);
  });

  it('says a header without rows has no rows of data', async () => {
    const res = await preview('usuario_id,idade\n');
    expect(res.problems).toEqual(['The file has column names but no rows of data']);
  });

  it('shows the types the CSV reader detects, not the staged VARCHAR', async () => {
    const res = await preview('usuario_id,idade,renda,cidade,event_timestamp\nu1,25,5000.5,SP,2025-01-10T10:00:00Z\nu2,31,7000,RJ,2025-01-11T10:00:00Z\n');
    expect(res.columns.map((c: { source_type: string }) => c.source_type)).toEqual(['VARCHAR', 'BIGINT', 'DOUBLE', 'VARCHAR', 'TIMESTAMP WITH TIME ZONE']);
  });

  it('says in a dry run what will be stored, not what was', async () => {
    const res = await preview('usuario_id,idade\nu1,25\n');
    expect(res.plan.warnings).toContain("Column 'idade' will be stored as feature 'usuario_idade'");
    expect(JSON.stringify(res)).not.toContain('was stored as');
  });

  it('reports empty cells and repeated (key, event time) rows next to the values written', async () => {
    const csv = `usuario_id,idade,nota,event_timestamp
u1,25,1.5,2025-01-10T10:00:00Z
u1,26,2.5,2025-01-10T10:00:00Z
u2,,3.5,2025-01-11T10:00:00Z
u3,40,,2025-01-12T10:00:00Z
`;
    const report = await ingest(csv);
    expect(report).toMatchObject({ rows: 4, empty_values: 2, repeated_rows: 1 });
    // 4 rows x 2 features = 8 cells, 2 empty, and u1's first row is replaced by its repeat.
    expect(report.values_written).toBe(8 - 2 - 2);
  });
});

describe('redactPaths', () => {
  it('replaces quoted and bare absolute paths, POSIX and Windows', () => {
    expect(redactPaths('Error when sniffing file "/tmp/x/uploads/a.csv".')).toBe('Error when sniffing the file.');
    expect(redactPaths("No magic bytes found at end of file '/data/tmp/uploads/a.parquet'")).toBe('No magic bytes found at end of the file');
    expect(redactPaths('cannot open C:\\Users\\me\\data.csv now')).toBe('cannot open the file now');
    expect(redactPaths('ratio 1/2 and and/or stay')).toBe('ratio 1/2 and and/or stay');
  });
});
