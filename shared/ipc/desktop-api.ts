/**
 * The contract between the Electron preload bridge (`window.fstore`) and the renderer. The preload
 * builds an object that `satisfies DesktopApi`; main validates every argument and the sender.
 * In a plain browser `window.fstore` is absent and the renderer uses the page's origin.
 */
export const IPC_CHANNELS = {
  getServiceInfo: 'fstore:service:get-info',
  getSettings: 'fstore:settings:get',
  setServiceMode: 'fstore:settings:set-service-mode',
  exportDefinitions: 'fstore:definitions:export-to-folder',
  saveConnectionSecret: 'fstore:connections:save-secret',
  listConnectionSecrets: 'fstore:connections:list-secrets',
  deleteConnectionSecret: 'fstore:connections:delete-secret',
} as const;

export type IpcChannel = (typeof IPC_CHANNELS)[keyof typeof IPC_CHANNELS];

/**
 * Main -> renderer: a command of the application menu. The only message main sends on its own; the
 * preload forwards a command only when it is one of MENU_COMMANDS, and never the IPC event itself.
 */
export const MENU_COMMAND_CHANNEL = 'fstore:menu:command';

/** The pages the menu's Go submenu opens, as routes of the renderer. */
export const MENU_PAGES = [
  'features',
  'feature-groups',
  'feature-services',
  'entities',
  'transforms',
  'data-sources',
  'ingest',
  'training',
  'jobs',
  'monitoring',
  'definitions',
  'audit',
] as const;
export type MenuPage = (typeof MENU_PAGES)[number];

export const MENU_COMMANDS = [
  'new-transform',
  'import-definitions',
  'toggle-dark-mode',
  'show-shortcuts',
  'open-documentation',
  ...MENU_PAGES.map((page) => `go:${page}` as const),
] as const;
export type MenuCommand = (typeof MENU_COMMANDS)[number];

export function isMenuCommand(value: unknown): value is MenuCommand {
  return typeof value === 'string' && (MENU_COMMANDS as readonly string[]).includes(value);
}

export type ServiceMode = { kind: 'bundled' } | { kind: 'remote'; url: string };

export interface ServiceInfo {
  /** Base URL the renderer should call, e.g. http://127.0.0.1:8000 */
  url: string;
  mode: ServiceMode;
  /** Why the bundled service is not running, when it is not. */
  error?: string;
}

export interface DesktopSettings {
  serviceMode: ServiceMode;
}

/** A file of a definitions folder (see shared/domain/definition-files.ts). */
export interface DefinitionFileData {
  path: string;
  text: string;
}

export interface ConnectionSecretsState {
  /** Environment variable names with a kept URL, sorted. */
  names: string[];
  /** Names saved or deleted since the bundled service started: they apply after a restart. */
  pendingRestart: string[];
}

/** Only this namespace: the renderer must not be able to set PATH, NODE_OPTIONS or FSTORE_* settings. */
const SECRET_NAME = /^FSTORE_CONN_[A-Z0-9_]{1,60}$/;
const MAX_SECRET_URL_CHARS = 4000;

/** The environment variable a saved connection's kept URL goes to: FSTORE_CONN_<NAME>. */
export function connectionSecretName(connectionName: string): string {
  return `FSTORE_CONN_${connectionName.toUpperCase()}`;
}

export function explainInvalidSecretName(name: unknown): string | undefined {
  if (typeof name !== 'string' || !SECRET_NAME.test(name)) return `secret name ${JSON.stringify(name)} must be FSTORE_CONN_ followed by A-Z, 0-9 or _`;
  return undefined;
}

