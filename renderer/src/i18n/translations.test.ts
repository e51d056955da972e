import { describe, expect, it } from 'vitest';
import { i18n } from './i18n.js';
import { detectLanguage } from './languages.js';
import { resources } from './resources.js';

/** Every leaf of a namespace as [dotted key, text]. */
function leaves(tree: object, prefix = ''): [string, string][] {
  return Object.entries(tree).flatMap(([key, value]) =>
    typeof value === 'string' ? [[`${prefix}${key}`, value] as [string, string]] : leaves(value as object, `${prefix}${key}.`),
  );
}
const placeholders = (text: string) => [...text.matchAll(/\{\{\s*([\w.]+)[^}]*\}\}|<(\d+|\w+)>/g)].map((m) => m[1] ?? m[2]).sort();

describe('translations', () => {
  it('pt-BR has every English key (the types check this too), none empty, with the same placeholders and tags', () => {
    for (const [namespace, english] of Object.entries(resources.en)) {
      const portuguese = new Map(leaves(resources['pt-BR'][namespace as keyof typeof resources.en]));
      for (const [key, text] of leaves(english)) {
        const translated = portuguese.get(key);
        expect(translated, `${namespace}:${key} is missing in pt-BR`).toBeDefined();
        expect(translated!.trim(), `${namespace}:${key} is empty in pt-BR`).not.toBe('');
        expect(placeholders(translated!), `${namespace}:${key}: placeholders differ`).toEqual(placeholders(text));
      }
      expect(portuguese.size, `${namespace}: pt-BR has keys English lacks`).toBe(leaves(english).length);
    }
  });

  it('chooses the stored language, else the first the browser prefers that FStore speaks, else English', () => {
    expect(detectLanguage('pt-BR', ['en-US'])).toBe('pt-BR');
    expect(detectLanguage('en', ['pt-BR'])).toBe('en');
    expect(detectLanguage(null, ['pt-BR', 'en'])).toBe('pt-BR');
    expect(detectLanguage(null, ['pt-PT'])).toBe('pt-BR');
    expect(detectLanguage(null, ['PT'])).toBe('pt-BR');
    expect(detectLanguage(null, ['de-DE', 'en-GB', 'pt-BR'])).toBe('en');
    expect(detectLanguage('fr', ['de-DE'])).toBe('en');
    expect(detectLanguage(undefined, [])).toBe('en');
  });

  // pt-BR's plural rules have a "many" form (a million and up) that no text defines: i18next must
  // fall back to the Portuguese "other" text, not to English.
  it('counts of a million and up (the "many" plural form of pt-BR) stay in Portuguese', async () => {
    await i18n.changeLanguage('pt-BR');
    try {
      expect(i18n.t('dataSources:panel.columns', { count: 2 })).toBe('2 colunas');
      expect(i18n.t('dataSources:panel.columns', { count: 1_000_000 })).toBe('1000000 colunas');
    } finally {
      await i18n.changeLanguage('en');
    }
  });
});
