/** The languages the UI speaks, and how the one in use is chosen. */
export const LANGUAGES = ['en', 'pt-BR'] as const;
export type Language = (typeof LANGUAGES)[number];

/** Each language's own name, as its speakers write it (shown in the language menu). */
export const LANGUAGE_NAMES: Record<Language, string> = { en: 'English', 'pt-BR': 'Português (Brasil)' };

/**
 * The locales for numbers and for dates, fixed per language so every page and chart agrees.
 * English writes numbers as in the US ("1,234.5", "2.5M") and dates day first ("3 Nov 2025"),
 * which no reader misreads; Portuguese is pt-BR for both ("1.234,5", "3 de nov. de 2025").
 */
export const LOCALE_OF: Record<Language, { numbers: string; dates: string }> = {
  en: { numbers: 'en-US', dates: 'en-GB' },
  'pt-BR': { numbers: 'pt-BR', dates: 'pt-BR' },
};

export const LANGUAGE_STORAGE_KEY = 'fstore.language';

export function isLanguage(value: unknown): value is Language {
  return typeof value === 'string' && (LANGUAGES as readonly string[]).includes(value);
}

/**
 * The user's stored choice, else the first system/browser language FStore speaks (any Portuguese
 * gets pt-BR: the only Portuguese there is), else English.
 */
export function detectLanguage(stored: string | null | undefined, preferred: readonly string[]): Language {
  if (isLanguage(stored)) return stored;
  for (const tag of preferred) {
    const primary = tag.toLowerCase().split('-')[0];
    if (primary === 'pt') return 'pt-BR';
    if (primary === 'en') return 'en';
  }
  return 'en';
}
