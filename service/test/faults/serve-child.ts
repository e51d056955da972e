import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { serviceChildEnv } from '../helpers.js';

const ROOT = resolve(import.meta.dirname, '../../..');

export interface ServiceChild {
  child: ChildProcess;
  url: string;
  /** JSON request against the child; resolves with status and parsed body. */
  call(method: string, path: string, body?: unknown, contentType?: string): Promise<{ status: number; body: any }>; // eslint-disable-line @typescript-eslint/no-explicit-any -- test responses of many shapes
  /** kill -9, and wait until the process is gone. */
  kill(): Promise<void>;
  stop(): Promise<void>;
}

/** `fstore serve` as a separate process (from dist/, built by `npm run build`), so it can be killed. */
export async function serveChild(dataDir: string, extraArgs: string[] = [], env: Record<string, string> = {}): Promise<ServiceChild> {
  if (!existsSync(join(ROOT, 'dist/service/src/cli/run.js'))) throw new Error('Run `npm run build` first (npm test does)');
  const child = spawn(process.execPath, [join(ROOT, 'bin/fstore.js'), 'serve', '--port', '0', '--data-dir', dataDir, '--log-level', 'warn', ...extraArgs], {
    stdio: ['ignore', 'ignore', 'pipe'],
    env: serviceChildEnv(env),
  });
  let stderr = '';
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const url = await new Promise<string>((ok, fail) => {
    const timer = setTimeout(() => fail(new Error(`fstore serve did not start in 60 s: ${stderr}`)), 60_000);
    child.once('exit', (code) => fail(new Error(`fstore serve exited (${code}): ${stderr}`)));
    child.stderr!.on('data', (c: Buffer) => {
      stderr += c.toString();
      const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(stderr);
      if (m) {
        clearTimeout(timer);
        ok(m[1]!);
      }
    });
  });
  return {
    child,
    url,
    async call(method, path, body, contentType = 'application/json') {
      const res = await fetch(`${url}${path}`, {
        method,
        ...(body === undefined
          ? {}
          : { body: body instanceof Uint8Array ? Buffer.from(body) : JSON.stringify(body), headers: { 'content-type': contentType } }),
      });
      const text = await res.text();
      return { status: res.status, body: text ? JSON.parse(text) : undefined };
    },
    async kill() {
      child.kill('SIGKILL');
      await exited;
    },
    async stop() {
      child.kill('SIGTERM');
      await exited;
    },
  };
}
