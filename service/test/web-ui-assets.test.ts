import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliCompressSync, brotliDecompressSync, gunzipSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Job } from '@shared/api/jobs.js';
import { cacheControlFor } from '../src/http/web/cache-control.js';
import { startTestService, type TestService } from './helpers.js';

const IMMUTABLE = 'public, max-age=31536000, immutable';
const SCRIPT = `export const answer = ${JSON.stringify('x'.repeat(4000))};\n`;
/** Brotli at top quality, as the build writes it: the service's on-the-fly quality would give other bytes. */
const SCRIPT_BR = brotliCompressSync(SCRIPT);

/** A built UI as Vite leaves it: index.html, hashed assets with their .br/.gz copies, an unhashed icon. */
function builtUi(): string {
  const root = mkdtempSync(join(tmpdir(), 'fstore-web-ui-'));
  mkdirSync(join(root, 'assets'));
  writeFileSync(join(root, 'index.html'), '<!doctype html><title>FStore</title><script type="module" src="./assets/index-AbCd12_x.js"></script>');
  writeFileSync(join(root, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
  const script = join(root, 'assets', 'index-AbCd12_x.js');
  writeFileSync(script, SCRIPT);
  writeFileSync(`${script}.br`, SCRIPT_BR);
  writeFileSync(`${script}.gz`, gzipSync(SCRIPT));
  writeFileSync(join(root, 'assets', 'style-Zz9Yy8Xx.css'), `body { color: red; }\n${'.a { margin: 0 }\n'.repeat(200)}`);
  return root;
}

describe('web UI assets: compression and caching', () => {
  let s: TestService;
  const get = (url: string, acceptEncoding?: string) =>
    s.app.inject({ method: 'GET', url, headers: acceptEncoding ? { 'accept-encoding': acceptEncoding } : {} });

  beforeAll(async () => {
    s = await startTestService(undefined, { webUiDir: builtUi() });
  });
  afterAll(() => s.close());

  it('serves index.html for revalidation on every load, with the CSP', async () => {
    for (const url of ['/', '/index.html']) {
      const res = await get(url, 'br, gzip');
      expect(res.statusCode).toBe(200);
      expect(res.headers['cache-control']).toBe('no-cache');
      expect(res.headers['content-security-policy']).toContain("script-src 'self'");
    }
  });

  it('sends the precompressed brotli copy of a hashed asset, cached for a year', async () => {
    const res = await get('/assets/index-AbCd12_x.js', 'gzip, deflate, br');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-encoding']).toBe('br');
    expect(res.headers['content-type']).toContain('javascript');
    expect(res.headers['cache-control']).toBe(IMMUTABLE);
    expect(res.rawPayload.equals(SCRIPT_BR)).toBe(true);
  });

  it('sends gzip to a client without brotli, and the plain file to one that accepts neither', async () => {
    const gzipped = await get('/assets/index-AbCd12_x.js', 'gzip');
    expect(gzipped.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gzipped.rawPayload).toString()).toBe(SCRIPT);
    expect(gzipped.headers['cache-control']).toBe(IMMUTABLE);

    const plain = await get('/assets/index-AbCd12_x.js');
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body).toBe(SCRIPT);
    expect(plain.headers['cache-control']).toBe(IMMUTABLE);
  });

  it('compresses an asset that has no precompressed copy on the fly', async () => {
    const res = await get('/assets/style-Zz9Yy8Xx.css', 'gzip');
    expect(res.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(res.rawPayload).toString()).toContain('body { color: red; }');
    expect(res.headers['cache-control']).toBe(IMMUTABLE);
  });

  it('revalidates unhashed files', async () => {
    expect((await get('/favicon.svg')).headers['cache-control']).toBe('no-cache');
  });

  it('compresses API responses when the client accepts it', async () => {
    const res = await get('/openapi.json', 'br');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-encoding']).toBe('br');
    expect(JSON.parse(brotliDecompressSync(res.rawPayload).toString())).toHaveProperty('openapi');
    expect((await get('/openapi.json')).json()).toHaveProperty('openapi');
  });

  it('answers online reads uncompressed even to a client that accepts br and gzip (the serving hot path)', async () => {
    const row: Record<string, unknown> = { usuario_id: 'u1' };
    for (let i = 0; i < 50; i++) row[`usuario_f${i}`] = i + 0.5;
    expect((await s.post('/api/ingest/usuario/wide', { rows: [row] })).statusCode).toBe(200);
    const res = await s.app.inject({
      method: 'POST',
      url: '/api/online/features',
      payload: { entity: 'usuario', entity_keys: ['u1'], feature_list: Object.keys(row).slice(1) },
      headers: { 'accept-encoding': 'br, gzip' },
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.rawPayload.length).toBeGreaterThan(1024); // past the threshold where other API answers are compressed
    expect(res.headers['content-encoding']).toBeUndefined();
    expect(res.json().results[0].features.usuario_f49.value).toBe(49.5);
  });

  it('leaves the job event stream uncompressed, so each event reaches the browser at once', async () => {
    const created = await s.app.inject({ method: 'POST', url: '/api/jobs/ingest/usuario/web', payload: 'usuario_id,web_a\nu1,1\n', headers: { 'content-type': 'text/csv' } });
    expect(created.statusCode, created.body).toBe(202);
    const { id } = created.json() as Job;
    const events = await get(`/api/jobs/${id}/events`, 'gzip, br');
    expect(events.headers['content-type']).toContain('text/event-stream');
    expect(events.headers['content-encoding']).toBeUndefined();
    expect(events.body).toContain('event: job');
  });
});

describe('cacheControlFor', () => {
  it('caches only Vite-hashed assets for good', () => {
    expect(cacheControlFor('assets/editor.api-DJdeS_GL.js')).toBe(IMMUTABLE);
    expect(cacheControlFor('assets/codicon-DF1abBS2.ttf')).toBe(IMMUTABLE);
    expect(cacheControlFor('index.html')).toBe('no-cache');
    expect(cacheControlFor('favicon.svg')).toBe('no-cache');
    expect(cacheControlFor('assets/readme.txt')).toBe('no-cache');
  });
});
