/**
 * Typed REST client for FStore, built on the shared schemas. It takes a `fetch` so it runs in
 * browsers, Node and Electron alike, and rebuilds the service's errors as `FStoreApiError`.
 */
import type {
  AuditEvent,
  DataSource,
  DataSourceInput,
  DataSourceUpdate,
  Deprecation,
  Entity,
  EntityInput,
  EntityUpdate,
  Feature,
  FeatureGroupInput,
  FeatureGroupUpdate,
  FeatureGroupView,
  FeatureInput,
  FeatureService,
  FeatureServiceInput,
  FeatureServiceUpdate,
  FeatureUpdate,
  Transform,
  TransformInput,
  VersionDiff,
  VersionRecord,
} from '../domain/schemas.js';
import { isErrorBody, type ErrorCode } from '../errors.js';
import type { Connection, ConnectionInput, ConnectionTestResult } from './connections.js';
import type { ApplyResult, DefinitionBundle, DefinitionPlan, DefinitionRequest } from './definitions.js';
import type { Job, JobLogs, ListJobsQuery, MaterializeJobRequest } from './jobs.js';
import type {
  Alert,
  AlertRule,
  AlertRuleInput,
  BatchQuality,
  BatchQualityQuery,
  DriftReport,
  DriftRequest,
  DriftSeriesPoint,
  DriftSeriesRequest,
  ListAlertsQuery,
  MonitoringOverview,
  OperationsReport,
  QualityReport,
  QualityQuery as WireQualityQuery,
  RuleEvaluation,
  SkewReport,
  SkewRequest,
} from './monitoring.js';
import type { OfflineExportQuery } from './offline-export.js';
import type {
  AuditQuery,
  ListDataSourcesQuery,
  ListEntitiesQuery,
  ListFeatureGroupsQuery,
  ListFeatureServicesQuery,
  ListFeaturesQuery,
  ListTransformsQuery,
} from './registry-queries.js';
import type { FeatureProfile, ProfileQuery } from './profile.js';
import type {
  IngestPreview,
  PreviewQuery as WirePreviewQuery,
  IngestReport,
  UploadReceipt,
  OnlineRequest,
  OnlineResponse,
  TrainingJsonResponse,
  TrainingPointInTimeRequest,
  TrainingSetJobRequest,
  TrainingSetSummary,
  TrainingRangeRequest,
} from './serving.js';
import type { LineageGraph, LineageKind, PublishPlan, TransformPreview, TransformPreviewRequest, TransformRunRequest } from './transforms.js';

/** The subset of the Fetch API the client needs (browsers, Node >= 18 and Electron provide it). */
export type FetchLike = (
  url: string,
  init?: { method?: string; headers?: Record<string, string>; body?: string },
) => Promise<{ ok: boolean; status: number; headers: { get(name: string): string | null }; json(): Promise<unknown>; text(): Promise<string> }>;

export class FStoreApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode | 'FSTORE_NETWORK',
    message: string,
    readonly details?: unknown,
    /** The request's id (the service's `X-Request-Id`): its log lines carry it. */
    readonly requestId?: string,
  ) {
    super(message);
    this.name = 'FStoreApiError';
  }
}

/**
 * What a fetch sends as a body besides JSON text: a string for the plain FetchLike; a streaming
 * fetch (Node's, which the CLI uses to upload files) may take more, and then so do the file calls.
 */
export type RequestBodyOf<F extends FetchLike> = NonNullable<NonNullable<Parameters<F>[1]>['body']>;

/** A response handed back as it came, to stream it (files, server-sent events); its status was OK. */
export type ResponseOf<F extends FetchLike> = Awaited<ReturnType<F>>;

export interface ClientOptions<F extends FetchLike = FetchLike> {
  baseUrl: string;
  fetch: F;
  /** Sent as `Authorization: Bearer <key>`; on the events URL as `?api_key=` (EventSource sends no headers). */
  apiKey?: string;
  /** Sent as `X-FStore-User` (who made a change, when auth is off; ignored with auth on). */
  user?: string;
}

