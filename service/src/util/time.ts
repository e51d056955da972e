const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?$/i;

/**
 * Parses an instant given as a date (UTC midnight) or an ISO-8601 date-time; a date-time without
 * an offset is read as UTC, never as the server's local time. Returns epoch ms or undefined.
 */
export function parseInstant(text: string): number | undefined {
  const s = text.trim();
  if (!isRealCalendarDate(s.slice(0, 10))) return undefined;
  if (DATE_ONLY.test(s)) return validOrUndefined(Date.parse(`${s}T00:00:00Z`));
  if (!DATE_TIME.test(s)) return undefined;
  let normalized = s.replace(' ', 'T');
  if (!/(Z|[+-]\d{2}:?\d{2})$/i.test(normalized)) normalized += 'Z';
  // JS Date keeps milliseconds; trim finer digits so Date.parse accepts them.
  normalized = normalized.replace(/(\.\d{3})\d+/, '$1');
  return validOrUndefined(Date.parse(normalized));
}

/** Inclusive end of a range: a bare date covers that whole day. */
export function parseRangeEnd(text: string): number | undefined {
  const start = parseInstant(text);
  if (start === undefined) return undefined;
  return DATE_ONLY.test(text.trim()) ? start + 86_400_000 - 1 : start;
}

export function isoOf(ms: number): string {
  return new Date(ms).toISOString();
}

// Date#toISOString is slow next to everything else serving does per value, and served event times
// repeat (a row's features share one; batches share few), so recent results are reused. Not for
// bulk exports, where nearly every time differs.
const ISO_CACHE_SIZE = 4096;
const isoCache = new Map<number, string>();

export function servedIsoOf(ms: number): string {
  let iso = isoCache.get(ms);
  if (iso === undefined) {
    iso = new Date(ms).toISOString();
    if (isoCache.size >= ISO_CACHE_SIZE) isoCache.clear();
    isoCache.set(ms, iso);
  }
  return iso;
}

/** Date.parse rolls 2025-02-30 over to March; a training window must not. */
function isRealCalendarDate(ymd: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(ymd);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  return mo >= 1 && mo <= 12 && d >= 1 && d <= new Date(Date.UTC(y, mo, 0)).getUTCDate();
}

function validOrUndefined(ms: number): number | undefined {
  return Number.isFinite(ms) ? ms : undefined;
}
