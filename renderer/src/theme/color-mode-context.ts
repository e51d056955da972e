import { createContext } from 'react';
import type { ColorMode } from './color-mode-storage.js';

export interface ColorModeContextValue {
  mode: ColorMode;
  toggle: () => void;
}

export const ColorModeContext = createContext<ColorModeContextValue | undefined>(undefined);
