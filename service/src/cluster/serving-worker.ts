import { createServer, type IncomingMessage } from 'node:http';
import { resolve } from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { ServiceConfig } from '../config/config-schema.js';
import { fastifyOptions, installHttpBasics } from '../http/http-basics.js';
import { installGracefulClose } from '../http/graceful-close.js';
import { ApiKeyService } from '../auth/api-key-service.js';
import { installAuth } from '../http/auth/install-auth.js';
import { createServiceMetrics } from '../monitoring/metrics.js';
import { observeLatency } from '../http/metrics-route.js';
import { ServingSampler } from '../monitoring/serving-sampler.js';
import { RegistryService } from '../registry/registry-service.js';
import { registerHealthRoute } from '../http/routes/health-route.js';
import { registerOnlineRoute } from '../http/routes/serving-routes.js';
import { OnDemandFeatures } from '../serving/on-demand-features.js';
import { OnlineService } from '../serving/online-service.js';
import { openOnline, openRegistry } from '../storage/open-stores.js';
import { TsSandbox } from '../transforms/ts-sandbox.js';
import { isToWorker, type ToPrimary, type ToWorker, type WorkerSettings } from './cluster-messages.js';
import { createForwarder } from './forward-request.js';

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

/**
 * A serving worker of `fstore serve --workers N` (docs/adr/0009-serving-workers.md): listens on
 * the public address (the cluster module shares it), answers online reads and /health, forwards
 * the rest to the primary. Returns once listening.
 */
export async function startServingWorker(config: ServiceConfig, settings: WorkerSettings): Promise<FastifyInstance> {
  const metrics = createServiceMetrics();
  const sampler = new ServingSampler();
  // Filled in as start-up gets there: a stop or a message may come at any point of it.
  const started: { registry?: RegistryService; app?: FastifyInstance } = {};
  const send = (message: ToPrimary) => process.send?.(message);
  process.on('message', (message: unknown) => {
    if (!isToWorker(message)) return;
    const m: ToWorker = message;
    switch (m.type) {
      case 'fstore:registry-changed':
        started.registry?.invalidate();
        return;
      case 'fstore:ask-metrics':
        void metrics.registry.getMetricsAsJSON().then((json) => send({ type: 'fstore:metrics', id: m.id, metrics: json }));
        return;
      case 'fstore:ask-samples':
        send({ type: 'fstore:samples', id: m.id, samples: m.features.map((f) => [f, sampler.texts(m.entity, f)]) });
        return;
      case 'fstore:stop':
        void stop();
        return;
    }
  });
  let stopped: Promise<void> | undefined;
  const stop = () => {
    stopped ??= (async () => {
      setTimeout(() => process.exit(1), config.shutdownTimeoutMs).unref();
      // Told to stop while still starting: there is nothing in progress to finish.
      await started.app?.close();
      process.exit(0);
    })();
    return stopped;
  };
  // The primary stops its workers; a signal sent to the process group (Ctrl-C) reaches them too.
  process.once('SIGTERM', () => void stop());
  process.once('SIGINT', () => void stop());
  // The primary is gone (killed): nothing to forward to, and no one would restart this worker.
  process.once('disconnect', () => void stop());

  const dataDir = resolve(config.dataDir);
  const registryStore = await openRegistry(config.registry, dataDir, config.registryTimeoutMs);
  const onlineStore = await openOnline(config.onlineStore, dataDir, config.onlineStoreTimeoutMs);
  const registry = (started.registry = new RegistryService(registryStore, config.maxGroupFeatures));
  const sandbox = new TsSandbox({ processes: config.onDemandSandboxProcesses });
  const online = new OnlineService(registry, onlineStore, Date.now, new OnDemandFeatures(registry, onlineStore, sandbox), sampler);
  let stopping = false;
  const forward = createForwarder(settings.socket, () => stopping);

  const web = Fastify({
    ...fastifyOptions(config),
    serverFactory: (handler, options) => {
      const server = createServer((req, res) => (isServedByWorker(req) ? handler(req, res) : forward(req, res)));
      // What Fastify sets on a server it creates itself: uploads forwarded to the primary may be long.
      server.keepAliveTimeout = Number(options.keepAliveTimeout ?? 72_000);
      server.requestTimeout = Number(options.requestTimeout ?? 0);
      server.setTimeout(Number(options.connectionTimeout ?? 0));
      return server;
    },
  }).withTypeProvider<TypeBoxTypeProvider>();
  started.app = web;
  installGracefulClose(web, async () => {
    stopping = true;
  });
  web.addHook('onClose', async () => {
    await sandbox.close();
    await Promise.all([onlineStore.close(), registryStore.close()]);
  });
  await installHttpBasics(web, config);
  if (config.authEnabled) {
    const keys = new ApiKeyService(registryStore, undefined, (err) => web.log.warn({ err }, 'could not record when an API key was last used'));
    installAuth(web, keys, { publicMetrics: config.publicMetrics, warnWithoutKeys: false });
  }
  observeLatency(web, metrics.latency);
  registerHealthRoute(web, { registry: registryStore.description, online: onlineStore.description, offline: settings.offlineDescription });
  registerOnlineRoute(web, online);

  await web.listen({ host: config.host, port: config.port });
  return web;
}
