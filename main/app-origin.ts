/**
 * The renderer's own origin. The renderer is served from a privileged custom scheme (never
 * file://) so that it has a real origin for CSP, workers and sender checks.
 */
export const APP_SCHEME = 'app';
export const APP_HOST = 'fstore';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_ENTRY_URL = `${APP_ORIGIN}/index.html`;

/** True when `url` is on the app's own origin (app://fstore, no credentials, no port). */
export function isAppUrl(url: string | undefined): boolean {
  if (typeof url !== 'string') return false;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  return (
    parsed.protocol === `${APP_SCHEME}:` &&
    parsed.hostname === APP_HOST &&
    parsed.port === '' &&
    parsed.username === '' &&
    parsed.password === ''
  );
}
