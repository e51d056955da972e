import { i18n } from '../i18n/i18n.js';
import { dateTimeFormat } from '../i18n/locale-format.js';


/** A timestamp as the user reads it ("26 Nov 2025, 10:42"); unparsable input is returned as is. */
export function formatTime(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : dateTimeFormat({ dateStyle: 'medium', timeStyle: 'short' }).format(date);
}

/** A TTL in seconds as a short duration ("7 d", "12 h", "90 s"), or "No expiry". */
export function formatTtl(seconds: number | null): string {
  if (seconds === null) return i18n.t('duration.noExpiry');
  const units: [number, string][] = [
    [86_400, 'd'],
    [3_600, 'h'],
    [60, 'min'],
  ];
  for (const [size, unit] of units) {
    if (seconds % size === 0) return `${seconds / size} ${unit}`;
  }
  return `${seconds} s`;
}
