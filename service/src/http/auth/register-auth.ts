import type { FastifyInstance } from 'fastify';
import type { ServiceConfig } from '../../config/config-schema.js';
import { registerKeyRoutes } from '../routes/key-routes.js';
import type { RegistryStore } from '../../storage/registry-store.js';
import { ApiKeyService } from '../../auth/api-key-service.js';
import { installAuth } from './install-auth.js';

/**
 * API keys: the key routes always (keys can be created before auth is switched on), and the check
 * on every request when `authEnabled`.
 */
export function registerAuth(app: FastifyInstance, store: RegistryStore, config: ServiceConfig): ApiKeyService {
  const keys = new ApiKeyService(store, undefined, (err) => app.log.warn({ err }, 'could not record when an API key was last used'));
  if (config.authEnabled) installAuth(app, keys, { publicMetrics: config.publicMetrics });
  registerKeyRoutes(app, keys);
  return keys;
}
