export type ColorMode = 'light' | 'dark';

const STORAGE_KEY = 'fstore.colorMode';

/** The user's explicit choice, if they made one; otherwise the OS preference applies. */
export function readStoredColorMode(): ColorMode | undefined {
  try {
    const stored = window.localStorage.getItem(STORAGE_KEY);
    return stored === 'light' || stored === 'dark' ? stored : undefined;
  } catch {
    return undefined; // storage can be disabled (privacy settings); the OS preference still works
  }
}

export function storeColorMode(mode: ColorMode): void {
  try {
    window.localStorage.setItem(STORAGE_KEY, mode);
  } catch {
    // Not persisting is acceptable: the toggle still works for this session.
  }
}
