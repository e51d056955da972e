import { Link as RouterLink } from 'react-router-dom';
import Box from '@mui/material/Box';
import Link from '@mui/material/Link';
import Typography from '@mui/material/Typography';
import { useTranslation } from 'react-i18next';
import type { IngestionSource } from '@shared/api/profile.js';
import { formatCount } from '../common/format-number.js';
import { formatTime } from '../common/format-time.js';
import { MONO_SX } from '../common/mono-text.js';

/** The ingestion that last wrote a feature: what it read, its job, when and by whom (on a second line unless `inline`). */
export function IngestionSourceLabel({ source, inline = false }: { source: IngestionSource; inline?: boolean }) {
  const { t } = useTranslation('features');
  return (
    <Box component="span" data-testid="ingestion-source" data-kind={source.kind}>
      {inline ? t(`ingestion.inlineKinds.${source.kind}`) : t(`ingestion.kinds.${source.kind}`)}{' '}
      {source.filename ? (
        <Box component="span" sx={{ ...MONO_SX, fontWeight: 600 }}>
          {source.filename}
        </Box>
      ) : source.kind === 'sql_pull' ? (
        source.description
      ) : null}
      {source.format && ` (${source.format})`}
      {source.job_id && (
        <>
          {', '}
          <Link component={RouterLink} to={`/jobs/${encodeURIComponent(source.job_id)}`} underline="hover" data-testid="ingestion-job-link">
            {t('ingestion.job', { id: source.job_id.slice(0, 8) })}
          </Link>
        </>
      )}
      <Typography component="span" variant="body2" sx={{ color: 'text.secondary', display: inline ? 'inline' : 'block' }}>
        {inline ? ', ' : ''}
        {t('ingestion.by', { time: formatTime(source.at), user: source.by })}
        {source.values_written !== null && ` · ${t('ingestion.valuesWritten', { values: formatCount(source.values_written) })}`}
      </Typography>
    </Box>
  );
}
