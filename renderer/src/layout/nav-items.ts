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

export interface NavItem {
  label: string;
  path: string;
  icon: typeof SvgIcon;
  testId: string;
}

/** Only pages that work get a navigation entry. */
export const NAV_ITEMS: readonly NavItem[] = [
  { label: 'Features', path: '/features', icon: TableChartOutlined, testId: 'nav-features' },
  { label: 'Feature groups', path: '/feature-groups', icon: CategoryOutlined, testId: 'nav-feature-groups' },
  { label: 'Feature services', path: '/feature-services', icon: HubOutlined, testId: 'nav-feature-services' },
  { label: 'Entities', path: '/entities', icon: PeopleAltOutlined, testId: 'nav-entities' },
  { label: 'Transforms', path: '/transforms', icon: TransformOutlined, testId: 'nav-transforms' },
  { label: 'Data sources', path: '/data-sources', icon: StorageOutlined, testId: 'nav-data-sources' },
  { label: 'Ingest data', path: '/ingest', icon: CloudUploadOutlined, testId: 'nav-ingest' },
  { label: 'Training sets', path: '/training', icon: ModelTrainingOutlined, testId: 'nav-training' },
  { label: 'Jobs', path: '/jobs', icon: WorkHistoryOutlined, testId: 'nav-jobs' },
  { label: 'Monitoring', path: '/monitoring', icon: MonitorHeartOutlined, testId: 'nav-monitoring' },
  { label: 'Definitions as code', path: '/definitions', icon: DataObjectOutlined, testId: 'nav-definitions' },
  { label: 'Audit', path: '/audit', icon: HistoryEduOutlined, testId: 'nav-audit' },
];
