/**
 * Every namespace in every language. A namespace per area of the app (its own pair of files under
 * locales/), so the areas' strings stay beside each other and apart from the rest.
 */
import enCommon from './locales/en/common.js';
import ptCommon from './locales/pt-BR/common.js';
import enFeatures from './locales/en/features.js';
import ptFeatures from './locales/pt-BR/features.js';
import enRegistry from './locales/en/registry.js';
import ptRegistry from './locales/pt-BR/registry.js';
import enTransforms from './locales/en/transforms.js';
import ptTransforms from './locales/pt-BR/transforms.js';
import enIngest from './locales/en/ingest.js';
import ptIngest from './locales/pt-BR/ingest.js';
import enDataSources from './locales/en/dataSources.js';
import ptDataSources from './locales/pt-BR/dataSources.js';
import enJobs from './locales/en/jobs.js';
import ptJobs from './locales/pt-BR/jobs.js';
import enMonitoring from './locales/en/monitoring.js';
import ptMonitoring from './locales/pt-BR/monitoring.js';
import enTraining from './locales/en/training.js';
import ptTraining from './locales/pt-BR/training.js';
import enDefinitions from './locales/en/definitions.js';
import ptDefinitions from './locales/pt-BR/definitions.js';
import enAudit from './locales/en/audit.js';
import ptAudit from './locales/pt-BR/audit.js';
import enApi from './locales/en/api.js';
import ptApi from './locales/pt-BR/api.js';
import enShortcuts from './locales/en/shortcuts.js';
import ptShortcuts from './locales/pt-BR/shortcuts.js';
import enConnections from './locales/en/connections.js';
import ptConnections from './locales/pt-BR/connections.js';

export const en = {
  common: enCommon,
  features: enFeatures,
  registry: enRegistry,
  transforms: enTransforms,
  ingest: enIngest,
  dataSources: enDataSources,
  jobs: enJobs,
  monitoring: enMonitoring,
  training: enTraining,
  definitions: enDefinitions,
  audit: enAudit,
  api: enApi,
  shortcuts: enShortcuts,
  connections: enConnections,
} as const;

export const resources = {
  en,
  'pt-BR': {
    common: ptCommon,
    features: ptFeatures,
    registry: ptRegistry,
    transforms: ptTransforms,
    ingest: ptIngest,
    dataSources: ptDataSources,
    jobs: ptJobs,
    monitoring: ptMonitoring,
    training: ptTraining,
    definitions: ptDefinitions,
    audit: ptAudit,
    api: ptApi,
    shortcuts: ptShortcuts,
    connections: ptConnections,
  },
} as const;

export type Namespace = keyof typeof en;
