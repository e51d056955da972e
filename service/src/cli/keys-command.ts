import { resolve } from 'node:path';
import { Option, type Command } from 'commander';
import { ROLES, type ApiKeyInfo, type Role } from '@shared/api/keys.js';
import type { ApiKeyService } from '../auth/api-key-service.js';
import { loadConfig } from '../config/load-config.js';

interface StoreOptions {
  dataDir?: string;
  config?: string;
}

/**
 * `fstore keys create|list|rotate|revoke`: manages API keys directly in the registry store of a
 * config (the embedded one in --data-dir, or FSTORE_REGISTRY), so the first admin key can be made
 * before auth is switched on. Works while the service runs too (LMDB allows several processes).
 */
export function registerKeyCommands(program: Command): void {
  const keys = program.command('keys').description('Manage API keys (see docs/security.md); works on the registry store directly');
  const withStore = (cmd: Command) =>
    cmd.option('--data-dir <dir>', 'folder of the embedded stores (default ./.fstore-data)').option('--config <file>', 'JSON config file (see docs/configuration.md)');

  withStore(
    keys
      .command('create')
      .description('Create a key and print its secret once')
      .requiredOption('--name <name>', 'shown in the audit log as key:<name>')
      .addOption(new Option('--role <role>', 'what the key may do').choices([...ROLES]).makeOptionMandatory())
      .option('--expires <date>', 'ISO date or timestamp after which the key stops working'),
  ).action(async (opts: StoreOptions & { name: string; role: Role; expires?: string }) => {
    const issued = await withKeys(opts, (k) => k.create({ name: opts.name, role: opts.role, expires_at: parseExpiry(opts.expires) }, cliActor()));
    process.stderr.write(`Created API key '${issued.info.name}' (id ${issued.info.id}, role ${issued.info.role}). The secret is shown only now:\n`);
    process.stdout.write(`${issued.key}\n`);
  });

  withStore(keys.command('list').description('List keys (never their secrets)').option('--json', 'print JSON')).action(
    async (opts: StoreOptions & { json?: boolean }) => {
      const list = await withKeys(opts, (k) => k.list());
      if (opts.json) return void process.stdout.write(`${JSON.stringify(list, null, 2)}\n`);
      process.stdout.write('ID\tNAME\tROLE\tSTATE\tCREATED\tLAST USED\tEXPIRES\n');
      for (const key of list) process.stdout.write(`${[key.id, key.name, key.role, stateOf(key), key.created_at, key.last_used_at ?? '-', key.expires_at ?? '-'].join('\t')}\n`);
    },
  );

  withStore(
    keys
      .command('rotate <id>')
      .description('Issue a new secret for a key; the old one stops at once or after --grace')
      .option('--grace <seconds>', 'how long the old secret keeps working', (v) => parseGrace(v), 0),
  ).action(async (id: string, opts: StoreOptions & { grace: number }) => {
    const issued = await withKeys(opts, (k) => k.rotate(id, opts.grace));
    const old = issued.info.previous_secret_expires_at ? `works until ${issued.info.previous_secret_expires_at}` : 'no longer works';
    process.stderr.write(`Rotated API key '${issued.info.name}' (id ${id}); the old secret ${old}. The new secret is shown only now:\n`);
    process.stdout.write(`${issued.key}\n`);
  });

  withStore(keys.command('revoke <id>').description('Revoke a key')).action(async (id: string, opts: StoreOptions) => {
    const info = await withKeys(opts, (k) => k.revoke(id));
    process.stdout.write(`Revoked API key '${info.name}' (id ${info.id}) at ${info.revoked_at}\n`);
  });
}

async function withKeys<T>(opts: StoreOptions, fn: (keys: ApiKeyService) => Promise<T>): Promise<T> {
  const config = loadConfig({ file: opts.config, env: process.env, overrides: { dataDir: opts.dataDir } });
  // Loaded on use: the store adapters (DuckDB, LMDB, database clients) cost a second to import,
  // which every other command would pay.
  const [{ openRegistry }, { ApiKeyService }] = await Promise.all([import('../storage/open-stores.js'), import('../auth/api-key-service.js')]);
  const store = await openRegistry(config.registry, resolve(config.dataDir));
  try {
    return await fn(new ApiKeyService(store));
  } finally {
    await store.close();
  }
}

function stateOf(key: ApiKeyInfo): string {
  if (key.revoked) return 'revoked';
  if (key.expires_at !== null && Date.parse(key.expires_at) <= Date.now()) return 'expired';
  return 'active';
}

function parseExpiry(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const time = Date.parse(value);
  if (Number.isNaN(time)) throw new Error(`--expires must be an ISO date or timestamp, got '${value}'`);
  return new Date(time).toISOString();
}

function parseGrace(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 30 * 24 * 3600) throw new Error(`--grace must be whole seconds from 0 to 2592000, got '${value}'`);
  return n;
}

function cliActor(): string {
  return `cli:${(process.env['USER'] ?? 'unknown').replace(/[^\w.@-]/g, '').slice(0, 100) || 'unknown'}`;
}
