import { useCallback, useState } from 'react';
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
  const [windowName, setWindowName] = useState<'current' | 'baseline'>('current');
  const range = windowName === 'current' ? current : baseline;
  return (
    <Box sx={{ display: 'grid', gap: 3 }}>
      <SectionCard
        title="Data quality"
        subtitle={`Each feature of ${group ? `group ${group}` : entity} over ${describeWindow(range)} (event time)`}
        actions={
          <ToggleButtonGroup size="small" exclusive value={windowName} onChange={(_e, next: 'current' | 'baseline' | null) => next && setWindowName(next)} aria-label="Window">
            <ToggleButton value="current" sx={{ px: 1.5 }}>
              Current window
            </ToggleButton>
            <ToggleButton value="baseline" sx={{ px: 1.5 }}>
              Baseline
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
  if (!report.data) return <LoadingState label="Computing statistics…" />;
  if (report.data.features.length === 0) {
    return (
      <Typography variant="body2" sx={{ p: 2.5, color: 'text.secondary' }} data-testid="quality-empty">
        This selection has no features. Register features or ingest data for {entity}.
      </Typography>
    );
  }
  const hasValues = report.data.features.some((f) => f.count > 0);
  return (
    <>
      <Box sx={{ height: 2 }}>{report.isLoading && <LinearProgress sx={{ height: 2 }} />}</Box>
      {!hasValues && (
        <Typography variant="body2" sx={{ px: 2.5, pb: 1.5, color: 'text.secondary' }} data-testid="quality-no-values">
          No values in {describeWindow(range)}: pick a window that holds data (the Drift tab suggests one when a window is empty).
        </Typography>
      )}
      <QualityTable features={report.data.features} />
    </>
  );
}

function BatchesCard({ entity, group, groupNames }: { entity: string; group: string; groupNames: readonly string[] }) {
  const { client } = useClient();
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
      title="Ingestion batches"
      subtitle="Statistics of each batch when it was written, and the rows that broke warn rules (the last 500 batches of a group are kept)"
      actions={
        !group &&
        groupNames.length > 1 && (
          <TextField select size="small" label="Feature group" value={batchGroup} onChange={(e) => setPickedGroup(e.target.value)} sx={{ minWidth: 200 }} data-testid="batch-group-select">
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
        <LoadingState label="Loading batches…" />
      ) : batches.data.length === 0 ? (
        <Typography variant="body2" sx={{ p: 2.5, color: 'text.secondary' }} data-testid="batches-empty">
          {batchGroup === ''
            ? `${entity} has no feature groups yet: ingest data first.`
            : `No batches recorded for ${batchGroup}. Batch quality is kept for files, rows, SQL pulls and transform runs written from now on.`}
        </Typography>
      ) : (
        <BatchQualityTable batches={batches.data} />
      )}
    </SectionCard>
  );
}
