import Fastify, { type FastifyInstance, type RouteOptions } from 'fastify';
import multipart from '@fastify/multipart';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { ServiceConfig } from '../config/config-schema.js';
import { createAppContext, type AppContext } from '../app-context.js';
import { DESKTOP_APP_ORIGIN, fastifyOptions, installHttpBasics } from './http-basics.js';
import { installGracefulClose } from './graceful-close.js';
import { threadpoolShareProblem } from '../transforms/user-sql-limits.js';
import { registerIngestRoutes } from './routes/ingest-routes.js';
import { registerJobRoutes } from './routes/job-routes.js';
import { registerStreamingRoutes } from './routes/streaming-routes.js';
import { registerSqlSourceRoutes } from './routes/sql-source-routes.js';
import { registerConnectionRoutes } from './routes/connection-routes.js';
import { registerMaterializeRoutes } from './routes/materialize-routes.js';
import { registerTransformRoutes } from './routes/transform-routes.js';
import { registerMonitoringRoutes } from './routes/monitoring-routes.js';
import { registerOfflineExportRoutes } from './routes/offline-export-routes.js';
import { registerProfileRoutes } from './routes/profile-routes.js';
import { registerDefinitionRoutes } from './routes/definition-routes.js';
import { installOperationAudit } from './operation-audit.js';
import { registerAuth } from './auth/register-auth.js';
import { registerMetrics } from './metrics-route.js';
import { KafkaIngestion } from '../streaming/kafka-ingestion.js';
import { registerRegistryRoutes } from './routes/registry-routes.js';
import { registerServingRoutes } from './routes/serving-routes.js';
import { registerHealthRoute } from './routes/health-route.js';
import { SERVICE_VERSION } from '../version.js';
import { registerCompression } from './web/register-compression.js';
import { registerWebUi } from './web/register-web-ui.js';

export const CONTENT_SECURITY_POLICY =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; " +
  "font-src 'self' data:; connect-src 'self'; worker-src 'self' blob:; frame-ancestors 'none'; base-uri 'self'; form-action 'self'";

export { DESKTOP_APP_ORIGIN };

export interface BuiltApp {
  app: FastifyInstance;
  ctx: AppContext;
}

/** Builds the service without listening, so tests drive it with `app.inject()`. */
export interface BuildAppOptions {
  behindWorkers?: boolean;
  /** Called with every route as it is added (its method, URL and schema); the contract test reads the response schemas from it. */
  onRoute?: (route: RouteOptions) => void;
}

