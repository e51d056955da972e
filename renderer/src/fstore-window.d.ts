/** The Electron preload bridge. Absent in a plain browser, where the renderer uses the page origin. */
import type { DesktopApi } from '@shared/ipc/desktop-api.js';

declare global {
  interface Window {
    fstore?: DesktopApi;
  }
}

export {};
