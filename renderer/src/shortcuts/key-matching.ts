/**
 * How a key press is read: which element is "typing", and whether a press is a given chord. Pure
 * (no React, no document), so the rules are unit-tested.
 */

/** The parts of a KeyboardEvent the matching reads. */
export interface KeyPress {
  key: string;
  ctrlKey: boolean;
  metaKey: boolean;
  altKey: boolean;
  shiftKey: boolean;
}

/** The parts of an element that say whether it takes text. */
export interface FocusTarget {
  tagName: string;
  isContentEditable?: boolean;
  type?: string;
  role?: string | null;
  /** True inside the code editor (Monaco), which has its own keys. */
  isInCodeEditor?: boolean;
}

const NON_TEXT_INPUTS = new Set(['button', 'checkbox', 'radio', 'range', 'color', 'file', 'submit', 'reset', 'image']);

/** True while the user types: text inputs, text areas, selects, editable content and the code editor. */
export function isTypingTarget(target: FocusTarget | null | undefined): boolean {
  if (!target) return false;
  if (target.isInCodeEditor || target.isContentEditable) return true;
  const tag = target.tagName.toUpperCase();
  if (tag === 'TEXTAREA' || tag === 'SELECT') return true;
  if (tag === 'INPUT') return !NON_TEXT_INPUTS.has((target.type ?? 'text').toLowerCase());
  return target.role === 'textbox' || target.role === 'combobox';
}

/** Ctrl on Windows and Linux, Cmd on macOS: the modifier of the app's chords. */
export function hasPrimaryModifier(press: KeyPress, isMac: boolean): boolean {
  return isMac ? press.metaKey && !press.ctrlKey : press.ctrlKey && !press.metaKey;
}

/** A press with no modifier other than Shift (which some layouts need for "?" or "/"). */
export function isPlainKey(press: KeyPress): boolean {
  return !press.ctrlKey && !press.metaKey && !press.altKey;
}

/** `primary+<key>` (e.g. Ctrl+Enter), with `shift` exactly as asked and no Alt. */
export function isChord(press: KeyPress, key: string, isMac: boolean, shift = false): boolean {
  return hasPrimaryModifier(press, isMac) && !press.altKey && press.shiftKey === shift && press.key.toLowerCase() === key.toLowerCase();
}

/** Index 0..8 for primary+1..9, else undefined. */
export function pageNumberOf(press: KeyPress, isMac: boolean): number | undefined {
  if (!hasPrimaryModifier(press, isMac) || press.altKey || press.shiftKey) return undefined;
  return /^[1-9]$/.test(press.key) ? Number(press.key) - 1 : undefined;
}

export function isMacPlatform(platform: string): boolean {
  return /Mac|iPhone|iPad/.test(platform);
}
