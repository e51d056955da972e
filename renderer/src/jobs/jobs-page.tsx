import { Link as RouterLink, useNavigate, useParams } from 'react-router-dom';
import Button from '@mui/material/Button';
import Typography from '@mui/material/Typography';
import WorkHistoryOutlined from '@mui/icons-material/WorkHistoryOutlined';
import { EmptyState } from '../common/empty-state.js';
import { RegistryListPage } from '../common/registry-list-page.js';
import { JobDetailDrawer } from './job-detail-drawer.js';
import { JobsTable } from './jobs-table.js';
import { useJobs } from './use-jobs.js';

/** Recent jobs; `/jobs/:id` opens one in a drawer, so a job has a link of its own. */
export function JobsPage() {
  const { id } = useParams();
  const navigate = useNavigate();
  const jobs = useJobs();
  return (
    <>
      <RegistryListPage
        title="Jobs"
        subtitle="Long operations such as file ingestion and transform runs: their progress, result or error. The list refreshes while jobs run."
        state={jobs}
        loadingLabel="Loading jobs…"
        actions={
          <Button variant="outlined" onClick={jobs.reload} data-testid="refresh-jobs">
            Refresh
          </Button>
        }
        empty={
          <EmptyState icon={<WorkHistoryOutlined />} title="No jobs yet" testId="jobs-empty">
            <Typography variant="body2">Ingesting a file starts a job; it is listed here with its progress and report.</Typography>
            <Button variant="contained" component={RouterLink} to="/ingest">
              Ingest data
            </Button>
          </EmptyState>
        }
        renderTable={(rows) => <JobsTable jobs={rows} />}
      />
      <JobDetailDrawer jobId={id} listed={jobs.data?.find((j) => j.id === id)} onClose={() => navigate('/jobs')} />
    </>
  );
}
