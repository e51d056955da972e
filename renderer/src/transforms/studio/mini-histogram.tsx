import Box from '@mui/material/Box';
import type { ColumnStats } from '@shared/api/transforms.js';
import { useTranslation } from 'react-i18next';
import { formatCell } from './format-cell.js';

const WIDTH = 96;
const HEIGHT = 24;

/** A numeric column's distribution as a few bars; the counts and edges are in its label. */
export function MiniHistogram({ histogram }: { histogram: NonNullable<ColumnStats['histogram']> }) {
  const { t } = useTranslation('transforms');
  const highest = Math.max(1, ...histogram.map((b) => b.count));
  const barWidth = WIDTH / histogram.length;
  const first = histogram[0];
  const last = histogram[histogram.length - 1];
  const label =
    first && last
      ? t('results.histogramFrom', { from: formatCell(first.lower), to: formatCell(last.upper), counts: histogram.map((b) => b.count).join(', ') })
      : t('results.histogram');
  return (
    <Box component="svg" width={WIDTH} height={HEIGHT} viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="img" aria-label={label} data-testid="stats-histogram" sx={{ display: 'block', color: 'primary.main' }}>
      <title>{label}</title>
      {histogram.map((b, i) => {
        const height = b.count === 0 ? 0 : Math.max(1, (b.count / highest) * HEIGHT);
        return <rect key={i} x={i * barWidth + 0.5} y={HEIGHT - height} width={Math.max(1, barWidth - 1)} height={height} fill="currentColor" data-count={b.count} />;
      })}
    </Box>
  );
}
