import type { FastifyBaseLogger, FastifyInstance } from 'fastify';

/**
 * The HTTP server and its logger as code outside http/ sees them (cli/, cluster/): only http/
 * imports fastify (eslint.config.js), so everything else names these.
 */
export type HttpServer = FastifyInstance;
export type HttpLogger = FastifyBaseLogger;
