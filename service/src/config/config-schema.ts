import { Type, type Static } from 'typebox';

/** A DuckDB size setting: a number and a unit (1GB, 512MiB, 1.5GB). */
const DUCKDB_SIZE = '^[0-9]+(\\.[0-9]+)? ?(B|KB|MB|GB|TB|KiB|MiB|GiB|TiB)$';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** The service configuration. Defaults -> config file -> environment; unknown keys are rejected. */
export const ServiceConfig = Type.Object(
  {
    host: Type.String({ default: '127.0.0.1', description: 'Interface to bind; loopback unless you mean to expose FStore' }),
    port: Type.Integer({ minimum: 0, maximum: 65535, default: 8000 }),
    dataDir: Type.String({ minLength: 1, default: '.fstore-data', description: 'Folder of the embedded stores' }),
    logLevel: Type.Unsafe<LogLevel>({ type: 'string', enum: [...LOG_LEVELS], default: 'info' }),
    onlineStore: Type.Union([Type.String(), Type.Null()], { default: null, description: 'redis://..., redis+cluster://host1:port,host2:port (Redis Cluster) or null for embedded' }),
    offlineStore: Type.Union([Type.String(), Type.Null()], { default: null, description: 'postgres://... or null for embedded' }),
    registry: Type.Union([Type.String(), Type.Null()], { default: null, description: 'mongodb://... or null for embedded' }),
    onlineStoreTimeoutMs: Type.Integer({
      minimum: 100,
      default: 2000,
      description: 'Redis: connect and per-command timeout; a request fails with 503 rather than wait longer (see docs/operations.md)',
    }),
    offlineStoreTimeoutMs: Type.Integer({
      minimum: 0,
      default: 600_000,
      description: 'PostgreSQL: longest wait for one query or COPY step before it fails with 503; 0 waits forever (see docs/operations.md)',
    }),
    offlineStoreConnectTimeoutMs: Type.Integer({
      minimum: 100,
      default: 5000,
      description: 'PostgreSQL: longest wait for a connection, new or from the pool, before a 503',
    }),
    offlineStorePoolSize: Type.Integer({ minimum: 1, default: 8, description: 'PostgreSQL: most connections FStore opens' }),
    registryTimeoutMs: Type.Integer({
      minimum: 100,
      default: 10_000,
      description: 'MongoDB: server selection, connect and per-operation socket timeout',
    }),
    sharedDir: Type.Union([Type.String({ minLength: 1 }), Type.Null()], {
      default: null,
      description:
        'Replicas: a folder every replica mounts (NFS, a shared volume) for uploads and training-set results, so a file uploaded through one replica is ingested through any other and a result is downloaded from any; null keeps them in the data folder',
    }),
    replicaLeaseSeconds: Type.Integer({
      minimum: 3,
      maximum: 600,
      default: 30,
      description:
        'Replicas on shared backends: how long a lease (a replica being alive, a SQL pull or materialization running) lasts unrenewed; a dead replica\'s jobs are reported interrupted, and its work taken over, after this',
    }),
    kafkaBrokers: Type.Union([Type.String(), Type.Null()], { default: null, description: 'host:port,... or null' }),
    kafkaTopics: Type.Array(Type.String({ minLength: 1 }), {
      default: ['feature_topic'],
      description: 'Topics to consume (records in the seed format or row format); each gets a <topic>.dlq dead-letter topic',
    }),
    kafkaGroupId: Type.String({ minLength: 1, default: 'fstore', description: 'Consumer group shared by FStore replicas' }),
    kafkaSessionTimeoutMs: Type.Integer({
      minimum: 6000,
      maximum: 300_000,
      default: 30_000,
      description: "Kafka: how long the group waits for a replica that stopped heartbeating before its partitions move to the others (the broker's group.min/max.session.timeout.ms bound it)",
    }),
    fileSourceDirs: Type.Array(Type.String({ minLength: 1 }), {
      default: [],
      description: 'Folders whose files (paths or globs) may be ingested in place; empty disables server-side file reading',
    }),
    maxBodyBytes: Type.Integer({ minimum: 1024, default: 256 * 1024 * 1024, description: 'Largest request body or upload' }),
    maxBatchColumns: Type.Integer({
      minimum: 2,
      default: 500,
      description: 'Most columns one ingested batch (file, rows, transform output) or one streamed row record may have; wider batches are refused whole',
    }),
    maxGroupFeatures: Type.Integer({
      minimum: 1,
      default: 400,
      description: 'Most features one feature group may hold (each is a column of its offline table); registrations past it are refused',
    }),
    trainingSetRetentionHours: Type.Number({
      exclusiveMinimum: 0,
      default: 24,
      description: 'How long the output files of training-set jobs stay downloadable (GET /api/jobs/{id}/result)',
    }),
    authEnabled: Type.Boolean({
      default: false,
      description: 'Require an API key on every request except /health, /docs, /openapi.json and the web UI (see docs/security.md)',
    }),
    publicMetrics: Type.Boolean({
      default: false,
      description: 'With auth on, serve GET /metrics without a key (otherwise it needs a reader key)',
    }),
    allowUnauthenticatedRemote: Type.Boolean({
      default: false,
      description: 'Allow binding a non-loopback address with auth off (only on a trusted network or behind an authenticating proxy)',
    }),
    corsOrigins: Type.Array(Type.String({ minLength: 1 }), {
      default: [],
      description: 'Extra browser origins allowed to call the API (the desktop app origin app://fstore is always allowed)',
    }),
    monitoringIntervalSeconds: Type.Integer({
      minimum: 0,
      default: 60,
      description: 'How often alert rules are evaluated; 0 evaluates only on request (POST /api/monitoring/evaluate)',
    }),
    sparkMaster: Type.Union([Type.String({ minLength: 1 }), Type.Null()], {
      default: null,
      description: "Spark master for the Spark engine (local[*], spark://host:7077, yarn, k8s://...); null disables Spark (see docs/spark.md)",
    }),
    sparkSubmit: Type.String({ minLength: 1, default: 'spark-submit', description: 'The spark-submit executable (scripts/provision/spark.sh installs one)' }),
    sparkJdbcJar: Type.Union([Type.String({ minLength: 1 }), Type.Null()], {
      default: null,
      description: 'PostgreSQL JDBC driver jar passed to spark-submit --jars; needed for postgres sources and the PostgreSQL offline store',
    }),
    sparkThresholdBytes: Type.Integer({
      minimum: 0,
      default: 1024 * 1024 * 1024,
      description: "engine 'auto' runs on Spark when the transform's file sources add up to at least this many bytes",
    }),
    transformSandboxProcesses: Type.Integer({
      minimum: 1,
      maximum: 64,
      default: 2,
      description: 'TypeScript previews and runs: most sandbox processes at once (64 MB heap each); further calls wait for a free one',
    }),
    workers: Type.Integer({
      minimum: 0,
      maximum: 256,
      default: 0,
      description:
        '`fstore serve`: processes answering HTTP (online reads locally, the rest forwarded to the primary process); 0 means one per CPU core, 1 one process as before (docs/operations.md#workers)',
    }),
    onDemandSandboxProcesses: Type.Integer({
      minimum: 1,
      maximum: 64,
      default: 2,
      description: 'On-demand features at request time: most sandbox processes at once, apart from those of previews and runs',
    }),
    userSqlSessions: Type.Integer({
      minimum: 1,
      default: 2,
      description: 'Most transform previews and runs executing user SQL at once (each holds one Node threadpool thread); the rest wait (see docs/security.md, user SQL limits)',
    }),
    userSqlQueueLength: Type.Integer({
      minimum: 0,
      default: 8,
      description: 'Most previews waiting for a user-SQL session; past it a preview answers 503 FSTORE_TRANSFORM_BUSY at once (runs, being jobs, always wait)',
    }),
    userSqlQueueWaitMs: Type.Integer({
      minimum: 0,
      default: 30_000,
      description: 'Longest wait of a preview for a user-SQL session before 503 FSTORE_TRANSFORM_BUSY',
    }),
    userSqlPreviewTimeoutMs: Type.Integer({
      minimum: 100,
      default: 60_000,
      description: 'Time limit of a preview (and of the sample run of a publish plan): past it the SQL is interrupted, FSTORE_TRANSFORM_TIMEOUT',
    }),
    userSqlRunTimeoutMs: Type.Integer({
      minimum: 0,
      default: 3_600_000,
      description: "Time limit of a transform run's computation on the embedded engine (writing its output is not counted); 0 means none",
    }),
    userSqlThreads: Type.Integer({ minimum: 1, default: 1, description: 'DuckDB threads per user-SQL session' }),
    userSqlMemoryLimit: Type.String({
      pattern: DUCKDB_SIZE,
      default: '1GB',
      description: 'DuckDB memory_limit per user-SQL session (e.g. 1GB, 512MiB); past it the query spills to disk or fails with FSTORE_TRANSFORM_MEMORY',
    }),
    userSqlTempDirectoryLimit: Type.String({
      pattern: DUCKDB_SIZE,
      default: '4GB',
      description: "DuckDB max_temp_directory_size per user-SQL session: most disk a query may spill to in the session's scratch folder",
    }),
    labelQueryMaxRows: Type.Integer({
      minimum: 1,
      default: 10_000_000,
      description: 'Most rows a label query on a data source may return for a training set; past it the job is refused, FSTORE_LIMIT_EXCEEDED',
    }),
    labelQueryTimeoutMs: Type.Integer({
      minimum: 100,
      default: 600_000,
      description: 'Time limit of a label query on a data source (training sets); past it the query is stopped, FSTORE_LIMIT_EXCEEDED',
    }),
    shutdownTimeoutMs: Type.Integer({
      minimum: 0,
      default: 5000,
      description: 'On SIGTERM or SIGINT: user SQL is interrupted at once, and the process exits at the latest this long after the signal',
    }),
    webUiDir: Type.Union([Type.String(), Type.Null()], {
      default: null,
      description: 'Folder of the built web UI served at /; null means dist/renderer next to the service',
    }),
  },
  { additionalProperties: false },
);
export type ServiceConfig = Static<typeof ServiceConfig>;

