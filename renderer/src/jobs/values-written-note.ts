import type { IngestReport } from '@shared/api/serving.js';
import { formatCount } from '../common/format-number.js';

const plural = (n: number, one: string, many: string) => `${formatCount(n)} ${n === 1 ? one : many}`;

/**
 * Why 'Values written' differs from rows: one value per non-empty cell of a feature column, empty
 * cells not written, and a repeated (entity key, event time) keeping the later row's values.
 * Undefined for reports from before the service counted these.
 */
export function valuesWrittenNote(report: IngestReport): string | undefined {
  if (report.empty_values === undefined || report.repeated_rows === undefined) return undefined;
  const features = report.features.length;
  const cells = report.rows * features;
  const parts = [
    `One value per filled cell: ${plural(report.rows, 'row', 'rows')} × ${plural(features, 'feature', 'features')} = ${plural(cells, 'cell', 'cells')}`,
  ];
  if (report.empty_values > 0) parts.push(`${plural(report.empty_values, 'empty cell is', 'empty cells are')} not written`);
  if (report.repeated_rows > 0) {
    parts.push(
      `${plural(report.repeated_rows, 'row repeats', 'rows repeat')} the entity key and event time of another row: only the later row's values are kept`,
    );
  }
  return `${parts.join('; ')}.`;
}
