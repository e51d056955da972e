import { isAppUrl } from './app-origin.js';

/**
 * Permissions the app's own pages keep; everything else (camera, microphone, notifications,
 * geolocation, USB, ...) is denied, for every origin.
 * - clipboard-sanitized-write: the editor's copy command.
 * - local-network-access / loopback-network / local-network: Chromium's Local Network Access
 *   checks gate requests to 127.0.0.1, and the renderer must reach the bundled service there.
 */
const APP_PERMISSIONS: ReadonlySet<string> = new Set([
  'clipboard-sanitized-write',
  'local-network-access',
  'loopback-network',
  'local-network',
]);

/** Decides both permission requests and permission checks. */
export function isPermissionAllowed(permission: string, requestingUrl: string | undefined): boolean {
  return APP_PERMISSIONS.has(permission) && isAppUrl(requestingUrl);
}
