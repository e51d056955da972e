import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import Typography from '@mui/material/Typography';
import { useTranslation } from 'react-i18next';
import type { LatestValue } from '@shared/api/profile.js';
import { formatTime } from '../common/format-time.js';
import { MONO_SX } from '../common/mono-text.js';
import { SectionCard } from '../common/section-card.js';
import { numberFormat } from '../i18n/locale-format.js';
import { formatReportValue } from '../monitoring/format-metric.js';

/** A served value as stored (every digit, no grouping), with the decimal separator of the UI language. */
function formatServedValue(value: unknown): string {
  if (typeof value !== 'number') return formatReportValue(value);
  const separator = numberFormat().formatToParts(1.5).find((p) => p.type === 'decimal')?.value ?? '.';
  return String(value).replace('.', separator);
}

/** What online serving answers now for the most recently written keys. */
export function LatestValuesTable({ values }: { values: LatestValue[] }) {
  const { t } = useTranslation('features');
  return (
    <SectionCard title={t('latest.title')} subtitle={t('latest.subtitle')} testId="latest-values" isFlush>
      {values.length === 0 ? (
        <Typography variant="body2" sx={{ color: 'text.secondary', px: 2.5, pb: 2 }}>
          {t('latest.none')}
        </Typography>
      ) : (
        <Table size="small" aria-label={t('latest.title')}>
          <TableHead>
            <TableRow>
              <TableCell>{t('latest.entityKey')}</TableCell>
              <TableCell>{t('latest.value')}</TableCell>
              <TableCell>{t('latest.eventTime')}</TableCell>
              <TableCell>{t('latest.status')}</TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {values.map((v) => (
              <TableRow key={v.entity_key} data-testid="latest-value-row" data-key={v.entity_key}>
                <TableCell sx={MONO_SX}>{v.entity_key}</TableCell>
                <TableCell sx={{ ...MONO_SX, maxWidth: 220, overflowWrap: 'anywhere' }}>{v.status === 'PRESENT' ? formatServedValue(v.value) : '—'}</TableCell>
                <TableCell sx={{ whiteSpace: 'nowrap' }}>{v.event_timestamp ? formatTime(v.event_timestamp) : '—'}</TableCell>
                <TableCell sx={{ color: v.status === 'PRESENT' ? 'text.primary' : 'warning.main' }}>{t(`latest.statuses.${v.status}`)}</TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
    </SectionCard>
  );
}
