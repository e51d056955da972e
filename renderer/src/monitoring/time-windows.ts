/**
 * Event-time windows of the Monitoring page, as whole UTC days (`YYYY-MM-DD`, both ends
 * inclusive): the service reads a bare date as UTC and a bare end date as covering that whole day.
 */
import { i18n } from '../i18n/i18n.js';
import { dateTimeFormat } from '../i18n/locale-format.js';

export interface DateWindow {
  start: string;
  end: string;
}

const DAY_MS = 86_400_000;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
/** The service refuses a drift series of more than 400 windows. */
const MAX_SERIES_POINTS = 400;

/** The UTC calendar day of an instant. */
export function utcDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** Whether `text` is a real calendar date in `YYYY-MM-DD` form (2025-02-30 is not). */
export function isDate(text: string): boolean {
  const m = DATE.exec(text);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  return mo >= 1 && mo <= 12 && d >= 1 && d <= new Date(Date.UTC(y, mo, 0)).getUTCDate();
}

export function addDays(date: string, days: number): string {
  return utcDate(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS);
}

/** Days covered by the window, both ends included. */
export function windowDays(window: DateWindow): number {
  return Math.round((Date.parse(`${window.end}T00:00:00Z`) - Date.parse(`${window.start}T00:00:00Z`)) / DAY_MS) + 1;
}

/** Current: the last 7 days (today included); baseline: the 30 days before them. */
export function defaultWindows(today: string): { baseline: DateWindow; current: DateWindow } {
  const currentStart = addDays(today, -6);
  return {
    current: { start: currentStart, end: today },
    baseline: { start: addDays(currentStart, -30), end: addDays(currentStart, -1) },
  };
}

/** `2025-01-01..2025-01-30` in the URL; anything else is ignored (the default applies). */
export function parseWindowParam(raw: string | null): DateWindow | undefined {
  const [start, end, ...rest] = (raw ?? '').split('..');
  if (start === undefined || end === undefined || rest.length > 0 || !isDate(start) || !isDate(end)) return undefined;
  return { start, end };
}

export function formatWindowParam(window: DateWindow): string {
  return `${window.start}..${window.end}`;
}

/** Why the window cannot be used, or undefined. */
export function explainWindowProblem(window: DateWindow): string | undefined {
  if (!isDate(window.start) || !isDate(window.end)) return i18n.t('monitoring:windows.pickDates');
  if (window.end < window.start) return i18n.t('monitoring:windows.endBeforeStart');
  return undefined;
}

/** Whether two windows share a day. */
export function windowsOverlap(a: DateWindow, b: DateWindow): boolean {
  return a.start <= b.end && b.start <= a.end;
}

/** Hours per point of the drift series: a day, widened for long windows to stay within the service's limit. */
export function seriesStepHours(window: DateWindow): number {
  return 24 * Math.max(1, Math.ceil(windowDays(window) / MAX_SERIES_POINTS));
}

/** "3 Nov 2025 – 9 Nov 2025", or one date for a one-day window. */
export function describeWindow(window: DateWindow): string {
  const day = dateTimeFormat({ day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });
  const format = (date: string) => (isDate(date) ? day.format(new Date(`${date}T00:00:00Z`)) : date);
  return window.start === window.end ? format(window.start) : `${format(window.start)} – ${format(window.end)}`;
}

/** First and last day with values, from per-day counts. */
export function dataSpan(daily: readonly { day: string; count: number }[]): DateWindow | undefined {
  const days = daily.filter((d) => d.count > 0).map((d) => d.day.slice(0, 10)).sort();
  const first = days[0];
  const last = days[days.length - 1];
  return first !== undefined && last !== undefined ? { start: first, end: last } : undefined;
}

/**
 * Windows inside the span of the data: the usual shape (the last 7 days of data against the
 * 30 before) when the data is long enough, else its later half against its earlier half.
 */
export function suggestWindows(span: DateWindow): { baseline: DateWindow; current: DateWindow } | undefined {
  const days = windowDays(span);
  if (days < 2) return undefined;
  if (days >= 14) {
    const preferred = defaultWindows(span.end);
    const baselineStart = preferred.baseline.start < span.start ? span.start : preferred.baseline.start;
    return { current: preferred.current, baseline: { start: baselineStart, end: preferred.baseline.end } };
  }
  const half = Math.floor(days / 2);
  return {
    baseline: { start: span.start, end: addDays(span.start, half - 1) },
    current: { start: addDays(span.start, half), end: span.end },
  };
}
