/**
 * Every keyboard shortcut of the app, as the shortcuts sheet lists them and the handlers read
 * them. `Mod` is Ctrl on Windows and Linux and ⌘ on macOS.
 */
import type { MenuPage } from '@shared/ipc/desktop-api.js';

/** The second key of "g <key>" for each page, in navigation order (the first nine also get Mod+1..9). */
export const GO_KEYS = {
  features: 'f',
  'feature-groups': 'g',
  'feature-services': 'v',
  entities: 'e',
  transforms: 't',
  'data-sources': 'd',
  ingest: 'i',
  training: 'r',
  jobs: 'j',
  monitoring: 'm',
  definitions: 'c',
  audit: 'a',
} as const satisfies Record<MenuPage, string>;

/** How long after "g" the second key still counts. */
export const GO_PREFIX_MS = 1500;

export type ShortcutId = 'showShortcuts' | 'focusSearch' | 'toggleDarkMode' | 'runPreview' | 'publish';

export interface ShortcutEntry {
  id: ShortcutId;
  /** Alternatives, each a chord of key caps. */
  keys: readonly (readonly string[])[];
  /** `studio`: in the transform studio, also while typing in its editor; `app`: anywhere, never while typing. */
  scope: 'app' | 'studio';
}

export const SHORTCUTS: readonly ShortcutEntry[] = [
  { id: 'showShortcuts', keys: [['?'], ['Mod', '/']], scope: 'app' },
  { id: 'focusSearch', keys: [['/'], ['Mod', 'K']], scope: 'app' },
  { id: 'toggleDarkMode', keys: [['Mod', 'Shift', 'L']], scope: 'app' },
  { id: 'runPreview', keys: [['Mod', 'Enter']], scope: 'studio' },
  { id: 'publish', keys: [['Mod', 'S']], scope: 'studio' },
];
