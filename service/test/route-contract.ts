/**
 * The REST contract, checked on real answers: every route's answers are recorded as they are sent
 * (a route-level onSend hook added to each route as it is registered) and validated with Ajv against
 * the route's declared response schema for that status; error answers against the one error shape
 * of `shared/errors.ts`. Routes are read from the app itself, so a new route is covered without
 * touching the contract test.
 */
import type { onSendHookHandler, RouteOptions } from 'fastify';
import { Ajv, type ValidateFunction } from 'ajv';
import formatsModule from 'ajv-formats';
import { Type, type TSchema } from 'typebox';
import { ERROR_CATALOGUE, type ErrorCode } from '@shared/errors.js';

/**
 * Routes whose answers are not JSON, so they declare no response schema. Everything else must.
 * Key: `METHOD url` as registered.
 */
export const EXEMPT_ROUTES: Record<string, string> = {
  'GET /metrics': 'Prometheus text exposition format, not JSON',
  'GET /api/jobs/:id/result': 'file download (Parquet or CSV)',
  'GET /api/jobs/:id/events': 'server-sent events (text/event-stream); the test checks each event against the Job schema',
  'GET /api/feature-groups/:name/offline': 'file download (Parquet or CSV)',
  'POST /api/transforms/preview/parquet': 'file download (Parquet)',
};

/**
 * Not part of the REST contract: routes hidden from the OpenAPI document (the documentation UI,
 * /openapi.json itself, the web UI's files), CORS preflight, and the HEAD twin Fastify adds to
 * every GET (same schema, no body).
 */
function isOutsideContract(method: string, route: RouteOptions): boolean {
  const schema = route.schema as { hide?: boolean } | undefined;
  return method === 'HEAD' || method === 'OPTIONS' || schema?.hide === true;
}

export interface ContractRoute {
  key: string;
  /** Response schemas by status (`200`, `2xx`, `default`), as declared. */
  response: Record<string, TSchema> | undefined;
}

export interface RecordedAnswer {
  route: string;
  status: number;
  contentType: string;
  /** The body text when it was a string or a Buffer (JSON answers); undefined for streams. */
  body: string | undefined;
}

/** What the error handler sends for every failure: `{ error: { code, message, details, request_id } }`. */
export const ErrorBodySchema = Type.Object(
  {
    error: Type.Object(
      {
        code: Type.Union(Object.keys(ERROR_CATALOGUE).map((code) => Type.Literal(code))),
        message: Type.String({ minLength: 1 }),
        details: Type.Optional(Type.Unknown()),
        request_id: Type.String({ minLength: 1 }),
      },
      { additionalProperties: false },
    ),
  },
  { additionalProperties: false },
);

// ajv-formats is CommonJS: its default export arrives as the module object under NodeNext.
const addFormats = ((formatsModule as unknown as { default?: typeof formatsModule }).default ?? formatsModule) as unknown as (ajv: Ajv) => Ajv;

export class ContractRecorder {
  readonly routes = new Map<string, ContractRoute>();
  readonly answers: RecordedAnswer[] = [];
  private readonly ajv = addFormats(new Ajv({ strict: false, allErrors: true, allowUnionTypes: true }));
  private readonly compiled = new Map<TSchema, ValidateFunction>();

  /** For `buildApp(config, { onRoute })`: notes the route and records its answers. */
  readonly onRoute = (route: RouteOptions): void => {
    const methods = [route.method].flat();
    const record: onSendHookHandler = async (request, reply, payload) => {
      const body = typeof payload === 'string' ? payload : Buffer.isBuffer(payload) ? payload.toString('utf8') : undefined;
      this.answers.push({ route: `${request.method} ${route.url}`, status: reply.statusCode, contentType: String(reply.getHeader('content-type') ?? ''), body });
      return payload;
    };
    let added = false;
    for (const method of methods) {
      if (isOutsideContract(method, route)) continue;
      const key = `${method} ${route.url}`;
      this.routes.set(key, { key, response: (route.schema as { response?: Record<string, TSchema> } | undefined)?.response });
      added = true;
    }
    if (added) route.onSend = [...(route.onSend === undefined ? [] : [route.onSend].flat()), record];
  };

