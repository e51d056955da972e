import { useCallback, useState } from 'react';
import { useTranslation } from 'react-i18next';
import Box from '@mui/material/Box';
import LinearProgress from '@mui/material/LinearProgress';
import MenuItem from '@mui/material/MenuItem';
import TextField from '@mui/material/TextField';
import ToggleButton from '@mui/material/ToggleButton';
import ToggleButtonGroup from '@mui/material/ToggleButtonGroup';
import Typography from '@mui/material/Typography';
import { useClient } from '../api/use-client.js';
import { ErrorAlert } from '../common/error-alert.js';
import { LoadingState } from '../common/loading-state.js';
import { SectionCard } from '../common/section-card.js';
import { useAsync } from '../common/use-async.js';
import { BatchQualityTable } from './batch-quality-table.js';
import { QualityTable } from './quality-table.js';
import { describeWindow, type DateWindow } from './time-windows.js';

const BATCHES_SHOWN = 20;

interface QualityPanelProps {
  entity: string;
  /** The group chosen in the header; empty: every group of the entity. */
  group: string;
  groupNames: readonly string[];
  baseline: DateWindow;
  current: DateWindow;
}

/** Statistics of the features over a window, and the quality of each recent ingestion batch. */
export function QualityPanel({ entity, group, groupNames, baseline, current }: QualityPanelProps) {
  const { t } = useTranslation('monitoring');
  const [windowName, setWindowName] = useState<'current' | 'baseline'>('current');
  const range = windowName === 'current' ? current : baseline;
  return (
    <Box sx={{ display: 'grid', gap: 3 }}>
      <SectionCard
        title={t('quality.title')}
        subtitle={
          group
            ? t('quality.subtitleGroup', { group, window: describeWindow(range) })
            : t('quality.subtitleEntity', { entity, window: describeWindow(range) })
        }
        actions={
          <ToggleButtonGroup size="small" exclusive value={windowName} onChange={(_e, next: 'current' | 'baseline' | null) => next && setWindowName(next)} aria-label={t('quality.window')}>
            <ToggleButton value="current" sx={{ px: 1.5 }}>
              {t('quality.currentWindow')}
            </ToggleButton>
            <ToggleButton value="baseline" sx={{ px: 1.5 }}>
              {t('quality.baseline')}
            </ToggleButton>
          </ToggleButtonGroup>
        }
        isFlush
        testId="quality-card"
      >
        <WindowQuality entity={entity} group={group} range={range} />
      </SectionCard>
      <BatchesCard entity={entity} group={group} groupNames={groupNames} />
    </Box>
  );
}

function WindowQuality({ entity, group, range }: { entity: string; group: string; range: DateWindow }) {
  const { client } = useClient();
  const { t } = useTranslation('monitoring');
  const report = useAsync(
    useCallback(() => client.monitoring.quality({ entity, ...(group ? { feature_group: group } : {}), ...range }), [client, entity, group, range]),
  );
  if (report.error !== undefined) {
    return (
      <Box sx={{ p: 2 }}>
        <ErrorAlert error={report.error} onRetry={report.reload} />
      </Box>
    );
  }
  if (!report.data) return <LoadingState label={t('quality.computing')} />;
  if (report.data.features.length === 0) {
    return (
      <Typography variant="body2" sx={{ p: 2.5, color: 'text.secondary' }} data-testid="quality-empty">
        {t('quality.noFeatures', { entity })}
      </Typography>
    );
  }
  const hasValues = report.data.features.some((f) => f.count > 0);
  return (
    <>
      <Box sx={{ height: 2 }}>{report.isLoading && <LinearProgress sx={{ height: 2 }} />}</Box>
      {!hasValues && (
        <Typography variant="body2" sx={{ px: 2.5, pb: 1.5, color: 'text.secondary' }} data-testid="quality-no-values">
          {t('quality.noValues', { window: describeWindow(range) })}
        </Typography>
      )}
      <QualityTable features={report.data.features} />
    </>
  );
}

function BatchesCard({ entity, group, groupNames }: { entity: string; group: string; groupNames: readonly string[] }) {
  const { client } = useClient();
  const { t } = useTranslation('monitoring');
  const [pickedGroup, setPickedGroup] = useState('');
  // The header's group wins; without one, the user picks among the entity's groups here.
  const batchGroup = group || (groupNames.includes(pickedGroup) ? pickedGroup : (groupNames[0] ?? ''));
  const batches = useAsync(
    useCallback(
      () => (batchGroup === '' ? Promise.resolve([]) : client.monitoring.batches({ entity, feature_group: batchGroup, limit: BATCHES_SHOWN })),
      [client, entity, batchGroup],
    ),
  );
  return (
    <SectionCard
      title={t('quality.batches.title')}
      subtitle={t('quality.batches.subtitle')}
      actions={
        !group &&
        groupNames.length > 1 && (
          <TextField select size="small" label={t('quality.batches.group')} value={batchGroup} onChange={(e) => setPickedGroup(e.target.value)} sx={{ minWidth: 200 }} data-testid="batch-group-select">
            {groupNames.map((name) => (
              <MenuItem key={name} value={name}>
                {name}
              </MenuItem>
            ))}
          </TextField>
        )
      }
      isFlush
      testId="batches-card"
    >
      {batches.error !== undefined ? (
        <Box sx={{ p: 2 }}>
          <ErrorAlert error={batches.error} onRetry={batches.reload} />
        </Box>
      ) : !batches.data ? (
        <LoadingState label={t('quality.batches.loading')} />
      ) : batches.data.length === 0 ? (
        <Typography variant="body2" sx={{ p: 2.5, color: 'text.secondary' }} data-testid="batches-empty">
          {batchGroup === ''
            ? t('quality.batches.noGroups', { entity })
            : t('quality.batches.none', { group: batchGroup })}
        </Typography>
      ) : (
        <BatchQualityTable batches={batches.data} />
      )}
    </SectionCard>
  );
}
