import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { bundledServiceCommand } from './bundled-service-command.js';
import { findFreeLoopbackPort } from './free-port.js';
import { ServiceStartError, spawnServiceProcess } from './service-process.js';
import type { ServiceProcess } from './service-process.js';

const FAKE_CLI = fileURLToPath(new URL('./test-fixtures/fake-fstore-cli.mjs', import.meta.url));
let dataDir: string;
const started: ServiceProcess[] = [];

beforeEach(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'fstore-service-process-'));
});

afterEach(async () => {
  await Promise.all(started.splice(0).map((service) => service.stop()));
  await rm(dataDir, { recursive: true, force: true });
});

async function launch(behaviour: string, extra: { startTimeoutMs?: number; stopTimeoutMs?: number } = {}) {
  const port = await findFreeLoopbackPort();
  const command = bundledServiceCommand({
    execPath: process.execPath,
    cliPath: FAKE_CLI,
    port,
    dataDir,
    baseEnv: { ...process.env, FAKE_SERVICE_BEHAVIOUR: behaviour },
  });
  const service = spawnServiceProcess({ ...command, cwd: dataDir, healthUrl: `http://127.0.0.1:${port}/health`, ...extra });
  started.push(service);
  return { service, port };
}

describe('spawnServiceProcess', () => {
  it('starts the CLI with serve --host 127.0.0.1 --port --data-dir --workers 1 and ELECTRON_RUN_AS_NODE=1, and waits for /health', async () => {
    const { service, port } = await launch('ok');
    await service.ready;
    const health = (await (await fetch(`http://127.0.0.1:${port}/health`)).json()) as Record<string, unknown>;
    expect(health.args).toEqual(['serve', '--host', '127.0.0.1', '--port', String(port), '--data-dir', dataDir, '--workers', '1']);
    expect(health.runAsNode).toBe('1');
    expect(service.exitDescription()).toBeUndefined();
    await service.stop();
    expect(service.exitDescription()).toMatch(/exited with code 0|killed by SIGTERM/);
    await expect(fetch(`http://127.0.0.1:${port}/health`)).rejects.toThrow();
  });

  it('reports a crash before readiness with the stderr tail', async () => {
    const { service } = await launch('crash');
    const error = await service.ready.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ServiceStartError);
    expect((error as ServiceStartError).message).toMatch(/exited with code 3 before it was ready/);
    expect((error as ServiceStartError).stderrTail).toContain('disk on fire');
  });

  it('gives up after the start timeout and kills the process', async () => {
    const { service } = await launch('hang', { startTimeoutMs: 800 });
    await expect(service.ready).rejects.toThrow(/did not answer .*\/health within 1 s/);
    expect(service.exitDescription()).toBeDefined();
  });

  it('escalates to SIGKILL when SIGTERM is ignored', async () => {
    const { service } = await launch('ignore-sigterm', { stopTimeoutMs: 300 });
    await service.ready;
    await service.stop();
    expect(service.exitDescription()).toBe('killed by SIGKILL');
  });

  it('reports a command that cannot be spawned', async () => {
    const service = spawnServiceProcess({
      command: path.join(dataDir, 'no-such-binary'),
      args: [],
      env: process.env,
      healthUrl: 'http://127.0.0.1:9/health',
    });
    started.push(service);
    await expect(service.ready).rejects.toThrow(/could not be started: .*ENOENT/);
  });
});
