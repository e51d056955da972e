import { toSnakeCase } from '@shared/domain/names.js';
import { explainName } from '../common/name-rules.js';
import type { DataSourceInput } from '@shared/domain/schemas.js';
import { i18n } from '../i18n/i18n.js';
import type { UploadReceipt } from '../ingest/upload-file.js';

/** Where the rows of a new source come from. */
export type SourceOrigin = 'upload' | 'path' | 'feature_group';

export interface SourceDraft {
  origin: SourceOrigin;
  name: string;
  description: string;
  /** origin 'path': an absolute path or glob inside the folders the service may read. */
  path: string;
  /** origin 'feature_group': the group whose history the source exposes. */
  featureGroup: string;
}

export const EMPTY_SOURCE_DRAFT: SourceDraft = { origin: 'upload', name: '', description: '', path: '', featureGroup: '' };

/** The source name a file suggests: `Transactions 2025.csv` -> `transactions_2025`. */
export function sourceNameFromFile(fileName: string): string {
  const base = fileName.replace(/^.*[\\/]/, '').replace(/(\.[A-Za-z0-9]+)+$/, '');
  const name = toSnakeCase(base);
  if (name === '') return '';
  return /^[a-z]/.test(name) ? name.slice(0, 63) : `source_${name}`.slice(0, 63);
}

export type SourceDraftErrors = Partial<Record<'name' | 'path' | 'featureGroup' | 'upload', string>>;

/** Blocking problems; `upload` is the receipt of the file once it reached the service. */
export function validateSourceDraft(draft: SourceDraft, upload: UploadReceipt | undefined, existing: ReadonlySet<string> = new Set()): SourceDraftErrors {
  const errors: SourceDraftErrors = {};
  const name = explainName('data_source', draft.name.trim());
  if (name) errors.name = name;
  else if (existing.has(draft.name.trim())) errors.name = i18n.t('dataSources:draft.exists', { name: draft.name.trim() });
  switch (draft.origin) {
    case 'upload':
      if (!upload) errors.upload = i18n.t('dataSources:draft.upload');
      break;
    case 'path':
      if (draft.path.trim() === '') errors.path = i18n.t('dataSources:draft.path');
      break;
    case 'feature_group':
      if (draft.featureGroup.trim() === '') errors.featureGroup = i18n.t('dataSources:draft.featureGroup');
      break;
  }
  return errors;
}

/** The POST /api/data-sources/ body, once the draft is valid. */
export function toDataSourceInput(draft: SourceDraft, upload: UploadReceipt | undefined): DataSourceInput {
  const common = { name: draft.name.trim(), ...(draft.description.trim() ? { description: draft.description.trim() } : {}) };
  switch (draft.origin) {
    case 'upload':
      return { ...common, type: 'file', ...(upload ? { upload_id: upload.upload_id, format: upload.format } : {}) };
    case 'path':
      return { ...common, type: 'file', path: draft.path.trim() };
    case 'feature_group':
      return { ...common, type: 'feature_group', feature_group: draft.featureGroup.trim() };
  }
}
