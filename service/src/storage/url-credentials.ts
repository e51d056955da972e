/**
 * The parts of a connection URL that are credentials. A password is not only in the user part:
 * node-postgres (like libpq) takes any setting from the query string too, so `?password=` works,
 * and some parameters make the client read a file on the service's machine (TLS keys and
 * certificates, password files).
 */

/** Query parameters whose value is a secret, matched on the lower-cased name (libpq, node-postgres, MongoDB). */
const SECRET_PARAM = /password|passwd|passphrase|secret|token/;

/** Query parameters naming a file the PostgreSQL client reads. */
const FILE_PARAMS = new Set(['sslkey', 'sslcert', 'sslrootcert', 'sslcrl', 'sslcrldir', 'passfile']);

export interface UrlCredential {
  /** What the message names: `password in the user part` or `query parameter 'sslkey'`. */
  readonly where: string;
  /** A secret value, or a file on the service's machine. */
  readonly kind: 'secret' | 'file';
}

/** Every credential in `url`, in order: the user part's password, then the query parameters. */
export function urlCredentials(url: URL): UrlCredential[] {
  const found: UrlCredential[] = [];
  if (url.password) found.push({ where: 'password in the user part (scheme://user:password@host)', kind: 'secret' });
  for (const name of new Set(url.searchParams.keys())) {
    const kind = credentialParam(name);
    if (kind) found.push({ where: `query parameter '${name}'`, kind });
  }
  return found;
}

/** The decoded secret values in `url` (user part and query), to scrub them from messages. */
export function urlSecrets(url: URL): string[] {
  const secrets = url.password ? [safeDecode(url.password)] : [];
  for (const [name, value] of url.searchParams) if (value && credentialParam(name) === 'secret') secrets.push(value);
  return secrets;
}

/**
 * Replaces the secrets of the given connection URLs in any text (error messages, log lines) with
 * `***`. Secrets shorter than 3 characters are left alone: replacing them would garble the text.
 */
export function secretScrubber(urls: readonly string[]): (text: string) => string {
  const secrets = urls.flatMap((text) => {
    try {
      return urlSecrets(new URL(text));
    } catch {
      return [];
    }
  });
  const long = [...new Set(secrets)].filter((secret) => secret.length >= 3).sort((a, b) => b.length - a.length);
  return (text) => long.reduce((scrubbed, secret) => scrubbed.split(secret).join('***'), text);
}

/** `url` without its secrets (the user part's password and secret query parameters), for identity. */
export function withoutSecrets(url: URL): URL {
  const copy = new URL(url);
  copy.password = '';
  // Only touch the query when it holds a secret: rewriting it would re-encode the other parameters.
  for (const name of new Set(copy.searchParams.keys())) if (credentialParam(name) === 'secret') copy.searchParams.delete(name);
  return copy;
}

/** Whether a query parameter holds a secret or names a file, by its name; undefined when neither. */
export function credentialParam(name: string): UrlCredential['kind'] | undefined {
  const lower = name.toLowerCase();
  if (FILE_PARAMS.has(lower)) return 'file';
  return SECRET_PARAM.test(lower) ? 'secret' : undefined;
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
