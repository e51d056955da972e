import { Link as RouterLink } from 'react-router-dom';
import Box from '@mui/material/Box';
import Link from '@mui/material/Link';
import Typography from '@mui/material/Typography';
import type { IngestionSource } from '@shared/api/profile.js';
import { formatCount } from '../common/format-number.js';
import { formatTime } from '../common/format-time.js';
import { MONO_SX } from '../common/mono-text.js';

const KIND_LABELS: Record<IngestionSource['kind'], string> = {
  file_job: 'File',
  file_upload: 'File upload',
  rows: 'JSON rows',
  sql_pull: 'SQL pull',
};

/** The ingestion that last wrote a feature: what it read, its job, when and by whom (on a second line unless `inline`). */
export function IngestionSourceLabel({ source, inline = false }: { source: IngestionSource; inline?: boolean }) {
  return (
    <Box component="span" data-testid="ingestion-source" data-kind={source.kind}>
      {inline ? KIND_LABELS[source.kind].replace(/^(File)/, 'file') : KIND_LABELS[source.kind]}{' '}
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
            job {source.job_id.slice(0, 8)}
          </Link>
        </>
      )}
      <Typography component="span" variant="body2" sx={{ color: 'text.secondary', display: inline ? 'inline' : 'block' }}>
        {inline ? ', ' : ''}
        {formatTime(source.at)} by {source.by}
        {source.values_written !== null && ` · ${formatCount(source.values_written)} values written in all`}
      </Typography>
    </Box>
  );
}
