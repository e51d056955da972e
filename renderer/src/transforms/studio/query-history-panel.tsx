import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Chip from '@mui/material/Chip';
import List from '@mui/material/List';
import ListItemButton from '@mui/material/ListItemButton';
import Tooltip from '@mui/material/Tooltip';
import Typography from '@mui/material/Typography';
import { useTranslation } from 'react-i18next';
import { formatDuration } from '../../common/format-duration.js';
import { formatCount } from '../../common/format-number.js';
import { MONO_SX } from '../../common/mono-text.js';
import { SectionCard } from '../../common/section-card.js';
import { dateTimeFormat } from '../../i18n/locale-format.js';
import type { QueryHistoryEntry } from './query-history.js';
import { LANGUAGE_LABELS } from './starter-code.js';

interface QueryHistoryPanelProps {
  entries: readonly QueryHistoryEntry[];
  onRestore(entry: QueryHistoryEntry): void;
  onClear(): void;
}

/** The transform's preview runs, newest first; a click puts that run's code back into the editor. */
export function QueryHistoryPanel({ entries, onRestore, onClear }: QueryHistoryPanelProps) {
  const { t } = useTranslation('shortcuts');
  return (
    <SectionCard
      title={t('history.title')}
      testId="query-history"
      isFlush
      actions={
        entries.length > 0 && (
          <Button size="small" onClick={onClear} data-testid="query-history-clear">
            {t('history.clear')}
          </Button>
        )
      }
    >
      {entries.length === 0 ? (
        <Typography variant="body2" sx={{ color: 'text.secondary', px: 2.5, pb: 2 }} data-testid="query-history-empty">
          {t('history.empty')}
        </Typography>
      ) : (
        <List dense disablePadding sx={{ maxHeight: 320, overflowY: 'auto', borderTop: 1, borderColor: 'divider' }} aria-label={t('history.title')}>
          {entries.map((entry, index) => (
            <Tooltip key={`${entry.at}-${index}`} title={t('history.restore')} placement="left">
              <ListItemButton
                onClick={() => onRestore(entry)}
                divider
                data-testid="query-history-entry"
                data-ok={entry.ok}
                sx={{ display: 'grid', gap: 0.25, py: 0.75, px: 2.5 }}
              >
                <Box sx={{ display: 'flex', alignItems: 'center', gap: 1, minWidth: 0 }}>
                  <Typography variant="caption" sx={{ color: 'text.secondary', fontVariantNumeric: 'tabular-nums' }}>
                    {formatRunTime(entry.at)}
                  </Typography>
                  <Chip
                    size="small"
                    variant="outlined"
                    color={entry.ok ? 'success' : 'error'}
                    label={entry.ok ? t('history.ok', { rows: formatCount(entry.rowCount ?? 0) }) : t('history.failed')}
                    sx={{ height: 20, fontSize: 11 }}
                  />
                  <Typography variant="caption" sx={{ color: 'text.secondary' }}>
                    {formatDuration(entry.durationMs)} · {LANGUAGE_LABELS[entry.language]}
                  </Typography>
                </Box>
                <Typography variant="body2" noWrap sx={{ ...MONO_SX, fontSize: 12 }} title={entry.code}>
                  {oneLine(entry.code)}
                </Typography>
                {entry.error && (
                  <Typography variant="caption" noWrap sx={{ color: 'error.main' }} title={entry.error}>
                    {entry.error}
                  </Typography>
                )}
              </ListItemButton>
            </Tooltip>
          ))}
        </List>
      )}
    </SectionCard>
  );
}

/** Today's runs by time of day, older ones with their date. */
function formatRunTime(iso: string): string {
  const date = new Date(iso);
  const isToday = date.toDateString() === new Date().toDateString();
  return dateTimeFormat(isToday ? { timeStyle: 'medium' } : { dateStyle: 'short', timeStyle: 'short' }).format(date);
}

/** The code on one line (comments kept), for a glance; the tooltip has it whole. */
function oneLine(code: string): string {
  return code.replace(/\s+/g, ' ').trim();
}
