/**
 * The main window's options, with the web preferences of Electron's security checklist. A plain
 * module (no electron import) so the checklist is asserted on the exact object main.ts uses.
 */

/** The renderer gets no Node, runs sandboxed and isolated from the preload, with web security on. */
export const SECURE_WEB_PREFERENCES = {
  contextIsolation: true,
  sandbox: true,
  nodeIntegration: false,
  nodeIntegrationInWorker: false,
  nodeIntegrationInSubFrames: false,
  webSecurity: true,
  allowRunningInsecureContent: false,
  experimentalFeatures: false,
  webviewTag: false,
  navigateOnDragDrop: false,
} as const;

export function mainWindowOptions(preloadPath: string) {
  return {
    width: 1440,
    height: 900,
    minWidth: 900,
    minHeight: 600,
    title: 'FStore',
    show: false,
    webPreferences: { preload: preloadPath, ...SECURE_WEB_PREFERENCES },
  };
}
