/** Vite names built assets `assets/<name>-<hash>.<ext>`: a new build gives a changed file a new name. */
const HASHED_ASSET = /^assets\/.+-[A-Za-z0-9_-]{8,}\.[a-z0-9]+$/;

export const IMMUTABLE = 'public, max-age=31536000, immutable';
/** index.html and unhashed files (favicon) are revalidated, so a new build is picked up at once. */
export const REVALIDATE = 'no-cache';

/** The cache policy for a file of the web UI, by its path relative to the UI root. */
export function cacheControlFor(relativePath: string): string {
  return HASHED_ASSET.test(relativePath) ? IMMUTABLE : REVALIDATE;
}
