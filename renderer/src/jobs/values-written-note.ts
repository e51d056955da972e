import type { IngestReport } from '@shared/api/serving.js';
import { formatCount } from '../common/format-number.js';
import { i18n } from '../i18n/i18n.js';

type CountKey = 'rows' | 'features' | 'cells' | 'empty' | 'repeated';
const counted = (key: CountKey, n: number) => i18n.t(`jobs:note.${key}`, { count: n, formatted: formatCount(n) });

/**
 * Why 'Values written' differs from rows: one value per non-empty cell of a feature column, empty
 * cells not written, and a repeated (entity key, event time) keeping the later row's values.
 * Undefined for reports from before the service counted these.
 */
export function valuesWrittenNote(report: IngestReport): string | undefined {
  if (report.empty_values === undefined || report.repeated_rows === undefined) return undefined;
  const features = report.features.length;
  const cells = report.rows * features;
  const parts: string[] = [
    i18n.t('jobs:note.arithmetic', { rows: counted('rows', report.rows), features: counted('features', features), cells: counted('cells', cells) }),
  ];
  if (report.empty_values > 0) parts.push(counted('empty', report.empty_values));
  if (report.repeated_rows > 0) parts.push(counted('repeated', report.repeated_rows));
  return `${parts.join('; ')}.`;
}
