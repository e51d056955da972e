import { readFile, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { APP_HOST, APP_SCHEME } from './app-origin.js';

/** Where an app:// request points, after path-traversal checks. */
export type AppFileResolution =
  | { kind: 'file'; filePath: string }
  | { kind: 'rejected'; status: 400 | 403 | 404; reason: string };

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.otf': 'font/otf',
  '.wasm': 'application/wasm',
};

export function contentTypeFor(filePath: string): string {
  return CONTENT_TYPES[path.extname(filePath).toLowerCase()] ?? 'application/octet-stream';
}

/**
 * Maps an app://fstore/... URL to a file under `rootDir` (the built renderer). Anything that would
 * leave `rootDir` (encoded dot segments, backslashes, NUL bytes, symlinks pointing outside) is
 * rejected. Extension-less paths that match no file fall back to index.html (client-side routes).
 */
export async function resolveAppFile(rootDir: string, url: string): Promise<AppFileResolution> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return { kind: 'rejected', status: 400, reason: 'malformed URL' };
  }
  if (parsed.protocol !== `${APP_SCHEME}:` || parsed.hostname !== APP_HOST || parsed.port !== '') {
    return { kind: 'rejected', status: 404, reason: `unknown host in '${url}'` };
  }
  let segments: string[];
  try {
    segments = parsed.pathname.split('/').map((segment) => decodeURIComponent(segment));
  } catch {
    return { kind: 'rejected', status: 400, reason: 'malformed percent-encoding' };
  }
  if (segments.some((s) => s === '.' || s === '..' || s.includes('\0') || s.includes('\\') || s.includes('/'))) {
    return { kind: 'rejected', status: 403, reason: 'path escapes the app directory' };
  }
  const relative = segments.filter((s) => s !== '').join('/');
  const root = path.resolve(rootDir);
  const wantsDirectory = relative === '' || parsed.pathname.endsWith('/');
  const candidate = path.resolve(root, wantsDirectory ? path.join(relative, 'index.html') : relative);
  if (!isInside(root, candidate)) {
    return { kind: 'rejected', status: 403, reason: 'path escapes the app directory' };
  }
  const found = await existingFileInside(root, candidate);
  if (found.kind !== 'missing') return found.kind === 'file' ? found : forbidden();
  const lastSegment = segments[segments.length - 1] ?? '';
  if (!lastSegment.includes('.')) {
    const index = await existingFileInside(root, path.join(root, 'index.html'));
    if (index.kind === 'file') return index;
  }
  return { kind: 'rejected', status: 404, reason: `no such file: /${relative}` };
}

/** Serves one app:// request as a fetch Response carrying the CSP header. */
export async function serveAppRequest(
  request: { url: string; method: string },
  options: { rootDir: string; contentSecurityPolicy: string },
): Promise<Response> {
  const headers: Record<string, string> = {
    'Content-Security-Policy': options.contentSecurityPolicy,
    'X-Content-Type-Options': 'nosniff',
  };
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    return new Response('method not allowed', { status: 405, headers: { ...headers, Allow: 'GET, HEAD' } });
  }
  const resolution = await resolveAppFile(options.rootDir, request.url);
  if (resolution.kind === 'rejected') {
    return new Response(resolution.reason, {
      status: resolution.status,
      headers: { ...headers, 'Content-Type': 'text/plain; charset=utf-8' },
    });
  }
  let body: Uint8Array | null = null;
  try {
    if (request.method !== 'HEAD') body = new Uint8Array(await readFile(resolution.filePath));
  } catch (error) {
    return new Response(`cannot read ${request.url}: ${(error as Error).message}`, {
      status: 500,
      headers: { ...headers, 'Content-Type': 'text/plain; charset=utf-8' },
    });
  }
  return new Response(body, {
    status: 200,
    headers: { ...headers, 'Content-Type': contentTypeFor(resolution.filePath), 'Cache-Control': 'no-cache' },
  });
}

function isInside(root: string, candidate: string): boolean {
  return candidate.startsWith(root.endsWith(path.sep) ? root : root + path.sep);
}

function forbidden(): AppFileResolution {
  return { kind: 'rejected', status: 403, reason: 'path escapes the app directory' };
}

/** Stats `candidate`; a file whose real path (symlinks resolved) leaves `root` counts as outside. */
async function existingFileInside(
  root: string,
  candidate: string,
): Promise<{ kind: 'file'; filePath: string } | { kind: 'missing' } | { kind: 'outside' }> {
  try {
    const info = await stat(candidate);
    if (!info.isFile()) return { kind: 'missing' };
    const [realRoot, realCandidate] = await Promise.all([realpath(root), realpath(candidate)]);
    return isInside(realRoot, realCandidate) ? { kind: 'file', filePath: candidate } : { kind: 'outside' };
  } catch {
    return { kind: 'missing' };
  }
}
