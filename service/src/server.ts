import type { ServiceConfig } from './config/config-schema.js';
import { ConfigError } from './config/load-config.js';
import { buildApp, type BuiltApp } from './app.js';

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);

/** Builds and starts the service; refuses a non-loopback bind while requests are unauthenticated. */
export async function startServer(config: ServiceConfig): Promise<BuiltApp & { url: string }> {
  if (!LOOPBACK.has(config.host) && !config.allowUnauthenticatedRemote) {
    throw new ConfigError(
      `Refusing to listen on ${config.host}: FStore has no API keys yet, so anyone who can reach that address could change the registry and data. ` +
        'Bind 127.0.0.1 and put an authenticating reverse proxy in front, or set allowUnauthenticatedRemote: true (FSTORE_ALLOW_UNAUTHENTICATED_REMOTE=true) if the network is trusted.',
    );
  }
  const built = await buildApp(config);
  const url = await built.app.listen({ host: config.host, port: config.port });
  return { ...built, url };
}
