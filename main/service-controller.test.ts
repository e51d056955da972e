import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startServiceController } from './service-controller.js';
import type { BundledServiceLaunch, ServiceController } from './service-controller.js';

const FAKE_CLI = fileURLToPath(new URL('./test-fixtures/fake-fstore-cli.mjs', import.meta.url));
let userData: string;
const controllers: ServiceController[] = [];

beforeEach(async () => {
  userData = await mkdtemp(path.join(tmpdir(), 'fstore-controller-'));
});

afterEach(async () => {
  await Promise.all(controllers.splice(0).map((controller) => controller.stop()));
  await rm(userData, { recursive: true, force: true });
});

function launch(behaviour: string, overrides: Partial<BundledServiceLaunch> = {}): BundledServiceLaunch {
  return {
    execPath: process.execPath,
    cliPath: FAKE_CLI,
    dataDir: path.join(userData, 'data'),
    cwd: userData,
    env: { ...process.env, FAKE_SERVICE_BEHAVIOUR: behaviour },
    startTimeoutMs: 10_000,
    ...overrides,
  };
}

function start(...args: Parameters<typeof startServiceController>): ServiceController {
  const controller = startServiceController(...args);
  controllers.push(controller);
  return controller;
}

describe('startServiceController', () => {
  it('starts the bundled service on a loopback port with its data under userData', async () => {
    const controller = start({ kind: 'bundled' }, launch('ok'));
    const info = await controller.info();
    expect(info.error).toBeUndefined();
    expect(info.mode).toEqual({ kind: 'bundled' });
    expect(info.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const health = (await (await fetch(`${info.url}/health`)).json()) as { dataDir: string; cwd: string };
    expect(health.dataDir).toBe(path.join(userData, 'data'));
    await controller.stop();
    await expect(fetch(`${info.url}/health`)).rejects.toThrow();
  });

  it('returns the reason and stderr tail when the bundled service fails', async () => {
    const info = await start({ kind: 'bundled' }, launch('crash')).info();
    expect(info.error).toMatch(/exited with code 3 before it was ready/);
    expect(info.error).toContain('disk on fire');
  });

  it('reports a service that dies after start-up', async () => {
    const controller = start({ kind: 'bundled' }, launch('die-after-ready'));
    expect((await controller.info()).error).toBeUndefined();
    await new Promise((resolve) => setTimeout(resolve, 800));
    const info = await controller.info();
    expect(info.error).toMatch(/the bundled service exited with code 4/);
    expect(info.error).toContain('lost the registry connection');
  });

  it('retries once on a new port when the port was taken in between', async () => {
    const info = await start({ kind: 'bundled' }, launch('port-in-use-once')).info();
    expect(info.error).toBeUndefined();
  });

  it('explains a missing CLI', async () => {
    const info = await start({ kind: 'bundled' }, launch('ok', { cliPath: path.join(userData, 'bin', 'fstore.js') })).info();
    expect(info.error).toMatch(/bundled service is missing: .*fstore\.js not found/);
  });

  it('does not start anything in remote mode', async () => {
    const info = await start({ kind: 'remote', url: 'https://fstore.example.com/' }, launch('crash')).info();
    expect(info).toEqual({ url: 'https://fstore.example.com', mode: { kind: 'remote', url: 'https://fstore.example.com/' } });
  });

  it('stops a service that is still starting', async () => {
    const controller = start({ kind: 'bundled' }, launch('hang'));
    await new Promise((resolve) => setTimeout(resolve, 300));
    await controller.stop();
    expect((await controller.info()).error).toMatch(/stopped before it was ready|killed by SIGTERM|exited/);
  });
});