/** Environment variable -> config key. Values are parsed with the key's type. */
export const CONFIG_ENV: Record<string, keyof ServiceConfig> = {
  FSTORE_HOST: 'host',
  FSTORE_PORT: 'port',
  FSTORE_DATA_DIR: 'dataDir',
  FSTORE_LOG_LEVEL: 'logLevel',
  FSTORE_ONLINE_STORE: 'onlineStore',
  FSTORE_OFFLINE_STORE: 'offlineStore',
  FSTORE_REGISTRY: 'registry',
  FSTORE_ONLINE_STORE_TIMEOUT_MS: 'onlineStoreTimeoutMs',
  FSTORE_OFFLINE_STORE_TIMEOUT_MS: 'offlineStoreTimeoutMs',
  FSTORE_OFFLINE_STORE_CONNECT_TIMEOUT_MS: 'offlineStoreConnectTimeoutMs',
  FSTORE_OFFLINE_STORE_POOL_SIZE: 'offlineStorePoolSize',
  FSTORE_REGISTRY_TIMEOUT_MS: 'registryTimeoutMs',
  FSTORE_REPLICA_LEASE_SECONDS: 'replicaLeaseSeconds',
  FSTORE_SHARED_DIR: 'sharedDir',
  FSTORE_KAFKA_BROKERS: 'kafkaBrokers',
  FSTORE_MAX_BODY_BYTES: 'maxBodyBytes',
  FSTORE_MAX_BATCH_COLUMNS: 'maxBatchColumns',
  FSTORE_MAX_GROUP_FEATURES: 'maxGroupFeatures',
  FSTORE_TRAINING_SET_RETENTION_HOURS: 'trainingSetRetentionHours',
  FSTORE_ALLOW_UNAUTHENTICATED_REMOTE: 'allowUnauthenticatedRemote',
  FSTORE_AUTH: 'authEnabled',
  FSTORE_PUBLIC_METRICS: 'publicMetrics',
  FSTORE_WEB_UI_DIR: 'webUiDir',
  FSTORE_CORS_ORIGINS: 'corsOrigins',
  FSTORE_KAFKA_TOPICS: 'kafkaTopics',
  FSTORE_FILE_SOURCE_DIRS: 'fileSourceDirs',
  FSTORE_KAFKA_GROUP_ID: 'kafkaGroupId',
  FSTORE_KAFKA_SESSION_TIMEOUT_MS: 'kafkaSessionTimeoutMs',
  FSTORE_MONITORING_INTERVAL_SECONDS: 'monitoringIntervalSeconds',
  FSTORE_SPARK_MASTER: 'sparkMaster',
  FSTORE_SPARK_SUBMIT: 'sparkSubmit',
  FSTORE_SPARK_JDBC_JAR: 'sparkJdbcJar',
  FSTORE_SPARK_THRESHOLD_BYTES: 'sparkThresholdBytes',
  FSTORE_TRANSFORM_SANDBOX_PROCESSES: 'transformSandboxProcesses',
  FSTORE_ON_DEMAND_SANDBOX_PROCESSES: 'onDemandSandboxProcesses',
  FSTORE_WORKERS: 'workers',
  FSTORE_USER_SQL_SESSIONS: 'userSqlSessions',
  FSTORE_USER_SQL_QUEUE_LENGTH: 'userSqlQueueLength',
  FSTORE_USER_SQL_QUEUE_WAIT_MS: 'userSqlQueueWaitMs',
  FSTORE_USER_SQL_PREVIEW_TIMEOUT_MS: 'userSqlPreviewTimeoutMs',
  FSTORE_USER_SQL_RUN_TIMEOUT_MS: 'userSqlRunTimeoutMs',
  FSTORE_USER_SQL_THREADS: 'userSqlThreads',
  FSTORE_USER_SQL_MEMORY_LIMIT: 'userSqlMemoryLimit',
  FSTORE_USER_SQL_TEMP_DIRECTORY_LIMIT: 'userSqlTempDirectoryLimit',
  FSTORE_LABEL_QUERY_MAX_ROWS: 'labelQueryMaxRows',
  FSTORE_LABEL_QUERY_TIMEOUT_MS: 'labelQueryTimeoutMs',
  FSTORE_SHUTDOWN_TIMEOUT_MS: 'shutdownTimeoutMs',
};
