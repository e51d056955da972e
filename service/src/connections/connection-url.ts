/**
 * What a saved connection's URL may be: nothing that carries a secret, since the registry and its
 * audit log are shown to every reader. Passwords stay in the service's environment (`env:NAME`).
 */
import type { ConnectionKind } from '@shared/api/connections.js';
import { ENV_REF, explainConnection } from '../transforms/source-loader.js';
import { AppError } from '../errors/app-error.js';

/** Brokers as KafkaJS takes them: host:port, comma-separated; no scheme, so no room for credentials. */
const BROKERS = /^[A-Za-z0-9._-]+:\d{1,5}(,[A-Za-z0-9._-]+:\d{1,5})*$/;

/** Why `url` cannot be saved as a connection of `kind`, or undefined when it can. */
export function explainConnectionUrl(kind: ConnectionKind, url: string): string | undefined {
  switch (kind) {
    case 'postgres':
      return explainConnection(url)?.replace(/^connection/, 'url');
    case 'kafka':
      if (url.startsWith('env:')) return ENV_REF.test(url) ? undefined : 'url: env: must be followed by an environment variable name (A-Z, 0-9, _)';
      return BROKERS.test(url) ? undefined : `url must be env:VARIABLE or Kafka brokers as host:port[,host:port] (no credentials), not '${url.slice(0, 200)}'`;
  }
}

/** The Kafka brokers to connect to: `env:` read from the service's environment, never shown. */
export function kafkaBrokersOf(url: string): string[] {
  const ref = ENV_REF.exec(url);
  const brokers = ref ? process.env[ref[1]!] : url;
  if (!brokers) throw new AppError('FSTORE_SOURCE_UNAVAILABLE', `The environment variable ${ref?.[1] ?? ''} (the connection's brokers) is not set on the server`);
  return brokers.split(',').map((b) => b.trim()).filter((b) => b !== '');
}
