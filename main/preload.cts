/**
 * The sandboxed preload: exposes `window.fstore` (DesktopApi) to the renderer. A sandboxed preload
 * cannot load local files, so this file must compile to one self-contained CommonJS script that
 * requires nothing but 'electron': the channel names are inlined and checked against IPC_CHANNELS
 * at compile time, and only types are imported from shared/.
 */
// eslint-disable-next-line @typescript-eslint/no-require-imports -- the CommonJS import form; verbatimModuleSyntax forbids `import x from` in a .cts file
import electron = require('electron');
import type { DefinitionFileData, DesktopApi, IPC_CHANNELS, MENU_COMMAND_CHANNEL, MenuCommand, ServiceMode } from '@shared/ipc/desktop-api.js';

const CHANNELS = {
  getServiceInfo: 'fstore:service:get-info',
  getSettings: 'fstore:settings:get',
  setServiceMode: 'fstore:settings:set-service-mode',
  exportDefinitions: 'fstore:definitions:export-to-folder',
  saveConnectionSecret: 'fstore:connections:save-secret',
  listConnectionSecrets: 'fstore:connections:list-secrets',
  deleteConnectionSecret: 'fstore:connections:delete-secret',
} as const satisfies typeof IPC_CHANNELS; // exact: a missing, extra or misspelt channel fails to compile

const MENU_CHANNEL: typeof MENU_COMMAND_CHANNEL = 'fstore:menu:command';
const MENU_COMMANDS = [
  'new-transform',
  'import-definitions',
  'toggle-dark-mode',
  'show-shortcuts',
  'open-documentation',
  'go:features',
  'go:feature-groups',
  'go:feature-services',
  'go:entities',
  'go:transforms',
  'go:data-sources',
  'go:ingest',
  'go:training',
  'go:jobs',
  'go:monitoring',
  'go:definitions',
  'go:audit',
] as const satisfies readonly MenuCommand[];
// The other direction: a command of the contract missing here fails to compile.
const everyMenuCommandListed: [Exclude<MenuCommand, (typeof MENU_COMMANDS)[number]>] extends [never] ? true : never = true;
void everyMenuCommandListed;

/** Forwards only the menu's known commands, and never the IPC event (it exposes `sender`). */
function onMenuCommand(listener: (command: MenuCommand) => void): () => void {
  const forward = (_event: unknown, command: unknown) => {
    if ((MENU_COMMANDS as readonly unknown[]).includes(command)) listener(command as MenuCommand);
  };
  electron.ipcRenderer.on(MENU_CHANNEL, forward);
  return () => {
    electron.ipcRenderer.removeListener(MENU_CHANNEL, forward);
  };
}

const api = {
  getServiceInfo: () => electron.ipcRenderer.invoke(CHANNELS.getServiceInfo),
  getSettings: () => electron.ipcRenderer.invoke(CHANNELS.getSettings),
  setServiceMode: (mode: ServiceMode) => electron.ipcRenderer.invoke(CHANNELS.setServiceMode, mode),
  exportDefinitions: (files: DefinitionFileData[]) => electron.ipcRenderer.invoke(CHANNELS.exportDefinitions, files),
  saveConnectionSecret: (name: string, url: string) => electron.ipcRenderer.invoke(CHANNELS.saveConnectionSecret, name, url),
  listConnectionSecrets: () => electron.ipcRenderer.invoke(CHANNELS.listConnectionSecrets),
  deleteConnectionSecret: (name: string) => electron.ipcRenderer.invoke(CHANNELS.deleteConnectionSecret, name),
  onMenuCommand,
} satisfies DesktopApi;

electron.contextBridge.exposeInMainWorld('fstore', api);