  /** Routes that declare no response schema and are not exempt (with a reason). */
  routesWithoutSchema(): string[] {
    return [...this.routes.values()].filter((r) => !r.response && !(r.key in EXEMPT_ROUTES)).map((r) => r.key);
  }

  /** Every recorded answer that does not match its route's contract, one line each. */
  mismatches(): string[] {
    const problems: string[] = [];
    for (const answer of this.answers) {
      const route = this.routes.get(answer.route);
      if (!route) continue; // outside the contract (see isOutsideContract)
      const problem = this.check(route, answer);
      if (problem) problems.push(`${answer.route} -> ${answer.status}: ${problem}`);
    }
    return [...new Set(problems)];
  }

  /** Checks an answer that did not come through a route (the not-found handler). */
  checkError(status: number, body: string): string | undefined {
    return this.checkErrorBody(status, body);
  }

  /** Routes with no answer at all, and routes that only answered with errors. */
  coverage(): { never: string[]; errorsOnly: string[] } {
    const statuses = new Map<string, number[]>();
    for (const a of this.answers) statuses.set(a.route, [...(statuses.get(a.route) ?? []), a.status]);
    const keys = [...this.routes.keys()];
    return {
      never: keys.filter((k) => !statuses.has(k)),
      errorsOnly: keys.filter((k) => statuses.has(k) && statuses.get(k)!.every((s) => s >= 400)),
    };
  }

  private check(route: ContractRoute, answer: RecordedAnswer): string | undefined {
    const declared = route.response?.[String(answer.status)] ?? route.response?.[`${Math.floor(answer.status / 100)}xx`] ?? route.response?.['default'];
    // A response declared per media type (`content`): the JSON answer is checked against its JSON schema.
    const perMediaType = (declared as { content?: Record<string, { schema?: unknown }> } | undefined)?.content;
    const schema = perMediaType ? perMediaType['application/json']?.schema : declared;
    if (answer.status >= 400 && !schema) return this.checkErrorBody(answer.status, answer.body);
    if (route.key in EXEMPT_ROUTES) return undefined;
    if (!schema) return `no response schema for status ${answer.status}`;
    if (answer.status === 204) return answer.body ? `204 with a body: ${answer.body.slice(0, 200)}` : undefined;
    // Training answers are JSON, Parquet or CSV as asked: the declared schema is the JSON one.
    if (!answer.contentType.startsWith('application/json')) return undefined;
    if (answer.body === undefined) return 'a JSON answer that was streamed, not checked';
    return this.validate(schema, answer.body);
  }

  private checkErrorBody(status: number, body: string | undefined): string | undefined {
    if (body === undefined) return 'an error answer without a body';
    const problem = this.validate(ErrorBodySchema, body);
    if (problem) return `not the error shape: ${problem}`;
    const code = (JSON.parse(body) as { error: { code: ErrorCode } }).error.code;
    // FSTORE_VALIDATION_FAILED also carries the router's own 4xx statuses (414 for a long URL name).
    const expected = ERROR_CATALOGUE[code].status;
    if (status !== expected && !(code === 'FSTORE_VALIDATION_FAILED' && status >= 400 && status < 500)) {
      return `${code} is ${expected} in the error catalogue, answered with ${status}`;
    }
    return undefined;
  }

  private validate(schema: TSchema, body: string): string | undefined {
    let value: unknown;
    try {
      value = JSON.parse(body);
    } catch (err) {
      return `not JSON (${(err as Error).message}): ${body.slice(0, 200)}`;
    }
    let validate = this.compiled.get(schema);
    if (!validate) {
      validate = this.ajv.compile(schema);
      this.compiled.set(schema, validate);
    }
    if (validate(value)) return undefined;
    return this.ajv.errorsText(validate.errors, { separator: '; ' }) + ` in ${body.slice(0, 300)}`;
  }

  /** Notes an answer that bypassed the hooks (a hijacked reply: the job events stream). */
  note(route: string, status: number, contentType: string): void {
    this.answers.push({ route, status, contentType, body: undefined });
  }

  /** Validates one value against a schema (the SSE events' Job). */
  validateValue(schema: TSchema, value: unknown): string | undefined {
    return this.validate(schema, JSON.stringify(value));
  }
}
