import type { ServiceConfig } from './config/config-schema.js';
import { ConfigError } from './config/load-config.js';
import { buildApp, type BuiltApp } from './http/app.js';

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);

/** Refuses a non-loopback bind while requests are unauthenticated (also before serving workers start). */
export function assertSafeBind(config: ServiceConfig): void {
  if (!LOOPBACK.has(config.host) && !config.authEnabled && !config.allowUnauthenticatedRemote) {
    throw new ConfigError(
      `Refusing to listen on ${config.host} with auth off: anyone who can reach that address could read features and change the registry and data. ` +
        'Turn auth on (authEnabled: true, FSTORE_AUTH=true) and create a key with `fstore keys create --name <name> --role admin`; ' +
        'or bind 127.0.0.1 behind an authenticating reverse proxy; or, on a trusted network only, set allowUnauthenticatedRemote: true (FSTORE_ALLOW_UNAUTHENTICATED_REMOTE=true). See docs/security.md.',
    );
  }
}

/** Builds and starts the service in this process; refuses a non-loopback bind while requests are unauthenticated. */
export async function startServer(config: ServiceConfig): Promise<BuiltApp & { url: string }> {
  assertSafeBind(config);
  const built = await buildApp(config);
  const url = await built.app.listen({ host: config.host, port: config.port });
  return { ...built, url };
}
