import { Link as RouterLink, useNavigate, useParams } from 'react-router-dom';
import Button from '@mui/material/Button';
import Typography from '@mui/material/Typography';
import WorkHistoryOutlined from '@mui/icons-material/WorkHistoryOutlined';
import { useTranslation } from 'react-i18next';
import { EmptyState } from '../common/empty-state.js';
import { RegistryListPage } from '../common/registry-list-page.js';
import { JobDetailDrawer } from './job-detail-drawer.js';
import { JobsTable } from './jobs-table.js';
import { useJobs } from './use-jobs.js';

/** Recent jobs; `/jobs/:id` opens one in a drawer, so a job has a link of its own. */
export function JobsPage() {
  const { id } = useParams();
  const { t } = useTranslation('jobs');
  const navigate = useNavigate();
  const jobs = useJobs();
  return (
    <>
      <RegistryListPage
        title={t('page.title')}
        subtitle={t('page.subtitle')}
        state={jobs}
        loadingLabel={t('page.loading')}
        actions={
          <Button variant="outlined" onClick={jobs.reload} data-testid="refresh-jobs">
            {t('page.refresh')}
          </Button>
        }
        empty={
          <EmptyState icon={<WorkHistoryOutlined />} title={t('page.emptyTitle')} testId="jobs-empty">
            <Typography variant="body2">{t('page.emptyText')}</Typography>
            <Button variant="contained" component={RouterLink} to="/ingest">
              {t('page.ingestData')}
            </Button>
          </EmptyState>
        }
        renderTable={(rows) => <JobsTable jobs={rows} />}
      />
      <JobDetailDrawer jobId={id} listed={jobs.data?.find((j) => j.id === id)} onClose={() => navigate('/jobs')} />
    </>
  );
}
