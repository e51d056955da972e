import { useEffect, useMemo, useState, type ReactNode } from 'react';
import CssBaseline from '@mui/material/CssBaseline';
import useMediaQuery from '@mui/material/useMediaQuery';
import { ThemeProvider } from '@mui/material/styles';
import { useTranslation } from 'react-i18next';
import { isLanguage } from '../i18n/languages.js';
import { ColorModeContext } from './color-mode-context.js';
import { readStoredColorMode, storeColorMode, type ColorMode } from './color-mode-storage.js';
import { createAppTheme } from './create-app-theme.js';

/** Light or dark theme: the stored choice if any, else the OS preference (prefers-color-scheme). */
export function ColorModeProvider({ children }: { children: ReactNode }) {
  const prefersDark = useMediaQuery('(prefers-color-scheme: dark)', { noSsr: true });
  const [chosen, setChosen] = useState<ColorMode | undefined>(readStoredColorMode);
  const mode: ColorMode = chosen ?? (prefersDark ? 'dark' : 'light');

  useEffect(() => {
    document.documentElement.dataset['colorMode'] = mode;
    document.documentElement.style.colorScheme = mode;
  }, [mode]);

  const value = useMemo(
    () => ({
      mode,
      toggle: () => {
        const next: ColorMode = mode === 'dark' ? 'light' : 'dark';
        storeColorMode(next);
        setChosen(next);
      },
    }),
    [mode],
  );
  const { i18n } = useTranslation();
  const language = isLanguage(i18n.language) ? i18n.language : 'en';
  const theme = useMemo(() => createAppTheme(mode, language), [mode, language]);

  return (
    <ColorModeContext.Provider value={value}>
      <ThemeProvider theme={theme}>
        <CssBaseline enableColorScheme />
        {children}
      </ThemeProvider>
    </ColorModeContext.Provider>
  );
}
