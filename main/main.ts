/**
 * The Electron shell: app lifecycle, the window, the app:// protocol, IPC wiring and the bundled
 * service's lifecycle. Every decision is made by the plain modules next to this file; this file
 * only connects them to Electron.
 */
import { app, BrowserWindow, dialog, ipcMain, Menu, protocol, safeStorage, session, shell } from 'electron';
import type { IpcMainInvokeEvent } from 'electron';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { MENU_COMMAND_CHANNEL } from '@shared/ipc/desktop-api.js';
import type { ConnectionSecretsState, DesktopSettings, MenuCommand, ServiceMode } from '@shared/ipc/desktop-api.js';
import { buildAppMenuTemplate, withCommandClicks } from './app-menu.js';
import { appLayout } from './app-layout.js';
import { deleteSecret, listSecretNames, saveSecret, secretEnvironment, SECRETS_FILE_NAME, type SecretCipher } from './connection-secrets.js';
import { APP_ENTRY_URL, APP_SCHEME } from './app-origin.js';
import { serveAppRequest } from './app-protocol.js';
import { buildContentSecurityPolicy } from './content-security-policy.js';
import { readSettings, SETTINGS_FILE_NAME, writeSettings } from './desktop-settings.js';
import { createIpcHandlers } from './ipc-handlers.js';
import { writeDefinitionFiles } from './definitions-export.js';
import { isPermissionAllowed } from './permission-policy.js';
import { startServiceController } from './service-controller.js';
import { hardenWebContents } from './web-contents-hardening.js';
import { mainWindowOptions } from './window-options.js';
import type { ServiceController } from './service-controller.js';

const layout = appLayout(path.dirname(fileURLToPath(import.meta.url)));

// Everything below up to whenReady must run before the 'ready' event.
protocol.registerSchemesAsPrivileged([
  { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true } },
]);
app.enableSandbox();
// A stable data location, also when started as `electron dist/main/main.js` (where the name would be "Electron").
app.setName('FStore');
app.setPath('userData', path.join(app.getPath('appData'), 'FStore'));

let service: ServiceController | undefined;
let isServiceStopped = false;
let hasStarted = false;

if (!app.requestSingleInstanceLock()) {
  // Another instance owns the data directory and its service; it focuses its window (below).
  app.quit();
} else {
  app.on('second-instance', () => focusMainWindow());
  app.on('web-contents-created', (_event, contents) => hardenWebContents(contents, (url) => shell.openExternal(url)));
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  app.on('activate', () => {
    if (hasStarted && BrowserWindow.getAllWindows().length === 0) createMainWindow();
  });
  app.on('will-quit', (event) => {
    if (isServiceStopped || service === undefined) return;
    event.preventDefault();
    void service.stop().finally(() => {
      isServiceStopped = true;
      app.quit();
    });
  });
  app.whenReady().then(start, (error: unknown) => {
    console.error('FStore failed to start:', error);
    app.exit(1);
  });
}

