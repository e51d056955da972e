import type { FastifyServerOptions } from 'fastify';
import type { FastifyInstance } from 'fastify';
import { randomUUID } from 'node:crypto';
import cors from '@fastify/cors';
import type { ServiceConfig } from '../config/config-schema.js';
import { installErrorHandler, sendFrameworkError } from './error-handler.js';
import { logSerializers } from './auth/log-redaction.js';
import { rejectNonFiniteNumbers } from './routes/finite-numbers.js';
import { AJV_OPTIONS, buildPartValidators } from './validator-compilers.js';

export const DESKTOP_APP_ORIGIN = 'app://fstore';

/** A caller's request id is kept only if it is this plain: it goes into logs and headers as is. */
const CALLER_REQUEST_ID = /^[A-Za-z0-9._:@/+=-]{1,128}$/;

/**
 * The request's id: the caller's `X-Request-Id` when it is a plain token (a proxy's or a client's
 * trace id, so one id follows a request through every hop), else a new UUID. It is in every log
 * line of the request, echoed in the `X-Request-Id` response header and in error bodies.
 */
export function requestIdOf(req: { headers: Record<string, string | string[] | undefined> }): string {
  const given = req.headers['x-request-id'];
  return typeof given === 'string' && CALLER_REQUEST_ID.test(given) ? given : randomUUID();
}

/**
 * The Fastify options of every HTTP process of the service: the full app, and the serving workers
 * of `fstore serve --workers N` (cluster/), so both parse, log and refuse requests alike.
 */
export function fastifyOptions(config: ServiceConfig): FastifyServerOptions {
  return {
    logger: config.logLevel === 'silent' ? false : { level: config.logLevel, redact: ['req.headers.authorization', 'req.headers["x-api-key"]'], serializers: logSerializers },
    bodyLimit: config.maxBodyBytes,
    genReqId: requestIdOf,
    routerOptions: { ignoreTrailingSlash: true },
    // Router errors (a malformed URL, a URL name over maxParamLength) get the one error shape too.
    frameworkErrors: sendFrameworkError,
    ajv: { customOptions: AJV_OPTIONS },
    schemaController: { compilersFactory: { buildValidator: buildPartValidators() } },
  };
}

/** The error shape, the non-finite number check and CORS: before any route is added. */
export async function installHttpBasics(app: FastifyInstance, config: ServiceConfig): Promise<void> {
  // A callback hook, not an async one: it runs on every online read, and costs no promise there.
  app.addHook('onRequest', (request, reply, done) => {
    void reply.header('x-request-id', request.id);
    done();
  });
  installErrorHandler(app);
  rejectNonFiniteNumbers(app);
  // The desktop renderer runs on app://fstore and calls the service on loopback; other origins
  // only when configured. Same-origin use (the web UI served at /) needs no CORS at all.
  await app.register(cors, { origin: [DESKTOP_APP_ORIGIN, ...config.corsOrigins], exposedHeaders: ['content-disposition', 'x-request-id'] });
}
