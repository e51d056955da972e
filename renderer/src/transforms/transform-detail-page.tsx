import { useCallback, useState } from 'react';
import { Link as RouterLink, useParams } from 'react-router-dom';
import Box from '@mui/material/Box';
import Breadcrumbs from '@mui/material/Breadcrumbs';
import Button from '@mui/material/Button';
import Chip from '@mui/material/Chip';
import Link from '@mui/material/Link';
import MenuItem from '@mui/material/MenuItem';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import EditOutlined from '@mui/icons-material/EditOutlined';
import PlayArrowOutlined from '@mui/icons-material/PlayArrowOutlined';
import { useTranslation } from 'react-i18next';
import { useClient } from '../api/use-client.js';
import { ErrorAlert } from '../common/error-alert.js';
import { LoadingState } from '../common/loading-state.js';
import { MONO_SX } from '../common/mono-text.js';
import { PageHeader } from '../common/page-header.js';
import { SectionCard } from '../common/section-card.js';
import { StatusChip } from '../common/status-chip.js';
import { useAsync } from '../common/use-async.js';
import { FeatureVersionsTable } from '../features/feature-versions-table.js';
import { VersionDiff } from '../features/version-diff.js';
import { LineageView } from '../lineage/lineage-view.js';
import { engineOptions, runRequestFor, type EngineOption } from './engine-choice.js';
import { TransformDefinition } from './transform-definition.js';
import { TransformRunPanel } from './transform-run-panel.js';
import { useRunTransform } from './use-run-transform.js';

/** One transform: lineage, definition and code, version history with diffs, and a Run button. */
export function TransformDetailPage() {
  const { t: tr } = useTranslation('transforms');
  const { name = '' } = useParams();
  const { client } = useClient();
  const transform = useAsync(useCallback(() => client.transforms.get(name), [client, name]));
  const versions = useAsync(useCallback(() => client.transforms.versions(name), [client, name]));
  const run = useRunTransform(name);
  const [engine, setEngine] = useState<EngineOption>('default');
  const [compared, setCompared] = useState<{ from: number; to: number }>();

  const breadcrumbs = (
    <Breadcrumbs sx={{ mb: 1 }} aria-label={tr('detail.breadcrumb')}>
      <Link component={RouterLink} to="/transforms" underline="hover" color="inherit">
        {tr('list.title')}
      </Link>
      <Typography sx={{ ...MONO_SX, color: 'text.primary' }}>{name}</Typography>
    </Breadcrumbs>
  );
  if (transform.error !== undefined) {
    return (
      <>
        <PageHeader before={breadcrumbs} title={name} />
        <ErrorAlert error={transform.error} onRetry={transform.reload} />
      </>
    );
  }
  if (!transform.data) return <LoadingState label={tr('detail.loading', { name })} />;
  const t = transform.data;
  const latest = versions.data ? Math.max(...versions.data.map((v) => v.version)) : t.version;
  const diffRange = compared ?? { from: Math.max(1, latest - 1), to: latest };

  return (
    <>
      <PageHeader
        before={breadcrumbs}
        title={
          <>
            <Box component="span" sx={{ ...MONO_SX, fontSize: 'inherit' }} data-testid="transform-title">
              {t.name}
            </Box>
            <Chip label={`v${t.version}`} size="small" sx={MONO_SX} data-testid="transform-version" />
            <StatusChip status={t.status} />
          </>
        }
        subtitle={t.description || tr('detail.computes', { count: t.features.length, entity: t.entity, group: t.feature_group })}
        actions={
          <>
            <Button variant="outlined" startIcon={<EditOutlined />} component={RouterLink} to={`/transforms/${encodeURIComponent(t.name)}/edit`} disabled={t.status === 'archived'} data-testid="edit-transform">
              {tr('detail.edit')}
            </Button>
            <TextField
              select
              size="small"
              label={tr('detail.engine')}
              value={engine}
              onChange={(e) => setEngine(e.target.value as EngineOption)}
              sx={{ minWidth: 190 }}
              slotProps={{ htmlInput: { 'data-testid': 'run-engine' } }}
            >
              {engineOptions(t).map((o) => (
                <MenuItem key={o.value} value={o.value} disabled={o.disabled}>
                  {o.label}
                </MenuItem>
              ))}
            </TextField>
            <Button variant="contained" startIcon={<PlayArrowOutlined />} onClick={() => run.start(runRequestFor(engine))} disabled={run.isStarting || t.status === 'archived'} data-testid="run-transform">
              {run.isStarting ? tr('detail.starting') : tr('detail.runNow')}
            </Button>
          </>
        }
      />
      <Box sx={{ display: 'grid', gap: 3 }}>
        {run.error !== undefined && <ErrorAlert error={run.error} />}
        {run.jobId && <TransformRunPanel key={run.jobId} jobId={run.jobId} />}
        <SectionCard title={tr('detail.lineage')} subtitle={tr('detail.lineageSubtitle')} testId="transform-lineage">
          <LineageView kind="transform" name={t.name} />
        </SectionCard>
        <SectionCard title={tr('detail.definition')} testId="transform-definition">
          <TransformDefinition transform={t} />
        </SectionCard>
        <SectionCard title={tr('detail.versions')} subtitle={tr('detail.versionsSubtitle')} isFlush testId="transform-versions">
          {versions.error !== undefined ? (
            <Box sx={{ p: 2 }}>
              <ErrorAlert error={versions.error} onRetry={versions.reload} />
            </Box>
          ) : !versions.data ? (
            <LoadingState label={tr('detail.loadingVersions')} />
          ) : (
            <>
              <FeatureVersionsTable versions={versions.data} onCompare={(from, to) => setCompared({ from, to })} />
              <Box sx={{ p: 2.5 }}>
                <VersionDiff kind="transforms" name={t.name} versions={versions.data} from={diffRange.from} to={diffRange.to} onChange={(from, to) => setCompared({ from, to })} />
              </Box>
            </>
          )}
        </SectionCard>
      </Box>
    </>
  );
}
