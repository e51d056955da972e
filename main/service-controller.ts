import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import type { ServiceInfo, ServiceMode } from '@shared/ipc/desktop-api.js';
import { bundledServiceCommand } from './bundled-service-command.js';
import { findFreeLoopbackPort } from './free-port.js';
import { ServiceStartError, spawnServiceProcess } from './service-process.js';
import type { ServiceProcess } from './service-process.js';

export interface BundledServiceLaunch {
  execPath: string;
  cliPath: string;
  dataDir: string;
  /** Working directory of the service (must be a real directory, not inside app.asar). */
  cwd: string;
  env: NodeJS.ProcessEnv;
  startTimeoutMs?: number;
  stopTimeoutMs?: number;
}

/** The service the renderer talks to: either the bundled child process or a remote URL. */
export interface ServiceController {
  /** Waits for start-up to finish, then describes the service (with `error` when it is not usable). */
  info(): Promise<ServiceInfo>;
  stop(): Promise<void>;
}

export function startServiceController(mode: ServiceMode, launch: BundledServiceLaunch): ServiceController {
  if (mode.kind === 'remote') {
    const info: ServiceInfo = { url: mode.url.replace(/\/+$/, ''), mode };
    return { info: async () => info, stop: async () => undefined };
  }
  let current: ServiceProcess | undefined;
  let isStopped = false;
  const started = startBundled(launch, (process) => {
    current = process;
    if (isStopped) void process.stop();
  });
  return {
    async info() {
      const outcome = await started;
      if (outcome.error !== undefined) return { url: outcome.url, mode, error: outcome.error };
      const ended = current?.exitDescription();
      if (ended !== undefined) {
        return { url: outcome.url, mode, error: withStderr(`the bundled service ${ended}`, current?.stderrTail() ?? '') };
      }
      return { url: outcome.url, mode };
    },
    async stop() {
      isStopped = true;
      await current?.stop();
    },
  };
}

/** Two attempts: the free port can be taken by someone else between probing and binding. */
const MAX_ATTEMPTS = 2;

async function startBundled(
  launch: BundledServiceLaunch,
  onSpawn: (process: ServiceProcess) => void,
): Promise<{ url: string; error?: string }> {
  if (!existsSync(launch.cliPath)) {
    return { url: '', error: `the bundled service is missing: ${launch.cliPath} not found (run \`npm run build\`)` };
  }
  let url = '';
  let lastError = 'the bundled service did not start';
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt += 1) {
    try {
      await mkdir(launch.dataDir, { recursive: true });
      const port = await findFreeLoopbackPort();
      url = `http://127.0.0.1:${port}`;
      const command = bundledServiceCommand({ ...launch, port, baseEnv: launch.env });
      const process = spawnServiceProcess({
        ...command,
        cwd: launch.cwd,
        healthUrl: `${url}/health`,
        ...(launch.startTimeoutMs !== undefined && { startTimeoutMs: launch.startTimeoutMs }),
        ...(launch.stopTimeoutMs !== undefined && { stopTimeoutMs: launch.stopTimeoutMs }),
      });
      onSpawn(process);
      await process.ready;
      return { url };
    } catch (error) {
      if (error instanceof ServiceStartError) {
        lastError = withStderr(error.message, error.stderrTail);
        if (error.stderrTail.includes('EADDRINUSE')) continue;
      } else {
        lastError = `the bundled service could not be started: ${(error as Error).message}`;
      }
      break;
    }
  }
  return { url, error: lastError };
}

function withStderr(message: string, stderrTail: string): string {
  return stderrTail === '' ? message : `${message}\n--- service stderr (last lines) ---\n${stderrTail}`;
}
