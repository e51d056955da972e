import cluster from 'node:cluster';
import { availableParallelism } from 'node:os';
import { Option, type Command } from 'commander';
import type { LogLevel, ServiceConfig } from '../config/config-schema.js';
import { loadConfig } from '../config/load-config.js';
import type { HttpServer } from '../http/server-types.js';
import { CLUSTER_ENV, type WorkerSettings } from '../cluster/cluster-messages.js';
import { SERVICE_VERSION } from '../version.js';

interface ServeOptions {
  host?: string;
  port?: number;
  dataDir?: string;
  config?: string;
  logLevel?: string;
  workers?: number;
}

/** `fstore serve`: one process, or a primary and N serving workers (docs/operations.md#workers). */
export function registerServeCommand(program: Command, parsePort: (v: string) => number): void {
  program
    .command('serve')
    .description('Run the service (REST API, OpenAPI docs at /docs, web UI at /)')
    .option('--host <host>', 'interface to bind (default 127.0.0.1)')
    .option('--port <port>', 'port (default 8000; 0 picks a free one)', (v) => parsePort(v))
    .option('--data-dir <dir>', 'folder of the embedded stores (default ./.fstore-data)')
    .option('--config <file>', 'JSON config file (see docs/configuration.md)')
    .option('--workers <n>', 'processes answering HTTP: online reads in each, the rest in the primary (default: one per CPU core; 1: one process)', Number)
    .addOption(new Option('--log-level <level>').choices(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']))
    .action(async (opts: ServeOptions) => {
      const config = loadConfig({
        file: opts.config,
        env: process.env,
        overrides: { host: opts.host, port: opts.port, dataDir: opts.dataDir, logLevel: opts.logLevel as LogLevel | undefined, workers: opts.workers },
      });
      if (cluster.isWorker) return serveAsWorker(config);
      const workers = config.workers === 0 ? availableParallelism() : config.workers;
      // The service is loaded when it starts, not with the CLI: every other command would pay the
      // second or more its modules (stores, engines, HTTP) take to import.
      if (workers <= 1) {
        const { startServer } = await import('../server.js');
        const { app, url } = await startServer(config);
        process.stderr.write(`FStore ${SERVICE_VERSION} listening on ${url} (web UI ${url}/, API docs ${url}/docs)\n`);
        return stopOnSignal(app, config, () => app.close());
      }
      const { startClusterPrimary } = await import('../cluster/cluster-primary.js');
      const service = await startClusterPrimary(config, workers);
      const { url } = service;
      process.stderr.write(`FStore ${SERVICE_VERSION} listening on ${url} with ${workers} serving workers (web UI ${url}/, API docs ${url}/docs)\n`);
      stopOnSignal(service.app, config, () => service.stop());
    });
}

/** SIGINT/SIGTERM: stop, and exit at the latest shutdownTimeoutMs later. */
function stopOnSignal(app: HttpServer, config: ServiceConfig, close: () => Promise<void>): void {
  const stop = async (signal: string) => {
    app.log.info({ signal }, 'shutting down');
    // User SQL is interrupted at once (preClose); anything else still open is cut off here.
    setTimeout(() => {
      app.log.warn({ shutdownTimeoutMs: config.shutdownTimeoutMs }, 'did not stop within shutdownTimeoutMs; exiting anyway');
      process.exit(1);
    }, config.shutdownTimeoutMs).unref();
    await close();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));
}

/** In a worker forked by the primary: a start-up failure ends the process (its stores hold it open otherwise). */
async function serveAsWorker(config: ServiceConfig): Promise<void> {
  try {
    const { startServingWorker } = await import('../cluster/serving-worker.js');
    await startServingWorker(config, JSON.parse(process.env[CLUSTER_ENV] ?? '{}') as WorkerSettings);
  } catch (err) {
    process.stderr.write(`fstore: serving worker ${process.pid}: ${(err as Error).message}\n`);
    process.exit(1);
  }
}
