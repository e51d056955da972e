import { describe, expect, it } from 'vitest';
import { isAppUrl } from './app-origin.js';
import { explainUntrustedSender } from './sender-validation.js';

const appWindows = new Set([7]);
const isAppWebContents = (id: number) => appWindows.has(id);

describe('explainUntrustedSender', () => {
  it('trusts the app origin in one of the app windows', () => {
    expect(explainUntrustedSender({ frameUrl: 'app://fstore/index.html', webContentsId: 7 }, isAppWebContents)).toBeUndefined();
    expect(explainUntrustedSender({ frameUrl: 'app://fstore/features/x', webContentsId: 7 }, isAppWebContents)).toBeUndefined();
  });

  it('rejects frames from other origins, even inside an app window', () => {
    for (const frameUrl of ['https://evil.example/', 'file:///tmp/x.html', 'app://fstore.evil/', 'app://fstore:1/', 'about:blank']) {
      expect(explainUntrustedSender({ frameUrl, webContentsId: 7 }, isAppWebContents), frameUrl).toMatch(/not on the app's origin/);
    }
  });

  it('rejects web contents that are not app windows and frames that are gone', () => {
    expect(explainUntrustedSender({ frameUrl: 'app://fstore/index.html', webContentsId: 8 }, isAppWebContents)).toMatch(
      /not one of the app's windows/,
    );
    expect(explainUntrustedSender({ frameUrl: undefined, webContentsId: 7 }, isAppWebContents)).toMatch(/no longer exists/);
  });
});

describe('isAppUrl', () => {
  it('accepts only app://fstore without credentials or port', () => {
    expect(isAppUrl('app://fstore')).toBe(true);
    expect(isAppUrl('app://a:b@fstore/')).toBe(false);
    expect(isAppUrl('app://fstore:443/')).toBe(false);
    expect(isAppUrl('https://fstore/')).toBe(false);
    expect(isAppUrl(undefined)).toBe(false);
    expect(isAppUrl('::')).toBe(false);
  });
});
