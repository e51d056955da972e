/**
 * Benchmark servers run as child processes, so the load generator (autocannon, in the bench
 * process) never shares an event loop with the server it measures, and FStore and its bare
 * baseline have the same process shape: one Node process with the tsx loader, loaded over TCP.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { serviceChildEnv } from '../service/test/helpers.js';

export const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url));

export interface ChildServer {
  url: string;
  pid: number;
  /** What the process printed so far, to explain a failure. */
  output(): string;
  /** SIGTERM, then waits for the exit (so a --cpu-prof profile is written). */
  stop(): Promise<void>;
}

/**
 * Runs a TypeScript entry point (through tsx, from source, so the figures are of the current code)
 * and resolves with the URL it prints as `listening on http://...` on stderr.
 * `BENCH_CPU_PROF=<dir>` adds `--cpu-prof` to every child: profiles land in that folder.
 */
export async function startChild(script: string, args: string[], env: Record<string, string> = {}): Promise<ChildServer> {
  const profile = process.env['BENCH_CPU_PROF'];
  const nodeArgs = ['--import', 'tsx', ...(profile ? ['--cpu-prof', `--cpu-prof-dir=${profile}`] : [])];
  const child = spawn(process.execPath, [...nodeArgs, script, ...args], {
    cwd: REPO_ROOT,
    env: serviceChildEnv(env),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr.on('data', (c: Buffer) => (out += c.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${script} did not start listening within 60 s:\n${out}`)), 60_000);
    const onData = () => {
      const m = /listening on (http:\/\/[\d.:]+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        child.stderr.off('data', onData);
        resolve(m[1]!);
      }
    };
    child.stderr.on('data', onData);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`${script} exited (code ${code}, signal ${signal}) before listening:\n${out}`));
    });
  });
  return { url, pid: child.pid!, output: () => out, stop: () => terminate(child) };
}

/** `fstore serve` on a free port with the given data folder and FSTORE_* settings. */
export function startFStore(dataDir: string, env: Record<string, string> = {}): Promise<ChildServer> {
  return startChild('service/src/cli/run.ts', ['serve', '--port', '0', '--data-dir', dataDir, '--log-level', 'warn'], {
    FSTORE_MONITORING_INTERVAL_SECONDS: '0',
    ...env,
  });
}

async function terminate(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
  await exited;
  clearTimeout(timer);
}
