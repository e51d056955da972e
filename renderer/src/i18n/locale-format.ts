/**
 * Intl formatters in the UI language's locale (one locale for numbers, dates and charts), built
 * once per locale and options: formatting runs in table cells and chart ticks.
 */
import { currentLocale } from './i18n.js';

const numberFormats = new Map<string, Intl.NumberFormat>();
const dateFormats = new Map<string, Intl.DateTimeFormat>();

export function numberFormat(options: Intl.NumberFormatOptions = {}): Intl.NumberFormat {
  const locale = currentLocale().numbers;
  const id = `${locale}|${JSON.stringify(options)}`;
  let format = numberFormats.get(id);
  if (!format) numberFormats.set(id, (format = new Intl.NumberFormat(locale, options)));
  return format;
}

export function dateTimeFormat(options: Intl.DateTimeFormatOptions = {}): Intl.DateTimeFormat {
  const locale = currentLocale().dates;
  const id = `${locale}|${JSON.stringify(options)}`;
  let format = dateFormats.get(id);
  if (!format) dateFormats.set(id, (format = new Intl.DateTimeFormat(locale, options)));
  return format;
}
