import { useTranslation } from 'react-i18next';
import Box from '@mui/material/Box';
import Chip from '@mui/material/Chip';
import Stack from '@mui/material/Stack';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableContainer from '@mui/material/TableContainer';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import Typography from '@mui/material/Typography';
import type { FeatureQuality } from '@shared/api/monitoring.js';
import { formatCount } from '../common/format-number.js';
import { MONO_SX } from '../common/mono-text.js';
import { formatReportValue, formatShare, formatStat } from './format-metric.js';

const NUM_SX = { fontVariantNumeric: 'tabular-nums', whiteSpace: 'nowrap' } as const;
/** Null rates above this are highlighted: the default threshold of a null_rate rule. */
const HIGH_NULL_RATE = 0.1;
const TOP_SHOWN = 3;

/** Summary statistics of each feature over a window. */
export function QualityTable({ features }: { features: readonly FeatureQuality[] }) {
  const { t } = useTranslation('monitoring');
  return (
    <TableContainer>
      <Table size="small" aria-label={t('quality.table.label')} data-testid="quality-table">
        <TableHead>
          <TableRow>
            <TableCell>{t('quality.table.feature')}</TableCell>
            <TableCell align="right">{t('quality.table.values')}</TableCell>
            <TableCell align="right">{t('quality.table.nullRate')}</TableCell>
            <TableCell align="right">{t('quality.table.min')}</TableCell>
            <TableCell align="right">{t('quality.table.max')}</TableCell>
            <TableCell align="right">{t('quality.table.mean')}</TableCell>
            <TableCell align="right">{t('quality.table.std')}</TableCell>
            <TableCell align="right">p50</TableCell>
            <TableCell align="right">p95</TableCell>
            <TableCell align="right">{t('quality.table.distinct')}</TableCell>
            <TableCell>{t('quality.table.top')}</TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {features.map((f) => (
            <TableRow key={f.feature} data-testid="quality-row" data-feature={f.feature}>
              <TableCell>
                <Box sx={{ ...MONO_SX, fontWeight: 600 }}>{f.feature}</Box>
                <Typography variant="caption" sx={{ color: 'text.secondary' }}>
                  {f.value_type}
                  {f.feature_group ? ` · ${f.feature_group}` : ''}
                </Typography>
              </TableCell>
              <TableCell align="right" sx={NUM_SX} data-testid="quality-count">
                {formatCount(f.count)}
              </TableCell>
              <TableCell
                align="right"
                sx={{ ...NUM_SX, color: f.null_rate !== null && f.null_rate > HIGH_NULL_RATE ? 'warning.main' : 'text.primary' }}
                title={t('quality.table.rowsInWindow', { count: f.rows, n: formatCount(f.rows) })}
              >
                {formatShare(f.null_rate)}
              </TableCell>
              {[f.min, f.max, f.mean, f.std, f.quantiles['p50'], f.quantiles['p95']].map((value, i) => (
                <TableCell key={i} align="right" sx={NUM_SX}>
                  {formatStat(value)}
                </TableCell>
              ))}
              <TableCell align="right" sx={NUM_SX}>
                {formatCount(f.distinct)}
              </TableCell>
              <TableCell>
                {f.top.length === 0 ? (
                  <Typography variant="body2" component="span" sx={{ color: 'text.disabled' }}>
                    —
                  </Typography>
                ) : (
                  <Stack direction="row" useFlexGap sx={{ flexWrap: 'wrap', gap: 0.5 }}>
                    {f.top.slice(0, TOP_SHOWN).map((top) => (
                      <Chip key={formatReportValue(top.value)} size="small" variant="outlined" label={`${formatReportValue(top.value)} · ${formatCount(top.count)}`} />
                    ))}
                    {f.top.length > TOP_SHOWN && <Chip size="small" label={`+${f.top.length - TOP_SHOWN}`} title={f.top.slice(TOP_SHOWN).map((top) => formatReportValue(top.value)).join(', ')} />}
                  </Stack>
                )}
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </TableContainer>
  );
}
