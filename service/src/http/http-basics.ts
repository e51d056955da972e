import type { FastifyServerOptions } from 'fastify';
import type { FastifyInstance } from 'fastify';
import cors from '@fastify/cors';
import type { ServiceConfig } from '../config/config-schema.js';
import { installErrorHandler, sendFrameworkError } from './error-handler.js';
import { logSerializers } from './auth/log-redaction.js';
import { rejectNonFiniteNumbers } from './routes/finite-numbers.js';

export const DESKTOP_APP_ORIGIN = 'app://fstore';

/**
 * The Fastify options of every HTTP process of the service: the full app, and the serving workers
 * of `fstore serve --workers N` (cluster/), so both parse, log and refuse requests alike.
 */
export function fastifyOptions(config: ServiceConfig): FastifyServerOptions {
  return {
    logger: config.logLevel === 'silent' ? false : { level: config.logLevel, redact: ['req.headers.authorization', 'req.headers["x-api-key"]'], serializers: logSerializers },
    bodyLimit: config.maxBodyBytes,
    routerOptions: { ignoreTrailingSlash: true },
    // Router errors (a malformed URL, a URL name over maxParamLength) get the one error shape too.
    frameworkErrors: sendFrameworkError,
    ajv: { customOptions: { removeAdditional: false, allErrors: true, coerceTypes: 'array', allowUnionTypes: true } },
  };
}

/** The error shape, the non-finite number check and CORS: before any route is added. */
export async function installHttpBasics(app: FastifyInstance, config: ServiceConfig): Promise<void> {
  installErrorHandler(app);
  rejectNonFiniteNumbers(app);
  // The desktop renderer runs on app://fstore and calls the service on loopback; other origins
  // only when configured. Same-origin use (the web UI served at /) needs no CORS at all.
  await app.register(cors, { origin: [DESKTOP_APP_ORIGIN, ...config.corsOrigins], exposedHeaders: ['content-disposition'] });
}
