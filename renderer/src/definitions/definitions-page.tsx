import { useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import Tab from '@mui/material/Tab';
import Tabs from '@mui/material/Tabs';
import { PageHeader } from '../common/page-header.js';
import { ExportPanel } from './export-panel.js';
import { PlanPanel } from './plan-panel.js';

type DefinitionsTab = 'export' | 'plan';

/**
 * `/definitions`: the registry as a folder of YAML files (export), and a folder planned and applied
 * against the registry — the app side of `fstore export | plan | apply`. Loaded lazily: it brings
 * the YAML parser.
 */
export function DefinitionsPage() {
  const { t } = useTranslation('definitions');
  const [params, setParams] = useSearchParams();
  const tab: DefinitionsTab = params.get('tab') === 'plan' ? 'plan' : 'export';
  const setTab = (next: DefinitionsTab) => setParams(next === 'export' ? {} : { tab: next }, { replace: true });
  // Each apply changes the registry: the export is taken again.
  const [applyCount, setApplyCount] = useState(0);

  return (
    <>
      <PageHeader
        title={t('title')}
        subtitle={t('subtitle')}
      />
      <Tabs value={tab} onChange={(_e, next: DefinitionsTab) => setTab(next)} sx={{ mb: 3, borderBottom: 1, borderColor: 'divider' }} aria-label={t('tabs.label')}>
        <Tab value="export" label={t('tabs.export')} data-testid="tab-export" />
        <Tab value="plan" label={t('tabs.plan')} data-testid="tab-plan" />
      </Tabs>
      {/* Both stay mounted: a picked folder and its plan survive a look at the exported files. */}
      <div hidden={tab !== 'export'}>
        <ExportPanel key={applyCount} />
      </div>
      <div hidden={tab !== 'plan'}>
        <PlanPanel onApplied={() => setApplyCount((n) => n + 1)} />
      </div>
    </>
  );
}
