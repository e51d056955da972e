/**
 * Applied to every web contents the app creates: no navigation away from the app, no redirects
 * elsewhere, no <webview>, and no new windows; a link meant for a new window opens in the OS
 * browser only when it is a plain http(s) URL (externalLinkToOpen). Plain module: main.ts hands in
 * the web contents and shell.openExternal.
 */
import { externalLinkToOpen, isAllowedNavigation } from './navigation-policy.js';

interface PreventableEvent {
  preventDefault(): void;
}

/** The part of Electron's WebContents this module uses. */
export interface HardenableWebContents {
  on(event: 'will-navigate', listener: (event: PreventableEvent & { url: string }) => void): unknown;
  on(event: 'will-redirect', listener: (event: PreventableEvent & { url: string }) => void): unknown;
  on(event: 'will-attach-webview', listener: (event: PreventableEvent) => void): unknown;
  setWindowOpenHandler(handler: (details: { url: string }) => { action: 'deny' }): void;
}

export function hardenWebContents(contents: HardenableWebContents, openExternal: (url: string) => Promise<void>): void {
  contents.on('will-navigate', (event) => {
    if (!isAllowedNavigation(event.url)) event.preventDefault();
  });
  contents.on('will-redirect', (event) => {
    if (!isAllowedNavigation(event.url)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    const external = externalLinkToOpen(url);
    if (external !== undefined) void openExternal(external).catch(() => undefined);
    return { action: 'deny' };
  });
}
