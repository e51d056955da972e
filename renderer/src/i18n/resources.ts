/**
 * Every namespace in every language. A namespace per area of the app (its own pair of files under
 * locales/), so the areas' strings stay beside each other and apart from the rest.
 */
import enCommon from './locales/en/common.js';
import ptCommon from './locales/pt-BR/common.js';

export const en = { common: enCommon } as const;

export const resources = {
  en,
  'pt-BR': { common: ptCommon },
} as const;

export type Namespace = keyof typeof en;
