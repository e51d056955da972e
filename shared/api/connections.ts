/**
 * Saved connections: named PostgreSQL and Kafka endpoints, so a URL is typed once. Never a
 * password: a connection's URL is credential-free or an `env:VARIABLE` the service resolves
 * (docs/ingestion-sql.md#saved-connections). Wherever a PostgreSQL URL is taken, `conn:<name>` names one.
 */
import { Type, type Static } from 'typebox';

export const CONNECTION_KINDS = ['postgres', 'kafka'] as const;
export type ConnectionKind = (typeof CONNECTION_KINDS)[number];

/** How a saved connection is named where a URL is taken: `conn:warehouse`. */
export const CONNECTION_REF_PREFIX = 'conn:';

export const ConnectionInput = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 63, pattern: '^[a-z][a-z0-9_]*$', description: 'snake_case, e.g. warehouse' }),
    kind: Type.Unsafe<ConnectionKind>({ type: 'string', enum: [...CONNECTION_KINDS] }),
    url: Type.String({
      minLength: 1,
      maxLength: 4000,
      description:
        'postgres: env:VARIABLE or a postgres:// URL without a password; kafka: env:VARIABLE or brokers host:port[,host:port] without credentials',
    }),
    description: Type.Optional(Type.String({ maxLength: 500 })),
  },
  { additionalProperties: false },
);
export type ConnectionInput = Static<typeof ConnectionInput>;

export const Connection = Type.Object({
  name: Type.String(),
  kind: Type.Unsafe<ConnectionKind>({ type: 'string', enum: [...CONNECTION_KINDS] }),
  url: Type.String(),
  description: Type.String(),
  created_at: Type.String(),
  created_by: Type.String(),
  updated_at: Type.String(),
  updated_by: Type.String(),
});
export type Connection = Static<typeof Connection>;

export const ConnectionTestResult = Type.Object({
  ok: Type.Boolean(),
  /** What was reached, or why not (never the URL's secret). */
  message: Type.String(),
  elapsed_ms: Type.Number(),
});
export type ConnectionTestResult = Static<typeof ConnectionTestResult>;
