/** Readable edges for the drift histograms: "1.2k – 3.5k", "0.35 – 0.5", never "0.34999999". */
import type { HistogramBin } from '@shared/api/monitoring.js';
import { numberFormat } from '../i18n/locale-format.js';

const MIN_DIGITS = 2;
const MAX_DIGITS = 6;

function formatEdge(value: number, digits: number): string {
  if (value === 0) return '0';
  return numberFormat({ notation: 'compact', maximumSignificantDigits: digits }).format(value).replace('K', 'k');
}

/**
 * Labels for numeric bins, with as few significant digits as keep every edge distinct (neighbouring
 * deciles may differ only in the third digit). Categorical bins (no edges) keep their label.
 */
export function binLabels(bins: readonly HistogramBin[]): string[] {
  const edges = [...new Set(bins.flatMap((b) => [b.lower, b.upper]).filter((e): e is number => e !== null && Number.isFinite(e)))];
  let digits = MIN_DIGITS;
  while (digits < MAX_DIGITS && new Set(edges.map((e) => formatEdge(e, digits))).size < edges.length) digits++;
  const f = (value: number) => formatEdge(value, digits);
  return bins.map((b) => {
    if (b.lower === null && b.upper === null) return b.label;
    if (b.lower === null) return `< ${f(b.upper!)}`;
    if (b.upper === null) return `≥ ${f(b.lower)}`;
    return `${f(b.lower)} – ${f(b.upper)}`;
  });
}
