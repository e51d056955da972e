/**
 * Starts the real service (`node bin/fstore.js serve`) on a free port with a fresh data folder,
 * waits for GET /health, and stops it afterwards. The service serves the built renderer at `/`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url));
const HEALTH_TIMEOUT_MS = 30_000;

export interface RunningService {
  url: string;
  dataDir: string;
  /** Everything the service printed so far, to explain a failure. */
  output: () => string;
  stop: () => Promise<void>;
  /** Ends the process, keeping its port and data folder for `restart` (the service "dies"). */
  halt: () => Promise<void>;
  /** Starts the service again on the same port and data folder, and waits for GET /health. */
  restart: () => Promise<void>;
}

/** `env`: FSTORE_* settings for this service (the caller's own FSTORE_* are never passed on). */
export async function startService(env: Record<string, string> = {}): Promise<RunningService> {
  const cli = join(REPO_ROOT, 'bin', 'fstore.js');
  const ui = join(REPO_ROOT, 'dist', 'renderer', 'index.html');
  if (!existsSync(ui)) {
    throw new Error(`${ui} is missing: build the renderer first (npm run build, or node scripts/e2e.mjs)`);
  }
  const port = await freePort();
  const dataDir = await mkdtemp(join(tmpdir(), 'fstore-e2e-'));
  let stdout = '';
  let stderr = '';
  const spawnServe = () => {
    const child = spawn(process.execPath, [cli, 'serve', '--host', '127.0.0.1', '--port', String(port), '--data-dir', dataDir], {
      cwd: REPO_ROOT,
      // Without the caller's FSTORE_* settings: a shell with server URLs exported must not redirect the UI tests.
      // One process, as in the desktop app, unless a test asks for serving workers.
      env: { ...Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('FSTORE_'))), NODE_ENV: 'test', FSTORE_WORKERS: '1', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    return child;
  };
  let child = spawnServe();
  const output = () => `--- service stderr ---\n${stderr}\n--- service stdout ---\n${stdout}`;
  const url = `http://127.0.0.1:${port}`;

  const stop = async () => {
    await terminate(child);
    await rm(dataDir, { recursive: true, force: true });
  };
  const healthy = async () => {
    try {
      await waitForHealth(url, child);
    } catch (err) {
      await stop();
      throw new Error(`The FStore service did not become healthy at ${url}/health: ${(err as Error).message}\n${output()}`);
    }
  };
  const halt = () => terminate(child);
  const restart = async () => {
    await terminate(child);
    child = spawnServe();
    await healthy();
  };

  await healthy();
  return { url, dataDir, output, stop, halt, restart };
}

async function waitForHealth(url: string, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + HEALTH_TIMEOUT_MS;
  let lastProblem = 'no answer yet';
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`the process exited early (code ${child.exitCode}, signal ${child.signalCode})`);
    }
    try {
      const res = await fetch(`${url}/health`, { signal: AbortSignal.timeout(2_000) });
      if (res.status === 200) return;
      lastProblem = `HTTP ${res.status}`;
    } catch (err) {
      lastProblem = (err as Error).message;
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`timed out after ${HEALTH_TIMEOUT_MS / 1000}s (last: ${lastProblem})`);
}

async function terminate(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
  await exited;
  clearTimeout(timer);
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => (port ? resolve(port) : reject(new Error('could not get a free port'))));
    });
  });
}
