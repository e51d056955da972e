/**
 * How a transform's output becomes feature rows, the same on every engine: which columns are the
 * entity key and the event time, and which rows a run writes (those with a key, inside [start, end];
 * an output without event times is stamped with the run time).
 */
import type { OutputFeature } from '@shared/domain/schemas.js';
import { AppError } from '../errors/app-error.js';
import { quoteIdent, quoteLiteral } from '../staging/typed-sql.js';
import { isoOf } from '../util/time.js';
import type { EngineRunOptions, TransformDefinition } from './transform-engine.js';
import { OUTPUT_TABLE } from './transform-session.js';

/** Event time column names recognised when the transform does not name one. */
export const TIME_CONVENTIONS = ['event_time', 'event_timestamp', 'timestamp'];

export interface OutputRoles {
  keyColumn: string;
  /** Null when the output has no event times (the run stamps them). */
  timeColumn: string | null;
  warnings: string[];
}

/** The key and time columns among the output's column names; a missing named column is an error. */
export function outputRoles(definition: TransformDefinition, defaultKey: string, names: string[]): OutputRoles {
  const keyColumn = definition.entity_key_column ?? defaultKey;
  if (!names.includes(keyColumn)) {
    throw new AppError(
      'FSTORE_TRANSFORM_OUTPUT',
      `The output has no column '${keyColumn}' for the entity key of '${definition.entity}'; select it${definition.entity_key_column ? '' : ' or set entity_key_column'} (output columns: ${names.join(', ')})`,
    );
  }
  let timeColumn: string | null;
  if (definition.event_time_column === null) timeColumn = null;
  else if (definition.event_time_column !== undefined) {
    if (!names.includes(definition.event_time_column)) {
      throw new AppError('FSTORE_TRANSFORM_OUTPUT', `The output has no column '${definition.event_time_column}' (event_time_column); output columns: ${names.join(', ')}`);
    }
    timeColumn = definition.event_time_column;
  } else timeColumn = TIME_CONVENTIONS.find((c) => names.includes(c)) ?? null;
  const warnings = timeColumn === null ? ["The output has no event time column; values are stamped with the run time (as of now, or the run's end)"] : [];
  return { keyColumn, timeColumn, warnings };
}

/** The query over the session's output table that selects what a run writes, and its time column. */
export function runOutputQuery(
  roles: Pick<OutputRoles, 'keyColumn' | 'timeColumn'>,
  features: OutputFeature[],
  names: string[],
  options: Pick<EngineRunOptions, 'start' | 'end'>,
): { sql: string; timeColumn: string } {
  const { keyColumn, timeColumn } = roles;
  const stampColumn = timeColumn ?? (names.includes('event_time') ? '_fstore_run_time' : 'event_time');
  const select = [
    quoteIdent(keyColumn),
    timeColumn ? quoteIdent(timeColumn) : `CAST(${quoteLiteral(isoOf(options.end ?? Date.now()))} AS TIMESTAMPTZ) AS ${quoteIdent(stampColumn)}`,
    ...features.map((f) => quoteIdent(f.name)),
  ].join(', ');
  const filters = [`${quoteIdent(keyColumn)} IS NOT NULL`];
  if (timeColumn) {
    const time = `CAST(${quoteIdent(timeColumn)} AS TIMESTAMPTZ)`;
    if (options.start !== undefined) filters.push(`${time} >= CAST(${quoteLiteral(isoOf(options.start))} AS TIMESTAMPTZ)`);
    if (options.end !== undefined) filters.push(`${time} <= CAST(${quoteLiteral(isoOf(options.end))} AS TIMESTAMPTZ)`);
  }
  return { sql: `SELECT ${select} FROM ${OUTPUT_TABLE} WHERE ${filters.join(' AND ')}`, timeColumn: stampColumn };
}
