import { lazy, Suspense, type ComponentType } from 'react';
import { useTranslation } from 'react-i18next';
import { HashRouter, Navigate, Route, Routes } from 'react-router-dom';
import { ClientProvider } from './api/client-provider.js';
import { AuditPage } from './audit/audit-page.js';
import { LoadingState } from './common/loading-state.js';
import { NotFoundPage } from './common/not-found-page.js';
import { DataSourceDetailPage } from './data-sources/data-source-detail-page.js';
import { DataSourcesPage } from './data-sources/data-sources-page.js';
import { EntitiesPage } from './entities/entities-page.js';
import { FeatureGroupsPage } from './feature-groups/feature-groups-page.js';
import { FeatureServiceDetailPage } from './feature-services/feature-service-detail-page.js';
import { FeatureServicesPage } from './feature-services/feature-services-page.js';
import { FeatureDetailPage } from './features/feature-detail-page.js';
import { FeaturesPage } from './features/features-page.js';
import { NewFeaturePage } from './features/new-feature-page.js';
import { FileDropOverlay } from './ingest/file-drop-overlay.js';
import { IngestPage } from './ingest/ingest-page.js';
import { IngestSessionProvider } from './ingest/ingest-session-provider.js';
import { JobsPage } from './jobs/jobs-page.js';
import { AppShell } from './layout/app-shell.js';
import { ServiceHealthProvider } from './layout/service-health-provider.js';
import { ShortcutsProvider } from './shortcuts/shortcuts-provider.js';
import { ColorModeProvider } from './theme/color-mode-provider.js';
import { TrainingPage } from './training/training-page.js';
import { TransformDetailPage } from './transforms/transform-detail-page.js';
import { TransformsPage } from './transforms/transforms-page.js';

/** The studio bundles Monaco (several MB): loaded only when a studio route opens. */
const TransformStudioRoute = lazy(() =>
  import('./transforms/studio/transform-studio-route.js').then((m) => ({ default: m.TransformStudioRoute })),
);
/** Monitoring brings recharts: loaded only when its route opens. */
const MonitoringPage = lazy(() => import('./monitoring/monitoring-page.js').then((m) => ({ default: m.MonitoringPage })));
/** Definitions bring the YAML parser: loaded only when their route opens. */
const DefinitionsPage = lazy(() => import('./definitions/definitions-page.js').then((m) => ({ default: m.DefinitionsPage })));
/** A lazily loaded page, with a "Loading…" line in the UI language until its code arrives. */
function Lazy({ page: Page, loading }: { page: ComponentType; loading: 'definitions' | 'monitoring' | 'studio' }) {
  const { t } = useTranslation();
  return (
    <Suspense fallback={<LoadingState label={t(`loading.${loading}`)} />}>
      <Page />
    </Suspense>
  );
}
const definitions = <Lazy page={DefinitionsPage} loading="definitions" />;
const monitoring = <Lazy page={MonitoringPage} loading="monitoring" />;
const studio = <Lazy page={TransformStudioRoute} loading="studio" />;

/** Hash routing: the app works from the service's `/`, from file-less origins and custom protocols. */
export function App() {
  return (
    <ColorModeProvider>
      <ClientProvider>
        <ServiceHealthProvider>
          <IngestSessionProvider>
            <HashRouter>
              <ShortcutsProvider>
                <AppShell>
                  <FileDropOverlay />
                  <Routes>
                    <Route path="/" element={<Navigate to="/features" replace />} />
                    <Route path="/features" element={<FeaturesPage />} />
                    <Route path="/features/new" element={<NewFeaturePage />} />
                    <Route path="/features/:name" element={<FeatureDetailPage />} />
                    <Route path="/feature-groups" element={<FeatureGroupsPage />} />
                    <Route path="/feature-services" element={<FeatureServicesPage />} />
                    <Route path="/feature-services/:name" element={<FeatureServiceDetailPage />} />
                    <Route path="/entities" element={<EntitiesPage />} />
                    <Route path="/transforms" element={<TransformsPage />} />
                    <Route path="/transforms/new" element={studio} />
                    <Route path="/transforms/:name" element={<TransformDetailPage />} />
                    <Route path="/transforms/:name/edit" element={studio} />
                    <Route path="/data-sources" element={<DataSourcesPage />} />
                    <Route path="/data-sources/:name" element={<DataSourceDetailPage />} />
                    <Route path="/ingest" element={<IngestPage />} />
                    <Route path="/training" element={<TrainingPage />} />
                    <Route path="/jobs" element={<JobsPage />} />
                    <Route path="/jobs/:id" element={<JobsPage />} />
                    <Route path="/monitoring" element={monitoring} />
                    <Route path="/audit" element={<AuditPage />} />
                    <Route path="/definitions" element={definitions} />
                    <Route path="*" element={<NotFoundPage />} />
                  </Routes>
                </AppShell>
              </ShortcutsProvider>
            </HashRouter>
          </IngestSessionProvider>
        </ServiceHealthProvider>
      </ClientProvider>
    </ColorModeProvider>
  );
}
