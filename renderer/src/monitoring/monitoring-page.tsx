import { useCallback, useMemo, type ReactNode } from 'react';
import { Link as RouterLink } from 'react-router-dom';
import { Trans, useTranslation } from 'react-i18next';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Chip from '@mui/material/Chip';
import Tab from '@mui/material/Tab';
import Tabs from '@mui/material/Tabs';
import Typography from '@mui/material/Typography';
import CloudUploadOutlined from '@mui/icons-material/CloudUploadOutlined';
import MonitorHeartOutlined from '@mui/icons-material/MonitorHeartOutlined';
import { useClient } from '../api/use-client.js';
import { EmptyState } from '../common/empty-state.js';
import { ErrorAlert } from '../common/error-alert.js';
import { LoadingState } from '../common/loading-state.js';
import { PageHeader } from '../common/page-header.js';
import { useAsync } from '../common/use-async.js';
import { AlertsPanel } from './alerts-panel.js';
import { DriftPanel } from './drift-panel.js';
import { driftableFeatures } from './drift-view.js';
import { MonitoringFilters } from './monitoring-filters.js';
import { MONITORING_TABS, type MonitoringTab } from './monitoring-view.js';
import { OperationsPanel } from './operations-panel.js';
import { QualityPanel } from './quality-panel.js';
import { explainWindowProblem } from './time-windows.js';
import { useDataDefaults } from './use-data-defaults.js';
import { useMonitoringView } from './use-monitoring-view.js';

/**
 * `/monitoring`: drift and data quality of an entity's features between two windows, the service's
 * operations, and alerts with their rules. Loaded lazily: it brings recharts.
 */
export function MonitoringPage() {
  const { client } = useClient();
  const { t } = useTranslation('monitoring');
  const { view, setView, hasWindows } = useMonitoringView();
  const entities = useAsync(useCallback(() => client.entities.list(), [client]));
  const overview = useAsync(useCallback(() => client.monitoring.overview(), [client]));
  const entityNames = useMemo(() => (entities.data ?? []).map((e) => e.name).sort(), [entities.data]);
  const isFindingData = useDataDefaults({ entity: view.entity, hasWindows, entityNames, setView });
  const entity = view.entity || (isFindingData ? '' : entityNames[0] || '');
  const groups = useAsync(useCallback(() => (entity ? client.featureGroups.list({ entity }) : Promise.resolve([])), [client, entity]));
  const features = useAsync(useCallback(() => (entity ? client.features.list({ entity }) : Promise.resolve([])), [client, entity]));
  const groupNames = useMemo(() => (groups.data ?? []).map((g) => g.name).sort(), [groups.data]);
  const group = view.group;
  const driftFeatures = useMemo(() => driftableFeatures(features.data ?? [], group), [features.data, group]);
  const firingCount = overview.data?.firing_alerts.length ?? 0;

  const scoped = (content: ReactNode) => {
    if (entities.error !== undefined) return <ErrorAlert error={entities.error} onRetry={entities.reload} />;
    if (!entities.data) return <LoadingState label={t('loadingEntities')} />;
    if (entityNames.length === 0) {
      return (
        <EmptyState icon={<MonitorHeartOutlined />} title={t('empty.title')} testId="monitoring-empty">
          <Typography variant="body2">{t('empty.body')}</Typography>
          <Button variant="contained" startIcon={<CloudUploadOutlined />} component={RouterLink} to="/ingest" data-testid="monitoring-ingest">
            {t('empty.ingest')}
          </Button>
        </EmptyState>
      );
    }
    const windowProblem = explainWindowProblem(view.baseline) ?? explainWindowProblem(view.current);
    return (
      <Box sx={{ display: 'grid', gap: 3 }}>
        <MonitoringFilters
          entity={entity}
          group={group}
          baseline={view.baseline}
          current={view.current}
          entityNames={entityNames}
          groupNames={groupNames}
          onChange={setView}
        />
        {!entityNames.includes(entity) ? (
          <Alert severity="warning" data-testid="unknown-entity">
            <Trans t={t} i18nKey="unknownEntity" values={{ entity, count: entityNames.length }} components={[<strong key="0" />]} />
          </Alert>
        ) : groups.data && group !== '' && !groupNames.includes(group) ? (
          <Alert severity="warning" data-testid="unknown-group">
            <Trans t={t} i18nKey="unknownGroup" values={{ group, entity }} components={[<strong key="0" />]} />
          </Alert>
        ) : windowProblem ? (
          <Alert severity="info">{t('fixWindows', { problem: windowProblem.charAt(0).toLowerCase() + windowProblem.slice(1) })}</Alert>
        ) : (
          content
        )}
      </Box>
    );
  };

  let panel: ReactNode;
  switch (view.tab) {
    case 'drift':
      panel = scoped(
        features.error !== undefined ? (
          <ErrorAlert error={features.error} onRetry={features.reload} />
        ) : !features.data ? (
          <LoadingState label={t('loadingFeatures')} />
        ) : (
          <DriftPanel
            entityNames={entityNames}
            entity={entity}
            group={group}
            features={driftFeatures}
            baseline={view.baseline}
            current={view.current}
            selectedFeature={view.feature}
            onSelectFeature={(feature) => setView({ feature })}
            onUseWindows={setView}
          />
        ),
      );
      break;
    case 'quality':
      panel = scoped(<QualityPanel entity={entity} group={group} groupNames={groupNames} baseline={view.baseline} current={view.current} />);
      break;
    case 'operations':
      panel = <OperationsPanel />;
      break;
    case 'alerts':
      panel = (
        <AlertsPanel
          entityNames={entityNames}
          ruleDefaults={{ entity, featureGroup: group, baseline: view.baseline }}
          onChanged={overview.reload}
        />
      );
      break;
  }
  // Until the entity and windows with data are known, nothing is drawn with the wall-clock defaults.
  if (isFindingData) panel = <LoadingState label={t('findingData')} />;

  return (
    <>
      <PageHeader
        title={t('title')}
        subtitle={t('subtitle')}
        actions={
          overview.data &&
          overview.data.stale_groups.length > 0 && (
            <Chip
              color="warning"
              variant="outlined"
              label={t('staleGroups', { count: overview.data.stale_groups.length })}
              onClick={() => setView({ tab: 'operations' })}
              data-testid="stale-groups-chip"
            />
          )
        }
      />
      <Tabs value={view.tab} onChange={(_e, tab: MonitoringTab) => setView({ tab })} sx={{ mb: 3, borderBottom: 1, borderColor: 'divider' }} aria-label={t('tabs.label')}>
        {MONITORING_TABS.map((tab) => (
          <Tab
            key={tab}
            value={tab}
            data-testid={`tab-${tab}`}
            label={
              <Box component="span" sx={{ display: 'inline-flex', alignItems: 'center', gap: 1 }}>
                {t(`tabs.${tab}`)}
                {tab === 'alerts' && firingCount > 0 && <Chip label={firingCount} size="small" color="error" sx={{ height: 20 }} data-testid="firing-count" />}
              </Box>
            }
          />
        ))}
      </Tabs>
      {panel}
    </>
  );
}
