import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import Typography from '@mui/material/Typography';
import type { LatestValue } from '@shared/api/profile.js';
import { formatTime } from '../common/format-time.js';
import { MONO_SX } from '../common/mono-text.js';
import { SectionCard } from '../common/section-card.js';
import { formatReportValue } from '../monitoring/format-metric.js';

const STATUS_LABELS: Record<LatestValue['status'], string> = { PRESENT: 'Served', EXPIRED: 'Expired (past TTL)', NOT_FOUND: 'Not in the online store' };

/** What online serving answers now for the most recently written keys. */
export function LatestValuesTable({ values }: { values: LatestValue[] }) {
  return (
    <SectionCard title="Latest values" subtitle="Online store, for the most recently written keys" testId="latest-values" isFlush>
      {values.length === 0 ? (
        <Typography variant="body2" sx={{ color: 'text.secondary', px: 2.5, pb: 2 }}>
          No keys yet.
        </Typography>
      ) : (
        <Table size="small" aria-label="Latest values">
          <TableHead>
            <TableRow>
              <TableCell>Entity key</TableCell>
              <TableCell>Value</TableCell>
              <TableCell>Event time</TableCell>
              <TableCell>Status</TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {values.map((v) => (
              <TableRow key={v.entity_key} data-testid="latest-value-row" data-key={v.entity_key}>
                <TableCell sx={MONO_SX}>{v.entity_key}</TableCell>
                <TableCell sx={{ ...MONO_SX, maxWidth: 220, overflowWrap: 'anywhere' }}>{v.status === 'PRESENT' ? formatReportValue(v.value) : '—'}</TableCell>
                <TableCell sx={{ whiteSpace: 'nowrap' }}>{v.event_timestamp ? formatTime(v.event_timestamp) : '—'}</TableCell>
                <TableCell sx={{ color: v.status === 'PRESENT' ? 'text.primary' : 'warning.main' }}>{STATUS_LABELS[v.status]}</TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
    </SectionCard>
  );
}
