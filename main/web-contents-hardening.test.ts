import { describe, expect, it } from 'vitest';
import { hardenWebContents, type HardenableWebContents } from './web-contents-hardening.js';

/** A stand-in for Electron's WebContents that records the listeners the module installs. */
function fakeContents() {
  const listeners = new Map<string, (event: { url?: string; preventDefault(): void }) => void>();
  let openHandler: ((details: { url: string }) => { action: 'deny' }) | undefined;
  const contents = {
    on: (event: string, listener: (event: { url?: string; preventDefault(): void }) => void) => listeners.set(event, listener),
    setWindowOpenHandler: (handler: (details: { url: string }) => { action: 'deny' }) => {
      openHandler = handler;
    },
  } as HardenableWebContents;
  const opened: string[] = [];
  hardenWebContents(contents, async (url) => {
    opened.push(url);
  });
  const fire = (event: string, url?: string) => {
    let prevented = false;
    listeners.get(event)!({ ...(url === undefined ? {} : { url }), preventDefault: () => (prevented = true) });
    return prevented;
  };
  return { fire, open: (url: string) => openHandler!({ url }), opened };
}

describe('web contents hardening (the checklist on every web contents)', () => {
  it('denies navigation and redirects away from the app, allows the app itself', () => {
    const c = fakeContents();
    for (const event of ['will-navigate', 'will-redirect']) {
      expect(c.fire(event, 'https://evil.example/')).toBe(true);
      expect(c.fire(event, 'file:///etc/passwd')).toBe(true);
      expect(c.fire(event, 'http://127.0.0.1:8000/')).toBe(true);
      expect(c.fire(event, 'app://fstore/index.html')).toBe(false);
    }
  });

  it('refuses every <webview>', () => {
    expect(fakeContents().fire('will-attach-webview')).toBe(true);
  });

  it('never opens a window; hands only plain http(s) links to the OS browser', () => {
    const c = fakeContents();
    for (const url of ['https://docs.example/x?y=1', 'http://example.com/', 'javascript:alert(1)', 'file:///etc/passwd', 'app://fstore/other', 'https://user:pw@example.com/', 'smb://host/share', 'not a url']) {
      expect(c.open(url)).toEqual({ action: 'deny' });
    }
    expect(c.opened).toEqual(['https://docs.example/x?y=1', 'http://example.com/']);
  });
});
