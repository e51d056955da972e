import { execFile, spawnSync } from 'node:child_process';
import { promisify } from 'node:util';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/http/app.js';
import { loadConfig } from '../src/config/load-config.js';
import { startServer } from '../src/server.js';
import { freshDataDir } from './helpers.js';

const ROOT = resolve(import.meta.dirname, '../..');
const BIN = join(ROOT, 'bin/fstore.js');

function fstore(...args: string[]) {
  return fstoreWith({}, ...args);
}

function fstoreWith(extraEnv: Record<string, string>, ...args: string[]) {
  return spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', timeout: 120_000, env: cliEnv(extraEnv) });
}

/** Without blocking this process, which serves the requests of the command. */
async function fstoreAsync(extraEnv: Record<string, string>, ...args: string[]): Promise<{ status: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [BIN, ...args], { encoding: 'utf8', timeout: 120_000, env: cliEnv(extraEnv) });
    return { status: 0, stdout, stderr };
  } catch (err) {
    const failed = err as { code?: unknown; stdout?: string; stderr?: string };
    return { status: typeof failed.code === 'number' ? failed.code : -1, stdout: failed.stdout ?? '', stderr: failed.stderr ?? String(err) };
  }
}

function cliEnv(extraEnv: Record<string, string>): NodeJS.ProcessEnv {
  // No FSTORE_* from the shell: the command must work on --data-dir alone.
  return { ...Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('FSTORE_'))), ...extraEnv };
}

// Each CLI process takes seconds to start on a busy machine, hence the long test timeouts.
/** `fstore keys` on the embedded registry of a data folder, then the keys used by a service with auth on. */
describe('fstore keys', { timeout: 120_000 }, () => {
  const dataDir = freshDataDir();

  beforeAll(() => {
    if (!existsSync(join(ROOT, 'dist/service/src/cli/keys-command.js'))) {
      throw new Error('The CLI is not built: run `npm run build` (or `npm run build:ts`) first');
    }
  });

  async function statusWith(key: string): Promise<number> {
    const { app } = await buildApp(loadConfig({ env: {}, overrides: { dataDir, logLevel: 'silent', authEnabled: true, monitoringIntervalSeconds: 0 } }));
    try {
      return (await app.inject({ method: 'GET', url: '/api/keys', headers: { authorization: `Bearer ${key}` } })).statusCode;
    } finally {
      await app.close();
    }
  }

  it('creates a key, printing the secret once on stdout; lists it without the secret; revokes it', async () => {
    const created = fstore('keys', 'create', '--data-dir', dataDir, '--name', 'ci', '--role', 'admin');
    expect(created.status, created.stderr).toBe(0);
    const secret = created.stdout.trim();
    expect(secret).toMatch(/^fsk_[0-9a-f]{16}_[\w-]{43}$/);
    expect(created.stderr).toMatch(/Created API key 'ci' \(id [0-9a-f]{16}, role admin\)\. The secret is shown only now/);
    const id = secret.split('_')[1]!;

    const listed = fstore('keys', 'list', '--data-dir', dataDir);
    expect(listed.status, listed.stderr).toBe(0);
    expect(listed.stdout).toMatch(new RegExp(`^${id}\\tci\\tadmin\\tactive\\t`, 'm'));
    expect(listed.stdout).not.toContain(secret.split('_').slice(2).join('_'));
    expect(await statusWith(secret)).toBe(200);

    const rotated = fstore('keys', 'rotate', id, '--data-dir', dataDir);
    expect(rotated.status, rotated.stderr).toBe(0);
    expect(rotated.stderr).toContain('the old secret no longer works');
    const newSecret = rotated.stdout.trim();
    expect(await statusWith(secret)).toBe(401);
    expect(await statusWith(newSecret)).toBe(200);

    const revoked = fstore('keys', 'revoke', id, '--data-dir', dataDir);
    expect(revoked.status, revoked.stderr).toBe(0);
    expect(revoked.stdout).toMatch(/Revoked API key 'ci'/);
    expect(await statusWith(newSecret)).toBe(401);
    const json = JSON.parse(fstore('keys', 'list', '--json', '--data-dir', dataDir).stdout) as { revoked: boolean }[];
    expect(json.map((k) => k.revoked)).toEqual([true]);
  }, 600_000);

  it('refuses a bad role or expiry, creating nothing', () => {
    const role = fstore('keys', 'create', '--data-dir', dataDir, '--name', 'x', '--role', 'root');
    expect(role.status).not.toBe(0);
    expect(role.stderr).toMatch(/--role.*root.*reader, writer, admin/s);
    const expiry = fstore('keys', 'create', '--data-dir', dataDir, '--name', 'x', '--role', 'reader', '--expires', 'someday');
    expect(expiry.status).toBe(1);
    expect(expiry.stderr).toContain("--expires must be an ISO date or timestamp, got 'someday'");
    expect(fstore('keys', 'list', '--data-dir', dataDir).stdout).not.toMatch(/\tx\t/);
  }, 300_000);

  it("sends $FSTORE_API_KEY from the client commands to a service with auth on", async () => {
    const dir = freshDataDir();
    const key = fstore('keys', 'create', '--data-dir', dir, '--name', 'cli-reader', '--role', 'reader').stdout.trim();
    const { app, url } = await startServer(loadConfig({ env: {}, overrides: { dataDir: dir, port: 0, logLevel: 'silent', authEnabled: true, monitoringIntervalSeconds: 0 } }));
    try {
      const refused = await fstoreAsync({}, 'features', 'list', '--url', url);
      expect(refused.status).toBe(1);
      expect(refused.stderr).toContain('FSTORE_UNAUTHENTICATED');
      const listed = await fstoreAsync({ FSTORE_API_KEY: key }, 'features', 'list', '--url', url);
      expect(listed.status, listed.stderr).toBe(0);
    } finally {
      await app.close();
    }
  }, 300_000);
});
