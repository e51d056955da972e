import { AppError } from '../errors/app-error.js';

export type DataFormat = 'csv' | 'parquet' | 'json' | 'ndjson';
export const DATA_FORMATS: readonly DataFormat[] = ['csv', 'parquet', 'json', 'ndjson'];

const BY_MEDIA_TYPE: Record<string, DataFormat> = {
  'text/csv': 'csv',
  'application/csv': 'csv',
  'application/vnd.apache.parquet': 'parquet',
  'application/x-parquet': 'parquet',
  'application/parquet': 'parquet',
  'application/x-ndjson': 'ndjson',
  'application/ndjson': 'ndjson',
  'application/jsonl': 'ndjson',
};

const BY_EXTENSION: Record<string, DataFormat> = {
  csv: 'csv',
  parquet: 'parquet',
  pq: 'parquet',
  json: 'json',
  ndjson: 'ndjson',
  jsonl: 'ndjson',
};

/** Picks the format from an explicit name, else the media type, else the file extension. */
export function resolveFormat(explicit: string | undefined, mediaType: string | undefined, filename: string | undefined): DataFormat {
  if (explicit) {
    if ((DATA_FORMATS as readonly string[]).includes(explicit)) return explicit as DataFormat;
    throw new AppError('FSTORE_UNSUPPORTED_FORMAT', `Format '${explicit}' is not supported; use one of ${DATA_FORMATS.join(', ')}`);
  }
  const media = mediaType?.split(';')[0]?.trim().toLowerCase();
  if (media && BY_MEDIA_TYPE[media]) return BY_MEDIA_TYPE[media];
  const ext = filename?.toLowerCase().match(/\.([a-z0-9]+)$/)?.[1];
  if (ext && BY_EXTENSION[ext]) return BY_EXTENSION[ext];
  throw new AppError(
    'FSTORE_UNSUPPORTED_FORMAT',
    `Cannot tell the data format${filename ? ` of '${filename}'` : ''}${media ? ` (content type ${media})` : ''}; ` +
      `send Content-Type text/csv, application/vnd.apache.parquet or application/x-ndjson, or add ?format=${DATA_FORMATS.join('|')}`,
  );
}
