import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import CircularProgress from '@mui/material/CircularProgress';
import Typography from '@mui/material/Typography';
import PlayArrowRounded from '@mui/icons-material/PlayArrowRounded';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../common/error-alert.js';
import { formatCount } from '../common/format-number.js';

interface IngestActionBarProps {
  blockers: readonly string[];
  rows: number | undefined;
  isStarting: boolean;
  startError: unknown;
  onIngest: () => void;
}

/** The Ingest button, disabled with the reasons while the batch would not go through. */
export function IngestActionBar({ blockers, rows, isStarting, startError, onIngest }: IngestActionBarProps) {
  const { t } = useTranslation('ingest');
  const isBlocked = blockers.length > 0;
  return (
    <Box sx={{ display: 'grid', gap: 1.5 }}>
      {startError !== undefined && <ErrorAlert error={startError} />}
      <Box sx={{ display: 'flex', alignItems: 'center', gap: 2, flexWrap: 'wrap', justifyContent: 'flex-end' }}>
        {isBlocked && (
          <Typography variant="body2" sx={{ color: 'text.secondary', flex: 1, minWidth: 200 }} data-testid="ingest-blockers">
            {t('action.toIngest', { blockers: blockers.join(' · ') })}
          </Typography>
        )}
        <Button
          variant="contained"
          size="large"
          disabled={isBlocked || isStarting}
          onClick={onIngest}
          data-testid="ingest-button"
          startIcon={isStarting ? <CircularProgress size={18} color="inherit" /> : <PlayArrowRounded />}
        >
          {isStarting ? t('action.starting') : rows === undefined ? t('action.ingest') : t('action.ingestRows', { count: rows, formatted: formatCount(rows) })}
        </Button>
      </Box>
    </Box>
  );
}
