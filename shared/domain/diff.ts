import type { FieldChange } from './schemas.js';

/** Field-level differences between two definition snapshots, in a stable (sorted) field order. */
export function diffDefinitions(before: Record<string, unknown>, after: Record<string, unknown>): FieldChange[] {
  const fields = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
  const changes: FieldChange[] = [];
  for (const field of fields) {
    const a = before[field] ?? null;
    const b = after[field] ?? null;
    if (!deepEqual(a, b)) changes.push({ field, before: a, after: b });
  }
  return changes;
}

export function summarizeChanges(changes: FieldChange[]): string {
  if (changes.length === 0) return 'no definition change';
  return `changed ${changes.map((c) => c.field).join(', ')}`;
}

function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) {
    return a.length === b.length && a.every((x, i) => deepEqual(x, b[i]));
  }
  if (isRecord(a) && isRecord(b)) {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    return [...keys].every((k) => deepEqual(a[k], b[k]));
  }
  return false;
}

function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}
