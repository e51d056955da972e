import { readFileSync } from 'node:fs';
import { runInNewContext } from 'node:vm';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { IPC_CHANNELS, MENU_COMMAND_CHANNEL, MENU_COMMANDS } from '@shared/ipc/desktop-api.js';

/** Compiles preload.cts the way tsc does (CommonJS) and runs it against a fake 'electron'. */
function loadPreload() {
  const source = readFileSync(new URL('./preload.cts', import.meta.url), 'utf8');
  const { outputText } = ts.transpileModule(source, {
    fileName: 'preload.cts',
    compilerOptions: { module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext, target: ts.ScriptTarget.ES2023 },
  });
  const exposed = new Map<string, unknown>();
  const invocations: unknown[][] = [];
  const required: string[] = [];
  const listeners = new Map<string, Set<(event: unknown, ...args: unknown[]) => void>>();
  const electron = {
    contextBridge: { exposeInMainWorld: (key: string, value: unknown) => exposed.set(key, value) },
    ipcRenderer: {
      invoke: async (...args: unknown[]) => {
        invocations.push(args);
        return { ok: true };
      },
      on: (channel: string, listener: (event: unknown, ...args: unknown[]) => void) => {
        listeners.set(channel, (listeners.get(channel) ?? new Set()).add(listener));
      },
      removeListener: (channel: string, listener: (event: unknown, ...args: unknown[]) => void) => {
        listeners.get(channel)?.delete(listener);
      },
    },
  };
  /** What main's webContents.send(channel, ...args) does in the renderer. */
  const sendFromMain = (channel: string, ...args: unknown[]) => {
    for (const listener of listeners.get(channel) ?? []) listener({ sender: 'the ipcRenderer object' }, ...args);
  };
  const fakeRequire = (id: string) => {
    required.push(id);
    if (id !== 'electron') throw new Error(`a sandboxed preload cannot require '${id}'`);
    return electron;
  };
  const module = { exports: {} };
  runInNewContext(outputText, { require: fakeRequire, module, exports: module.exports });
  return { outputText, exposed, invocations, required, listeners, sendFromMain };
}

describe('preload', () => {
  it('compiles to CommonJS that requires nothing but electron', () => {
    const { outputText, required } = loadPreload();
    expect(outputText).not.toMatch(/^\s*import\s/m);
    expect(required).toEqual(['electron']);
    const requireCalls = [...outputText.matchAll(/require\((['"])(.*?)\1\)/g)].map((m) => m[2]);
    expect(requireCalls).toEqual(['electron']);
  });

  it('exposes window.fstore with one method per channel, each invoking its own channel', async () => {
    const { exposed, invocations } = loadPreload();
    expect([...exposed.keys()]).toEqual(['fstore']);
    const api = exposed.get('fstore') as Record<string, (...args: unknown[]) => Promise<unknown>>;
    expect(Object.keys(api).sort()).toEqual([...Object.keys(IPC_CHANNELS), 'onMenuCommand'].sort());
    await api.getServiceInfo!();
    await api.getSettings!();
    await api.setServiceMode!({ kind: 'remote', url: 'https://fstore.example.com' });
    expect(invocations).toEqual([
      [IPC_CHANNELS.getServiceInfo],
      [IPC_CHANNELS.getSettings],
      [IPC_CHANNELS.setServiceMode, { kind: 'remote', url: 'https://fstore.example.com' }],
    ]);
  });

  it('forwards exactly the menu commands of the contract, without the IPC event, until unsubscribed', () => {
    const { exposed, listeners, sendFromMain } = loadPreload();
    const api = exposed.get('fstore') as { onMenuCommand(listener: (...args: unknown[]) => void): () => void };
    const received: unknown[][] = [];
    const unsubscribe = api.onMenuCommand((...args) => received.push(args));
    expect([...listeners.keys()]).toEqual([MENU_COMMAND_CHANNEL]);
    for (const command of MENU_COMMANDS) sendFromMain(MENU_COMMAND_CHANNEL, command);
    for (const foreign of ['go:../../etc', 'GO:FEATURES', '', 42, { command: 'new-transform' }, undefined]) sendFromMain(MENU_COMMAND_CHANNEL, foreign);
    sendFromMain('fstore:other', 'new-transform');
    expect(received).toEqual(MENU_COMMANDS.map((command) => [command]));
    unsubscribe();
    sendFromMain(MENU_COMMAND_CHANNEL, 'show-shortcuts');
    expect(received).toHaveLength(MENU_COMMANDS.length);
    expect(listeners.get(MENU_COMMAND_CHANNEL)?.size).toBe(0);
  });
});
