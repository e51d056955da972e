/** Numbers of the monitoring reports as the user reads them; null (not measurable) is a dash. */
import { formatDuration } from '../common/format-duration.js';
import { numberFormat } from '../i18n/locale-format.js';

const DASH = '—';

/** A statistic (min, mean, latency...): grouped thousands, at most 4 significant digits below 1,000. */
export function formatStat(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return DASH;
  if (value === 0) return '0';
  const magnitude = Math.abs(value);
  if (magnitude >= 1000) return numberFormat({ maximumFractionDigits: 2 }).format(Math.round(value));
  if (magnitude < 1e-3) return value.toExponential(2);
  return numberFormat({ maximumSignificantDigits: 4 }).format(value);
}

/** A drift score (PSI, KS, JS) to three decimals. */
export function formatScore(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return DASH;
  return value.toFixed(3);
}

/** A p-value; tiny ones as "< 0.001" since more digits carry no meaning. */
export function formatPValue(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return DASH;
  return value < 0.001 ? '< 0.001' : value.toFixed(3);
}

/** A share 0..1 as a percentage ("12.5 %", "0 %", "< 0.1 %"). */
export function formatShare(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return DASH;
  if (value === 0) return '0 %';
  if (value < 0.001) return '< 0.1 %';
  return `${Number((value * 100).toFixed(1))} %`;
}

/** A feature value from a report (top values): strings as is, the rest as JSON. */
export function formatReportValue(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** An alert's value or threshold in the unit of its rule type (PSI, share, seconds of age, ms, messages). */
export function formatAlertNumber(type: string, value: number | null): string {
  if (value === null) return DASH;
  switch (type) {
    case 'null_rate':
      return formatShare(value);
    case 'freshness':
      return formatDuration(value * 1000);
    case 'latency_p99':
      return `${formatStat(value)} ms`;
    default:
      return formatStat(value);
  }
}
