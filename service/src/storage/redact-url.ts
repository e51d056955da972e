import { credentialParam } from './url-credentials.js';

/**
 * A connection string fit for logs, job titles and errors: the user, the password and every
 * credential query parameter (`?password=`, `sslpassword`, `sslkey`, ...) are replaced, never printed.
 */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    if (parsed.username) parsed.username = '***';
    for (const name of new Set(parsed.searchParams.keys())) if (credentialParam(name)) parsed.searchParams.set(name, '***');
    return parsed.toString();
  } catch {
    return '<unparseable connection string>';
  }
}
