/**
 * What a JSON value taken in as data (a row's column, a streamed value, a label column) must be
 * for every store to keep it as sent.
 *
 * Depth: feature values are scalars or lists of scalars and label columns are passed through, so
 * 64 levels is far more than any real value needs; the limit exists because `JSON.stringify` and
 * every recursive walk overflow the stack a few thousand levels down, which made a hostile value a
 * 500 instead of a clear refusal.
 *
 * Text: JSON may escape a lone UTF-16 surrogate (`"\ud800"`), which is not Unicode. DuckDB's JSON
 * reader refuses it, PostgreSQL refuses it, and Redis and LMDB would keep U+FFFD in its place, so
 * one value would land differently in each store (or fail mid-write): it is refused up front.
 */
export const MAX_JSON_DEPTH = 64;

/** The reason given for a value that nests too deeply. */
export const TOO_DEEP = `the value nests arrays and objects more than ${MAX_JSON_DEPTH} levels deep (the limit for a JSON value)`;

/** The reason given for text holding a lone surrogate. */
export const NOT_UNICODE = 'the text holds a lone UTF-16 surrogate (such as \\ud800), which is not Unicode and no store can keep';

/** In a `u` regular expression a well-formed pair is one code point, so this finds only lone halves. */
const LONE_SURROGATE = /[\ud800-\udfff]/u;

/** Whether `text` is well-formed Unicode (no lone surrogate). */
export function isWellFormedText(text: string): boolean {
  return !LONE_SURROGATE.test(text);
}

/**
 * Whether `value` nests arrays and objects more than `limit` levels deep (`[]` is one level,
 * `[[1]]` two). Walks with its own stack, so checking a hostile value cannot overflow the call
 * stack, and stops as soon as it finds a level too many.
 */
export function exceedsJsonDepth(value: unknown, limit = MAX_JSON_DEPTH): boolean {
  return walk(value, limit, false) === TOO_DEEP;
}

/** Why no store can keep `value` as sent (TOO_DEEP or NOT_UNICODE), or undefined when all can. */
export function jsonValueProblem(value: unknown, limit = MAX_JSON_DEPTH): string | undefined {
  return walk(value, limit, true);
}

function walk(value: unknown, limit: number, checkText: boolean): string | undefined {
  if (typeof value === 'string') return checkText && !isWellFormedText(value) ? NOT_UNICODE : undefined;
  if (value === null || typeof value !== 'object') return undefined;
  const pending: [object, number][] = [[value, 1]];
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    const [node, depth] = next;
    if (depth > limit) return TOO_DEEP;
    const isArray = Array.isArray(node);
    for (const [name, child] of isArray ? node.entries() : Object.entries(node)) {
      if (checkText && !isArray && !isWellFormedText(name as string)) return NOT_UNICODE;
      if (typeof child === 'string') {
        if (checkText && !isWellFormedText(child)) return NOT_UNICODE;
      } else if (child !== null && typeof child === 'object') {
        pending.push([child as object, depth + 1]);
      }
    }
  }
  return undefined;
}
