import { describe, expect, it } from 'vitest';
import { IPC_CHANNELS } from '@shared/ipc/desktop-api.js';
import type { DesktopSettings, ServiceMode } from '@shared/ipc/desktop-api.js';
import { createIpcHandlers } from './ipc-handlers.js';

const APP_SENDER = { frameUrl: 'app://fstore/index.html', webContentsId: 1 };

function setup() {
  let settings: DesktopSettings = { serviceMode: { kind: 'bundled' } };
  const handlers = createIpcHandlers({
    isAppWebContents: (id) => id === 1,
    getServiceInfo: async () => ({ url: 'http://127.0.0.1:4321', mode: settings.serviceMode }),
    getSettings: async () => settings,
    setServiceMode: async (serviceMode: ServiceMode) => {
      settings = { serviceMode };
      return settings;
    },
    exportDefinitions: async (files) => ({ cancelled: false as const, folder: '/chosen', written: files.length, removed: 0 }),
  });
  return { handlers, current: () => settings };
}

describe('createIpcHandlers', () => {
  it('has a handler for exactly the channels of the contract', () => {
    expect(Object.keys(setup().handlers).sort()).toEqual(Object.values(IPC_CHANNELS).sort());
  });

  it('answers trusted senders', async () => {
    const { handlers, current } = setup();
    expect(await handlers[IPC_CHANNELS.getServiceInfo](APP_SENDER, [])).toEqual({
      url: 'http://127.0.0.1:4321',
      mode: { kind: 'bundled' },
    });
    const remote = { kind: 'remote', url: 'https://fstore.example.com' };
    expect(await handlers[IPC_CHANNELS.setServiceMode](APP_SENDER, [remote])).toEqual({ serviceMode: remote });
    expect(await handlers[IPC_CHANNELS.getSettings](APP_SENDER, [])).toEqual(current());
    expect(await handlers[IPC_CHANNELS.exportDefinitions](APP_SENDER, [[{ path: 'entities/user.yaml', text: 'name: user\n' }]])).toEqual({
      cancelled: false,
      folder: '/chosen',
      written: 1,
      removed: 0,
    });
    await expect(handlers[IPC_CHANNELS.exportDefinitions](APP_SENDER, [[{ path: '../../.bashrc', text: 'x' }]])).rejects.toThrow(/not a definitions file path/);
  });

  it('rejects foreign frames and foreign web contents on every channel', async () => {
    const { handlers } = setup();
    for (const channel of Object.values(IPC_CHANNELS)) {
      const args = channel === IPC_CHANNELS.setServiceMode ? [{ kind: 'bundled' }] : [];
      await expect(handlers[channel]({ frameUrl: 'https://evil.example/', webContentsId: 1 }, args)).rejects.toThrow(
        new RegExp(`refused IPC '${channel}': frame 'https://evil.example/' is not on the app's origin`),
      );
      await expect(handlers[channel]({ ...APP_SENDER, webContentsId: 2 }, args)).rejects.toThrow(/not one of the app's windows/);
      await expect(handlers[channel]({ frameUrl: undefined, webContentsId: 1 }, args)).rejects.toThrow(/no longer exists/);
    }
  });

  it('validates arguments and never stores a rejected mode', async () => {
    const { handlers, current } = setup();
    const set = handlers[IPC_CHANNELS.setServiceMode];
    await expect(set(APP_SENDER, [])).rejects.toThrow(/expected 1 argument\(s\), got 0/);
    await expect(set(APP_SENDER, [{ kind: 'bundled' }, 'extra'])).rejects.toThrow(/expected 1 argument/);
    await expect(set(APP_SENDER, [{ kind: 'remote', url: 'file:///etc/passwd' }])).rejects.toThrow(/not a valid http\(s\) URL/);
    await expect(set(APP_SENDER, [{ kind: 'bundled', url: 'http://x' }])).rejects.toThrow(/takes no other fields/);
    await expect(set(APP_SENDER, ['bundled'])).rejects.toThrow(/must be an object/);
    await expect(handlers[IPC_CHANNELS.getSettings](APP_SENDER, ['unexpected'])).rejects.toThrow(/expected 0 argument/);
    expect(current()).toEqual({ serviceMode: { kind: 'bundled' } });
  });
});
