import { Link as RouterLink } from 'react-router-dom';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Chip from '@mui/material/Chip';
import Link from '@mui/material/Link';
import Typography from '@mui/material/Typography';
import type { IngestReport } from '@shared/api/serving.js';
import { Trans, useTranslation } from 'react-i18next';
import { formatDuration } from '../common/format-duration.js';
import { formatCount } from '../common/format-number.js';
import { MONO_SX } from '../common/mono-text.js';
import { valuesWrittenNote } from './values-written-note.js';

function Stat({ label, value, testId }: { label: string; value: string; testId: string }) {
  return (
    <Box sx={{ px: 2, py: 1.5, border: 1, borderColor: 'divider', borderRadius: 1.5 }}>
      <Typography variant="caption" sx={{ color: 'text.secondary', fontWeight: 600, textTransform: 'uppercase', letterSpacing: '0.04em' }}>
        {label}
      </Typography>
      <Typography variant="h6" component="p" sx={{ fontWeight: 700 }} data-testid={testId}>
        {value}
      </Typography>
    </Box>
  );
}

/** What an ingestion wrote: counts, the columns used, and the features with links to their pages. */
export function IngestReportView({ report, verb = 'Ingested' }: { report: IngestReport; verb?: 'Ingested' | 'Wrote' }) {
  const { t } = useTranslation('jobs');
  const registered = new Map(report.registered_features.map((f) => [f.name, f.value_type]));
  const mono = <Box component="span" sx={MONO_SX} />;
  const note = valuesWrittenNote(report);
  return (
    <Box data-testid="ingest-report" sx={{ display: 'grid', gap: 2 }}>
      <Alert severity="success" data-testid="ingest-report-summary">
        <Trans
          t={t}
          i18nKey={verb === 'Wrote' ? 'report.wrote' : 'report.ingested'}
          count={report.rows}
          values={{ formatted: formatCount(report.rows), target: `${report.entity}/${report.feature_group}` }}
          components={[mono]}
        />
        {registered.size > 0 && t('report.registered', { count: registered.size })}.
      </Alert>
      <Box sx={{ display: 'grid', gap: 1.5, gridTemplateColumns: { xs: '1fr 1fr', md: 'repeat(4, 1fr)' } }}>
        <Stat label={t('report.rows')} value={formatCount(report.rows)} testId="report-rows" />
        <Stat label={t('report.valuesWritten')} value={formatCount(report.values_written)} testId="report-values" />
        <Stat label={t('report.onlineValues')} value={formatCount(report.online_values_written)} testId="report-online-values" />
        <Stat label={t('report.time')} value={formatDuration(report.elapsed_ms)} testId="report-elapsed" />
      </Box>
      {note && (
        <Typography variant="body2" sx={{ color: 'text.secondary' }} data-testid="report-values-note">
          {note}
        </Typography>
      )}
      <Typography variant="body2" sx={{ color: 'text.secondary' }}>
        {report.event_time_column ? (
          <Trans t={t} i18nKey="report.keyAndTime" values={{ key: report.entity_key_column, time: report.event_time_column }} components={[mono, mono]} />
        ) : (
          <Trans t={t} i18nKey="report.keyAndIngestionTime" values={{ key: report.entity_key_column }} components={[mono]} />
        )}
      </Typography>
      <Box>
        <Typography variant="body2" sx={{ fontWeight: 600, mb: 1 }}>
          {t('report.features')}
        </Typography>
        <Box sx={{ display: 'flex', flexWrap: 'wrap', gap: 1 }}>
          {report.features.map((name) => (
            <Box
              key={name}
              data-testid="report-feature"
              data-feature-name={name}
              sx={{ display: 'flex', alignItems: 'center', gap: 1, px: 1.25, py: 0.5, border: 1, borderColor: 'divider', borderRadius: 1.5 }}
            >
              <Link component={RouterLink} to={`/features/${encodeURIComponent(name)}`} underline="hover" sx={{ ...MONO_SX, fontWeight: 600 }}>
                {name}
              </Link>
              {registered.has(name) ? (
                <Chip size="small" color="primary" label={t('report.newFeature', { type: registered.get(name) ?? '' })} />
              ) : (
                <Chip size="small" variant="outlined" label={t('report.existing')} />
              )}
            </Box>
          ))}
        </Box>
      </Box>
      {report.warnings.length > 0 && (
        <Alert severity="info" variant="outlined" data-testid="report-warnings">
          <Box component="ul" sx={{ m: 0, pl: 2 }}>
            {report.warnings.map((w) => (
              <li key={w}>{w}</li>
            ))}
          </Box>
        </Alert>
      )}
    </Box>
  );
}
