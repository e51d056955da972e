import { numberFormat } from '../../i18n/locale-format.js';


/** A preview cell as text: numbers with at most 6 decimals, absent values as "—", lists and objects as JSON. */
export function formatCell(value: unknown): string {
  if (value === null || value === undefined) return '—';
  if (typeof value === 'number') return Number.isInteger(value) ? String(value) : numberFormat({ maximumFractionDigits: 6, useGrouping: false }).format(value);
  if (typeof value === 'string') return value;
  if (typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  return JSON.stringify(value);
}
