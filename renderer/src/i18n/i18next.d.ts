import 'i18next';
import type { en } from './resources.js';

/** Keys given to t() are checked against the English namespaces at compile time. */
declare module 'i18next' {
  interface CustomTypeOptions {
    defaultNS: 'common';
    resources: typeof en;
  }
}
