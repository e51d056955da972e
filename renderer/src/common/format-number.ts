import { numberFormat } from '../i18n/locale-format.js';


/** A count with thousands separators ("12,345"). */
export function formatCount(n: number): string {
  return numberFormat().format(n);
}

/** A size in bytes as the user reads it ("812 B", "4.2 KB", "1.5 MB"). */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value >= 100 ? numberFormat({ maximumFractionDigits: 0, useGrouping: false }).format(value) : numberFormat({ minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(value)} ${units[unit]}`;
}
