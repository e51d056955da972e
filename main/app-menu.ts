/**
 * The application menu as data: File, Edit, View, Go, Help. Items either use one of Electron's
 * standard roles or carry a MenuCommand that main sends to the renderer (MENU_COMMAND_CHANNEL),
 * which acts on it the way its own keyboard shortcuts do. A plain module (no electron import):
 * main.ts turns the template into a Menu with `withCommandClicks`.
 */
import type { MenuCommand, MenuPage } from '@shared/ipc/desktop-api.js';
import { MENU_PAGES } from '@shared/ipc/desktop-api.js';

/** Electron's roles this menu uses (a subset of MenuItemConstructorOptions['role']). */
export type MenuRole =
  | 'appMenu'
  | 'about'
  | 'quit'
  | 'close'
  | 'undo'
  | 'redo'
  | 'cut'
  | 'copy'
  | 'paste'
  | 'pasteAndMatchStyle'
  | 'delete'
  | 'selectAll'
  | 'reload'
  | 'toggleDevTools'
  | 'resetZoom'
  | 'zoomIn'
  | 'zoomOut'
  | 'togglefullscreen';

export interface AppMenuItem {
  label?: string;
  role?: MenuRole;
  type?: 'separator';
  accelerator?: string;
  command?: MenuCommand;
  submenu?: AppMenuItem[];
}

export interface AppMenuOptions {
  /** `process.platform`: macOS gets the app menu first and no Quit under File. */
  platform: string;
  /** Developer tools only in development (`!app.isPackaged`). */
  isDevelopment: boolean;
  /** `app.getLocale()`: any Portuguese gives pt-BR labels, anything else English. */
  locale: string;
}

/** As the navigation drawer names them (renderer/src/i18n/locales/<lang>/common.ts, nav). */
const PAGE_LABELS: Record<'en' | 'pt-BR', Record<MenuPage, string>> = {
  en: {
    features: 'Features',
    'feature-groups': 'Feature groups',
    'feature-services': 'Feature services',
    entities: 'Entities',
    transforms: 'Transforms',
    'data-sources': 'Data sources',
    ingest: 'Ingest data',
    training: 'Training sets',
    jobs: 'Jobs',
    monitoring: 'Monitoring',
    definitions: 'Definitions as code',
    audit: 'Audit',
  },
  'pt-BR': {
    features: 'Features',
    'feature-groups': 'Grupos de features',
    'feature-services': 'Serviços de features',
    entities: 'Entidades',
    transforms: 'Transformações',
    'data-sources': 'Fontes de dados',
    ingest: 'Ingerir dados',
    training: 'Conjuntos de treino',
    jobs: 'Jobs',
    monitoring: 'Monitoramento',
    definitions: 'Definições como código',
    audit: 'Auditoria',
  },
};

const LABELS = {
  en: {
    file: 'File',
    newTransform: 'New transform',
    importDefinitions: 'Import definitions…',
    quit: 'Quit',
    edit: 'Edit',
    view: 'View',
    toggleDarkMode: 'Toggle dark mode',
    go: 'Go',
    help: 'Help',
    shortcuts: 'Keyboard shortcuts',
    documentation: 'API documentation',
    about: 'About FStore',
  },
  'pt-BR': {
    file: 'Arquivo',
    newTransform: 'Nova transformação',
    importDefinitions: 'Importar definições…',
    quit: 'Sair',
    edit: 'Editar',
    view: 'Exibir',
    toggleDarkMode: 'Alternar modo escuro',
    go: 'Ir',
    help: 'Ajuda',
    shortcuts: 'Atalhos de teclado',
    documentation: 'Documentação da API',
    about: 'Sobre o FStore',
  },
} as const;

export function menuLanguage(locale: string): 'en' | 'pt-BR' {
  return /^pt\b/i.test(locale) ? 'pt-BR' : 'en';
}

export function buildAppMenuTemplate({ platform, isDevelopment, locale }: AppMenuOptions): AppMenuItem[] {
  const language = menuLanguage(locale);
  const label = LABELS[language];
  const isMac = platform === 'darwin';
  const separator: AppMenuItem = { type: 'separator' };

  const file: AppMenuItem = {
    label: label.file,
    submenu: [
      { label: label.newTransform, accelerator: 'CmdOrCtrl+N', command: 'new-transform' },
      { label: label.importDefinitions, accelerator: 'CmdOrCtrl+O', command: 'import-definitions' },
      separator,
      isMac ? { role: 'close' } : { label: label.quit, role: 'quit' },
    ],
  };
  const edit: AppMenuItem = {
    label: label.edit,
    submenu: [
      { role: 'undo' },
      { role: 'redo' },
      separator,
      { role: 'cut' },
      { role: 'copy' },
      { role: 'paste' },
      ...(isMac ? [{ role: 'pasteAndMatchStyle' } as const] : []),
      { role: 'delete' },
      separator,
      { role: 'selectAll' },
    ],
  };
  const view: AppMenuItem = {
    label: label.view,
    submenu: [
      { role: 'reload' },
      ...(isDevelopment ? [{ role: 'toggleDevTools' } as const] : []),
      separator,
      { role: 'resetZoom' },
      { role: 'zoomIn' },
      { role: 'zoomOut' },
      separator,
      { label: label.toggleDarkMode, accelerator: 'CmdOrCtrl+Shift+L', command: 'toggle-dark-mode' },
      { role: 'togglefullscreen' },
    ],
  };
  const go: AppMenuItem = {
    label: label.go,
    // Ctrl/Cmd+1..9 for the first nine pages, as the renderer's own shortcuts do in a browser.
    submenu: MENU_PAGES.map((page, index) => ({
      label: PAGE_LABELS[language][page],
      command: `go:${page}` as const,
      ...(index < 9 ? { accelerator: `CmdOrCtrl+${index + 1}` } : {}),
    })),
  };
  const help: AppMenuItem = {
    label: label.help,
    submenu: [
      { label: label.shortcuts, accelerator: 'CmdOrCtrl+/', command: 'show-shortcuts' },
      { label: label.documentation, command: 'open-documentation' },
      ...(isMac ? [] : [separator, { label: label.about, role: 'about' } as const]),
    ],
  };
  return [...(isMac ? [{ role: 'appMenu' } as const] : []), file, edit, view, go, help];
}

/** What Electron's Menu.buildFromTemplate takes: commands become clicks that send them. */
export interface ClickableMenuItem extends Omit<AppMenuItem, 'command' | 'submenu'> {
  click?: () => void;
  submenu?: ClickableMenuItem[];
}

export function withCommandClicks(items: readonly AppMenuItem[], send: (command: MenuCommand) => void): ClickableMenuItem[] {
  return items.map(({ command, submenu, ...item }) => ({
    ...item,
    ...(command === undefined ? {} : { click: () => send(command) }),
    ...(submenu === undefined ? {} : { submenu: withCommandClicks(submenu, send) }),
  }));
}
