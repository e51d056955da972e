import { Type, type Static } from 'typebox';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** The service configuration. Defaults -> config file -> environment; unknown keys are rejected. */
export const ServiceConfig = Type.Object(
  {
    host: Type.String({ default: '127.0.0.1', description: 'Interface to bind; loopback unless you mean to expose FStore' }),
    port: Type.Integer({ minimum: 0, maximum: 65535, default: 8000 }),
    dataDir: Type.String({ minLength: 1, default: '.fstore-data', description: 'Folder of the embedded stores' }),
    logLevel: Type.Unsafe<LogLevel>({ type: 'string', enum: [...LOG_LEVELS], default: 'info' }),
    onlineStore: Type.Union([Type.String(), Type.Null()], { default: null, description: 'redis://... or null for embedded' }),
    offlineStore: Type.Union([Type.String(), Type.Null()], { default: null, description: 'postgres://... or null for embedded' }),
    registry: Type.Union([Type.String(), Type.Null()], { default: null, description: 'mongodb://... or null for embedded' }),
    kafkaBrokers: Type.Union([Type.String(), Type.Null()], { default: null, description: 'host:port,... or null' }),
    kafkaTopics: Type.Array(Type.String({ minLength: 1 }), {
      default: ['feature_topic'],
      description: 'Topics to consume (records in the seed format or row format); each gets a <topic>.dlq dead-letter topic',
    }),
    kafkaGroupId: Type.String({ minLength: 1, default: 'fstore', description: 'Consumer group shared by FStore replicas' }),
    fileSourceDirs: Type.Array(Type.String({ minLength: 1 }), {
      default: [],
      description: 'Folders whose files (paths or globs) may be ingested in place; empty disables server-side file reading',
    }),
    maxBodyBytes: Type.Integer({ minimum: 1024, default: 256 * 1024 * 1024, description: 'Largest request body or upload' }),
    allowUnauthenticatedRemote: Type.Boolean({
      default: false,
      description: 'Allow binding a non-loopback address although requests are not authenticated',
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
  FSTORE_KAFKA_BROKERS: 'kafkaBrokers',
  FSTORE_MAX_BODY_BYTES: 'maxBodyBytes',
  FSTORE_ALLOW_UNAUTHENTICATED_REMOTE: 'allowUnauthenticatedRemote',
  FSTORE_WEB_UI_DIR: 'webUiDir',
  FSTORE_CORS_ORIGINS: 'corsOrigins',
  FSTORE_KAFKA_TOPICS: 'kafkaTopics',
  FSTORE_FILE_SOURCE_DIRS: 'fileSourceDirs',
  FSTORE_KAFKA_GROUP_ID: 'kafkaGroupId',
  FSTORE_MONITORING_INTERVAL_SECONDS: 'monitoringIntervalSeconds',
};
