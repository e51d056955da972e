import { describe, expect, it } from 'vitest';
import { IPC_CHANNELS } from '@shared/ipc/desktop-api.js';
import type { DesktopSettings, ServiceMode } from '@shared/ipc/desktop-api.js';
import { createIpcHandlers } from './ipc-handlers.js';

const APP_SENDER = { frameUrl: 'app://fstore/index.html', webContentsId: 1 };
/** Valid arguments per channel, so the foreign-sender checks are what fails. */
const ARGS_OF: Partial<Record<string, unknown[]>> = {
  [IPC_CHANNELS.setServiceMode]: [{ kind: 'bundled' }],
  [IPC_CHANNELS.saveConnectionSecret]: ['FSTORE_CONN_WAREHOUSE', 'postgres://u:p@db/x'],
  [IPC_CHANNELS.deleteConnectionSecret]: ['FSTORE_CONN_WAREHOUSE'],
};

function setup() {
  let settings: DesktopSettings = { serviceMode: { kind: 'bundled' } };
  const secrets = new Map<string, string>();
  const state = () => ({ names: [...secrets.keys()].sort(), pendingRestart: [...secrets.keys()].sort() });
  const handlers = createIpcHandlers({
    isAppWebContents: (id) => id === 1,
    getServiceInfo: async () => ({ url: 'http://127.0.0.1:4321', mode: settings.serviceMode }),
    getSettings: async () => settings,
    setServiceMode: async (serviceMode: ServiceMode) => {
      settings = { serviceMode };
      return settings;
    },
    exportDefinitions: async (files) => ({ cancelled: false as const, folder: '/chosen', written: files.length, removed: 0 }),
    saveConnectionSecret: async (name, url) => {
      secrets.set(name, url);
      return state();
    },
    listConnectionSecrets: async () => state(),
    deleteConnectionSecret: async (name) => {
      secrets.delete(name);
      return state();
    },
  });
  return { handlers, current: () => settings, secrets };
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
      const args = ARGS_OF[channel] ?? [];
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

  it('keeps connection passwords only under FSTORE_CONN_ names, never echoing the URL in a refusal', async () => {
    const { handlers, secrets } = setup();
    const save = handlers[IPC_CHANNELS.saveConnectionSecret];
    expect(await save(APP_SENDER, ['FSTORE_CONN_WAREHOUSE', 'postgres://reader:s3cret@db/shop'])).toEqual({ names: ['FSTORE_CONN_WAREHOUSE'], pendingRestart: ['FSTORE_CONN_WAREHOUSE'] });
    for (const name of ['NODE_OPTIONS', 'PATH', 'FSTORE_REGISTRY', 'FSTORE_CONN_a']) {
      await expect(save(APP_SENDER, [name, 'postgres://reader:s3cret@db/shop'])).rejects.toThrow(/must be FSTORE_CONN_ followed by/);
    }
    const refused = await save(APP_SENDER, ['FSTORE_CONN_X', 'javascript:s3cret']).catch((e: Error) => e.message);
    expect(refused).toMatch(/postgres:\/\/ URL or Kafka brokers/);
    expect(refused).not.toContain('s3cret');
    await expect(save(APP_SENDER, ['FSTORE_CONN_X'])).rejects.toThrow(/expected 2 argument/);
    await expect(handlers[IPC_CHANNELS.deleteConnectionSecret](APP_SENDER, ['PATH'])).rejects.toThrow(/must be FSTORE_CONN_/);
    expect([...secrets.keys()]).toEqual(['FSTORE_CONN_WAREHOUSE']);
    expect(await handlers[IPC_CHANNELS.deleteConnectionSecret](APP_SENDER, ['FSTORE_CONN_WAREHOUSE'])).toEqual({ names: [], pendingRestart: [] });
  });
});
