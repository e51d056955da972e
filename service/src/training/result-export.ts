import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import type { TrainingJsonResponse } from '@shared/api/serving.js';
import type { StagingEngine } from '../staging/staging-engine.js';
import { quoteIdent } from '../staging/typed-sql.js';
import { duckTypeOf } from '../storage/duckdb/duck-types.js';
import { isoOf } from '../util/time.js';
import type { TrainingResult } from './training-service.js';

/** Leading columns before labels/features: key and time. Their cells are plain values. */
const LEADING = 2;

export async function toJson(result: TrainingResult): Promise<TrainingJsonResponse> {
  const rows: Record<string, unknown>[] = [];
  const featureStart = LEADING + result.labelColumns.length;
  for await (const chunk of result.rows) {
    for (const row of chunk) {
      const out: Record<string, unknown> = {};
      result.columns.forEach((column, i) => {
        const cell = row[i];
        if (i === 1) out[column] = typeof cell === 'number' ? isoOf(cell) : cell;
        else if (i >= featureStart) out[column] = cell === null || cell === undefined ? null : JSON.parse(cell as string);
        else out[column] = cell ?? null;
      });
      rows.push(out);
    }
  }
  return {
    entity: result.entity,
    features: result.features.map((f) => f.name),
    columns: result.columns,
    row_count: rows.length,
    rows,
  };
}


/**
 * Writes the result to a Parquet or CSV file with proper column types (features by their value
 * type, labels by what their values are), via DuckDB. Returns the file path; the caller deletes it.
 */
export async function toFile(result: TrainingResult, format: 'parquet' | 'csv', engine: StagingEngine, tmpDir: string): Promise<string> {
  const c = await engine.connect();
  try {
    const width = result.columns.length;
    await c.run(`CREATE TEMP TABLE out (${result.columns.map((_, i) => `c${i} VARCHAR`).join(', ')})`);
    const appender = await c.createAppender('out');
    const labelKinds = result.labelColumns.map(() => new LabelKind());
    const featureStart = LEADING + result.labelColumns.length;
    for await (const chunk of result.rows) {
      for (const row of chunk) {
        for (let i = 0; i < width; i++) {
          const cell = row[i];
          if (cell === null || cell === undefined) appender.appendNull();
          else if (i === 1) appender.appendVarchar(typeof cell === 'number' ? isoOf(cell) : String(cell));
          else if (i >= LEADING && i < featureStart) {
            labelKinds[i - LEADING]!.see(cell);
            appender.appendVarchar(JSON.stringify(cell));
          } else appender.appendVarchar(String(cell));
        }
        appender.endRow();
      }
    }
    appender.closeSync();
    const selects = result.columns.map((name, i) => {
      const col = `c${i}`;
      let expr: string;
      if (i === 0) expr = col;
      else if (i === 1) expr = `CAST(${col} AS TIMESTAMPTZ)`;
      else if (i < featureStart) expr = labelKinds[i - LEADING]!.cast(col);
      else {
        const valueType = result.features[i - featureStart]!.valueType;
        expr =
          valueType === 'STRING' ? `json_extract_string(${col}, '$')`
          : valueType === 'DATE' || valueType === 'TIMESTAMP' ? `CAST(json_extract_string(${col}, '$') AS ${duckTypeOf(valueType)})`
          : `CAST(CAST(${col} AS JSON) AS ${duckTypeOf(valueType)})`;
      }
      return `${expr} AS ${quoteIdent(name)}`;
    });
    const path = join(tmpDir, `training-${randomUUID()}.${format}`);
    const options = format === 'parquet' ? '(FORMAT parquet, COMPRESSION zstd)' : '(FORMAT csv, HEADER true)';
    await c.run(`COPY (SELECT ${selects.join(', ')} FROM out ORDER BY rowid) TO '${path.replace(/'/g, "''")}' ${options}`);
    return path;
  } finally {
    c.closeSync();
  }
}

/** Tracks the JS types of a label column's values to pick its output type. */
class LabelKind {
  private kinds = new Set<string>();
  private allIntegers = true;

  see(value: unknown): void {
    const kind = Array.isArray(value) ? 'array' : typeof value;
    this.kinds.add(kind);
    if (kind === 'number' && !Number.isInteger(value)) this.allIntegers = false;
  }

  cast(col: string): string {
    if (this.kinds.size === 1 && this.kinds.has('number')) return `CAST(CAST(${col} AS JSON) AS ${this.allIntegers ? 'BIGINT' : 'DOUBLE'})`;
    if (this.kinds.size === 1 && this.kinds.has('boolean')) return `CAST(CAST(${col} AS JSON) AS BOOLEAN)`;
    if (this.kinds.size === 1 && this.kinds.has('string')) return `json_extract_string(${col}, '$')`;
    return col;
  }
}
