import { useCallback, useState } from 'react';
import { Link as RouterLink, useParams } from 'react-router-dom';
import Box from '@mui/material/Box';
import Breadcrumbs from '@mui/material/Breadcrumbs';
import Button from '@mui/material/Button';
import Chip from '@mui/material/Chip';
import Link from '@mui/material/Link';
import Typography from '@mui/material/Typography';
import AddIcon from '@mui/icons-material/Add';
import RefreshOutlined from '@mui/icons-material/RefreshOutlined';
import { useTranslation } from 'react-i18next';
import { useClient } from '../api/use-client.js';
import { ErrorAlert } from '../common/error-alert.js';
import { formatTime } from '../common/format-time.js';
import { LoadingState } from '../common/loading-state.js';
import { MONO_SX } from '../common/mono-text.js';
import { PageHeader } from '../common/page-header.js';
import { SectionCard } from '../common/section-card.js';
import { StatusChip } from '../common/status-chip.js';
import { useAsync } from '../common/use-async.js';
import { LineageView } from '../lineage/lineage-view.js';
import { SourceColumnsTable } from './source-columns-table.js';
import { SOURCE_TYPE_LABELS, describeSourceOrigin } from './source-origin-text.js';

/** One source: where it reads from, its columns, and the transforms and features built on it. */
export function DataSourceDetailPage() {
  const { t } = useTranslation('dataSources');
  const { name = '' } = useParams();
  const { client } = useClient();
  const source = useAsync(useCallback(() => client.dataSources.get(name), [client, name]));
  const [isRefreshing, setIsRefreshing] = useState(false);
  const [refreshError, setRefreshError] = useState<unknown>();

  /** Re-reads the columns, for a file or table that changed since the source was saved. */
  const refresh = () => {
    setIsRefreshing(true);
    setRefreshError(undefined);
    client.dataSources.refresh(name).then(
      () => {
        setIsRefreshing(false);
        source.reload();
      },
      (err: unknown) => {
        setIsRefreshing(false);
        setRefreshError(err);
      },
    );
  };

  const breadcrumbs = (
    <Breadcrumbs sx={{ mb: 1 }} aria-label={t('detail.breadcrumb')}>
      <Link component={RouterLink} to="/data-sources" underline="hover" color="inherit">
        {t('list.title')}
      </Link>
      <Typography sx={{ ...MONO_SX, color: 'text.primary' }}>{name}</Typography>
    </Breadcrumbs>
  );
  if (source.error !== undefined) {
    return (
      <>
        <PageHeader before={breadcrumbs} title={name} />
        <ErrorAlert error={source.error} onRetry={source.reload} />
      </>
    );
  }
  if (!source.data) return <LoadingState label={t('detail.loading', { name })} />;
  const s = source.data;
  return (
    <>
      <PageHeader
        before={breadcrumbs}
        title={
          <>
            <Box component="span" sx={{ ...MONO_SX, fontSize: 'inherit' }} data-testid="data-source-title">
              {s.name}
            </Box>
            <Chip label={`v${s.version}`} size="small" sx={MONO_SX} />
            <StatusChip status={s.status} />
          </>
        }
        subtitle={s.description || `${SOURCE_TYPE_LABELS[s.type]} · ${describeSourceOrigin(s)}`}
        actions={
          <>
            <Button variant="outlined" startIcon={<RefreshOutlined />} onClick={refresh} disabled={isRefreshing || s.status === 'archived'} data-testid="refresh-source">
              {isRefreshing ? t('detail.reading') : t('detail.reread')}
            </Button>
            <Button variant="contained" startIcon={<AddIcon />} component={RouterLink} to={`/transforms/new?source=${encodeURIComponent(s.name)}`}>
              {t('detail.newTransform')}
            </Button>
          </>
        }
      />
      <Box sx={{ display: 'grid', gap: 3 }}>
        {refreshError !== undefined && <ErrorAlert error={refreshError} />}
        <SectionCard title={t('detail.lineage')} subtitle={t('detail.lineageSubtitle')} testId="data-source-lineage">
          <LineageView kind="data_source" name={s.name} />
        </SectionCard>
        <SectionCard
          title={t('detail.columns')}
          subtitle={t('detail.columnsSubtitle', { time: formatTime(s.updated_at) })}
          isFlush
          testId="data-source-columns"
        >
          <SourceColumnsTable source={s.name} columns={s.columns} />
        </SectionCard>
      </Box>
    </>
  );
}
