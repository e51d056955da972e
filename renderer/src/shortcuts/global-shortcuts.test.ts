import { describe, expect, it } from 'vitest';
import { globalActionFor, type PressContext } from './global-shortcuts.js';
import { isTypingTarget, type KeyPress } from './key-matching.js';

const press = (key: string, mods: Partial<Omit<KeyPress, 'key'>> = {}): KeyPress => ({ key, ctrlKey: false, metaKey: false, altKey: false, shiftKey: false, ...mods });
const idle: PressContext = { isMac: false, isTyping: false, now: 10_000, goPrefixAt: undefined };

describe('globalActionFor', () => {
  it('opens the sheet with "?" and Mod+/', () => {
    expect(globalActionFor(press('?', { shiftKey: true }), idle)).toEqual({ kind: 'show-shortcuts' });
    expect(globalActionFor(press('/', { ctrlKey: true }), idle)).toEqual({ kind: 'show-shortcuts' });
    expect(globalActionFor(press('/', { metaKey: true }), { ...idle, isMac: true })).toEqual({ kind: 'show-shortcuts' });
  });

  it('focuses search with "/" and Mod+K, Ctrl on Linux and Cmd on macOS only', () => {
    expect(globalActionFor(press('/'), idle)).toEqual({ kind: 'focus-search' });
    expect(globalActionFor(press('k', { ctrlKey: true }), idle)).toEqual({ kind: 'focus-search' });
    expect(globalActionFor(press('k', { metaKey: true }), idle)).toBeUndefined();
    expect(globalActionFor(press('k', { ctrlKey: true }), { ...idle, isMac: true })).toBeUndefined();
    expect(globalActionFor(press('k', { ctrlKey: true, altKey: true }), idle)).toBeUndefined();
  });

  it('goes to a page with "g" then its key, within the time limit', () => {
    expect(globalActionFor(press('g'), idle)).toEqual({ kind: 'go-prefix' });
    const afterG = { ...idle, goPrefixAt: idle.now - 500 };
    expect(globalActionFor(press('t'), afterG)).toEqual({ kind: 'go', page: 'transforms' });
    expect(globalActionFor(press('d'), afterG)).toEqual({ kind: 'go', page: 'data-sources' });
    expect(globalActionFor(press('g'), afterG)).toEqual({ kind: 'go', page: 'feature-groups' });
    expect(globalActionFor(press('t'), { ...idle, goPrefixAt: idle.now - 5000 })).toBeUndefined();
    expect(globalActionFor(press('t'), idle)).toBeUndefined();
    expect(globalActionFor(press('z'), afterG)).toBeUndefined();
  });

  it('goes to the first nine pages with Mod+1..9, toggles dark mode with Mod+Shift+L', () => {
    expect(globalActionFor(press('1', { ctrlKey: true }), idle)).toEqual({ kind: 'go', page: 'features' });
    expect(globalActionFor(press('5', { ctrlKey: true }), idle)).toEqual({ kind: 'go', page: 'transforms' });
    expect(globalActionFor(press('9', { metaKey: true }), { ...idle, isMac: true })).toEqual({ kind: 'go', page: 'jobs' });
    expect(globalActionFor(press('0', { ctrlKey: true }), idle)).toBeUndefined();
    expect(globalActionFor(press('L', { ctrlKey: true, shiftKey: true }), idle)).toEqual({ kind: 'toggle-dark-mode' });
    expect(globalActionFor(press('l', { ctrlKey: true }), idle)).toBeUndefined();
  });

  it('does nothing while the user types', () => {
    const typing = { ...idle, isTyping: true, goPrefixAt: idle.now - 100 };
    for (const p of [press('?'), press('/'), press('g'), press('t'), press('k', { ctrlKey: true }), press('1', { ctrlKey: true })]) {
      expect(globalActionFor(p, typing)).toBeUndefined();
    }
  });
});

describe('isTypingTarget', () => {
  it('counts text fields, text areas, selects, editable content and the code editor as typing', () => {
    expect(isTypingTarget({ tagName: 'INPUT', type: 'search' })).toBe(true);
    expect(isTypingTarget({ tagName: 'input' })).toBe(true);
    expect(isTypingTarget({ tagName: 'TEXTAREA' })).toBe(true);
    expect(isTypingTarget({ tagName: 'SELECT' })).toBe(true);
    expect(isTypingTarget({ tagName: 'DIV', isContentEditable: true })).toBe(true);
    expect(isTypingTarget({ tagName: 'DIV', role: 'combobox' })).toBe(true);
    expect(isTypingTarget({ tagName: 'DIV', isInCodeEditor: true })).toBe(true);
  });

  it('does not count buttons, check boxes or the page', () => {
    expect(isTypingTarget({ tagName: 'INPUT', type: 'checkbox' })).toBe(false);
    expect(isTypingTarget({ tagName: 'BUTTON' })).toBe(false);
    expect(isTypingTarget({ tagName: 'BODY' })).toBe(false);
    expect(isTypingTarget(null)).toBe(false);
  });
});
