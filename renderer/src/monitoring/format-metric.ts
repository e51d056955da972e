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
  if (magnitude < 1e-3) return value.toExponential(2).replace('.', decimalSeparator());
  return numberFormat({ maximumSignificantDigits: 4 }).format(value);
}

/** The decimal separator of the UI language's number locale ("." or ","). */
function decimalSeparator(): string {
  return numberFormat().formatToParts(1.5).find((p) => p.type === 'decimal')?.value ?? '.';
}

/** Three decimals, ungrouped (a technical precision), in the UI language's decimal separator. */
const threeDecimals = () => numberFormat({ minimumFractionDigits: 3, maximumFractionDigits: 3, useGrouping: false });

/** A drift score (PSI, KS, JS) to three decimals. */
export function formatScore(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return DASH;
  return threeDecimals().format(value);
}

/** A p-value; tiny ones as "< 0.001" since more digits carry no meaning. */
export function formatPValue(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return DASH;
  return value < 0.001 ? `< ${threeDecimals().format(0.001)}` : threeDecimals().format(value);
}

/** A share 0..1 as a percentage ("12.5 %", "0 %", "< 0.1 %"). */
export function formatShare(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return DASH;
  const percent = numberFormat({ maximumFractionDigits: 1 });
  if (value === 0) return `${percent.format(0)} %`;
  if (value < 0.001) return `< ${percent.format(0.1)} %`;
  // Rounded as before (toFixed), then written in the locale: 12.5 -> "12.5" or "12,5".
  return `${percent.format(Number((value * 100).toFixed(1)))} %`;
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
