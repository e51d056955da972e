/**
 * The staged rows on their way to the stores: typed rows exported as a Parquet file for the offline
 * store, and the newest value per (key, feature) streamed in chunks for the online store. Both are
 * computed by the staging engine; no row passes through JS on the offline path.
 */
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type { OnlineRow } from '../storage/online-store.js';
import type { IngestPlan } from './column-plan.js';
import type { StagedTable } from '../staging/staging-engine.js';
import { jsonExpr, quoteIdent, timestampExpr, typedExpr } from '../staging/typed-sql.js';

/** Rows per chunk moved from staging to the online store: bounds memory for files of any size. */
const CHUNK_ROWS = 50_000;

/** Typed SELECT list shared by extraction and the online reduction: key, time ms, JSON per feature. */
function columnsSql(plan: IngestPlan, ingestedAt: number): string {
  const key = quoteIdent(plan.keyColumn.name);
  const time = plan.timeColumn
    ? `CAST(epoch_ms(${timestampExpr(quoteIdent(plan.timeColumn.name), plan.timeColumn.kind)}) AS DOUBLE)`
    : `CAST(${Math.trunc(ingestedAt)} AS DOUBLE)`;
  const values = plan.features.map((f, i) => {
    const col = quoteIdent(f.column.name);
    return `CASE WHEN ${col} IS NOT NULL THEN ${jsonExpr(typedExpr(col, f.column.kind, f.valueType), f.valueType)} END AS j${i}`;
  });
  return `trim(CAST(${key} AS VARCHAR)) AS k, ${time} AS t, ${values.join(', ')}, rowid AS r`;
}

/**
 * Writes the staged rows to a Parquet file for appendParquet: entity_key, event_time_ms, seq (the
 * row number, so later rows win ties) and one column per feature in its value type (NULL = not written).
 * Uncompressed: the file is read once, right away, and compressing it cost more than it saved.
 */
export async function exportTypedRows(plan: IngestPlan, staged: StagedTable, ingestedAt: number, tempDir: string): Promise<string> {
  const path = join(tempDir, `typed-${randomUUID()}.parquet`);
  const key = quoteIdent(plan.keyColumn.name);
  const time = plan.timeColumn
    ? `CAST(epoch_ms(${timestampExpr(quoteIdent(plan.timeColumn.name), plan.timeColumn.kind)}) AS BIGINT)`
    : `CAST(${Math.trunc(ingestedAt)} AS BIGINT)`;
  const values = plan.features.map((f) => `${typedExpr(quoteIdent(f.column.name), f.column.kind, f.valueType)} AS ${quoteIdent(f.feature)}`);
  await staged.connection.run(
    `COPY (SELECT trim(CAST(${key} AS VARCHAR)) AS entity_key, ${time} AS event_time_ms, CAST(rowid AS BIGINT) AS seq, ${values.join(', ')} FROM src)
     TO '${path.replace(/'/g, "''")}' (FORMAT parquet, COMPRESSION uncompressed)`,
  );
  return path;
}

/**
 * The newest value per (key, feature), computed in DuckDB (ties on event time: the later row
 * wins, as offline), streamed in chunks for the online store. When every row has every feature
 * (`dense`), that is the newest row per key; otherwise the rows are unpivoted to one per written
 * value first, so memory and time grow with the number of values, not with columns times
 * per-column aggregate states (1,000 columns of one row once took gigabytes).
 */
export async function* newestPerKeyFromStaging(plan: IngestPlan, staged: StagedTable, ingestedAt: number, dense: boolean): AsyncIterable<OnlineRow[]> {
  if (dense) {
    // Each row's JSON texts come as one string joined by U+0001, which valid JSON text never
    // contains raw (JSON escapes control characters): one string for JS to decode and one split
    // per row, several times faster than a cell per value or a JSON array of texts to parse. In
    // key order: the online store's B-tree takes sorted keys several times faster than random ones.
    const texts = plan.features.map((_, i) => `coalesce(j${i}, '')`).join(', ');
    const result = await staged.connection.stream(
      `SELECT k, t, concat_ws(chr(1), ${texts}) AS js
       FROM (SELECT ${columnsSql(plan, ingestedAt)} FROM src) QUALIFY row_number() OVER (PARTITION BY k ORDER BY t DESC, r DESC) = 1
       ORDER BY k`,
    );
    const features = plan.features.map((f) => f.feature);
    let chunk: OnlineRow[] = [];
    for (;;) {
      const data = await result.fetchChunk();
      if (!data || data.rowCount === 0) break;
      const [keys, times, joined] = [data.getColumnValues(0), data.getColumnValues(1), data.getColumnValues(2)];
      for (let r = 0; r < data.rowCount; r++) {
        const eventTime = times[r] as number;
        const jsons = (joined[r] as string).split('\u0001');
        const values: OnlineRow['values'] = {};
        for (let i = 0; i < features.length; i++) {
          // '' = no value (a dense batch has none, but a NULL must never shift the others).
          if (jsons[i]) values[features[i]!] = { json: jsons[i]!, eventTime };
        }
        chunk.push({ entityKey: keys[r] as string, values });
      }
      // Whole chunks, not DuckDB's 2,048-row vectors: each online write is one store transaction.
      if (chunk.length >= CHUNK_ROWS) {
        yield chunk;
        chunk = [];
      }
    }
    if (chunk.length > 0) yield chunk;
    return;
  }
  const names = plan.features.map((_, i) => `j${i}`);
  const indexOf = `CASE col ${names.map((n, i) => `WHEN '${n}' THEN ${i}`).join(' ')} END`;
  // UNPIVOT drops NULL values: only written values take part.
  const result = await staged.connection.stream(
    `SELECT k, ${indexOf} AS f, arg_max(v, struct_pack(t := t, r := r)) AS v, max(t) AS t
     FROM (UNPIVOT (SELECT ${columnsSql(plan, ingestedAt)} FROM src) ON ${names.join(', ')} INTO NAME col VALUE v)
     GROUP BY k, col ORDER BY k`,
  );
  let chunk: OnlineRow[] = [];
  let current: OnlineRow | undefined;
  for await (const rows of result.yieldRowsJs()) {
    for (const [key, f, json, time] of rows) {
      if (current === undefined || current.entityKey !== key) {
        if (chunk.length >= CHUNK_ROWS) {
          yield chunk;
          chunk = [];
        }
        current = { entityKey: key as string, values: {} };
        chunk.push(current);
      }
      current.values[plan.features[Number(f)]!.feature] = { json: json as string, eventTime: time as number };
    }
  }
  if (chunk.length > 0) yield chunk;
}