async function start(): Promise<void> {
  const userData = app.getPath('userData');
  const settingsFile = path.join(userData, SETTINGS_FILE_NAME);
  const loaded = await readSettings(settingsFile);
  if (loaded.warning !== undefined) console.warn(`FStore: ${loaded.warning}; using the bundled service`);
  let settings: DesktopSettings = loaded.settings;
  const runningMode: ServiceMode = settings.serviceMode;

  // Connection passwords kept with safeStorage reach the bundled service as the env: variables saved connections name.
  const secretsFile = path.join(userData, SECRETS_FILE_NAME);
  const cipher: SecretCipher = {
    isAvailable: () => safeStorage.isEncryptionAvailable(),
    encrypt: (text) => safeStorage.encryptString(text),
    decrypt: (data) => safeStorage.decryptString(data),
  };
  const secrets = await secretEnvironment(secretsFile, cipher);
  for (const problem of secrets.problems) console.warn(`FStore: ${problem}`);
  const changedSinceStart = new Set<string>();
  const secretsState = async (): Promise<ConnectionSecretsState> => ({ names: await listSecretNames(secretsFile), pendingRestart: [...changedSinceStart].sort() });

  const controller = startServiceController(runningMode, {
    execPath: process.execPath,
    cliPath: layout.serviceCliPath,
    dataDir: path.join(userData, 'data'),
    cwd: userData,
    env: { ...process.env, ...secrets.env },
  });
  service = controller;

  const contentSecurityPolicy = buildContentSecurityPolicy(
    runningMode.kind === 'remote' ? { remoteServiceOrigin: runningMode.url } : {},
  );
  protocol.handle(APP_SCHEME, (request) =>
    serveAppRequest({ url: request.url, method: request.method }, { rootDir: layout.rendererDir, contentSecurityPolicy }),
  );

  session.defaultSession.setPermissionRequestHandler((contents, permission, callback, details) =>
    callback(isPermissionAllowed(permission, details.requestingUrl ?? contents.getURL())),
  );
  session.defaultSession.setPermissionCheckHandler((_contents, permission, requestingOrigin) =>
    isPermissionAllowed(permission, requestingOrigin),
  );

  const handlers = createIpcHandlers({
    isAppWebContents: (id) => BrowserWindow.getAllWindows().some((window) => window.webContents.id === id),
    getServiceInfo: () => controller.info(),
    getSettings: async () => settings,
    setServiceMode: async (serviceMode) => {
      settings = await writeSettings(settingsFile, { ...settings, serviceMode });
      return settings;
    },
    exportDefinitions: async (files) => {
      // The user picks the folder; the renderer never names a path.
      const window = BrowserWindow.getFocusedWindow();
      const options = { title: 'Export definitions to a folder', properties: ['openDirectory', 'createDirectory'] as ('openDirectory' | 'createDirectory')[] };
      const choice = window ? await dialog.showOpenDialog(window, options) : await dialog.showOpenDialog(options);
      const folder = choice.filePaths[0];
      if (choice.canceled || !folder) return { cancelled: true };
      return { cancelled: false, folder, ...writeDefinitionFiles(folder, files) };
    },
    saveConnectionSecret: async (name, url) => {
      await saveSecret(secretsFile, name, url, cipher);
      changedSinceStart.add(name);
      return secretsState();
    },
    listConnectionSecrets: secretsState,
    deleteConnectionSecret: async (name) => {
      await deleteSecret(secretsFile, name);
      changedSinceStart.add(name);
      return secretsState();
    },
  });
  for (const [channel, handler] of Object.entries(handlers)) {
    ipcMain.handle(channel, (event, ...args: unknown[]) =>
      handler({ frameUrl: senderFrameUrl(event), webContentsId: event.sender.id }, args),
    );
  }

  installAppMenu();
  hasStarted = true;
  createMainWindow();
}

/** File, Edit, View, Go, Help; commands go to the renderer, which acts as on its own shortcuts. */
function installAppMenu(): void {
  app.setAboutPanelOptions({ applicationName: 'FStore', applicationVersion: app.getVersion() });
  const template = buildAppMenuTemplate({ platform: process.platform, isDevelopment: !app.isPackaged, locale: app.getLocale() });
  Menu.setApplicationMenu(Menu.buildFromTemplate(withCommandClicks(template, sendMenuCommand)));
}

function sendMenuCommand(command: MenuCommand): void {
  const window = BrowserWindow.getFocusedWindow() ?? BrowserWindow.getAllWindows()[0];
  window?.webContents.send(MENU_COMMAND_CHANNEL, command);
}

function createMainWindow(): void {
  const window = new BrowserWindow(mainWindowOptions(layout.preloadPath));
  window.once('ready-to-show', () => window.show());
  window.loadURL(APP_ENTRY_URL).catch((error: unknown) => console.error(`FStore: cannot load ${APP_ENTRY_URL}:`, error));
}

function focusMainWindow(): void {
  const [window] = BrowserWindow.getAllWindows();
  if (window === undefined) return;
  if (window.isMinimized()) window.restore();
  window.focus();
}

/** `senderFrame` is null (or throws, in some versions) once the frame has navigated or been destroyed. */
function senderFrameUrl(event: IpcMainInvokeEvent): string | undefined {
  try {
    return event.senderFrame?.url;
  } catch {
    return undefined;
  }
}
