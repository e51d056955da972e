import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Collapse from '@mui/material/Collapse';
import Typography from '@mui/material/Typography';
import ExpandLess from '@mui/icons-material/ExpandLess';
import ExpandMore from '@mui/icons-material/ExpandMore';
import { ErrorAlert } from '../common/error-alert.js';
import { formatCount } from '../common/format-number.js';
import { LoadingState } from '../common/loading-state.js';
import { MONO_SX } from '../common/mono-text.js';
import { useJobLogs } from './use-job-logs.js';

interface JobLogsPanelProps {
  jobId: string;
  /** A Spark job still running: the log is read again every few seconds. */
  isGrowing: boolean;
  isInitiallyOpen: boolean;
}

/** The engine's output (Spark's driver log), folded away until asked for, newest lines last. */
export function JobLogsPanel({ jobId, isGrowing, isInitiallyOpen }: JobLogsPanelProps) {
  const { t } = useTranslation('training');
  const [isOpen, setIsOpen] = useState(isInitiallyOpen);
  const logs = useJobLogs(jobId, isGrowing);
  const regionId = useId();
  const lines = logs.data?.lines ?? [];
  return (
    <Box data-testid="job-logs" data-open={isOpen} sx={{ border: 1, borderColor: 'divider', borderRadius: 1.5 }}>
      <Button
        fullWidth
        color="inherit"
        onClick={() => setIsOpen((open) => !open)}
        aria-expanded={isOpen}
        aria-controls={regionId}
        endIcon={isOpen ? <ExpandLess /> : <ExpandMore />}
        sx={{ justifyContent: 'space-between', px: 2, py: 1, textTransform: 'none' }}
        data-testid="toggle-job-logs"
      >
        <span>
          <Typography component="span" variant="subtitle2" sx={{ fontWeight: 650 }}>
            {t('logs.title')}
          </Typography>
          {logs.data && (
            <Typography component="span" variant="caption" sx={{ color: 'text.secondary', ml: 1 }}>
              {t('logs.lines', { count: lines.length, n: formatCount(lines.length) })}
            </Typography>
          )}
        </span>
      </Button>
      <Collapse in={isOpen} unmountOnExit>
        <Box id={regionId} sx={{ px: 2, pb: 2, display: 'grid', gap: 1 }}>
          {logs.error !== undefined ? (
            <ErrorAlert error={logs.error} onRetry={logs.reload} />
          ) : !logs.data ? (
            <LoadingState label={t('logs.reading')} />
          ) : lines.length === 0 ? (
            <Typography variant="body2" sx={{ color: 'text.secondary' }} data-testid="job-logs-empty">
              {t('logs.empty')}
            </Typography>
          ) : (
            <>
              {logs.data.truncated && (
                <Typography variant="caption" sx={{ color: 'text.secondary' }}>
                  {t('logs.truncated')}
                </Typography>
              )}
              <Box
                component="pre"
                aria-label={t('logs.title')}
                data-testid="job-logs-text"
                sx={(theme) => ({
                  ...MONO_SX,
                  fontSize: 12,
                  lineHeight: 1.55,
                  m: 0,
                  p: 1.5,
                  maxHeight: 360,
                  overflow: 'auto',
                  whiteSpace: 'pre',
                  borderRadius: 1,
                  bgcolor: theme.palette.mode === 'dark' ? 'rgba(255,255,255,0.04)' : 'grey.100',
                })}
              >
                {lines.join('\n')}
              </Box>
            </>
          )}
        </Box>
      </Collapse>
    </Box>
  );
}
