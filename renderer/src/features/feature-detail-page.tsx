import { useCallback, useMemo, useState } from 'react';
import { Link as RouterLink, useLocation, useNavigate, useParams } from 'react-router-dom';
import Alert from '@mui/material/Alert';
import AlertTitle from '@mui/material/AlertTitle';
import Box from '@mui/material/Box';
import Breadcrumbs from '@mui/material/Breadcrumbs';
import Button from '@mui/material/Button';
import Chip from '@mui/material/Chip';
import Link from '@mui/material/Link';
import Paper from '@mui/material/Paper';
import Tab from '@mui/material/Tab';
import Tabs from '@mui/material/Tabs';
import Typography from '@mui/material/Typography';
import ArchiveOutlined from '@mui/icons-material/ArchiveOutlined';
import DoNotDisturbOnOutlined from '@mui/icons-material/DoNotDisturbOnOutlined';
import EditOutlined from '@mui/icons-material/EditOutlined';
import RestoreOutlined from '@mui/icons-material/RestoreOutlined';
import { useTranslation } from 'react-i18next';
import type { Feature } from '@shared/domain/schemas.js';
import { useClient } from '../api/use-client.js';
import { ErrorAlert } from '../common/error-alert.js';
import { LoadingState } from '../common/loading-state.js';
import { MONO_SX } from '../common/mono-text.js';
import { PageHeader } from '../common/page-header.js';
import { StatusChip } from '../common/status-chip.js';
import { useAsync } from '../common/use-async.js';
import { LineageView } from '../lineage/lineage-view.js';
import { ArchiveFeatureDialog } from './archive-feature-dialog.js';
import { DeprecateFeatureDialog } from './deprecate-feature-dialog.js';
import { DeprecationBanner } from './deprecation-banner.js';
import { EditFeatureDialog } from './edit-feature-dialog.js';
import { FeatureDataPanel } from './feature-data-panel.js';
import { FeatureDefinition } from './feature-definition.js';
import { FeatureNamingHints } from './feature-naming-hints.js';
import { featureNamingHints } from './naming-hints.js';
import { FeatureVersionsTable } from './feature-versions-table.js';
import { useDetailView, type DetailTab } from './use-detail-view.js';
import { VersionDiff } from './version-diff.js';

interface Notice {
  title: string;
  warnings: string[];
}

