import { isAppUrl } from './app-origin.js';

/** In-window navigation is allowed only within the app's own origin (e.g. a reload). */
export function isAllowedNavigation(url: string): boolean {
  return isAppUrl(url);
}

/**
 * Returns the URL to hand to the OS browser for a link the renderer tried to open in a new window,
 * or undefined when it must not be opened: only plain http(s) URLs with a host and no credentials.
 */
export function externalLinkToOpen(url: string): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined;
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return undefined;
  if (parsed.hostname === '' || parsed.username !== '' || parsed.password !== '') return undefined;
  return parsed.href;
}
