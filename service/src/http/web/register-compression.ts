import type { FastifyInstance } from 'fastify';
import compress from '@fastify/compress';

/**
 * Compressible types minus event streams: a compressed SSE stream would be buffered by the
 * compressor and reach the browser late (the job events route writes its own raw stream anyway).
 */
const COMPRESSIBLE = /^(?!text\/event-stream)(text\/|application\/(json|javascript|xml|yaml|x-yaml|openmetrics-text)|image\/svg\+xml)/;

/**
 * br or gzip for API responses and any static file that has no precompressed copy. Registered
 * before the routes, since the plugin attaches itself route by route.
 */
export async function registerCompression(app: FastifyInstance): Promise<void> {
  await app.register(compress, { encodings: ['br', 'gzip'], customTypes: COMPRESSIBLE });
}
