import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableRow from '@mui/material/TableRow';
import Typography from '@mui/material/Typography';
import { useTranslation } from 'react-i18next';
import type { FeatureProfile } from '@shared/api/profile.js';
import { MONO_SX } from '../common/mono-text.js';
import { formatStat } from '../monitoring/format-metric.js';

/** Each row: its id (data-stat, the English label), the label's key when it is a word, the value. */
const ROWS: [string, 'Min' | 'Median' | 'Max' | 'Mean' | 'Std' | null, (p: FeatureProfile) => number | null][] = [
  ['Min', 'Min', (p) => p.min],
  ['p1', null, (p) => p.quantiles['p1'] ?? null],
  ['p5', null, (p) => p.quantiles['p5'] ?? null],
  ['p25', null, (p) => p.quantiles['p25'] ?? null],
  ['Median', 'Median', (p) => p.quantiles['p50'] ?? null],
  ['p75', null, (p) => p.quantiles['p75'] ?? null],
  ['p95', null, (p) => p.quantiles['p95'] ?? null],
  ['p99', null, (p) => p.quantiles['p99'] ?? null],
  ['Max', 'Max', (p) => p.max],
  ['Mean', 'Mean', (p) => p.mean],
  ['Std. deviation', 'Std', (p) => p.std],
];

/** Min, percentiles, max, mean and spread of a numeric feature. */
export function ProfileStatisticsTable({ profile }: { profile: FeatureProfile }) {
  const { t } = useTranslation('features');
  return (
    <div>
      <Typography variant="subtitle2" component="h3" sx={{ fontWeight: 650, mb: 0.5 }}>
        {t('statistics.title')}
      </Typography>
      <Table size="small" aria-label={t('statistics.title')} data-testid="profile-statistics">
        <TableBody>
          {ROWS.map(([label, key, value]) => (
            <TableRow key={label} data-testid="profile-stat" data-stat={label} sx={{ '&:last-child > *': { borderBottom: 0 } }}>
              <TableCell component="th" scope="row" sx={{ color: 'text.secondary', py: 0.5, pl: 0 }}>
                {key ? t(`statistics.${key}`) : label}
              </TableCell>
              <TableCell align="right" sx={{ ...MONO_SX, py: 0.5, pr: 0 }}>
                {formatStat(value(profile))}
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </div>
  );
}
