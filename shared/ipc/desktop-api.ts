/**
 * The contract between the Electron preload bridge (`window.fstore`) and the renderer. The preload
 * builds an object that `satisfies DesktopApi`; main validates every argument and the sender.
 * In a plain browser `window.fstore` is absent and the renderer uses the page's origin.
 */
export const IPC_CHANNELS = {
  getServiceInfo: 'fstore:service:get-info',
  getSettings: 'fstore:settings:get',
  setServiceMode: 'fstore:settings:set-service-mode',
} as const;

export type IpcChannel = (typeof IPC_CHANNELS)[keyof typeof IPC_CHANNELS];

export type ServiceMode = { kind: 'bundled' } | { kind: 'remote'; url: string };

export interface ServiceInfo {
  /** Base URL the renderer should call, e.g. http://127.0.0.1:8000 */
  url: string;
  mode: ServiceMode;
  /** Why the bundled service is not running, when it is not. */
  error?: string;
}

export interface DesktopSettings {
  serviceMode: ServiceMode;
}

export interface DesktopApi {
  getServiceInfo(): Promise<ServiceInfo>;
  getSettings(): Promise<DesktopSettings>;
  /** Switches between the bundled service and a remote URL; takes effect after the app restarts. */
  setServiceMode(mode: ServiceMode): Promise<DesktopSettings>;
}

/** Validates an untrusted ServiceMode (from IPC). Returns an error message or undefined. */
export function explainInvalidServiceMode(mode: unknown): string | undefined {
  if (typeof mode !== 'object' || mode === null) return 'service mode must be an object';
  const m = mode as { kind?: unknown; url?: unknown };
  if (m.kind === 'bundled') return Object.keys(m).length === 1 ? undefined : 'bundled mode takes no other fields';
  if (m.kind !== 'remote') return "service mode kind must be 'bundled' or 'remote'";
  if (typeof m.url !== 'string') return 'remote mode needs a url';
  // A regular expression rather than URL: shared/ may not rely on DOM or Node globals.
  if (!/^https?:\/\/[^\s/?#]+(:\d+)?(\/[^\s]*)?$/i.test(m.url)) {
    return `'${m.url}' is not a valid http(s) URL`;
  }
  return undefined;
}
