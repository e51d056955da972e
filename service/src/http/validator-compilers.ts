/**
 * Request validation by part. Query strings and URL parameters are text, so their schemas coerce
 * ("5" to 5, "a" to ["a"]); a JSON body states its types itself and is validated without coercion.
 * With one coercing validator for all parts, a body could smuggle a value of another type through
 * a union (`null | text` let `["x"]` through, stored, and every later list answered 500) and have
 * "Infinity" turned into a number. Same Ajv options otherwise, and Fastify's own compiler.
 */
import AjvCompiler from '@fastify/ajv-compiler';
import type { FastifyServerOptions } from 'fastify';

type Factory = NonNullable<NonNullable<NonNullable<FastifyServerOptions['schemaController']>['compilersFactory']>['buildValidator']>;

export const AJV_OPTIONS = { removeAdditional: false, allErrors: true, coerceTypes: 'array', allowUnionTypes: true } as const;

/** One compiler for bodies (no coercion) and one for every other part (coercion as for text). */
export function buildPartValidators(): Factory {
  const coercing = AjvCompiler();
  const exact = AjvCompiler();
  return (externalSchemas, ajvOptions) => {
    const options = ajvOptions as { customOptions?: Record<string, unknown>; plugins?: [] } | undefined;
    const forText = coercing(externalSchemas, { ...options, customOptions: { ...options?.customOptions, ...AJV_OPTIONS } });
    const forBody = exact(externalSchemas, { ...options, customOptions: { ...options?.customOptions, ...AJV_OPTIONS, coerceTypes: false } });
    return (route) => (route.httpPart === 'body' ? forBody(route) : forText(route));
  };
}
