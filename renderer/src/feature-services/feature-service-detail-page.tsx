import { useCallback, useMemo, useState } from 'react';
import { Link as RouterLink, useLocation, useParams } from 'react-router-dom';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Breadcrumbs from '@mui/material/Breadcrumbs';
import Button from '@mui/material/Button';
import Chip from '@mui/material/Chip';
import Link from '@mui/material/Link';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableContainer from '@mui/material/TableContainer';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import Typography from '@mui/material/Typography';
import ArchiveOutlined from '@mui/icons-material/ArchiveOutlined';
import ModelTrainingOutlined from '@mui/icons-material/ModelTrainingOutlined';
import RestoreOutlined from '@mui/icons-material/RestoreOutlined';
import { Trans, useTranslation } from 'react-i18next';
import type { FeatureService } from '@shared/domain/schemas.js';
import { useClient } from '../api/use-client.js';
import { CodeBlock } from '../common/code-block.js';
import { ErrorAlert } from '../common/error-alert.js';
import { LoadingState } from '../common/loading-state.js';
import { MONO_SX } from '../common/mono-text.js';
import { PageHeader } from '../common/page-header.js';
import { SectionCard } from '../common/section-card.js';
import { StatusChip } from '../common/status-chip.js';
import { TagChips } from '../common/tag-chips.js';
import { useAsync } from '../common/use-async.js';
import { FeatureVersionsTable } from '../features/feature-versions-table.js';
import { VersionDiff } from '../features/version-diff.js';
import { LineageView } from '../lineage/lineage-view.js';
import { serviceSnippets } from './service-snippets.js';

