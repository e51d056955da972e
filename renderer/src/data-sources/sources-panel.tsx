import { useState } from 'react';
import { Link as RouterLink } from 'react-router-dom';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Checkbox from '@mui/material/Checkbox';
import Collapse from '@mui/material/Collapse';
import IconButton from '@mui/material/IconButton';
import Link from '@mui/material/Link';
import Typography from '@mui/material/Typography';
import AddIcon from '@mui/icons-material/Add';
import ExpandLess from '@mui/icons-material/ExpandLess';
import ExpandMore from '@mui/icons-material/ExpandMore';
import StorageOutlined from '@mui/icons-material/StorageOutlined';
import type { DataSource } from '@shared/domain/schemas.js';
import { Trans, useTranslation } from 'react-i18next';
import { ErrorAlert } from '../common/error-alert.js';
import { LoadingState } from '../common/loading-state.js';
import { MONO_SX } from '../common/mono-text.js';
import { SectionCard } from '../common/section-card.js';
import type { AsyncState } from '../common/use-async.js';
import { AddSourceDialog } from './add-source-dialog.js';
import { SourceColumnsTable } from './source-columns-table.js';
import { describeSourceOrigin } from './source-origin-text.js';

interface SourcesPanelProps {
  sources: AsyncState<DataSource[]>;
  /** Names the transform reads, each ticked in the list. */
  selected: readonly string[];
  onToggle: (name: string) => void;
  onCreated: (source: DataSource) => void;
}

/** The registered sources with their columns, which ones the transform reads, and "Add source". */
export function SourcesPanel({ sources, selected, onToggle, onCreated }: SourcesPanelProps) {
  const { t } = useTranslation('dataSources');
  const [isAdding, setIsAdding] = useState(false);
  const [expanded, setExpanded] = useState<ReadonlySet<string>>(new Set());
  const [notice, setNotice] = useState<{ name: string; warnings: string[] }>();
  const active = (sources.data ?? []).filter((s) => s.status === 'active');

  const toggleExpanded = (name: string) =>
    setExpanded((current) => {
      const next = new Set(current);
      if (next.has(name)) next.delete(name);
      else next.add(name);
      return next;
    });

  return (
    <SectionCard
      testId="sources-panel"
      title={t('panel.title')}
      subtitle={t('panel.subtitle')}
      isFlush
      actions={
        <Button size="small" startIcon={<AddIcon />} onClick={() => setIsAdding(true)} data-testid="add-source">
          {t('panel.add')}
        </Button>
      }
    >
      {notice && (
        <Alert severity={notice.warnings.length > 0 ? 'warning' : 'success'} onClose={() => setNotice(undefined)} sx={{ mx: 2, mb: 1.5 }} data-testid="source-notice">
          <Trans
            t={t}
            i18nKey={notice.warnings.length > 0 ? 'panel.addedWithWarnings' : 'panel.added'}
            values={{ name: notice.name, warnings: notice.warnings.join('; ') }}
            components={[<code />]}
          />
        </Alert>
      )}
      {sources.error !== undefined ? (
        <Box sx={{ p: 2 }}>
          <ErrorAlert error={sources.error} onRetry={sources.reload} />
        </Box>
      ) : sources.data === undefined ? (
        <LoadingState label={t('panel.loading')} />
      ) : active.length === 0 ? (
        <Box sx={{ px: 2.5, pb: 2.5, display: 'grid', gap: 1.5, justifyItems: 'start' }} data-testid="sources-empty">
          <StorageOutlined color="primary" />
          <Typography variant="body2" sx={{ color: 'text.secondary' }}>
            {t('panel.empty')}
          </Typography>
          <Button variant="contained" size="small" startIcon={<AddIcon />} onClick={() => setIsAdding(true)}>
            {t('panel.addFirst')}
          </Button>
        </Box>
      ) : (
        <Box component="ul" sx={{ listStyle: 'none', m: 0, p: 0, borderTop: 1, borderColor: 'divider' }}>
          {active.map((source) => {
            const isOpen = expanded.has(source.name);
            const isSelected = selected.includes(source.name);
            return (
              <Box component="li" key={source.name} data-testid="source-item" data-source={source.name} sx={{ borderBottom: 1, borderColor: 'divider' }}>
                <Box sx={{ display: 'flex', alignItems: 'center', gap: 0.5, pl: 1, pr: 1, py: 0.5 }}>
                  <Checkbox
                    size="small"
                    checked={isSelected}
                    onChange={() => onToggle(source.name)}
                    data-testid="source-toggle"
                    slotProps={{ input: { 'aria-label': t('panel.read', { name: source.name }) } }}
                  />
                  <Box sx={{ flex: 1, minWidth: 0 }}>
                    <Link component={RouterLink} to={`/data-sources/${encodeURIComponent(source.name)}`} underline="hover" sx={{ ...MONO_SX, fontWeight: 600 }}>
                      {source.name}
                    </Link>
                    <Typography variant="caption" component="div" noWrap sx={{ color: 'text.secondary' }}>
                      {describeSourceOrigin(source)} · {t('panel.columns', { count: source.columns.length })}
                    </Typography>
                  </Box>
                  <IconButton
                    size="small"
                    aria-label={isOpen ? t('panel.hideColumns', { name: source.name }) : t('panel.showColumns', { name: source.name })}
                    aria-expanded={isOpen}
                    onClick={() => toggleExpanded(source.name)}
                    data-testid="source-expand"
                  >
                    {isOpen ? <ExpandLess fontSize="small" /> : <ExpandMore fontSize="small" />}
                  </IconButton>
                </Box>
                <Collapse in={isOpen} unmountOnExit>
                  <Box sx={{ pb: 1 }}>
                    <SourceColumnsTable source={source.name} columns={source.columns} />
                  </Box>
                </Collapse>
              </Box>
            );
          })}
        </Box>
      )}
      {isAdding && (
        <AddSourceDialog
          existingNames={new Set((sources.data ?? []).map((s) => s.name))}
          onClose={() => setIsAdding(false)}
          onCreated={(source, warnings) => {
            setIsAdding(false);
            setNotice({ name: source.name, warnings });
            setExpanded((current) => new Set([...current, source.name]));
            sources.reload();
            onCreated(source);
          }}
        />
      )}
    </SectionCard>
  );
}
