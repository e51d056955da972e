import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import Fastify from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { ServiceConfig } from '../config/config-schema.js';
import { ApiKeyService } from '../auth/api-key-service.js';
import type { ServiceMetrics } from '../monitoring/metrics.js';
import type { OnlineService } from '../serving/online-service.js';
import type { RegistryStore } from '../storage/registry-store.js';
import { installAuth } from './auth/install-auth.js';
import { installGracefulClose } from './graceful-close.js';
import { fastifyOptions, installHttpBasics } from './http-basics.js';
import { observeLatency } from './metrics-route.js';
import { registerHealthRoute } from './routes/health-route.js';
import { registerOnlineRoute } from './routes/serving-routes.js';
import type { HttpServer } from './server-types.js';

/**
 * The routes a serving worker answers itself, from its own online store and registry connections
 * (both multi-process safe: LMDB, Redis, MongoDB). Everything else goes to the primary.
 */
export function isServedByWorker(req: IncomingMessage): boolean {
  const url = req.url ?? '';
  const query = url.indexOf('?');
  const path = query < 0 ? url : url.slice(0, query);
  if (req.method === 'POST') return path === '/api/online/features' || path === '/api/online/features/';
  if (req.method === 'GET' || req.method === 'HEAD') return path === '/health' || path === '/health/';
  return false;
}

export interface WorkerServerHooks {
  /** Passes a request the worker does not answer itself on to the primary (cluster/forward-request.ts). */
  forward: (req: IncomingMessage, res: ServerResponse) => void;
  /** When the server starts to close, before it waits for open requests. */
  onClosing: () => Promise<void>;
  /** Once it closed: the worker's stores and sandbox. */
  onClosed: () => Promise<void>;
}

/**
 * The HTTP server of a serving worker (cluster/serving-worker.ts), not yet listening: online reads
 * and /health answered here (see isServedByWorker), the rest handed to `forward`.
 */
export function createWorkerServer(config: ServiceConfig, hooks: WorkerServerHooks): HttpServer {
  const web = Fastify({
    ...fastifyOptions(config),
    serverFactory: (handler, options) => {
      const server = createServer((req, res) => (isServedByWorker(req) ? handler(req, res) : hooks.forward(req, res)));
      // What Fastify sets on a server it creates itself: uploads forwarded to the primary may be long.
      server.keepAliveTimeout = Number(options.keepAliveTimeout ?? 72_000);
      server.requestTimeout = Number(options.requestTimeout ?? 0);
      server.setTimeout(Number(options.connectionTimeout ?? 0));
      return server;
    },
  }).withTypeProvider<TypeBoxTypeProvider>();
  installGracefulClose(web, hooks.onClosing);
  web.addHook('onClose', hooks.onClosed);
  return web;
}

export interface WorkerRoutes {
  registryStore: RegistryStore;
  online: OnlineService;
  onlineDescription: string;
  offlineDescription: string;
  latency: ServiceMetrics['latency'];
}

/** Adds the worker's hooks and routes (auth, latency, /health, online reads) and listens on the public address. */
export async function listenAsWorker(web: HttpServer, config: ServiceConfig, routes: WorkerRoutes): Promise<void> {
  await installHttpBasics(web, config);
  if (config.authEnabled) {
    const keys = new ApiKeyService(routes.registryStore, undefined, (err) => web.log.warn({ err }, 'could not record when an API key was last used'));
    installAuth(web, keys, { publicMetrics: config.publicMetrics, warnWithoutKeys: false });
  }
  observeLatency(web, routes.latency);
  registerHealthRoute(web, { registry: routes.registryStore.description, online: routes.onlineDescription, offline: routes.offlineDescription });
  registerOnlineRoute(web, routes.online);
  await web.listen({ host: config.host, port: config.port });
}
