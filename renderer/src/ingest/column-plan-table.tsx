import { Link as RouterLink } from 'react-router-dom';
import Chip from '@mui/material/Chip';
import Link from '@mui/material/Link';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableContainer from '@mui/material/TableContainer';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import Tooltip from '@mui/material/Tooltip';
import Typography from '@mui/material/Typography';
import type { IngestPreview } from '@shared/api/serving.js';
import { useTranslation } from 'react-i18next';
import { MONO_SX } from '../common/mono-text.js';
import type { IngestPlan } from './ingest-target.js';

type Registration = IngestPlan['features'][number]['registration'];

/** Each registration's chip; its label and hint are the keys `schema.<registration>` and `schema.<registration>Hint`. */
const REGISTRATION: Record<Registration, { color: 'primary' | 'default' | 'info'; variant: 'filled' | 'outlined' }> = {
  new: { color: 'primary', variant: 'filled' },
  existing: { color: 'default', variant: 'outlined' },
  assign: { color: 'info', variant: 'outlined' },
};

const muted = (text: string) => (
  <Typography component="span" variant="body2" sx={{ color: 'text.disabled' }}>
    {text}
  </Typography>
);

/** The inferred schema: per column its source type and what it becomes (key, time, or which feature). */
export function ColumnPlanTable({ preview }: { preview: IngestPreview }) {
  const { t } = useTranslation('ingest');
  const plan = preview.plan;
  const byColumn = new Map((plan?.features ?? []).map((f) => [f.column, f]));
  // Column-level problems read "column 'x' is not snake_case..." or "column 'x': belongs to...".
  const problemOf = (column: string) => {
    const prefix = `column '${column}'`;
    const problem = preview.problems.find((p) => p.startsWith(prefix));
    return problem?.slice(prefix.length).replace(/^:\s*/, '').trim();
  };

  return (
    <TableContainer>
      <Table size="small" aria-label={t('schema.label')} data-testid="schema-table">
        <TableHead>
          <TableRow>
            <TableCell>{t('schema.column')}</TableCell>
            <TableCell title={t('schema.detectedTypeHint')}>{t('schema.detectedType')}</TableCell>
            <TableCell>{t('schema.becomes')}</TableCell>
            <TableCell>{t('schema.valueType')}</TableCell>
            <TableCell>{t('schema.registry')}</TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {preview.columns.map((column) => {
            const feature = byColumn.get(column.name);
            const isKey = plan?.entity_key_column === column.name;
            const isTime = plan?.event_time_column === column.name;
            const problem = problemOf(column.name);
            const registration = feature
              ? { ...REGISTRATION[feature.registration], label: t(`schema.${feature.registration}`), hint: t(`schema.${feature.registration}Hint`) }
              : undefined;
            return (
              <TableRow key={column.name} data-testid="schema-row" data-column={column.name} sx={{ '& td': { py: 1 } }}>
                <TableCell sx={{ ...MONO_SX, fontWeight: 600 }}>{column.name}</TableCell>
                <TableCell sx={{ ...MONO_SX, color: 'text.secondary' }} data-testid="schema-source-type">
                  {column.source_type}
                </TableCell>
                <TableCell data-testid="schema-role">
                  {isKey ? (
                    <Chip size="small" color="secondary" label={t('schema.entityKey')} />
                  ) : isTime ? (
                    <Chip size="small" color="secondary" variant="outlined" label={t('schema.eventTime')} />
                  ) : feature ? (
                    feature.registration === 'new' ? (
                      <Typography component="span" sx={MONO_SX} data-testid="schema-feature">
                        {feature.feature}
                      </Typography>
                    ) : (
                      <Link component={RouterLink} to={`/features/${encodeURIComponent(feature.feature)}`} underline="hover" sx={MONO_SX} data-testid="schema-feature">
                        {feature.feature}
                      </Link>
                    )
                  ) : problem ? (
                    <Typography component="span" variant="body2" sx={{ color: 'error.main' }}>
                      {problem}
                    </Typography>
                  ) : (
                    muted(plan ? t('schema.notIngested') : '—')
                  )}
                </TableCell>
                <TableCell sx={MONO_SX} data-testid="schema-value-type">
                  {feature ? feature.value_type : muted('—')}
                </TableCell>
                <TableCell>
                  {registration ? (
                    <Tooltip title={registration.hint}>
                      <Chip
                        size="small"
                        label={registration.label}
                        color={registration.color}
                        variant={registration.variant}
                        data-testid="registration-chip"
                        data-registration={feature?.registration}
                      />
                    </Tooltip>
                  ) : (
                    muted('—')
                  )}
                </TableCell>
              </TableRow>
            );
          })}
        </TableBody>
      </Table>
    </TableContainer>
  );
}
