/**
 * Ajv's type coercion (`coerceTypes`, needed for query strings) turns the strings "Infinity" and
 * "1e400" into Infinity for number and integer fields, and the coerced value then passes
 * `maximum` and `integer` checks (ajv 8.20). JSON and query strings cannot carry a non-finite
 * number otherwise, so any left after validation came from that coercion and is refused here,
 * before a handler can put it in SQL or the registry.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AppError } from '../../errors/app-error.js';

type Schema = Record<string, unknown>;
const PARTS = [
  ['body', 'body'],
  ['querystring', 'query'],
  ['params', 'params'],
] as const;

/** Attached only to routes whose schemas allow a number somewhere; must run before routes are added. */
export function rejectNonFiniteNumbers(app: FastifyInstance): void {
  app.addHook('onRoute', (route) => {
    const schema = route.schema as Record<string, unknown> | undefined;
    if (!schema || !PARTS.some(([part]) => isSchema(schema[part]) && hasNumbers(schema[part]))) return;
    const existing = route.preHandler === undefined ? [] : Array.isArray(route.preHandler) ? route.preHandler : [route.preHandler];
    route.preHandler = [...existing, check];
  });

  async function check(req: FastifyRequest): Promise<void> {
    const schema = req.routeOptions.schema as Record<string, unknown>;
    for (const [schemaPart, requestPart] of PARTS) {
      const partSchema = schema[schemaPart];
      if (!isSchema(partSchema) || !hasNumbers(partSchema)) continue;
      const path = findNonFinite((req as unknown as Record<string, unknown>)[requestPart], partSchema, schemaPart);
      if (path !== undefined) {
        throw new AppError('FSTORE_VALIDATION_FAILED', `${path}: must be a finite number`, [{ path, message: 'must be a finite number' }]);
      }
    }
  }
}

/** The path of the first non-finite number where the schema allows numbers, if any. */
function findNonFinite(value: unknown, schema: Schema, path: string): string | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? undefined : path;
  if (!hasNumbers(schema) || value === null || typeof value !== 'object') return undefined;
  for (const key of ['anyOf', 'oneOf', 'allOf'] as const) {
    for (const sub of (schema[key] as unknown[] | undefined) ?? []) {
      const found = isSchema(sub) ? findNonFinite(value, sub, path) : undefined;
      if (found !== undefined) return found;
    }
  }
  if (Array.isArray(value)) {
    const items = schema['items'];
    if (!isSchema(items)) return undefined;
    for (let i = 0; i < value.length; i++) {
      const found = findNonFinite(value[i], items, `${path}/${i}`);
      if (found !== undefined) return found;
    }
    return undefined;
  }
  const properties = (schema['properties'] ?? {}) as Record<string, unknown>;
  const patterns = Object.values((schema['patternProperties'] ?? {}) as Record<string, unknown>).filter(isSchema);
  const additional = isSchema(schema['additionalProperties']) ? [schema['additionalProperties']] : [];
  for (const [key, child] of Object.entries(value)) {
    const own = properties[key];
    for (const childSchema of isSchema(own) ? [own] : [...patterns, ...additional]) {
      const found = findNonFinite(child, childSchema, `${path}/${key}`);
      if (found !== undefined) return found;
    }
  }
  return undefined;
}

const numeric = new WeakMap<Schema, boolean>();

/** Whether a number can appear anywhere under this schema (cached; schemas are static). */
function hasNumbers(schema: Schema): boolean {
  const cached = numeric.get(schema);
  if (cached !== undefined) return cached;
  numeric.set(schema, false); // cycles end here
  const type = schema['type'];
  const types = Array.isArray(type) ? type : [type];
  const children = [
    ...['anyOf', 'oneOf', 'allOf'].flatMap((k) => (schema[k] as unknown[] | undefined) ?? []),
    schema['items'],
    schema['additionalProperties'],
    ...Object.values((schema['properties'] ?? {}) as Record<string, unknown>),
    ...Object.values((schema['patternProperties'] ?? {}) as Record<string, unknown>),
  ].filter(isSchema);
  const result = types.includes('number') || types.includes('integer') || children.some(hasNumbers);
  numeric.set(schema, result);
  return result;
}

function isSchema(x: unknown): x is Schema {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}
