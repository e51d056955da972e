/**
 * How deeply a JSON value taken in as data (a row's column, a streamed value, a label column) may
 * nest arrays and objects. Feature values are scalars or lists of scalars and label columns are
 * passed through, so 64 levels is far more than any real value needs; the limit exists because
 * `JSON.stringify` and every recursive walk overflow the stack a few thousand levels down, which
 * made a hostile value a 500 instead of a clear refusal.
 */
export const MAX_JSON_DEPTH = 64;

/**
 * Whether `value` nests arrays and objects more than `limit` levels deep (`[]` is one level,
 * `[[1]]` two). Walks with its own stack, so checking a hostile value cannot overflow the call
 * stack, and stops as soon as it finds a level too many.
 */
export function exceedsJsonDepth(value: unknown, limit = MAX_JSON_DEPTH): boolean {
  if (value === null || typeof value !== 'object') return false;
  const pending: [object, number][] = [[value, 1]];
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    const [node, depth] = next;
    if (depth > limit) return true;
    for (const child of Array.isArray(node) ? node : Object.values(node)) {
      if (child !== null && typeof child === 'object') pending.push([child as object, depth + 1]);
    }
  }
  return false;
}

/** The reason given for a value that nests too deeply. */
export const TOO_DEEP = `the value nests arrays and objects more than ${MAX_JSON_DEPTH} levels deep (the limit for a JSON value)`;