export async function buildApp(config: ServiceConfig, options: BuildAppOptions = {}): Promise<BuiltApp> {
  const ctx = await createAppContext(config);
  const app = Fastify({
    ...fastifyOptions(config),
    // Behind the serving workers (cluster/), the client's address comes in X-Forwarded-For, set by the worker.
    ...(options.behindWorkers ? { trustProxy: true } : {}),
  }).withTypeProvider<TypeBoxTypeProvider>();
  const { onRoute } = options;
  if (onRoute) app.addHook('onRoute', (route) => onRoute(route));

  // Before the server waits for open requests: user SQL is interrupted, so its requests answer.
  installGracefulClose(app, () => ctx.userSql.close());
  const threadpoolProblem = threadpoolShareProblem(config.userSqlSessions, process.env['UV_THREADPOOL_SIZE']);
  if (threadpoolProblem) app.log.warn(threadpoolProblem);
  app.addHook('onClose', async () => ctx.close());
  if (ctx.offlineMigration) app.log.info({ migration: ctx.offlineMigration }, 'offline store upgraded to typed tables per feature group (docs/offline-store.md)');
  await installHttpBasics(app, config);
  await registerCompression(app);
  await app.register(multipart, { limits: { fileSize: config.maxBodyBytes, files: 1 } });
  await app.register(swagger, {
    openapi: {
      // 3.1: the schemas are JSON Schema 2020-12 as TypeBox writes them (numeric exclusiveMinimum,
      // `type: 'null'` in unions), which 3.0's dialect does not allow.
      openapi: '3.1.0',
      info: {
        title: 'FStore API',
        version: SERVICE_VERSION,
        description: 'Feature registry, ingestion, online serving and point-in-time training retrieval. Errors: `{ error: { code, message, details } }`.',
        license: { name: 'MIT', identifier: 'MIT' },
      },
      servers: [{ url: '/', description: 'This service' }],
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer', description: 'An API key (`fstore keys create`), when the service has keys (docs/security.md)' },
          apiKey: { type: 'apiKey', in: 'header', name: 'X-API-Key', description: 'The same API key in its own header' },
        },
      },
      // Optional: a service without keys (the default on loopback) asks for none.
      security: [{}, { bearer: [] }, { apiKey: [] }],
      tags: Object.entries(TAG_DESCRIPTIONS).map(([name, description]) => ({ name, description })),
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });

  app.get('/openapi.json', { schema: { hide: true } }, () => app.swagger());
  registerHealthRoute(app, { registry: ctx.stores.registry.description, online: ctx.stores.online.description, offline: ctx.stores.offline.description });

  // Before any audited route is added: the audit hook attaches itself route by route.
  installOperationAudit(app, ctx.registry);
  registerAuth(app, ctx.stores.registry, config);
  registerMetrics(app, ctx);
  registerRegistryRoutes(app, ctx);
  registerIngestRoutes(app, ctx);
  registerServingRoutes(app, ctx);
  registerJobRoutes(app, ctx);
  registerStreamingRoutes(app, ctx);
  registerSqlSourceRoutes(app, ctx);
  registerConnectionRoutes(app, ctx.connections);
  registerMaterializeRoutes(app, ctx);
  registerTransformRoutes(app, ctx);
  registerMonitoringRoutes(app, ctx);
  registerDefinitionRoutes(app, ctx);
  registerOfflineExportRoutes(app, ctx);
  registerProfileRoutes(app, ctx);
  app.addHook('onReady', async () => ctx.monitoring.start(config.monitoringIntervalSeconds));
  if (config.kafkaBrokers) {
    const kafka = new KafkaIngestion(
      { brokers: config.kafkaBrokers.split(',').map((b) => b.trim()).filter(Boolean), topics: config.kafkaTopics, groupId: config.kafkaGroupId, deadLetterSuffix: '.dlq', sessionTimeoutMs: config.kafkaSessionTimeoutMs },
      ctx.stream,
      app.log,
    );
    ctx.kafka = kafka;
    // Kafka being down must not keep the API from serving: start in the background, retrying.
    app.addHook('onReady', async () => {
      void startWithRetry(kafka, app);
    });
  }
  await registerWebUi(app, config, CONTENT_SECURITY_POLICY);
  return { app, ctx };
}

async function startWithRetry(kafka: KafkaIngestion, app: FastifyInstance): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await kafka.start();
      return;
    } catch (err) {
      app.log.warn({ err, attempt }, 'Kafka is not reachable yet; retrying in 5 s');
      if (kafka.isClosed) return;
      await kafka.stop(false);
      await new Promise((r) => setTimeout(r, 5000));
      if (kafka.isClosed) return;
    }
  }
}

/** The API's sections, in the order the docs list them. */
const TAG_DESCRIPTIONS: Record<string, string> = {
  Entities: 'What features describe (users, products), each with its join key',
  'Feature groups': 'Features of one entity written together, with their TTL and online flag',
  Features: 'The registry of features: definitions, versions, deprecation and data profiles',
  'Feature services': 'Named, versioned sets of features a model consumes',
  'Data sources': 'Files, tables and feature groups that transforms and label queries read',
  Connections: 'Saved PostgreSQL and Kafka connections (never a password), named as conn:NAME where a URL is taken',
  Transforms: 'SQL and TypeScript transforms: preview, publish and run',
  Lineage: 'What each object reads and what reads it',
  Ingestion: 'Batch ingestion of rows and files into the offline and online stores',
  Serving: 'Online features: the latest values per key, with TTL enforced',
  Training: 'Training sets: date ranges and point-in-time correct label joins',
  Streaming: 'Kafka ingestion and direct pushes',
  Jobs: 'Long work (file ingestion, training sets, runs): progress, logs and cancel',
  Monitoring: 'Quality, drift, freshness, coverage and alert rules',
  Definitions: 'Definitions as code: export, plan and apply bundles',
  Audit: 'Who changed what, when',
  'API keys': 'Keys and their roles, when the service requires them',
  Service: 'Health and service information',
};
