import { spawn } from 'node:child_process';
import { createOutputTail } from './output-tail.js';

export interface ServiceProcessOptions {
  command: string;
  args: readonly string[];
  env: NodeJS.ProcessEnv;
  cwd?: string;
  /** Polled until it answers 200. */
  healthUrl: string;
  startTimeoutMs?: number;
  pollIntervalMs?: number;
  /** How long stop() waits after SIGTERM before SIGKILL. */
  stopTimeoutMs?: number;
}

/** A supervised child process serving HTTP, from spawn to exit. */
export interface ServiceProcess {
  readonly pid: number | undefined;
  /** Resolves once /health answers 200; rejects with ServiceStartError otherwise. */
  readonly ready: Promise<void>;
  /** Resolves with a description of how the process ended. */
  readonly exited: Promise<string>;
  /** How the process ended, or undefined while it runs. */
  exitDescription(): string | undefined;
  /** The last few KB of the process's stderr. */
  stderrTail(): string;
  /** SIGTERM, then SIGKILL after stopTimeoutMs. Safe to call at any time, more than once. */
  stop(): Promise<void>;
}

export class ServiceStartError extends Error {
  constructor(
    message: string,
    readonly stderrTail: string,
  ) {
    super(message);
    this.name = 'ServiceStartError';
  }
}

export function spawnServiceProcess(options: ServiceProcessOptions): ServiceProcess {
  const startTimeoutMs = options.startTimeoutMs ?? 30_000;
  const pollIntervalMs = options.pollIntervalMs ?? 200;
  const stopTimeoutMs = options.stopTimeoutMs ?? 5_000;
  const stderr = createOutputTail();
  let exitDescription: string | undefined;
  let isStopping = false;

  const child = spawn(options.command, [...options.args], {
    env: options.env,
    cwd: options.cwd,
    stdio: ['ignore', 'pipe', 'pipe'],
    windowsHide: true,
  });
  child.stderr.on('data', (chunk: Buffer) => stderr.append(chunk));
  child.stdout.resume(); // drain stdout so the child never blocks on a full pipe

  const exited = new Promise<string>((resolve) => {
    child.once('error', (error) => {
      exitDescription ??= `could not be started: ${error.message}`;
      resolve(exitDescription);
    });
    child.once('exit', (code, signal) => {
      exitDescription ??= signal !== null ? `killed by ${signal}` : `exited with code ${code}`;
      resolve(exitDescription);
    });
  });

  const stop = async (): Promise<void> => {
    isStopping = true;
    if (exitDescription !== undefined || child.pid === undefined) return;
    child.kill('SIGTERM');
    if (await settlesWithin(exited, stopTimeoutMs)) return;
    child.kill('SIGKILL');
    await settlesWithin(exited, stopTimeoutMs);
  };

  const ready = (async () => {
    const deadline = Date.now() + startTimeoutMs;
    for (;;) {
      if (exitDescription !== undefined) {
        throw new ServiceStartError(`the service ${exitDescription} before it was ready`, stderr.text());
      }
      if (isStopping) throw new ServiceStartError('the service was stopped before it was ready', stderr.text());
      if (await answersOk(options.healthUrl)) return;
      if (Date.now() >= deadline) {
        await stop();
        throw new ServiceStartError(
          `the service did not answer ${options.healthUrl} within ${Math.round(startTimeoutMs / 1000)} s`,
          stderr.text(),
        );
      }
      await settlesWithin(exited, pollIntervalMs);
    }
  })();
  ready.catch(() => undefined); // callers observe it; avoid an unhandled rejection if they don't

  return {
    pid: child.pid,
    ready,
    exited,
    exitDescription: () => exitDescription,
    stderrTail: () => stderr.text(),
    stop,
  };
}

async function answersOk(url: string): Promise<boolean> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(2_000) });
    await response.arrayBuffer().catch(() => undefined);
    return response.status === 200;
  } catch {
    return false;
  }
}

/** Waits for `promise` at most `ms`; true when it settled in time. */
async function settlesWithin(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  try {
    return await Promise.race([promise.then(() => true), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
