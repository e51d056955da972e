import type { DataSource } from '@shared/domain/schemas.js';
import { i18n } from '../i18n/i18n.js';

/** Where a source reads from, in a few words: a path, a table, a query or a group. */
export function describeSourceOrigin(source: DataSource): string {
  switch (source.type) {
    case 'file':
      return [source.format?.toUpperCase(), source.path ?? i18n.t('dataSources:origin.uploadedFile')].filter(Boolean).join(' · ');
    case 'postgres':
      return source.table ?? (source.query ? i18n.t('dataSources:origin.sqlQuery') : 'PostgreSQL');
    case 'feature_group':
      return i18n.t('dataSources:origin.historyOf', { group: source.feature_group ?? i18n.t('dataSources:origin.aFeatureGroup') });
  }
}

/** Each source type as the user reads it; getters, so each read is in the UI language of the moment. */
export const SOURCE_TYPE_LABELS: Readonly<Record<DataSource['type'], string>> = {
  get file() {
    return i18n.t('dataSources:type.file');
  },
  get postgres() {
    return i18n.t('dataSources:type.postgres');
  },
  get feature_group() {
    return i18n.t('dataSources:type.feature_group');
  },
};