/** A PostgreSQL URL or Kafka brokers, one line, bounded. */
export function explainInvalidSecretUrl(url: unknown): string | undefined {
  if (typeof url !== 'string' || url.length === 0 || url.length > MAX_SECRET_URL_CHARS) return `the URL must be text of 1 to ${MAX_SECRET_URL_CHARS} characters`;
  if (/[\r\n\0]/.test(url)) return 'the URL must be one line';
  if (!/^postgres(ql)?:\/\//i.test(url) && !/^[A-Za-z0-9._-]+:\d{1,5}(,[A-Za-z0-9._-]+:\d{1,5})*$/.test(url)) return 'the URL must be a postgres:// URL or Kafka brokers (host:port,...)';
  return undefined;
}

export type ExportDefinitionsResult = { cancelled: true } | { cancelled: false; folder: string; written: number; removed: number };

export interface DesktopApi {
  getServiceInfo(): Promise<ServiceInfo>;
  getSettings(): Promise<DesktopSettings>;
  /** Switches between the bundled service and a remote URL; takes effect after the app restarts. */
  setServiceMode(mode: ServiceMode): Promise<DesktopSettings>;
  /** Asks the user for a folder and writes the definition files there (git-friendly, one per object). */
  exportDefinitions(files: DefinitionFileData[]): Promise<ExportDefinitionsResult>;
  /**
   * Keeps a connection URL with its password on this computer, encrypted with Electron's
   * safeStorage, as the environment variable `name` (FSTORE_CONN_...) of the bundled service from
   * its next start; a saved connection then names it as `env:<name>`. The URL never comes back.
   */
  saveConnectionSecret(name: string, url: string): Promise<ConnectionSecretsState>;
  /** The names of the kept URLs (never their values). */
  listConnectionSecrets(): Promise<ConnectionSecretsState>;
  deleteConnectionSecret(name: string): Promise<ConnectionSecretsState>;
  /** Calls `listener` with each application-menu command; returns the unsubscribe function. */
  onMenuCommand(listener: (command: MenuCommand) => void): () => void;
}

const DEFINITION_PATH = /^(entities|feature_groups|features|data_sources|transforms)\/[a-z][a-z0-9_]{0,62}\.(yaml|sql|ts)$/;
const MAX_DEFINITION_FILES = 100_000;
const MAX_DEFINITION_CHARS = 1_000_000;

/** Validates untrusted definition files (from IPC): paths inside the five folders only, sizes bounded. */
export function explainInvalidDefinitionFiles(files: unknown): string | undefined {
  if (!Array.isArray(files)) return 'files must be an array';
  if (files.length > MAX_DEFINITION_FILES) return `at most ${MAX_DEFINITION_FILES} files`;
  for (const [i, f] of files.entries()) {
    if (typeof f !== 'object' || f === null) return `file ${i} must be an object`;
    const { path, text } = f as { path?: unknown; text?: unknown };
    if (typeof path !== 'string' || !DEFINITION_PATH.test(path)) return `file ${i}: path ${JSON.stringify(path)} is not a definitions file path (e.g. features/usuario_idade.yaml)`;
    if (typeof text !== 'string' || text.length > MAX_DEFINITION_CHARS) return `file ${i} (${path}): text must be a string of at most ${MAX_DEFINITION_CHARS} characters`;
    if (Object.keys(f).length !== 2) return `file ${i} (${path}): only path and text are allowed`;
  }
  return undefined;
}

/** Validates an untrusted ServiceMode (from IPC). Returns an error message or undefined. */
export function explainInvalidServiceMode(mode: unknown): string | undefined {
  if (typeof mode !== 'object' || mode === null) return 'service mode must be an object';
  const m = mode as { kind?: unknown; url?: unknown };
  if (m.kind === 'bundled') return Object.keys(m).length === 1 ? undefined : 'bundled mode takes no other fields';
  if (m.kind !== 'remote') return "service mode kind must be 'bundled' or 'remote'";
  if (typeof m.url !== 'string') return 'remote mode needs a url';
  // A regular expression rather than URL: shared/ may not rely on DOM or Node globals.
  if (!/^https?:\/\/[^\s/?#]+(:\d+)?(\/[^\s]*)?$/i.test(m.url)) {
    return `'${m.url}' is not a valid http(s) URL`;
  }
  return undefined;
}