/** Query of a file sent in the request body (`POST /api/jobs/ingest/...`, `POST /api/uploads/`). */
export interface FileBodyQuery {
  /** csv | parquet | json | ndjson (the service checks it); else the service tells from the name. */
  format?: string;
  /** The file's size in bytes, sent as `Content-Length` with a streamed body. */
  size?: number;
}

export type WithWarnings<T> = T & { warnings?: string[] };

/** Shapes the renderer names, from the schemas the service validates and answers with. */
export type { AuditQuery, DriftSeriesPoint, DriftSeriesRequest, LineageKind, ListAlertsQuery, ListFeaturesQuery, MonitoringOverview };

type Kind = 'entities' | 'feature-groups' | 'features' | 'feature-services' | 'data-sources' | 'transforms';

/**
 * The ingestion routes' column choice (`ColumnChoiceFields`), with `time_column: null` standing for
 * `ingestion_time: true` (stamp values with the ingestion time); omitted fields follow the conventions.
 */
type WithNullTime<T> = Omit<T, 'time_column' | 'ingestion_time'> & { time_column?: string | null };
export type PreviewQuery = WithNullTime<WirePreviewQuery>;
export type ColumnChoiceQuery = Omit<PreviewQuery, 'entity' | 'feature_group'>;
export type { ListJobsQuery };
/** Quality over an event-time window: of `features`, else of `feature_group`, else of every feature of the entity. */
export type QualityQuery = Omit<WireQualityQuery, 'features'> & { features?: readonly string[] };

