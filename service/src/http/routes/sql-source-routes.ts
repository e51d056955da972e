import { Type } from 'typebox';
import { CONNECTION_REF_PREFIX } from '@shared/api/connections.js';
import { Job } from '@shared/api/jobs.js';
import { explainInvalidName } from '@shared/domain/names.js';
import type { AppContext } from '../../app-context.js';
import { AppError } from '../../errors/app-error.js';
import { describeSqlSource, parseSqlSource, SqlSourcePuller } from '../../ingest/sql-source-pull.js';
import { resolveConnection } from '../../transforms/source-loader.js';
import { actorOf } from './actor.js';
import type { TypedApp } from './typed-app.js';

const Params = Type.Object({ entity: Type.String({ minLength: 1, maxLength: 200 }), feature_group: Type.String({ minLength: 1, maxLength: 200 }) });

const SqlPullRequest = Type.Object(
  {
    connection: Type.String({
      minLength: 1,
      maxLength: 4000,
      description: 'postgres://user:password@host:port/database (the password is never stored or logged), or conn:NAME, a saved connection',
    }),
    table: Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: '`table` or `schema.table` (letters, digits, underscores)' })),
    query: Type.Optional(Type.String({ minLength: 1, maxLength: 100_000, description: 'A SELECT, run in a READ ONLY transaction as a subquery' })),
    timestamp_column: Type.String({ minLength: 1, maxLength: 63, description: 'A date/timestamp/timestamptz column: the watermark and the event time' }),
    key_column: Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: 'Column holding the entity key (default: the ingestion conventions)' })),
    full: Type.Optional(Type.Boolean({ description: 'Read every row, ignoring the watermark (re-ingesting is idempotent)' })),
  },
  { additionalProperties: false },
);

const DOC = `Pulls a PostgreSQL table or query into (entity, feature group) as a job (kind \`sql_pull\`). Reads only rows
whose \`timestamp_column\` is after the watermark (the largest value of the last successful pull of this
source into this group; \`full: true\` ignores it), streams them through a cursor and ingests them like an
NDJSON file (same validation, registration and reports). The watermark moves only after a successful
ingest. The job result is the ingest report plus \`rows_pulled\`, \`watermark_before\` and \`watermark_after\`.
See docs/ingestion-sql.md.`;

/** SQL databases as a data source: incremental pulls by a timestamp watermark, run as jobs. */
export function registerSqlSourceRoutes(app: TypedApp, ctx: AppContext): void {
  const puller = new SqlSourcePuller({ ingest: ctx.ingest, watermarks: ctx.watermarks, tmpDir: ctx.tmpDir });
  app.post(
    '/api/jobs/sql-pull/:entity/:feature_group',
    {
      schema: {
        tags: ['Ingestion', 'Jobs'],
        summary: 'Pull new rows of a PostgreSQL table or query as a job (202 with the job)',
        description: DOC,
        params: Params,
        body: SqlPullRequest,
        response: { 202: Job },
      },
    },
    async (req, reply) => {
      const { entity, feature_group } = req.params;
      for (const [kind, name] of [['entity', entity], ['feature_group', feature_group]] as const) {
        const invalid = explainInvalidName(kind, name);
        if (invalid) throw new AppError('FSTORE_INVALID_NAME', invalid);
      }
      // A saved connection: its URL, with an env: reference read from the service's environment.
      const named = req.body.connection.startsWith(CONNECTION_REF_PREFIX);
      const connection = named ? resolveConnection(await ctx.connections.expandPostgresRef(req.body.connection, '/connection')) : req.body.connection;
      const source = parseSqlSource({ ...req.body, connection });
      const shown = describeSqlSource(source);
      const actor = actorOf(req);
      const job = await ctx.jobs.submit(
        'sql_pull',
        `pull ${shown.source === 'query' ? 'a query' : shown.source} from ${shown.connection} into ${entity}/${feature_group}${source.full ? ' (full)' : ''}`,
        {
          entity,
          feature_group,
          connection: shown.connection,
          ...(source.table ? { table: shown.source } : { query: source.query }),
          timestamp_column: source.timestampColumn,
          ...(source.keyColumn === undefined ? {} : { key_column: source.keyColumn }),
          full: source.full,
        },
        actor,
        (job) => puller.pull(entity, feature_group, source, actor, job),
      );
      return reply.status(202).send(job);
    },
  );
}
