import { createContext, useContext } from 'react';

export interface ShortcutsContextValue {
  openSheet(): void;
}

export const ShortcutsContext = createContext<ShortcutsContextValue | undefined>(undefined);

export function useShortcuts(): ShortcutsContextValue {
  const value = useContext(ShortcutsContext);
  if (!value) throw new Error('useShortcuts must be used inside <ShortcutsProvider>');
  return value;
}
