import { describe, expect, it } from 'vitest';
import { mainWindowOptions } from './window-options.js';

describe('the main window options (Electron security checklist)', () => {
  const { webPreferences } = mainWindowOptions('/app/preload.cjs');

  it('isolates and sandboxes the renderer, with no Node and web security on', () => {
    expect(webPreferences).toMatchObject({
      preload: '/app/preload.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
    });
  });

  it('allows no insecure content, experimental features, <webview> or drag-and-drop navigation', () => {
    expect(webPreferences).toMatchObject({ allowRunningInsecureContent: false, experimentalFeatures: false, webviewTag: false, navigateOnDragDrop: false });
    expect(webPreferences).not.toHaveProperty('enableBlinkFeatures');
    expect(webPreferences).not.toHaveProperty('additionalArguments');
  });

  it('sets nothing else in webPreferences (a new key is a reviewed change)', () => {
    expect(Object.keys(webPreferences).sort()).toEqual(
      ['allowRunningInsecureContent', 'contextIsolation', 'experimentalFeatures', 'navigateOnDragDrop', 'nodeIntegration', 'nodeIntegrationInSubFrames', 'nodeIntegrationInWorker', 'preload', 'sandbox', 'webSecurity', 'webviewTag'].sort(),
    );
  });
});