export function FeatureServiceDetailPage() {
  const { t } = useTranslation('registry');
  const { t: tc } = useTranslation();
  const { name = '' } = useParams();
  const { client, baseUrl } = useClient();
  const location = useLocation();
  const created = (location.state as { notice?: string } | null)?.notice;
  const service = useAsync(useCallback(() => client.featureServices.get(name), [client, name]));
  const versions = useAsync(useCallback(() => client.featureServices.versions(name), [client, name]));
  const entity = service.data?.entity;
  const features = useAsync(useCallback(() => (entity ? client.features.list({ entity, include_archived: true }) : Promise.resolve([])), [client, entity]));
  const byName = useMemo(() => new Map((features.data ?? []).map((f) => [f.name, f])), [features.data]);
  const [compared, setCompared] = useState<{ from: number; to: number }>();
  const [isChanging, setIsChanging] = useState(false);
  const [lifecycleError, setLifecycleError] = useState<unknown>();

  const changeStatus = async (change: (name: string) => Promise<unknown>) => {
    setIsChanging(true);
    setLifecycleError(undefined);
    try {
      await change(name);
      service.reload();
      versions.reload();
    } catch (err) {
      setLifecycleError(err);
    } finally {
      setIsChanging(false);
    }
  };

  const breadcrumbs = (
    <Breadcrumbs sx={{ mb: 1 }} aria-label={tc('breadcrumb')}>
      <Link component={RouterLink} to="/feature-services" underline="hover" color="inherit">
        {t('services.title')}
      </Link>
      <Typography sx={{ ...MONO_SX, color: 'text.primary' }}>{name}</Typography>
    </Breadcrumbs>
  );
  if (service.error !== undefined) {
    return (
      <>
        <PageHeader before={breadcrumbs} title={name} />
        <ErrorAlert error={service.error} onRetry={service.reload} />
      </>
    );
  }
  if (!service.data) return <LoadingState label={t('serviceDetail.loading', { name })} />;
  const s: FeatureService = service.data;
  const isArchived = s.status === 'archived';
  const latest = versions.data ? Math.max(...versions.data.map((v) => v.version)) : s.version;
  const diffRange = compared ?? { from: Math.max(1, latest - 1), to: latest };

  return (
    <>
      <PageHeader
        before={breadcrumbs}
        title={
          <>
            <Box component="span" sx={{ ...MONO_SX, fontSize: 'inherit' }} data-testid="service-title">
              {s.name}
            </Box>
            <Chip label={`v${s.version}`} size="small" sx={MONO_SX} data-testid="service-version" />
            <StatusChip status={s.status} />
          </>
        }
        subtitle={s.description || t('serviceDetail.serves', { count: s.features.length, entity: s.entity })}
        actions={
          isArchived ? (
            <Button variant="outlined" startIcon={<RestoreOutlined />} disabled={isChanging} onClick={() => void changeStatus(client.featureServices.restore)} data-testid="restore-service">
              {t('serviceDetail.restore')}
            </Button>
          ) : (
            <Box sx={{ display: 'flex', gap: 1, flexWrap: 'wrap' }}>
              <Button
                variant="contained"
                startIcon={<ModelTrainingOutlined />}
                component={RouterLink}
                to={`/training?${new URLSearchParams({ feature_service: s.name }).toString()}`}
                data-testid="train-with-service"
              >
                {t('serviceDetail.train')}
              </Button>
              <Button variant="outlined" color="inherit" startIcon={<ArchiveOutlined />} disabled={isChanging} onClick={() => void changeStatus(client.featureServices.archive)} data-testid="archive-service">
                {t('serviceDetail.archive')}
              </Button>
            </Box>
          )
        }
      />
      <Box sx={{ display: 'grid', gap: 3 }}>
        {created && (
          <Alert severity="success" data-testid="notice">
            {created}
          </Alert>
        )}
        {isArchived && <Alert severity="info">{t('serviceDetail.archived')}</Alert>}
        {lifecycleError !== undefined && <ErrorAlert error={lifecycleError} />}
        <SectionCard
          title={t('serviceDetail.features')}
          subtitle={
            <Trans t={t} i18nKey="serviceDetail.featuresSubtitle" values={{ entity: s.entity }} components={{ code: <Box component="span" sx={MONO_SX} /> }} />
          }
          actions={s.tags.length > 0 ? <TagChips tags={s.tags} /> : undefined}
          isFlush
          testId="service-features"
        >
          <TableContainer>
            <Table size="small" aria-label={t('serviceDetail.featuresLabel')} data-testid="service-features-table">
              <TableHead>
                <TableRow>
                  <TableCell>{t('serviceDetail.feature')}</TableCell>
                  <TableCell>{t('serviceDetail.group')}</TableCell>
                  <TableCell>{t('serviceDetail.valueType')}</TableCell>
                  <TableCell>{t('serviceDetail.status')}</TableCell>
                </TableRow>
              </TableHead>
              <TableBody>
                {s.features.map((f) => {
                  const feature = byName.get(f);
                  return (
                    <TableRow key={f} data-testid="service-feature-row" data-feature-name={f}>
                      <TableCell sx={{ ...MONO_SX, fontWeight: 600 }}>
                        <Link component={RouterLink} to={`/features/${encodeURIComponent(f)}`} underline="hover">
                          {f}
                        </Link>
                      </TableCell>
                      <TableCell sx={MONO_SX}>{feature ? (feature.feature_group ?? t('serviceDetail.unassigned')) : '—'}</TableCell>
                      <TableCell sx={MONO_SX}>{feature?.value_type ?? '—'}</TableCell>
                      <TableCell>{feature ? <StatusChip status={feature.status} /> : '—'}</TableCell>
                    </TableRow>
                  );
                })}
              </TableBody>
            </Table>
          </TableContainer>
        </SectionCard>
        <SectionCard title={t('serviceDetail.use')} subtitle={t('serviceDetail.useSubtitle')} testId="service-snippets">
          <Box sx={{ display: 'grid', gap: 2, gridTemplateColumns: 'minmax(0, 1fr)' }}>
            {serviceSnippets(s, baseUrl).map((snippet) => (
              <Box key={snippet.label}>
                <Typography variant="overline" component="h3" sx={{ color: 'text.secondary' }}>
                  {snippet.label}
                </Typography>
                <CodeBlock code={snippet.code} label={t('serviceDetail.example', { label: snippet.label })} />
              </Box>
            ))}
          </Box>
        </SectionCard>
        <SectionCard title={t('serviceDetail.lineage')} subtitle={t('serviceDetail.lineageSubtitle')} testId="service-lineage">
          <LineageView kind="feature_service" name={s.name} />
        </SectionCard>
        <SectionCard title={t('serviceDetail.versions')} subtitle={t('serviceDetail.versionsSubtitle')} isFlush testId="service-versions">
          {versions.error !== undefined ? (
            <Box sx={{ p: 2 }}>
              <ErrorAlert error={versions.error} onRetry={versions.reload} />
            </Box>
          ) : !versions.data ? (
            <LoadingState label={t('serviceDetail.loadingVersions')} />
          ) : (
            <>
              <FeatureVersionsTable versions={versions.data} onCompare={(from, to) => setCompared({ from, to })} />
              <Box sx={{ p: 2.5 }}>
                <VersionDiff kind="featureServices" name={s.name} versions={versions.data} from={diffRange.from} to={diffRange.to} onChange={(from, to) => setCompared({ from, to })} />
              </Box>
            </>
          )}
        </SectionCard>
      </Box>
    </>
  );
}
