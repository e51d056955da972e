import type { DataSource } from '@shared/domain/schemas.js';

/** Where a source reads from, in a few words: a path, a table, a query or a group. */
export function describeSourceOrigin(source: DataSource): string {
  switch (source.type) {
    case 'file':
      return [source.format?.toUpperCase(), source.path ?? 'uploaded file'].filter(Boolean).join(' · ');
    case 'postgres':
      return source.table ?? (source.query ? 'SQL query' : 'PostgreSQL');
    case 'feature_group':
      return `history of ${source.feature_group ?? 'a feature group'}`;
  }
}

export const SOURCE_TYPE_LABELS: Record<DataSource['type'], string> = {
  file: 'File',
  postgres: 'PostgreSQL',
  feature_group: 'Feature group',
};
