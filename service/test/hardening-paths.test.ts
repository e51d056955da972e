/**
 * File sources stay inside `fileSourceDirs`: `..`, absolute paths elsewhere, symlinks out of the
 * folder (also ones planted after the source was saved), wildcard folders, quotes and NUL bytes are
 * refused with FSTORE_FORBIDDEN_PATH, and a refused request leaves the registry as it was. Names
 * that become file names (kept uploads) cannot leave their folder either.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, renameSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestService, type TestService } from './helpers.js';

const CSV = 'user_id,amount,event_time\nu1,10,2025-01-01T00:00:00Z\n';

describe('file sources are confined to fileSourceDirs', () => {
  let s: TestService;
  let root: string;
  let allowed: string;
  let outside: string;

  const sources = async () => (await s.get('/api/data-sources/?include_archived=true')).json() as { name: string; path: string }[];
  const create = (path: string, name = 'probe') => s.post('/api/data-sources/', { name, type: 'file', path });

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'fstore-paths-'));
    allowed = join(root, 'allowed');
    outside = join(root, 'outside');
    mkdirSync(join(allowed, 'sub'), { recursive: true });
    mkdirSync(outside);
    writeFileSync(join(allowed, 'sub', 'events.csv'), CSV);
    writeFileSync(join(outside, 'secret.csv'), 'user_id,secret\nu1,hunter2\n');
    symlinkSync(outside, join(allowed, 'link_out'));
    symlinkSync(join(outside, 'secret.csv'), join(allowed, 'secret_link.csv'));
    s = await startTestService(undefined, { fileSourceDirs: [allowed] });
  });
  afterAll(() => s.close());

  it.each([
    ['a path with ..', () => `${allowed}/sub/../../outside/secret.csv`, /must not contain '\.\.'/],
    ['an absolute path elsewhere', () => join(outside, 'secret.csv'), /outside the folders FStore may read/],
    ['a relative path', () => 'sub/events.csv', /must be an absolute path/],
    ['a folder that is a symlink out', () => join(allowed, 'link_out', 'secret.csv'), /outside the folders FStore may read/],
    ['a wildcard folder', () => join(allowed, '*', 'events.csv'), /wildcards are allowed in the file name only/],
    ['a glob through a symlinked folder', () => join(allowed, 'link_out', '*.csv'), /outside the folders FStore may read/],
    ['a quote (SQL literal break-out)', () => join(allowed, "sub/x'; COPY (SELECT 1) TO '/tmp/x.csv"), /character that is not allowed/],
    ['a NUL byte', () => join(allowed, 'sub/events.csv\u0000.txt'), /character that is not allowed/],
    ['the allowed folder prefix without a separator', () => `${allowed}_sibling/events.csv`, /does not exist|outside the folders/],
  ])('refuses %s, and the registry is unchanged', async (_label, path, message) => {
    const before = await sources();
    const res = await create(path());
    expect(res.statusCode, res.body).toBeGreaterThanOrEqual(400);
    expect(res.statusCode).toBeLessThan(500);
    expect(res.json().error.message).toMatch(message);
    expect(await sources()).toEqual(before);
  });

  it('refuses a symlinked file named directly: its target decides', async () => {
    const res = await create(join(allowed, 'secret_link.csv'), 'linked_file');
    expect(res.statusCode).toBe(403);
    expect(res.json().error.code).toBe('FSTORE_FORBIDDEN_PATH');
  });

  it('re-checks the folder when a transform reads the source: a folder swapped for a symlink is refused', async () => {
    expect((await create(join(allowed, 'sub', 'events.csv'), 'events')).statusCode).toBe(201);
    const preview = () => s.post('/api/transforms/preview', { language: 'sql', code: 'SELECT * FROM events', sources: ['events'], entity: 'user' });
    expect((await preview()).statusCode).toBe(200);
    renameSync(join(allowed, 'sub'), join(allowed, 'sub_moved'));
    writeFileSync(join(outside, 'events.csv'), 'user_id,secret\nu1,hunter2\n');
    symlinkSync(outside, join(allowed, 'sub'));
    const res = await preview();
    expect(res.statusCode).toBe(403);
    expect(res.json().error.code).toBe('FSTORE_FORBIDDEN_PATH');
    expect(res.body).not.toContain('hunter2');
  });

  it('server-side ingestion jobs are confined the same way', async () => {
    const res = await s.post('/api/jobs/ingest/user/profile', { path: join(allowed, 'link_out', 'secret.csv') });
    expect(res.json().error.code).toBe('FSTORE_FORBIDDEN_PATH');
    expect((await s.get('/api/jobs/')).json()).toEqual([]);
  });

  it('a kept upload is named by the source name only after the name is validated', async () => {
    const upload = (await s.app.inject({ method: 'POST', url: '/api/uploads/', payload: CSV, headers: { 'content-type': 'text/csv' } })).json();
    const escape = join(root, 'escaped');
    const res = await s.post('/api/data-sources/', { name: `../../../../../../..${escape}`, type: 'file', upload_id: upload.upload_id });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('FSTORE_INVALID_NAME');
    expect(existsSync(`${escape}.csv`)).toBe(false);
    expect(readdirSync(root).sort()).toEqual(['allowed', 'outside']);
    // The upload was not consumed by the refused request.
    expect((await s.get(`/api/uploads/${upload.upload_id}/preview`)).statusCode).toBe(200);
  });
});
