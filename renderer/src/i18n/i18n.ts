/**
 * The UI's i18next instance. Resources are bundled (no loading step), so the first render is
 * already in the user's language.
 */
import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import { detectLanguage, LANGUAGE_STORAGE_KEY, LANGUAGES, LOCALE_OF, type Language } from './languages.js';
import { resources } from './resources.js';

function storedLanguage(): string | null {
  try {
    return window.localStorage.getItem(LANGUAGE_STORAGE_KEY);
  } catch {
    return null; // storage can be disabled; the browser's language still applies
  }
}

export const i18n = i18next.createInstance();

void i18n.use(initReactI18next).init({
  resources,
  lng: detectLanguage(storedLanguage(), typeof navigator === 'undefined' ? [] : navigator.languages),
  fallbackLng: 'en',
  supportedLngs: [...LANGUAGES],
  defaultNS: 'common',
  interpolation: { escapeValue: false }, // React escapes what it renders
  initAsync: false,
});

/** The language in use. */
export function currentLanguage(): Language {
  return i18n.language === 'pt-BR' ? 'pt-BR' : 'en';
}

/** The locales numbers and dates (tables, charts) use: the UI language's. */
export function currentLocale(): { numbers: string; dates: string } {
  return LOCALE_OF[currentLanguage()];
}

/** Switches the UI language and remembers the choice. */
export async function chooseLanguage(language: Language): Promise<void> {
  try {
    window.localStorage.setItem(LANGUAGE_STORAGE_KEY, language);
  } catch {
    // Not persisting is acceptable: the switch still works for this session.
  }
  await i18n.changeLanguage(language);
}

function markDocument(language: string): void {
  if (typeof document !== 'undefined') document.documentElement.lang = language;
}
markDocument(i18n.language);
i18n.on('languageChanged', markDocument);
