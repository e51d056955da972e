/** The file formats FStore ingests, and how a file's name or media type names one. */
export const DATA_FORMATS = ['csv', 'parquet', 'json', 'ndjson'] as const;
export type DataFormat = (typeof DATA_FORMATS)[number];

export const FORMAT_BY_EXTENSION: Readonly<Record<string, DataFormat>> = {
  csv: 'csv',
  parquet: 'parquet',
  pq: 'parquet',
  json: 'json',
  ndjson: 'ndjson',
  jsonl: 'ndjson',
};

export const FORMAT_BY_MEDIA_TYPE: Readonly<Record<string, DataFormat>> = {
  'text/csv': 'csv',
  'application/csv': 'csv',
  'application/vnd.apache.parquet': 'parquet',
  'application/x-parquet': 'parquet',
  'application/parquet': 'parquet',
  'application/json': 'json',
  'application/x-ndjson': 'ndjson',
  'application/ndjson': 'ndjson',
  'application/jsonl': 'ndjson',
};

/** The extension of a file name, lower-cased, if it names a format. */
export function formatOfName(name: string | undefined): DataFormat | undefined {
  const extension = name?.toLowerCase().match(/\.([a-z0-9]+)$/)?.[1];
  return extension ? FORMAT_BY_EXTENSION[extension] : undefined;
}
