/**
 * The sandboxed preload: exposes `window.fstore` (DesktopApi) to the renderer. A sandboxed preload
 * cannot load local files, so this file must compile to one self-contained CommonJS script that
 * requires nothing but 'electron': the channel names are inlined and checked against IPC_CHANNELS
 * at compile time, and only types are imported from shared/.
 */
// eslint-disable-next-line @typescript-eslint/no-require-imports -- the CommonJS import form; verbatimModuleSyntax forbids `import x from` in a .cts file
import electron = require('electron');
import type { DefinitionFileData, DesktopApi, IPC_CHANNELS, ServiceMode } from '@shared/ipc/desktop-api.js';

const CHANNELS = {
  getServiceInfo: 'fstore:service:get-info',
  getSettings: 'fstore:settings:get',
  setServiceMode: 'fstore:settings:set-service-mode',
  exportDefinitions: 'fstore:definitions:export-to-folder',
} as const satisfies typeof IPC_CHANNELS; // exact: a missing, extra or misspelt channel fails to compile

const api = {
  getServiceInfo: () => electron.ipcRenderer.invoke(CHANNELS.getServiceInfo),
  getSettings: () => electron.ipcRenderer.invoke(CHANNELS.getSettings),
  setServiceMode: (mode: ServiceMode) => electron.ipcRenderer.invoke(CHANNELS.setServiceMode, mode),
  exportDefinitions: (files: DefinitionFileData[]) => electron.ipcRenderer.invoke(CHANNELS.exportDefinitions, files),
} satisfies DesktopApi;

electron.contextBridge.exposeInMainWorld('fstore', api);
