import { resolve } from 'node:path';
import type { ServiceConfig } from '../config/config-schema.js';
import { createWorkerServer, listenAsWorker } from '../http/worker-server.js';
import type { HttpServer } from '../http/server-types.js';
import { createServiceMetrics } from '../monitoring/metrics.js';
import { ServingSampler } from '../monitoring/serving-sampler.js';
import { RegistryService } from '../registry/registry-service.js';
import { OnDemandFeatures } from '../serving/on-demand-features.js';
import { OnlineService } from '../serving/online-service.js';
import { openOnline, openRegistry } from '../storage/open-stores.js';
import { TsSandbox } from '../transforms/ts-sandbox.js';
import { isToWorker, type ToPrimary, type ToWorker, type WorkerSettings } from './cluster-messages.js';
import { createForwarder } from './forward-request.js';

/**
 * A serving worker of `fstore serve --workers N` (docs/adr/0009-serving-workers.md): listens on
 * the public address (the cluster module shares it), answers online reads and /health, forwards
 * the rest to the primary. Returns once listening.
 */
export async function startServingWorker(config: ServiceConfig, settings: WorkerSettings): Promise<HttpServer> {
  const metrics = createServiceMetrics();
  const sampler = new ServingSampler();
  // Filled in as start-up gets there: a stop or a message may come at any point of it.
  const started: { registry?: RegistryService; app?: HttpServer } = {};
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

  const web = createWorkerServer(config, {
    forward,
    onClosing: async () => {
      stopping = true;
    },
    onClosed: async () => {
      await sandbox.close();
      await Promise.all([onlineStore.close(), registryStore.close()]);
    },
  });
  started.app = web;
  await listenAsWorker(web, config, { registryStore, online, onlineDescription: onlineStore.description, offlineDescription: settings.offlineDescription, latency: metrics.latency });
  return web;
}
