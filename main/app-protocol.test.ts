import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contentTypeFor, resolveAppFile, serveAppRequest } from './app-protocol.js';

const CSP = "default-src 'self'";
let base: string;
let root: string;

beforeAll(async () => {
  base = await mkdtemp(path.join(tmpdir(), 'fstore-app-protocol-'));
  root = path.join(base, 'renderer');
  await mkdir(path.join(root, 'assets'), { recursive: true });
  await writeFile(path.join(root, 'index.html'), '<!doctype html><title>FStore</title>');
  await writeFile(path.join(root, 'assets', 'app.js'), 'console.log("hi")');
  await writeFile(path.join(root, 'assets', 'my file.css'), 'body{}');
  await writeFile(path.join(base, 'secret.txt'), 'top secret');
  await symlink(path.join(base, 'secret.txt'), path.join(root, 'assets', 'link.txt'));
});

afterAll(async () => {
  await rm(base, { recursive: true, force: true });
});

const serve = (url: string, method = 'GET') => serveAppRequest({ url, method }, { rootDir: root, contentSecurityPolicy: CSP });

describe('serveAppRequest', () => {
  it('serves index.html for the root and for the entry URL, with the CSP header', async () => {
    for (const url of ['app://fstore/', 'app://fstore/index.html', 'app://fstore']) {
      const response = await serve(url);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(response.headers.get('content-security-policy')).toBe(CSP);
      expect(await response.text()).toContain('<title>FStore</title>');
    }
  });

  it('serves assets with their content type, including percent-encoded names', async () => {
    const script = await serve('app://fstore/assets/app.js');
    expect(script.status).toBe(200);
    expect(script.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(await script.text()).toBe('console.log("hi")');
    const style = await serve('app://fstore/assets/my%20file.css');
    expect(style.status).toBe(200);
    expect(await style.text()).toBe('body{}');
  });

  it('falls back to index.html for client-side routes but not for missing assets', async () => {
    const route = await serve('app://fstore/features/driver_stats?tab=lineage');
    expect(route.status).toBe(200);
    expect(await route.text()).toContain('<title>FStore</title>');
    expect((await serve('app://fstore/assets/missing.js')).status).toBe(404);
  });

  it('answers HEAD without a body and refuses other methods', async () => {
    const head = await serve('app://fstore/index.html', 'HEAD');
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
    const post = await serve('app://fstore/index.html', 'POST');
    expect(post.status).toBe(405);
    expect(post.headers.get('allow')).toBe('GET, HEAD');
  });
});

describe('resolveAppFile path-traversal protection', () => {
  it.each([
    'app://fstore/%2e%2e/secret.txt',
    'app://fstore/assets/%2E%2E/%2E%2E/secret.txt',
    'app://fstore/..%2fsecret.txt',
    'app://fstore/..%2Fsecret.txt',
    'app://fstore/..%5csecret.txt',
    'app://fstore/assets%5c..%5c..%5csecret.txt',
    'app://fstore/index.html%00.js',
  ])('refuses %s', async (url) => {
    const resolution = await resolveAppFile(root, url);
    expect(resolution.kind).toBe('rejected');
    const response = await serve(url);
    expect(response.status).toBeGreaterThanOrEqual(400);
    expect(await response.text()).not.toContain('top secret');
  });

  it('never serves a file outside the root even when the URL parser collapses dot segments', async () => {
    const response = await serve('app://fstore/../../secret.txt');
    expect(await response.text()).not.toContain('top secret');
  });

  it('refuses a symlink that points outside the root', async () => {
    const response = await serve('app://fstore/assets/link.txt');
    expect(response.status).toBe(403);
    expect(await response.text()).not.toContain('top secret');
  });

  it('refuses other hosts, other schemes and malformed encodings', async () => {
    expect((await resolveAppFile(root, 'app://evil/index.html')).kind).toBe('rejected');
    expect((await resolveAppFile(root, 'app://fstore:8080/index.html')).kind).toBe('rejected');
    expect((await resolveAppFile(root, 'file:///etc/passwd')).kind).toBe('rejected');
    expect(await resolveAppFile(root, 'app://fstore/%E0%A4%A')).toMatchObject({ kind: 'rejected', status: 400 });
  });
});

describe('contentTypeFor', () => {
  it('maps common renderer assets and defaults to octet-stream', () => {
    expect(contentTypeFor('a/b.woff2')).toBe('font/woff2');
    expect(contentTypeFor('a/b.SVG')).toBe('image/svg+xml');
    expect(contentTypeFor('a/b.wasm')).toBe('application/wasm');
    expect(contentTypeFor('a/b.unknown')).toBe('application/octet-stream');
  });
});
