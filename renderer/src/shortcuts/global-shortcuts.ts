/**
 * Which app-wide action a key press asks for. Pure: the provider feeds it key presses and the time,
 * and keeps the pending "g" between presses.
 */
import { MENU_PAGES, type MenuPage } from '@shared/ipc/desktop-api.js';
import { isChord, isPlainKey, pageNumberOf, type KeyPress } from './key-matching.js';
import { GO_KEYS, GO_PREFIX_MS } from './shortcut-catalogue.js';

export type GlobalAction =
  | { kind: 'show-shortcuts' }
  | { kind: 'focus-search' }
  | { kind: 'toggle-dark-mode' }
  | { kind: 'go'; page: MenuPage }
  /** "g" was pressed: the next key within GO_PREFIX_MS names a page. */
  | { kind: 'go-prefix' };

export interface PressContext {
  isMac: boolean;
  /** True when the focus is in a text field or the code editor. */
  isTyping: boolean;
  now: number;
  /** When "g" was pressed, if it was the last key. */
  goPrefixAt: number | undefined;
}

export function globalActionFor(press: KeyPress, { isMac, isTyping, now, goPrefixAt }: PressContext): GlobalAction | undefined {
  // App shortcuts never fire while the user types; the studio's own (Mod+Enter, Mod+S) are handled there.
  if (isTyping) return undefined;
  if (isChord(press, '/', isMac)) return { kind: 'show-shortcuts' };
  if (isChord(press, 'k', isMac)) return { kind: 'focus-search' };
  if (isChord(press, 'l', isMac, true)) return { kind: 'toggle-dark-mode' };
  const pageIndex = pageNumberOf(press, isMac);
  if (pageIndex !== undefined) {
    const page = MENU_PAGES[pageIndex];
    return page === undefined ? undefined : { kind: 'go', page };
  }
  if (!isPlainKey(press)) return undefined;
  if (goPrefixAt !== undefined && now - goPrefixAt <= GO_PREFIX_MS) {
    const page = MENU_PAGES.find((p) => GO_KEYS[p] === press.key.toLowerCase());
    if (page !== undefined && !press.shiftKey) return { kind: 'go', page };
  }
  if (press.key === '?') return { kind: 'show-shortcuts' };
  if (press.key === '/') return { kind: 'focus-search' };
  if (press.key === 'g' && !press.shiftKey) return { kind: 'go-prefix' };
  return undefined;
}
