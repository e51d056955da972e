/**
 * Builds the Content-Security-Policy sent with every app:// response. The renderer may call the
 * service on loopback (the bundled service uses a random port) and, when configured, the remote
 * service's origin.
 */
export function buildContentSecurityPolicy(options: { remoteServiceOrigin?: string } = {}): string {
  const connectSrc = ["'self'", 'http://127.0.0.1:*', 'http://localhost:*'];
  if (options.remoteServiceOrigin !== undefined) {
    connectSrc.push(toCspSource(options.remoteServiceOrigin));
  }
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    `connect-src ${connectSrc.join(' ')}`,
    "worker-src 'self' blob:",
  ].join('; ');
}

/** Reduces a URL to its origin, refusing anything that could smuggle extra CSP tokens. */
function toCspSource(url: string): string {
  const parsed = new URL(url);
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new Error(`remote service origin must be http(s), got '${url}'`);
  }
  // URL.origin is scheme://host[:port], already free of spaces, quotes and semicolons.
  return parsed.origin;
}
