import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serverStoresFor, serviceChildEnv } from './helpers.js';

const ROOT = resolve(import.meta.dirname, '../..');
// From source (tsx), as the benchmarks run it: the workers are forked with the same loader.
const CLI = ['--import', 'tsx', join(ROOT, 'service/src/cli/run.ts')];

/** One HTTP exchange on a connection of its own: the cluster hands each new connection to the next worker. */
function exchange(url: string, method: string, path: string, headers: Record<string, string> = {}, body?: string): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; text: string }> {
  return new Promise((done, fail) => {
    const req = request(`${url}${path}`, { method, headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers }, agent: false }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () => done({ status: res.statusCode!, headers: res.headers, text }));
    });
    req.on('error', fail);
    req.end(body);
  });
}

function childrenOf(pid: number): number[] {
  const out = spawnSync('pgrep', ['-P', String(pid), '-f', 'cli/run.ts'], { encoding: 'utf8' }).stdout;
  return out.split('\n').filter(Boolean).map(Number);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function waitFor<T>(what: string, probe: () => Promise<T | undefined> | T | undefined, timeoutMs = 20_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * `fstore serve --workers 2` as a real process tree on the embedded stores, auth on: the primary
 * runs the service once, two workers answer online reads and forward the rest.
 */
describe('fstore serve --workers 2', { timeout: 180_000 }, () => {
  const work = mkdtempSync(join(tmpdir(), 'fstore-workers-'));
  const dataDir = join(work, 'data');
  let server: ChildProcess;
  let url = '';
  let output = '';
  const keys: Record<'reader' | 'writer' | 'admin', string> = { reader: '', writer: '', admin: '' };
  const auth = (role: keyof typeof keys) => ({ authorization: `Bearer ${keys[role]}` });
  const online = (entity: string, features: string[], role: keyof typeof keys = 'reader') =>
    exchange(url, 'POST', '/api/online/features', auth(role), JSON.stringify({ entity, entity_keys: ['c1'], feature_list: features }));

  beforeAll(async () => {
    // The services pass (vitest.services.config.ts) runs it on Redis, PostgreSQL and the MongoDB-compatible registry.
    const stores: Record<string, string> = {};
    if (process.env['FSTORE_TEST_STORES'] === 'services') {
      const urls = await serverStoresFor(dataDir);
      Object.assign(stores, { FSTORE_ONLINE_STORE: urls.onlineStore, FSTORE_OFFLINE_STORE: urls.offlineStore, FSTORE_REGISTRY: urls.registry });
    }
    for (const role of ['reader', 'writer', 'admin'] as const) {
      const created = spawnSync(process.execPath, [...CLI, 'keys', 'create', '--name', role, '--role', role, '--data-dir', dataDir], { encoding: 'utf8', cwd: ROOT, env: serviceChildEnv(stores) });
      expect(created.status, created.stderr).toBe(0);
      keys[role] = created.stdout.trim();
    }
    server = spawn(process.execPath, [...CLI, 'serve', '--workers', '2', '--port', '0', '--data-dir', dataDir, '--log-level', process.env['DEBUG_WORKERS'] ? 'debug' : 'warn'], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: serviceChildEnv({ ...stores, FSTORE_AUTH: 'true', FSTORE_MONITORING_INTERVAL_SECONDS: '0' }),
    });
    server.stdout!.on('data', (c: Buffer) => (output += c.toString()));
    url = await new Promise<string>((resolveUrl, reject) => {
      const timer = setTimeout(() => reject(new Error(`fstore serve did not start in 90 s:\n${output}`)), 90_000);
      server.stderr!.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        const match = /listening on (http:\/\/127\.0\.0\.1:\d+) with 2 serving workers/.exec(output);
        if (match) {
          clearTimeout(timer);
          resolveUrl(match[1]!);
        }
      });
      server.once('exit', (code) => reject(new Error(`fstore serve exited with ${code}:\n${output}`)));
    });
  });

  afterAll(() => {
    if (server.exitCode === null && server.signalCode === null) {
      for (const pid of childrenOf(server.pid!)) process.kill(pid, 'SIGKILL');
      server.kill('SIGKILL');
    }
    rmSync(work, { recursive: true, force: true });
  });

  it('answers health and enforces API keys on worker-served and forwarded routes alike', async () => {
    expect(childrenOf(server.pid!)).toHaveLength(2);
    const health = await exchange(url, 'GET', '/health');
    expect(health.status).toBe(200);
    expect(JSON.parse(health.text)).toMatchObject({ status: 'ok', stores: { offline: expect.stringMatching(process.env['FSTORE_TEST_STORES'] === 'services' ? /PostgreSQL/i : /DuckDB/) } });

    for (let i = 0; i < 4; i++) {
      // Online reads (answered by a worker) and a registry read (forwarded): the same refusals.
      for (const path of ['/api/online/features', '/api/entities/']) {
        const method = path === '/api/online/features' ? 'POST' : 'GET';
        const body = method === 'POST' ? JSON.stringify({ entity: 'e', entity_keys: ['k'], feature_list: ['f'] }) : undefined;
        const missing = await exchange(url, method, path, {}, body);
        expect(missing.status).toBe(401);
        expect(missing.headers['www-authenticate']).toBe('Bearer');
        expect(JSON.parse(missing.text).error.code).toBe('FSTORE_UNAUTHENTICATED');
        const wrong = await exchange(url, method, path, { 'x-api-key': `${keys.reader}x` }, body);
        expect(wrong.status).toBe(401);
        expect(wrong.headers['www-authenticate']).toBe('Bearer error="invalid_token"');
      }
      const reader = await online('nada', ['f']);
      expect(reader.status).toBe(404);
      expect(JSON.parse(reader.text).error.code).toBe('FSTORE_ENTITY_NOT_FOUND');
      const forbidden = await exchange(url, 'POST', '/api/entities/', auth('reader'), JSON.stringify({ name: 'nope' }));
      expect(forbidden.status).toBe(403);
      expect(JSON.parse(forbidden.text).error.code).toBe('FSTORE_FORBIDDEN_ROLE');
    }
    // Health stays public.
    expect((await exchange(url, 'GET', '/health/')).status).toBe(200);
  });

  it('a feature ingested through the API is read online from every worker within a second', async () => {
    // Each worker now holds the registry lists (cached up to 1 s) from before the entity existed.
    for (let i = 0; i < 4; i++) expect((await online('conta', ['saldo'])).status).toBe(404);
    const ingested = await exchange(url, 'POST', '/api/ingest/conta/saldos', auth('writer'), JSON.stringify({ rows: [{ conta_id: 'c1', saldo: 120.5, event_timestamp: '2025-01-01T00:00:00Z' }] }));
    expect(ingested.status, ingested.text).toBe(200);
    const start = Date.now();
    // Ten new connections: round robin hands them to the two workers in turn.
    const reads = [];
    for (let i = 0; i < 10; i++) reads.push(await online('conta', ['saldo']));
    expect(Date.now() - start).toBeLessThan(1000);
    for (const read of reads) {
      expect(read.status, read.text).toBe(200);
      expect(JSON.parse(read.text).results[0].features.saldo).toEqual({ value: 120.5, status: 'PRESENT', event_timestamp: '2025-01-01T00:00:00.000Z' });
    }
    // A newer value written by the primary is what every worker serves next.
    await exchange(url, 'POST', '/api/ingest/conta/saldos', auth('writer'), JSON.stringify({ rows: [{ conta_id: 'c1', saldo: 99, event_timestamp: '2025-01-02T00:00:00Z' }] }));
    for (let i = 0; i < 4; i++) expect(JSON.parse((await online('conta', ['saldo'])).text).results[0].features.saldo.value).toBe(99);
  });

  it('a job submitted once runs once, in the primary (the upload streams through the worker)', async () => {
    const csv = ['conta_id,limite,event_timestamp', ...Array.from({ length: 500 }, (_, i) => `c${i},${i},2025-01-03T00:00:00Z`)].join('\n');
    const submitted = await exchange(url, 'POST', '/api/jobs/ingest/conta/limites?format=csv', { ...auth('writer'), 'content-type': 'text/csv' }, csv);
    expect(submitted.status, submitted.text).toBe(202);
    const id = (JSON.parse(submitted.text) as { id: string }).id;
    const job = await waitFor('the job to end', async () => {
      const j = JSON.parse((await exchange(url, 'GET', `/api/jobs/${id}`, auth('reader'))).text) as { state: string; progress: { rows_done: number } };
      return ['succeeded', 'failed', 'cancelled'].includes(j.state) ? j : undefined;
    });
    expect(job.state).toBe('succeeded');
    expect(job.progress.rows_done).toBe(500);
    const jobs = JSON.parse((await exchange(url, 'GET', '/api/jobs/?limit=100', auth('reader'))).text) as { id: string }[];
    expect(jobs.map((j) => j.id)).toEqual([id]);
    // Written once: 500 keys, each with one offline row.
    const offline = await exchange(url, 'GET', '/api/feature-groups/limites/offline?format=csv', auth('reader'));
    expect(offline.status, offline.text).toBe(200);
    expect(offline.text.trim().split('\n')).toHaveLength(501);
  });

  it('/metrics adds up the online reads the workers answered', async () => {
    const before = await onlineCount();
    for (let i = 0; i < 6; i++) await online('conta', ['saldo']);
    expect((await onlineCount()) - before).toBe(6);

    async function onlineCount(): Promise<number> {
      const text = (await exchange(url, 'GET', '/metrics', auth('reader'))).text;
      const line = text.split('\n').find((l) => l.startsWith('fstore_http_request_duration_seconds_count{method="POST",route="/api/online/features",status="200"}'));
      return line ? Number(line.split(' ').pop()) : 0;
    }
  });

  it('restarts a worker that dies, and logs it', async () => {
    const [victim] = childrenOf(server.pid!);
    process.kill(victim!, 'SIGKILL');
    const replaced = await waitFor('a new worker', () => {
      const now = childrenOf(server.pid!);
      return now.length === 2 && !now.includes(victim!) ? now : undefined;
    }, 60_000);
    expect(replaced).toHaveLength(2);
    // The primary forks the new worker before its log line has crossed the pipe: wait for the line.
    await waitFor('the exit to be logged', () => (output.includes('a serving worker exited; starting another') ? true : undefined), 10_000);
    await waitFor('the new worker to listen', () => (output.includes('a serving worker started in place of one that exited') ? true : undefined), 60_000);
    await waitFor('both workers to answer', async () => {
      const reads = await Promise.all(Array.from({ length: 6 }, () => online('conta', ['saldo'])));
      return reads.every((r) => r.status === 200) ? true : undefined;
    }, 60_000);
  });

  it('stops the primary and its workers on SIGTERM, leaving no process behind', async () => {
    const workers = childrenOf(server.pid!);
    expect(workers).toHaveLength(2);
    const exited = new Promise<number | null>((r) => server.once('exit', (code) => r(code)));
    server.kill('SIGTERM');
    expect(await exited, output.slice(-3000)).toBe(0);
    for (const pid of workers) await waitFor(`worker ${pid} to exit`, () => (isAlive(pid) ? undefined : true), 5000);
  });
});
