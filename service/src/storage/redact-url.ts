import { credentialParam } from './url-credentials.js';

/**
 * A connection string fit for logs, job titles and errors: the user, the password and every
 * credential query parameter (`?password=`, `sslpassword`, `sslkey`, ...) are replaced, never printed.
 * A list of hosts (`redis+cluster://h1:7001,h2:7002`, `mongodb://h1,h2`), which URL does not parse,
 * is redacted the same way.
 */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    if (parsed.username) parsed.username = '***';
    for (const name of new Set(parsed.searchParams.keys())) if (credentialParam(name)) parsed.searchParams.set(name, '***');
    return parsed.toString();
  } catch {
    const hostList = /^([a-z][a-z0-9+.-]*:\/\/)(?:[^@/?#\s]*@)?([^@/?#\s]+)(\/[^?#\s]*)?(\?[^#\s]*)?$/i.exec(url);
    if (!hostList) return '<unparseable connection string>';
    const [, scheme, hosts, path, query] = hostList;
    const user = url.slice(scheme!.length).split(/[/?#]/, 1)[0]!.includes('@') ? '***@' : '';
    let redactedQuery = '';
    if (query) {
      const params = new URLSearchParams(query);
      for (const name of new Set(params.keys())) if (credentialParam(name)) params.set(name, '***');
      redactedQuery = `?${params.toString()}`;
    }
    return `${scheme}${user}${hosts}${path ?? ''}${redactedQuery}`;
  }
}
