/** Equal-width histogram bins with round edges (1, 2 or 5 times a power of ten) covering [min, max]. */
import type { HistogramGrid } from '../storage/offline-store.js';

const TARGET_BINS = 20;

/** A grid over [min, max] whose bins have a round width; integers get whole-number widths. */
export function roundGrid(min: number, max: number, isInteger: boolean): HistogramGrid {
  if (!(max > min)) {
    const width = isInteger ? 1 : Math.max(Math.abs(min) * 1e-9, Number.MIN_VALUE);
    return { lo: min, hi: min + width, bins: 1 };
  }
  let step = niceStep((max - min) / TARGET_BINS);
  if (isInteger) step = Math.max(1, Math.round(step));
  const lo = Math.floor(min / step) * step;
  // max belongs to the last bin, so the grid ends strictly above it.
  const bins = Math.max(1, Math.floor((max - lo) / step) + 1);
  return { lo, hi: lo + bins * step, bins };
}

function niceStep(raw: number): number {
  const power = 10 ** Math.floor(Math.log10(raw));
  // A little slack: 0.05 / 0.01 is 5.000000000000001 in floating point.
  const fraction = raw / power - 1e-9;
  const nice = fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 5 ? 5 : 10;
  return nice * power;
}
