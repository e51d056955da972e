import { Link as RouterLink } from 'react-router-dom';
import Button from '@mui/material/Button';
import Typography from '@mui/material/Typography';
import AddIcon from '@mui/icons-material/Add';
import FilterListOff from '@mui/icons-material/FilterListOff';
import TableChartOutlined from '@mui/icons-material/TableChartOutlined';
import { useClient } from '../api/use-client.js';
import { CodeBlock } from '../common/code-block.js';
import { EmptyState } from '../common/empty-state.js';
import { seedCurlCommand } from './seed-request.js';

export function FeaturesEmptyState({ hasFilters, onClear }: { hasFilters: boolean; onClear: () => void }) {
  const { baseUrl } = useClient();
  if (hasFilters) {
    return (
      <EmptyState title="No features match these filters" testId="features-no-match">
        <Typography variant="body2">Try another search term, entity or tag.</Typography>
        <Button startIcon={<FilterListOff />} onClick={onClear}>
          Clear filters
        </Button>
      </EmptyState>
    );
  }
  return (
    <EmptyState icon={<TableChartOutlined />} title="No features yet" testId="features-empty">
      <Typography variant="body2">
        A feature is a named, typed value about an entity (for example the age of a user). Define one with the form, or
        from any HTTP client or the SDKs. The entity is created for you if it does not exist yet.
      </Typography>
      <Button variant="contained" startIcon={<AddIcon />} component={RouterLink} to="/features/new">
        New feature
      </Button>
      <Typography variant="caption" sx={{ mt: 1 }}>
        Or through the REST API:
      </Typography>
      <CodeBlock label="Create a feature with curl" code={seedCurlCommand(baseUrl)} />
    </EmptyState>
  );
}
