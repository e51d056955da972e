/**
 * SIGTERM stops a real `fstore serve` within its shutdown deadline even while user SQL runs away:
 * a DuckDB query still running on a libuv thread would otherwise keep the process alive (its exit
 * waits for the thread) until someone sends kill -9.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { serveChild, type ServiceChild } from './faults/serve-child.js';
import { previewOf, RUNAWAY_SQL, sleep } from './runaway-sql.js';

/** The default `shutdownTimeoutMs`, plus room for a slow machine. */
const EXIT_BOUND_MS = 15_000;

describe('fstore serve shutdown', () => {
  let service: ServiceChild | undefined;
  afterAll(async () => {
    if (service && service.child.exitCode === null && service.child.signalCode === null) await service.kill();
  });

  it('exits on SIGTERM within the shutdown deadline while runaway previews run', { timeout: 120_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fstore-shutdown-'));
    const sources = join(dir, 'sources');
    mkdirSync(sources);
    writeFileSync(join(sources, 't.csv'), 'user_id,amount\nu1,1\n');
    writeFileSync(join(dir, 'fstore.json'), JSON.stringify({ fileSourceDirs: [sources] }));
    service = await serveChild(join(dir, 'data'), ['--config', join(dir, 'fstore.json')]);
    const child = service;
    expect((await child.call('POST', '/api/data-sources/', { name: 't', type: 'file', path: join(sources, 't.csv') })).status).toBe(201);
    const previews = Array.from({ length: 4 }, () => child.call('POST', '/api/transforms/preview', previewOf(RUNAWAY_SQL, 't')).catch((err: unknown) => err));
    await sleep(2000);
    expect(child.child.exitCode).toBeNull();

    const exited = new Promise<{ code: number | null; signal: string | null }>((resolve) => child.child.once('exit', (code, signal) => resolve({ code, signal })));
    const started = performance.now();
    child.child.kill('SIGTERM');
    const outcome = await Promise.race([exited, sleep(EXIT_BOUND_MS).then(() => 'still running' as const)]);
    const ms = Math.round(performance.now() - started);
    expect(outcome, `${ms} ms after SIGTERM`).toEqual({ code: 0, signal: null });
    expect(ms).toBeLessThan(EXIT_BOUND_MS);
    await Promise.all(previews);
  });
});
