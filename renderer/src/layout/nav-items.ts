import type SvgIcon from '@mui/material/SvgIcon';
import CategoryOutlined from '@mui/icons-material/CategoryOutlined';
import CloudUploadOutlined from '@mui/icons-material/CloudUploadOutlined';
import DataObjectOutlined from '@mui/icons-material/DataObjectOutlined';
import HistoryEduOutlined from '@mui/icons-material/HistoryEduOutlined';
import HubOutlined from '@mui/icons-material/HubOutlined';
import ModelTrainingOutlined from '@mui/icons-material/ModelTrainingOutlined';
import MonitorHeartOutlined from '@mui/icons-material/MonitorHeartOutlined';
import PeopleAltOutlined from '@mui/icons-material/PeopleAltOutlined';
import StorageOutlined from '@mui/icons-material/StorageOutlined';
import TableChartOutlined from '@mui/icons-material/TableChartOutlined';
import TransformOutlined from '@mui/icons-material/TransformOutlined';
import WorkHistoryOutlined from '@mui/icons-material/WorkHistoryOutlined';
import type common from '../i18n/locales/en/common.js';

/** A page's name under `nav.` in the common namespace. */
export type NavLabel = Exclude<keyof typeof common.nav, 'open' | 'label'>;

export interface NavItem {
  label: NavLabel;
  path: string;
  icon: typeof SvgIcon;
  testId: string;
}

/** Only pages that work get a navigation entry. */
export const NAV_ITEMS: readonly NavItem[] = [
  { label: 'features', path: '/features', icon: TableChartOutlined, testId: 'nav-features' },
  { label: 'featureGroups', path: '/feature-groups', icon: CategoryOutlined, testId: 'nav-feature-groups' },
  { label: 'featureServices', path: '/feature-services', icon: HubOutlined, testId: 'nav-feature-services' },
  { label: 'entities', path: '/entities', icon: PeopleAltOutlined, testId: 'nav-entities' },
  { label: 'transforms', path: '/transforms', icon: TransformOutlined, testId: 'nav-transforms' },
  { label: 'dataSources', path: '/data-sources', icon: StorageOutlined, testId: 'nav-data-sources' },
  { label: 'ingest', path: '/ingest', icon: CloudUploadOutlined, testId: 'nav-ingest' },
  { label: 'training', path: '/training', icon: ModelTrainingOutlined, testId: 'nav-training' },
  { label: 'jobs', path: '/jobs', icon: WorkHistoryOutlined, testId: 'nav-jobs' },
  { label: 'monitoring', path: '/monitoring', icon: MonitorHeartOutlined, testId: 'nav-monitoring' },
  { label: 'definitions', path: '/definitions', icon: DataObjectOutlined, testId: 'nav-definitions' },
  { label: 'audit', path: '/audit', icon: HistoryEduOutlined, testId: 'nav-audit' },
];
