import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { SERVICE_VERSION } from '../../version.js';

/** `GET /health`: liveness and the storage adapters in use (answered by every serving worker too). */
export function registerHealthRoute(app: FastifyInstance, stores: { registry: string; online: string; offline: string }): void {
  app.get(
    '/health',
    {
      schema: {
        tags: ['Service'],
        summary: 'Liveness and the storage adapters in use',
        response: { 200: Type.Object({ status: Type.String(), version: Type.String(), stores: Type.Record(Type.String(), Type.String()) }) },
      },
    },
    () => ({ status: 'ok', version: SERVICE_VERSION, stores }),
  );
}