export function FeatureDetailPage() {
  const { t } = useTranslation('features');
  const { t: tc } = useTranslation();
  const { name = '' } = useParams();
  const { client, baseUrl } = useClient();
  const navigate = useNavigate();
  const location = useLocation();
  const created = (location.state as { createdWarnings?: string[] } | null)?.createdWarnings;

  const feature = useAsync(useCallback(() => client.features.get(name), [client, name]));
  const versions = useAsync(useCallback(() => client.features.versions(name), [client, name]));
  const profile = useAsync(useCallback(() => client.features.profile(name), [client, name]));
  const allTags = useAsync(useCallback(() => client.features.list({ include_archived: true }), [client]));
  const tagSuggestions = useMemo(() => [...new Set((allTags.data ?? []).flatMap((f) => f.tags))].sort(), [allTags.data]);

  const [dialog, setDialog] = useState<'edit' | 'archive' | 'deprecate'>();
  const [isRestoring, setIsRestoring] = useState(false);
  const [lifecycleError, setLifecycleError] = useState<unknown>();
  const [notice, setNotice] = useState<Notice | undefined>(
    created ? { title: t('detail.created', { name }), warnings: created } : undefined,
  );
  const latest = versions.data ? Math.max(...versions.data.map((v) => v.version)) : feature.data?.version;
  const { tab, from, to, setView } = useDetailView(latest);

  const breadcrumbs = (
    <Breadcrumbs sx={{ mb: 1 }} aria-label={tc('breadcrumb')}>
      <Link component={RouterLink} to="/features" underline="hover" color="inherit">
        {t('list.title')}
      </Link>
      <Typography sx={{ ...MONO_SX, color: 'text.primary' }}>{name}</Typography>
    </Breadcrumbs>
  );

  if (feature.error !== undefined) {
    return (
      <>
        <PageHeader before={breadcrumbs} title={name} />
        <ErrorAlert error={feature.error} onRetry={feature.reload} />
      </>
    );
  }
  if (!feature.data) return <LoadingState label={t('detail.loading', { name })} />;

  const current: Feature = feature.data;
  const isArchived = current.status === 'archived';
  const isDeprecated = current.status === 'deprecated';
  const refresh = () => {
    feature.reload();
    versions.reload();
    profile.reload();
  };
  const onSaved = (warnings: string[]) => {
    setDialog(undefined);
    setNotice({ title: t('detail.savedAs', { version: current.version + 1 }), warnings });
    refresh();
  };
  const onDeprecated = (deprecated: Feature) => {
    setDialog(undefined);
    setNotice({ title: t('detail.deprecatedAs', { version: deprecated.version }), warnings: [] });
    refresh();
  };
  const restore = async () => {
    setIsRestoring(true);
    setLifecycleError(undefined);
    try {
      await client.features.restore(current.name);
      setNotice({ title: t('detail.restored', { name: current.name, version: current.version + 1 }), warnings: [] });
      refresh();
    } catch (err) {
      setLifecycleError(err);
    } finally {
      setIsRestoring(false);
    }
  };

  return (
    <>
      <PageHeader
        before={breadcrumbs}
        title={
          <>
            <Box component="span" sx={{ ...MONO_SX, fontSize: 'inherit' }} data-testid="feature-title">
              {current.name}
            </Box>
            <Chip label={`v${current.version}`} size="small" data-testid="feature-version" sx={MONO_SX} />
            <StatusChip status={current.status} />
          </>
        }
        subtitle={current.description || undefined}
        actions={
          <>
            <Button
              variant="outlined"
              startIcon={<EditOutlined />}
              onClick={() => setDialog('edit')}
              disabled={isArchived}
              data-testid="edit-feature"
            >
              {t('detail.edit')}
            </Button>
            {current.status === 'active' ? (
              <Button variant="outlined" color="warning" startIcon={<DoNotDisturbOnOutlined />} onClick={() => setDialog('deprecate')} data-testid="deprecate-feature">
                {t('detail.deprecate')}
              </Button>
            ) : (
              <Button variant="outlined" startIcon={<RestoreOutlined />} onClick={() => void restore()} disabled={isRestoring} data-testid="restore-feature">
                {isRestoring ? t('detail.restoring') : t('detail.restore')}
              </Button>
            )}
            <Button
              variant="outlined"
              color="error"
              startIcon={<ArchiveOutlined />}
              onClick={() => setDialog('archive')}
              disabled={isArchived}
              data-testid="archive-feature"
            >
              {t('detail.archive')}
            </Button>
          </>
        }
      />
      {notice && (
        <Alert
          severity={notice.warnings.length > 0 ? 'warning' : 'success'}
          onClose={() => setNotice(undefined)}
          sx={{ mb: 2 }}
          data-testid="feature-notice"
        >
          <AlertTitle>{notice.warnings.length > 0 ? t('detail.withWarnings', { title: notice.title }) : notice.title}</AlertTitle>
          {notice.warnings.length > 0 && (
            <Box component="ul" sx={{ m: 0, pl: 2.5 }} data-testid="feature-warnings">
              {notice.warnings.map((w) => (
                <li key={w}>{w}</li>
              ))}
            </Box>
          )}
        </Alert>
      )}
      {lifecycleError !== undefined && (
        <Box sx={{ mb: 2 }}>
          <ErrorAlert error={lifecycleError} />
        </Box>
      )}
      {isArchived && (
        <Alert severity="info" sx={{ mb: 2 }} data-testid="archived-banner">
          {t('detail.archivedBanner')}
        </Alert>
      )}
      {isDeprecated && <DeprecationBanner feature={current} />}
      <Paper variant="outlined" sx={{ overflow: 'hidden' }}>
        <Tabs
          value={tab}
          onChange={(_e, next: DetailTab) => setView({ tab: next })}
          sx={{ px: 2, borderBottom: 1, borderColor: 'divider' }}
          aria-label={t('detail.sections')}
        >
          <Tab label={t('detail.tabs.definition')} value="definition" data-testid="tab-definition" />
          <Tab label={t('detail.tabs.data')} value="data" data-testid="tab-data" />
          <Tab
            label={versions.data ? t('detail.tabs.versionsCount', { n: versions.data.length }) : t('detail.tabs.versions')}
            value="versions"
            data-testid="tab-versions"
          />
          <Tab label={t('detail.tabs.diff')} value="diff" data-testid="tab-diff" />
          <Tab label={t('detail.tabs.lineage')} value="lineage" data-testid="tab-lineage" />
        </Tabs>
        <Box sx={{ p: tab === 'versions' ? 0 : 3 }} role="tabpanel">
          {tab === 'definition' && (
            <>
              <FeatureDefinition feature={current} ingestion={profile.data?.ingestion} />
              {!isArchived && <FeatureNamingHints hints={featureNamingHints(current)} />}
            </>
          )}
          {tab === 'data' &&
            (profile.error !== undefined ? (
              <ErrorAlert error={profile.error} onRetry={profile.reload} />
            ) : !profile.data ? (
              <LoadingState label={t('detail.profiling')} />
            ) : (
              <FeatureDataPanel profile={profile.data} baseUrl={baseUrl || window.location.origin} />
            ))}
          {tab === 'lineage' && <LineageView kind="feature" name={current.name} />}
          {(tab === 'versions' || tab === 'diff') &&
            (versions.error !== undefined ? (
              <Box sx={{ p: 2 }}>
                <ErrorAlert error={versions.error} onRetry={versions.reload} />
              </Box>
            ) : !versions.data ? (
              <LoadingState label={t('detail.loadingVersions')} />
            ) : tab === 'versions' ? (
              <FeatureVersionsTable versions={versions.data} onCompare={(f, t) => setView({ tab: 'diff', from: f, to: t })} />
            ) : (
              <VersionDiff
                name={current.name}
                versions={versions.data}
                from={from}
                to={to}
                onChange={(f, t) => setView({ from: f, to: t })}
              />
            ))}
        </Box>
      </Paper>
      {dialog === 'edit' && (
        <EditFeatureDialog feature={current} tagSuggestions={tagSuggestions} onClose={() => setDialog(undefined)} onSaved={onSaved} />
      )}
      {dialog === 'deprecate' && <DeprecateFeatureDialog feature={current} onClose={() => setDialog(undefined)} onDeprecated={onDeprecated} />}
      {dialog === 'archive' && (
        <ArchiveFeatureDialog
          name={current.name}
          onClose={() => setDialog(undefined)}
          onArchived={() => navigate('/features', { state: { notice: t('detail.archivedNotice', { name: current.name }) } })}
        />
      )}
    </>
  );
}
