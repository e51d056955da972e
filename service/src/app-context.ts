import { mkdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { ServiceConfig } from './config/config-schema.js';
import { IngestService } from './ingest/ingest-service.js';
import { JobService } from './jobs/job-service.js';
import { importLegacyJobs } from './jobs/legacy-jobs.js';
import { UploadStore } from './staging/upload-store.js';
import type { KafkaIngestion } from './streaming/kafka-ingestion.js';
import { WatermarkStore } from './state/watermark-store.js';
import { MaterializeService } from './materialize/materialize-service.js';
import { StreamIngestor } from './streaming/stream-ingestor.js';
import { StagingEngine } from './staging/staging-engine.js';
import { RegistryService } from './registry/registry-service.js';
import { OnlineService } from './serving/online-service.js';
import { OnlineWriteOrder } from './ingest/online-write-order.js';
import { LabelQueries } from './training/label-query.js';
import { openStores, type Stores } from './storage/open-stores.js';
import { migrateOfflineStore } from './storage/offline-migration.js';
import type { MigrationReport } from './storage/offline-store.js';
import { TrainingService } from './training/training-service.js';
import { TrainingSetJobs } from './training/training-set-jobs.js';
import { OnDemandTraining } from './training/on-demand-training.js';
import { OnDemandFeatures } from './serving/on-demand-features.js';
import { DataSourceService } from './transforms/data-source-service.js';
import { DuckDbTransformEngine } from './transforms/duckdb-transform-engine.js';
import { SparkPointInTime } from './training/spark-point-in-time.js';
import { sparkSettingsOf } from './transforms/spark/spark-settings.js';
import { SparkTransformEngine } from './transforms/spark/spark-transform-engine.js';
import { TransformService } from './transforms/transform-service.js';
import { TsSandbox } from './transforms/ts-sandbox.js';
import { userSqlLimitsOf } from './transforms/user-sql-limits.js';
import { UserSqlPool } from './transforms/user-sql-pool.js';
import { createServiceMetrics, serviceLatency, type ServiceMetrics } from './monitoring/metrics.js';
import type { ServingWorkers } from './monitoring/serving-workers.js';
import { MonitoringService } from './monitoring/monitoring-service.js';
import { importLegacyMonitoring } from './monitoring/legacy-monitoring.js';
import { ServingSampler } from './monitoring/serving-sampler.js';
import { DefinitionsService } from './definitions/definitions-service.js';
import { ConnectionService } from './connections/connection-service.js';

/** Everything the routes need, built once per app from the configuration. */
export interface AppContext {
  config: ServiceConfig;
  dataDir: string;
  tmpDir: string;
  stores: Stores;
  staging: StagingEngine;
  registry: RegistryService;
  ingest: IngestService;
  online: OnlineService;
  training: TrainingService;
  trainingSets: TrainingSetJobs;
  jobs: JobService;
  uploads: UploadStore;
  stream: StreamIngestor;
  watermarks: WatermarkStore;
  materialize: MaterializeService;
  /** The TypeScript sandbox of previews and runs (processes started on first use). */
  sandbox: TsSandbox;
  /** The TypeScript sandbox of on-demand features: request-time calls never wait behind a preview. */
  onDemandSandbox: TsSandbox;
  /** Bounds user SQL (previews, runs): sessions at once, their time, threads, memory and temp space. */
  userSql: UserSqlPool;
  dataSources: DataSourceService;
  /** Saved PostgreSQL and Kafka connections, and `conn:<name>` references to them. */
  connections: ConnectionService;
  transforms: TransformService;
  metrics: ServiceMetrics;
  monitoring: MonitoringService;
  servingSampler: ServingSampler;
  definitions: DefinitionsService;
  /** What the start-up upgrade of an earlier release's offline store moved (null: nothing to do). */
  offlineMigration: MigrationReport | null;
  /** Present when kafkaBrokers is configured; started by the app once it is ready. */
  kafka: KafkaIngestion | undefined;
  /** Set by the cluster primary when serving workers answer online reads (cluster/cluster-primary.ts). */
  workers: ServingWorkers | undefined;
  close(): Promise<void>;
}

export async function createAppContext(config: ServiceConfig): Promise<AppContext> {
  const dataDir = resolve(config.dataDir);
  const tmpDir = join(dataDir, 'tmp');
  mkdirSync(dataDir, { recursive: true });
  // Uploads and exports in flight when the process last stopped are garbage now.
  rmSync(tmpDir, { recursive: true, force: true });
  mkdirSync(tmpDir, { recursive: true });
  const stores = await openStores(config, dataDir);
  const staging = await StagingEngine.create(tmpDir);
  const registry = new RegistryService(stores.registry, config.maxGroupFeatures);
  // A data folder or database of an earlier release is upgraded to the typed layout before use.
  const offlineMigration = await migrateOfflineStore(stores.offline, () => registry.list('feature', true));
  const leaseTtlMs = config.replicaLeaseSeconds * 1000;
  await importLegacyJobs(stores.registry.jobs, join(dataDir, 'jobs.lmdb'), join(dataDir, 'job-logs'));
  const jobs = await JobService.open(stores.registry, { leaseTtlMs });
  // One order for file ingestion and pushes: ties between their overlapping writes resolve online as offline.
  const onlineOrder = new OnlineWriteOrder();
  const stream = new StreamIngestor(registry, stores.offline, stores.online, config.maxBatchColumns, onlineOrder);
  const watermarks = new WatermarkStore(stores.registry, leaseTtlMs);
  await watermarks.importLegacy(join(dataDir, 'state.lmdb'));
  // Uploads and training-set results: in a folder every replica mounts when there is one.
  const sharedDir = config.sharedDir === null ? null : resolve(config.sharedDir);
  const uploads = new UploadStore(sharedDir ?? tmpDir);
  const ingestLimits = { maxBatchColumns: config.maxBatchColumns, maxGroupFeatures: config.maxGroupFeatures };
  const ingest = new IngestService(registry, staging, stores.offline, stores.online, ingestLimits, onlineOrder);
  const sandbox = new TsSandbox({ processes: config.transformSandboxProcesses });
  const onDemandSandbox = new TsSandbox({ processes: config.onDemandSandboxProcesses });
  const connections = new ConnectionService(stores.registry);
  const dataSources = new DataSourceService({
    registry,
    expandConnection: (connection, field) => connections.expandPostgresRef(connection, field),
    offline: stores.offline,
    uploads,
    fileSourceDirs: config.fileSourceDirs,
    sourcesDir: join(dataDir, 'sources'),
    tmpDir,
  });
  const metrics = createServiceMetrics();
  const servingSampler = new ServingSampler();
  await importLegacyMonitoring(stores.registry.monitoring, join(dataDir, 'monitoring.lmdb'));
  const userSql = new UserSqlPool(userSqlLimitsOf(config));
  const engine = new DuckDbTransformEngine({ registry, offline: stores.offline, sandbox, tmpDir, pool: userSql, readableDirs: () => dataSources.readableDirs });
  const spark = sparkSettingsOf(config);
  const transforms = new TransformService({
    registry,
    engine,
    ingest,
    jobs,
    spark: spark ? new SparkTransformEngine({ registry, settings: spark, tmpDir, readableDirs: () => dataSources.readableDirs }) : null,
    sparkThresholdBytes: config.sparkThresholdBytes,
  });
  const training = new TrainingService(
    registry,
    stores.offline,
    spark ? new SparkPointInTime({ settings: spark, offline: stores.offline, offlineUrl: config.offlineStore, tmpDir }) : null,
    new OnDemandTraining(registry, stores.offline, sandbox),
  );
  const ctx: AppContext = {
    config,
    dataDir,
    tmpDir,
    stores,
    staging,
    registry,
    ingest,
    online: new OnlineService(registry, stores.online, Date.now, new OnDemandFeatures(registry, stores.online, onDemandSandbox), servingSampler),
    training,
    trainingSets: new TrainingSetJobs({
      jobs,
      training,
      staging,
      uploads,
      fileSourceDirs: config.fileSourceDirs,
      outputDir: join(sharedDir ?? dataDir, 'training-sets'),
      tmpDir,
      retentionHours: config.trainingSetRetentionHours,
      labelQueries: new LabelQueries({
        registry,
        offline: stores.offline,
        pool: userSql,
        readableDirs: () => dataSources.readableDirs,
        tmpDir,
        limits: { maxRows: config.labelQueryMaxRows, timeoutMs: config.labelQueryTimeoutMs },
      }),
    }),
    jobs,
    uploads,
    stream,
    watermarks,
    materialize: new MaterializeService(registry, stores.offline, stores.online, watermarks),
    sandbox,
    onDemandSandbox,
    userSql,
    dataSources,
    connections,
    transforms,
    definitions: new DefinitionsService({ registry, dataSources, transforms }),
    metrics,
    servingSampler,
    monitoring: new MonitoringService({
      registry,
      offline: stores.offline,
      store: stores.registry.monitoring,
      // One replica at a time evaluates the rules: each alert fires (and calls its webhook) once.
      claimEvaluation: () => stores.registry.acquireLease('monitoring:evaluate', jobs.holder, leaseTtlMs),
      latency: { get: () => serviceLatency(metrics.latency, ctx.workers) },
      kafkaLag: () => {
        const status = ctx.kafka?.getStatus();
        return status ? status.partitions.reduce((sum, p) => sum + p.lag, 0) : null;
      },
    }),
    offlineMigration,
    kafka: undefined,
    workers: undefined,
    async close() {
      // First: a DuckDB query left running keeps its thread, and the process cannot exit until it ends.
      await userSql.close();
      await ctx.monitoring.stop();
      await Promise.all([sandbox.close(), onDemandSandbox.close()]);
      await ctx.kafka?.stop();
      await jobs.close();
      staging.close();
      await stores.close();
    },
  };
  ingest.observer = ctx.monitoring;
  stream.onWrite = (entity, group, values, newest) => ctx.monitoring.onWrite(entity, group, values, newest);
  return ctx;
}
