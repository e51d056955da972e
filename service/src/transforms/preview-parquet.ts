/**
 * The studio's "download as Parquet": the preview rows the client already holds, written as a
 * Parquet file by DuckDB with each column in the type the preview reported (`duck_type`), so a
 * notebook reads numbers as numbers and times as timestamps.
 */
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { finished } from 'node:stream/promises';
import type { PreviewParquetRequest } from '@shared/api/transforms.js';
import { jsonValueProblem } from '@shared/domain/json-value.js';
import { AppError } from '../errors/app-error.js';
import { cleanDuckMessage, type StagingEngine } from '../staging/staging-engine.js';
import { quoteIdent, quoteLiteral } from '../staging/typed-sql.js';

/**
 * Types DuckDB spells with words, an optional (precision, scale) and list brackets: VARCHAR,
 * BIGINT, TIMESTAMP WITH TIME ZONE, DECIMAL(18,3), DOUBLE[]. Anything else (STRUCT, MAP, UNION)
 * is written as JSON text: a type is put into SQL, so only this plain grammar passes.
 */
const PLAIN_TYPE = /^[A-Za-z][A-Za-z0-9_]*( [A-Za-z][A-Za-z0-9_]*){0,3}(\(\d{1,3}(, ?\d{1,3})?\))?(\[\])*$/;

export function parquetColumnType(duckType: string): string {
  return PLAIN_TYPE.test(duckType.trim()) ? duckType.trim() : 'JSON';
}

/** Checks the request (400 naming the column or row), writes the file; `path` is removed on failure. */
export async function writePreviewParquet(staging: StagingEngine, request: PreviewParquetRequest, path: string): Promise<void> {
  const names = request.columns.map((c) => c.name);
  const duplicate = names.find((name, i) => names.indexOf(name) !== i);
  if (duplicate !== undefined) throw new AppError('FSTORE_VALIDATION_FAILED', `Column '${duplicate}' is named twice`);
  const badName = names.find((name) => jsonValueProblem(name) !== undefined || name.includes('\u0000'));
  if (badName !== undefined) throw new AppError('FSTORE_VALIDATION_FAILED', `Column name ${JSON.stringify(badName)} cannot be written`);
  request.rows.forEach((row, i) => {
    for (const name of names) {
      const problem = jsonValueProblem(row[name]);
      if (problem) throw new AppError('FSTORE_VALIDATION_FAILED', `Row ${i + 1}, column '${name}': ${problem}`);
    }
  });

  const rowsFile = join(staging.tempDir, `preview-rows-${randomUUID()}.ndjson`);
  try {
    const out = createWriteStream(rowsFile);
    for (const row of request.rows) {
      // Only the named columns, in order; a missing value is null.
      const line = JSON.stringify(Object.fromEntries(names.map((name) => [name, row[name] ?? null])));
      if (!out.write(`${line}\n`)) await once(out, 'drain');
    }
    out.end();
    await finished(out);

    const columnTypes = request.columns.map((c) => `${quoteLiteral(c.name)}: ${quoteLiteral(parquetColumnType(c.duck_type))}`).join(', ');
    const select = names.map(quoteIdent).join(', ');
    const connection = await staging.connect();
    try {
      await connection.run(
        `COPY (SELECT ${select} FROM read_json(${quoteLiteral(rowsFile)}, format = 'newline_delimited', columns = {${columnTypes}}))
         TO ${quoteLiteral(path)} (FORMAT parquet, COMPRESSION zstd)`,
      );
    } catch (err) {
      await rm(path, { force: true });
      throw new AppError('FSTORE_VALIDATION_FAILED', `The rows do not fit the column types: ${cleanDuckMessage(err)}`);
    } finally {
      connection.closeSync();
    }
  } finally {
    await rm(rowsFile, { force: true });
  }
}
