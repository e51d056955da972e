/** Long operations (file ingestion, materialization, SQL pulls) run as jobs with progress. */
import { Type, type Static } from 'typebox';

export const JobState = Type.Union([
  Type.Literal('queued'),
  Type.Literal('running'),
  Type.Literal('succeeded'),
  Type.Literal('failed'),
  Type.Literal('cancelled'),
]);
export type JobState = Static<typeof JobState>;

export const JobKind = Type.Union([
  Type.Literal('ingest_file'),
  Type.Literal('materialize'),
  Type.Literal('sql_pull'),
  Type.Literal('transform_run'),
  Type.Literal('training_set'),
]);
export type JobKind = Static<typeof JobKind>;

export const JobProgress = Type.Object({
  phase: Type.String({ description: 'What the job is doing now, e.g. reading, validating, writing offline, writing online' }),
  rows_done: Type.Integer(),
  rows_total: Type.Union([Type.Integer(), Type.Null()], { description: 'Null while unknown' }),
  rows_per_second: Type.Number(),
});
export type JobProgress = Static<typeof JobProgress>;

export const Job = Type.Object({
  id: Type.String(),
  kind: JobKind,
  state: JobState,
  title: Type.String({ description: 'Human summary, e.g. "ingest dados.csv into usuario/demografia"' }),
  params: Type.Record(Type.String(), Type.Unknown()),
  progress: JobProgress,
  created_at: Type.String(),
  started_at: Type.Union([Type.String(), Type.Null()]),
  finished_at: Type.Union([Type.String(), Type.Null()]),
  created_by: Type.String(),
  error: Type.Union([
    Type.Object({ code: Type.String(), message: Type.String(), details: Type.Optional(Type.Unknown()) }),
    Type.Null(),
  ]),
  result: Type.Union([Type.Record(Type.String(), Type.Unknown()), Type.Null()]),
});
export type Job = Static<typeof Job>;

/** GET /api/jobs/{id}/logs: what the job's engine printed (Spark's driver output), newest last. */
export const JobLogs = Type.Object({
  job_id: Type.String(),
  lines: Type.Array(Type.String()),
  truncated: Type.Boolean({ description: 'True when older lines were dropped (only the last ones are kept)' }),
});
export type JobLogs = Static<typeof JobLogs>;

export function isTerminal(state: JobState): boolean {
  return state === 'succeeded' || state === 'failed' || state === 'cancelled';
}

/** The query of GET /api/jobs/. */
export const ListJobsQuery = Type.Object(
  { state: Type.Optional(JobState), kind: Type.Optional(JobKind), limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })) },
  { additionalProperties: false },
);
export type ListJobsQuery = Static<typeof ListJobsQuery>;

/** POST /api/materialize: a group's newest offline values per key and feature, written online. */
export const MaterializeJobRequest = Type.Object(
  {
    entity: Type.String({ minLength: 1, maxLength: 63 }),
    feature_group: Type.String({ minLength: 1, maxLength: 63 }),
    start_date: Type.Optional(Type.String({ description: 'Event-time window start (date or ISO timestamp), inclusive' })),
    end_date: Type.Optional(Type.String({ description: 'Event-time window end, inclusive; a bare date covers the day' })),
    incremental: Type.Optional(Type.Boolean({ description: 'Only values ingested since the last successful incremental run' })),
  },
  { additionalProperties: false },
);
export type MaterializeJobRequest = Static<typeof MaterializeJobRequest>;
