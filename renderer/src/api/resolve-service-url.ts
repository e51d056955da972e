/**
 * Where the service lives: the desktop shell knows (bundled or remote service); in a browser the
 * renderer is served by the service itself, so the page origin is the service.
 */
export interface ResolvedService {
  url: string;
  /** Why the desktop's bundled service is not running, when the shell reports it. */
  problem?: string;
}

export async function resolveServiceUrl(): Promise<ResolvedService> {
  const bridge = window.fstore;
  if (!bridge) return { url: window.location.origin };
  const info = await bridge.getServiceInfo();
  return info.error ? { url: info.url, problem: info.error } : { url: info.url };
}
