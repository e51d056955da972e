import { i18n } from '../i18n/i18n.js';
import { DATA_FORMATS, FORMAT_BY_EXTENSION, FORMAT_BY_MEDIA_TYPE, type DataFormat } from '@shared/domain/data-formats.js';

/** The file formats the service ingests, and how the app recognises a dropped or picked file. */
export const DATA_FILE_FORMATS = DATA_FORMATS;
export type DataFileFormat = DataFormat;

const BY_EXTENSION = FORMAT_BY_EXTENSION;
const BY_MEDIA_TYPE = FORMAT_BY_MEDIA_TYPE;

export const FORMAT_LABELS: Record<DataFileFormat, string> = {
  csv: 'CSV',
  parquet: 'Parquet',
  json: 'JSON',
  ndjson: 'NDJSON',
};

/** The `accept` attribute of the file picker. */
export const FILE_PICKER_ACCEPT = [...Object.keys(BY_EXTENSION).map((e) => `.${e}`), ...Object.keys(BY_MEDIA_TYPE)].join(',');

/**
 * The format of a file from its extension, else its media type. The extension wins: browsers
 * report a .csv as `application/vnd.ms-excel` on Windows, and often report nothing at all.
 */
export function detectDataFormat(file: { name: string; type: string }): DataFileFormat | undefined {
  const extension = /\.([A-Za-z0-9]+)$/.exec(file.name)?.[1]?.toLowerCase();
  if (extension !== undefined && extension in BY_EXTENSION) return BY_EXTENSION[extension];
  const mediaType = file.type.split(';')[0]?.trim().toLowerCase() ?? '';
  return BY_MEDIA_TYPE[mediaType];
}

/** Why a file cannot be ingested, for the user. */
export function explainUnsupportedFile(file: { name: string }): string {
  return i18n.t('ingest:unsupported', { name: file.name });
}