export function createFStoreClient<F extends FetchLike = FetchLike>(options: ClientOptions<F>) {
  const base = options.baseUrl.replace(/\/+$/, '');

  /** Sends a request; answers the response when its status is OK, else throws the service's error. */
  async function send(method: string, path: string, body: RequestBodyOf<F> | undefined, extraHeaders: Record<string, string>): Promise<ResponseOf<F>> {
    const headers: Record<string, string> = { accept: 'application/json', ...extraHeaders };
    if (options.apiKey) headers['authorization'] = `Bearer ${options.apiKey}`;
    if (options.user) headers['x-fstore-user'] = options.user;
    let res: ResponseOf<F>;
    try {
      res = (await options.fetch(`${base}${path}`, { method, headers, ...(body === undefined ? {} : { body }) })) as ResponseOf<F>;
    } catch (err) {
      throw new FStoreApiError(0, 'FSTORE_NETWORK', `Cannot reach FStore at ${base}: ${(err as Error).message}`);
    }
    if (!res.ok) {
      const text = await res.text();
      const data: unknown = text.length > 0 ? JSON.parse(text) : undefined;
      const requestId = (isErrorBody(data) ? data.error.request_id : undefined) ?? res.headers?.get?.('x-request-id') ?? undefined;
      if (isErrorBody(data)) throw new FStoreApiError(res.status, data.error.code, data.error.message, data.error.details, requestId);
      throw new FStoreApiError(res.status, 'FSTORE_INTERNAL', `HTTP ${res.status} from ${path}`, undefined, requestId);
    }
    return res;
  }

  /** JSON text as a body: every fetch the client takes accepts a string (F extends FetchLike), which TS cannot see through the generic. */
  const jsonBody = (value: unknown) => JSON.stringify(value) as RequestBodyOf<F>;

  async function call<T>(method: string, path: string, body?: unknown, extraHeaders: Record<string, string> = {}): Promise<T> {
    if (body === undefined) return parsed<T>(await send(method, path, undefined, extraHeaders));
    return parsed<T>(await send(method, path, jsonBody(body), { 'content-type': 'application/json', ...extraHeaders }));
  }

  /** POSTs a file's bytes (a string, or a stream when the fetch takes one) and answers the JSON reply. */
  async function callWithFile<T>(path: string, file: RequestBodyOf<F>, size: number | undefined): Promise<T> {
    const headers: Record<string, string> = { 'content-type': 'application/octet-stream', ...(size === undefined ? {} : { 'content-length': String(size) }) };
    return parsed<T>(await send('POST', path, file, headers));
  }

  async function parsed<T>(res: ResponseOf<F>): Promise<T> {
    const text = await res.text();
    return (text.length > 0 ? JSON.parse(text) : undefined) as T;
  }

  /** Headers that authenticate a request made outside this client (XMLHttpRequest uploads). */
  const authHeaders = (): Record<string, string> => (options.apiKey ? { authorization: `Bearer ${options.apiKey}` } : {});

  const enc = encodeURIComponent;
  const query = (params: Record<string, string | number | boolean | undefined>) => {
    const parts = Object.entries(params)
      .filter(([, v]) => v !== undefined && v !== '')
      .map(([k, v]) => `${enc(k)}=${enc(String(v))}`);
    return parts.length ? `?${parts.join('&')}` : '';
  };

  function versioned(kind: Kind) {
    return {
      versions: (name: string) => call<VersionRecord[]>('GET', `/api/${kind}/${enc(name)}/versions`),
      version: (name: string, version: number) => call<VersionRecord>('GET', `/api/${kind}/${enc(name)}/versions/${version}`),
      diff: (name: string, from: number, to: number) =>
        call<VersionDiff>('GET', `/api/${kind}/${enc(name)}/diff${query({ from, to })}`),
      archive: (name: string) => call<unknown>('DELETE', `/api/${kind}/${enc(name)}`),
      restore: (name: string) => call<unknown>('POST', `/api/${kind}/${enc(name)}/restore`),
    };
  }

  const ifMatch = (expectedVersion: number | undefined): Record<string, string> =>
    expectedVersion === undefined ? {} : { 'if-match': String(expectedVersion) };

  const columnChoice = ({ time_column, ...rest }: ColumnChoiceQuery) => ({
    ...rest,
    ...(time_column === null ? { ingestion_time: true } : { time_column }),
  });

  return {
    authHeaders,
    health: () => call<{ status: string; version: string }>('GET', '/health'),
    entities: {
      list: (q: ListEntitiesQuery = {}) => call<Entity[]>('GET', `/api/entities/${query(q)}`),
      get: (name: string) => call<Entity>('GET', `/api/entities/${enc(name)}`),
      create: (input: EntityInput) => call<WithWarnings<Entity>>('POST', '/api/entities/', input),
      update: (name: string, input: EntityUpdate) => call<WithWarnings<Entity>>('PUT', `/api/entities/${enc(name)}`, input),
      ...versioned('entities'),
    },
    featureGroups: {
      list: (q: ListFeatureGroupsQuery = {}) =>
        call<FeatureGroupView[]>('GET', `/api/feature-groups/${query(q)}`),
      get: (name: string) => call<FeatureGroupView>('GET', `/api/feature-groups/${enc(name)}`),
      /** The group's offline table as a Parquet or CSV file (the response, to stream to a file). */
      offlineExport: (name: string, q: OfflineExportQuery = {}) =>
        send('GET', `/api/feature-groups/${enc(name)}/offline${query({ ...q, carried_times: q.carried_times || undefined })}`, undefined, {}),
      create: (input: FeatureGroupInput) => call<WithWarnings<FeatureGroupView>>('POST', '/api/feature-groups/', input),
      update: (name: string, input: FeatureGroupUpdate) =>
        call<WithWarnings<FeatureGroupView>>('PUT', `/api/feature-groups/${enc(name)}`, input),
      ...versioned('feature-groups'),
    },
    features: {
      list: (q: ListFeaturesQuery = {}) => call<Feature[]>('GET', `/api/features/${query({ ...q })}`),
      get: (name: string) => call<Feature>('GET', `/api/features/${enc(name)}`),
      create: (input: FeatureInput) => call<WithWarnings<Feature>>('POST', '/api/features/', input),
      update: (name: string, input: FeatureUpdate) => call<WithWarnings<Feature>>('PUT', `/api/features/${enc(name)}`, input),
      /** A new version with status `deprecated`: still served, with a warning to clients; restore undoes it. */
      deprecate: (name: string, deprecation: Deprecation) => call<Feature>('POST', `/api/features/${enc(name)}/deprecate`, deprecation),
      /** Distribution, statistics, freshness, served values and source of the feature's stored values. */
      profile: (name: string, q: ProfileQuery = {}) => call<FeatureProfile>('GET', `/api/features/${enc(name)}/profile${query({ ...q })}`),
      ...versioned('features'),
    },
    /** Named sets of features a model consumes; `online`, `trainingRange` and `trainingPointInTime` take `feature_service: name`. */
    featureServices: {
      list: (q: ListFeatureServicesQuery = {}) => call<FeatureService[]>('GET', `/api/feature-services/${query({ ...q })}`),
      get: (name: string) => call<FeatureService>('GET', `/api/feature-services/${enc(name)}`),
      /** `features`: "group:feature" references or feature names, all of one entity. */
      create: (input: FeatureServiceInput) => call<WithWarnings<FeatureService>>('POST', '/api/feature-services/', input),
      update: (name: string, input: FeatureServiceUpdate, expectedVersion?: number) =>
        call<WithWarnings<FeatureService>>('PUT', `/api/feature-services/${enc(name)}`, input, ifMatch(expectedVersion)),
      ...versioned('feature-services'),
    },
    ingestRows: (entity: string, featureGroup: string, rows: Record<string, unknown>[]) =>
      call<IngestReport>('POST', `/api/ingest/${enc(entity)}/${enc(featureGroup)}`, { rows }),
    /** `request_data`: request-time inputs of on-demand features, one object for all keys or one per key. */
    online: (request: OnlineRequest) => call<OnlineResponse>('POST', '/api/online/features', request),
    trainingRange: (request: Omit<TrainingRangeRequest, 'format'>) =>
      call<TrainingJsonResponse>('POST', '/api/training/features', { ...request, format: 'json' }),
    /** A training window as a Parquet or CSV file (the response, to stream to a file). */
    trainingRangeFile: (request: Omit<TrainingRangeRequest, 'format'> & { format: 'parquet' | 'csv' }) =>
      send('POST', '/api/training/features', jsonBody(request), { 'content-type': 'application/json' }),
    trainingPointInTime: (request: Omit<TrainingPointInTimeRequest, 'format'>) =>
      call<TrainingJsonResponse>('POST', '/api/training/point-in-time', { ...request, format: 'json' }),
    uploads: {
      /** Where to POST a file (raw body); the renderer sends it with XMLHttpRequest to show progress. */
      createUrl: (q: { format?: string; filename?: string } = {}) => `${base}/api/uploads/${query(q)}`,
      /** Sends a file (a stream when the fetch takes one, as Node's does); answers the receipt to ingest or preview it. */
      create: (file: RequestBodyOf<F>, { size, ...q }: FileBodyQuery & { filename?: string } = {}) =>
        callWithFile<UploadReceipt>(`/api/uploads/${query(q)}`, file, size),
      preview: (uploadId: string, q: PreviewQuery = {}) =>
        call<IngestPreview>(
          'GET',
          `/api/uploads/${enc(uploadId)}/preview${query({ entity: q.entity, feature_group: q.feature_group, ...columnChoice(q) })}`,
        ),
    },
    /** Saved PostgreSQL and Kafka connections; `conn:<name>` names one where a PostgreSQL URL is taken. */
    connections: {
      list: () => call<Connection[]>('GET', '/api/connections/'),
      get: (name: string) => call<Connection>('GET', `/api/connections/${enc(name)}`),
      create: (input: ConnectionInput) => call<Connection>('POST', '/api/connections/', input),
      update: (name: string, input: ConnectionInput) => call<Connection>('PUT', `/api/connections/${enc(name)}`, input),
      delete: (name: string) => call<void>('DELETE', `/api/connections/${enc(name)}`),
      /** Connects once (5 s at most); a failure is `ok: false` with the reason. */
      test: (name: string) => call<ConnectionTestResult>('POST', `/api/connections/${enc(name)}/test`),
    },
    dataSources: {
      list: (q: ListDataSourcesQuery = {}) => call<DataSource[]>('GET', `/api/data-sources/${query(q)}`),
      get: (name: string) => call<DataSource>('GET', `/api/data-sources/${enc(name)}`),
      /** A file source is either a path the service may read or an upload (POST /api/uploads/ first). */
      create: (input: DataSourceInput) => call<WithWarnings<DataSource>>('POST', '/api/data-sources/', input),
      update: (name: string, input: DataSourceUpdate, expectedVersion?: number) =>
        call<WithWarnings<DataSource>>('PUT', `/api/data-sources/${enc(name)}`, input, ifMatch(expectedVersion)),
      /** Re-reads the source's columns; a new version when they changed. */
      refresh: (name: string) => call<DataSource>('POST', `/api/data-sources/${enc(name)}/refresh`),
      ...versioned('data-sources'),
    },
    transforms: {
      list: (q: ListTransformsQuery = {}) =>
        call<Transform[]>('GET', `/api/transforms/${query(q)}`),
      get: (name: string) => call<Transform>('GET', `/api/transforms/${enc(name)}`),
      /** Runs the code over a sample of the sources; nothing is written. */
      preview: (request: TransformPreviewRequest) => call<TransformPreview>('POST', '/api/transforms/preview', request),
      /** Where preview rows are written as Parquet (POST a PreviewParquetRequest as JSON, send authHeaders(); the answer is the file). */
      previewParquetUrl: () => `${base}/api/transforms/preview/parquet`,
      /** Dry run of publishing: what would be created, changed or archived. */
      plan: (input: TransformInput) => call<PublishPlan>('POST', '/api/transforms/plan', input),
      /** First publish (version 1). */
      create: (input: TransformInput) => call<WithWarnings<Transform>>('POST', '/api/transforms/', input),
      /** Publishes a new version; with `expectedVersion` the service answers 409 if someone published meanwhile. */
      update: (name: string, input: TransformInput, expectedVersion?: number) =>
        call<WithWarnings<Transform>>('PUT', `/api/transforms/${enc(name)}`, input, ifMatch(expectedVersion)),
      /** Starts computing the features (a backfill window with start/end); answers at once with the queued job. */
      run: (name: string, request: TransformRunRequest = {}) => call<Job>('POST', `/api/transforms/${enc(name)}/runs`, request),
      ...versioned('transforms'),
    },
    lineage: (kind: LineageKind, name: string) => call<LineageGraph>('GET', `/api/lineage/${enc(kind)}/${enc(name)}`),
    jobs: {
      list: (q: ListJobsQuery = {}) => call<Job[]>('GET', `/api/jobs/${query({ ...q })}`),
      get: (id: string) => call<Job>('GET', `/api/jobs/${enc(id)}`),
      cancel: (id: string) => call<Job>('POST', `/api/jobs/${enc(id)}/cancel`),
      /** Server-sent events of one job (`event: job`), for an EventSource. */
      eventsUrl: (id: string) => `${base}/api/jobs/${enc(id)}/events${query({ api_key: options.apiKey })}`,
      /** The same events as a streamed response (for a fetch whose response body can be read as it comes). */
      events: (id: string) => send('GET', `/api/jobs/${enc(id)}/events`, undefined, {}),
      /** Starts ingesting a file received by POST /api/uploads/; answers at once with the queued job. */
      ingestUpload: (entity: string, featureGroup: string, uploadId: string, choice: ColumnChoiceQuery = {}) =>
        call<Job>('POST', `/api/jobs/ingest/${enc(entity)}/${enc(featureGroup)}${query({ upload: uploadId, ...columnChoice(choice) })}`),
      /** Starts ingesting a file sent in the body (a stream when the fetch takes one); answers at once with the queued job. */
      ingestFile: (entity: string, featureGroup: string, file: RequestBodyOf<F>, { size, format, ...choice }: FileBodyQuery & ColumnChoiceQuery = {}) =>
        callWithFile<Job>(`/api/jobs/ingest/${enc(entity)}/${enc(featureGroup)}${query({ format, ...columnChoice(choice) })}`, file, size),
      /** Starts a point-in-time training set over a label file; the output is at `result.download` (see resultUrl). */
      trainingSet: (request: TrainingSetJobRequest) => call<Job>('POST', '/api/jobs/training-set', request),
      /** Where a succeeded training-set job's output file is served (GET; send authHeaders()). */
      resultUrl: (id: string) => `${base}/api/jobs/${enc(id)}/result`,
      /** A succeeded training-set job's output file (the response, to stream to a file). */
      result: (id: string) => send('GET', `/api/jobs/${enc(id)}/result`, undefined, {}),
      /** A succeeded training-set job's first rows and per-feature coverage (over all its rows). */
      summary: (id: string, limit?: number) => call<TrainingSetSummary>('GET', `/api/jobs/${enc(id)}/summary${query({ limit })}`),
      /** What the job's engine printed (Spark's driver output). */
      logs: (id: string) => call<JobLogs>('GET', `/api/jobs/${enc(id)}/logs`),
      /** Starts writing a group's newest offline values online (a window, or what was ingested since the last incremental run). */
      materialize: (request: MaterializeJobRequest) => call<Job>('POST', '/api/materialize', request),
    },
    monitoring: {
      overview: () => call<MonitoringOverview>('GET', '/api/monitoring/'),
      quality: ({ features, ...q }: QualityQuery) =>
        call<QualityReport>('GET', `/api/monitoring/quality${query({ ...q, features: features?.join(',') })}`),
      /** Per ingestion batch of a group, newest first. */
      batches: (q: BatchQualityQuery) =>
        call<BatchQuality[]>('GET', `/api/monitoring/quality/batches${query(q)}`),
      drift: (request: DriftRequest) => call<DriftReport>('POST', '/api/monitoring/drift', request),
      driftSeries: (request: DriftSeriesRequest) => call<DriftSeriesPoint[]>('POST', '/api/monitoring/drift/series', request),
      /** Training/serving skew: values online serving returned against a training window. */
      skew: (request: SkewRequest) => call<SkewReport>('POST', '/api/monitoring/skew', request),
      operations: () => call<OperationsReport>('GET', '/api/monitoring/operations'),
      rules: {
        list: () => call<AlertRule[]>('GET', '/api/monitoring/rules'),
        get: (name: string) => call<AlertRule>('GET', `/api/monitoring/rules/${enc(name)}`),
        /** Creates the rule, or replaces the one of the same name. */
        save: (input: AlertRuleInput) => call<AlertRule>('POST', '/api/monitoring/rules', input),
        /** Its firing alerts resolve. */
        delete: (name: string) => call<undefined>('DELETE', `/api/monitoring/rules/${enc(name)}`),
      },
      /** Evaluates every rule now: fires, refreshes or resolves alerts. */
      evaluate: () => call<RuleEvaluation[]>('POST', '/api/monitoring/evaluate'),
      alerts: {
        list: (q: ListAlertsQuery = {}) => call<Alert[]>('GET', `/api/monitoring/alerts${query({ ...q })}`),
        acknowledge: (id: string) => call<Alert>('POST', `/api/monitoring/alerts/${enc(id)}/ack`),
      },
    },
    audit: (q: AuditQuery = {}) => call<AuditEvent[]>('GET', `/api/audit${query({ ...q })}`),
    /** Definitions as code: the registry as a bundle, and the plan or application of a bundle. */
    definitions: {
      export: () => call<DefinitionBundle>('GET', '/api/definitions/export'),
      /** What applying the bundle would change; nothing is written. */
      plan: (request: DefinitionRequest) => call<DefinitionPlan>('POST', '/api/definitions/plan', request),
      /** Every change becomes a new version; a bundle with invalid objects is refused whole. */
      apply: (request: DefinitionRequest) => call<ApplyResult>('POST', '/api/definitions/apply', request),
    },
  };
}

export type FStoreClient = ReturnType<typeof createFStoreClient>;
