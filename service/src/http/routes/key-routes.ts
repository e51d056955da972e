import { Type } from 'typebox';
import { ApiKeyInfo, CreateApiKeyRequest, IssuedApiKey, RotateApiKeyRequest } from '@shared/api/keys.js';
import type { ApiKeyService } from '../../auth/api-key-service.js';
import { actorOf } from './actor.js';
import type { TypedApp } from './typed-app.js';

const IdParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 100 }) });

/** API keys (role admin when auth is on): create, list, rotate, revoke. Secrets are shown once. */
export function registerKeyRoutes(app: TypedApp, keys: ApiKeyService): void {
  const tags = ['API keys'];
  app.get('/api/keys', { schema: { tags, summary: 'API keys, oldest first (no secrets, no hashes)', response: { 200: Type.Array(ApiKeyInfo) } } }, () =>
    keys.list(),
  );
  app.post(
    '/api/keys',
    {
      schema: {
        tags,
        summary: 'Create an API key',
        description: 'The answer holds the secret (`key`); it is not stored and cannot be shown again.',
        body: CreateApiKeyRequest,
        response: { 201: IssuedApiKey },
      },
    },
    async (req, reply) => reply.status(201).send(await keys.create(req.body, actorOf(req))),
  );
  app.post(
    '/api/keys/:id/rotate',
    {
      schema: {
        tags,
        summary: 'Issue a new secret for a key (same id, name and role)',
        description: 'The old secret stops working at once, or after `grace_seconds`.',
        params: IdParams,
        body: RotateApiKeyRequest,
        response: { 200: IssuedApiKey },
      },
      // The body is optional (`curl -X POST .../rotate` rotates with no grace period).
      preValidation: async (req) => {
        req.body ??= {};
      },
    },
    (req) => keys.rotate(req.params.id, req.body.grace_seconds ?? 0),
  );
  app.delete(
    '/api/keys/:id',
    { schema: { tags, summary: 'Revoke an API key (idempotent)', params: IdParams, response: { 200: ApiKeyInfo } } },
    (req) => keys.revoke(req.params.id),
  );
}
