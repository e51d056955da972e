/**
 * Validation of single values against a feature's value type, for streams and pushes (batches are
 * validated in SQL with the same rules; see service/src/staging/typed-sql.ts). Returns the value's
 * canonical JSON text, or why it does not fit.
 */
import { elementTypeOf, isListValueType, type ScalarValueType, type ValueType } from './value-types.js';

/** PostgreSQL text cannot hold U+0000, so no store keeps it in a text value (as in entity keys). */
export const TEXT_HAS_NUL = 'text values cannot contain the NUL character (U+0000), which the stores cannot keep';

export type Coerced = { ok: true; json: string } | { ok: false; reason: string };

const INTEGER_TEXT = /^\s*[-+]?\d+\s*$/;
const DATE_TEXT = /^(\d{4})-(\d{2})-(\d{2})$/;
const BOOL_TEXT: Record<string, boolean> = { true: true, t: true, '1': true, yes: true, false: false, f: false, '0': false, no: false };

export function coerceValue(valueType: ValueType, value: unknown): Coerced {
  if (isListValueType(valueType)) {
    if (!Array.isArray(value)) return { ok: false, reason: `expected a list for ${valueType}` };
    const element = elementTypeOf(valueType);
    const parts: string[] = [];
    for (const [i, item] of value.entries()) {
      const c = coerceScalar(element, item);
      if (!c.ok) return { ok: false, reason: `item ${i}: ${c.reason}` };
      parts.push(c.json);
    }
    return { ok: true, json: `[${parts.join(',')}]` };
  }
  return coerceScalar(valueType as ScalarValueType, value);
}

function coerceScalar(valueType: ScalarValueType, value: unknown): Coerced {
  const fail = (what: string): Coerced => ({ ok: false, reason: `expected ${what} for ${valueType}, got ${describe(value)}` });
  switch (valueType) {
    case 'INT':
      if (typeof value === 'number') return Number.isInteger(value) ? { ok: true, json: String(value) } : fail('an integer');
      if (typeof value === 'string' && INTEGER_TEXT.test(value)) return { ok: true, json: String(BigInt(value.trim())) };
      return fail('an integer');
    case 'FLOAT': {
      const n = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : Number.NaN;
      return Number.isFinite(n) ? { ok: true, json: JSON.stringify(n) } : fail('a finite number');
    }
    case 'STRING':
      if (typeof value === 'string') return value.includes('\u0000') ? { ok: false, reason: TEXT_HAS_NUL } : { ok: true, json: JSON.stringify(value) };
      if (typeof value === 'number' || typeof value === 'boolean') return { ok: true, json: JSON.stringify(String(value)) };
      return fail('a text value');
    case 'BOOL':
      if (typeof value === 'boolean') return { ok: true, json: String(value) };
      if (value === 0 || value === 1) return { ok: true, json: String(value === 1) };
      if (typeof value === 'string' && value.trim().toLowerCase() in BOOL_TEXT) {
        return { ok: true, json: String(BOOL_TEXT[value.trim().toLowerCase()]) };
      }
      return fail('true or false');
    case 'DATE': {
      if (typeof value !== 'string') return fail('a date (YYYY-MM-DD)');
      const m = DATE_TEXT.exec(value.trim());
      if (m && isRealDate(Number(m[1]), Number(m[2]), Number(m[3]))) return { ok: true, json: JSON.stringify(value.trim()) };
      const ms = parseIso(value);
      return ms === undefined ? fail('a date (YYYY-MM-DD)') : { ok: true, json: JSON.stringify(new Date(ms).toISOString().slice(0, 10)) };
    }
    case 'TIMESTAMP': {
      const ms = typeof value === 'string' ? parseIso(value) : undefined;
      return ms === undefined ? fail('an ISO-8601 timestamp') : { ok: true, json: JSON.stringify(new Date(ms).toISOString()) };
    }
  }
}

/**
 * Parses an ISO-8601 date or date-time (no offset means UTC); undefined when it is not one or names
 * an impossible date. The same rule as the REST API's dates.
 */
export function parseIso(text: string): number | undefined {
  const s = text.trim();
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/i.exec(s);
  if (!m || !isRealDate(Number(m[1]), Number(m[2]), Number(m[3]))) return undefined;
  if (m[4] === undefined) return Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  const fraction = m[7] ? m[7].slice(0, 4) : '';
  const offset = m[8] ?? 'Z';
  const ms = Date.parse(`${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6] ?? '00'}${fraction}${offset.length === 5 ? `${offset.slice(0, 3)}:${offset.slice(3)}` : offset}`);
  return Number.isFinite(ms) ? ms : undefined;
}

function isRealDate(y: number, mo: number, d: number): boolean {
  return mo >= 1 && mo <= 12 && d >= 1 && d <= new Date(Date.UTC(y, mo, 0)).getUTCDate();
}

function describe(value: unknown): string {
  if (value === null || value === undefined) return 'nothing';
  const text = JSON.stringify(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
