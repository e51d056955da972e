import { DATA_FORMATS, FORMAT_BY_MEDIA_TYPE, formatOfName, type DataFormat } from '@shared/domain/data-formats.js';
import { AppError } from '../errors/app-error.js';

export type { DataFormat };
export { DATA_FORMATS };

/** Picks the format from an explicit name, else the media type, else the file extension. */
export function resolveFormat(explicit: string | undefined, mediaType: string | undefined, filename: string | undefined): DataFormat {
  if (explicit) {
    if ((DATA_FORMATS as readonly string[]).includes(explicit)) return explicit as DataFormat;
    throw new AppError('FSTORE_UNSUPPORTED_FORMAT', `Format '${explicit}' is not supported; use one of ${DATA_FORMATS.join(', ')}`);
  }
  const media = mediaType?.split(';')[0]?.trim().toLowerCase();
  if (media && FORMAT_BY_MEDIA_TYPE[media]) return FORMAT_BY_MEDIA_TYPE[media];
  const byName = formatOfName(filename);
  if (byName) return byName;
  throw new AppError(
    'FSTORE_UNSUPPORTED_FORMAT',
    `Cannot tell the data format${filename ? ` of '${filename}'` : ''}${media ? ` (content type ${media})` : ''}; ` +
      `send Content-Type text/csv, application/vnd.apache.parquet or application/x-ndjson, or add ?format=${DATA_FORMATS.join('|')}`,
  );
}
