import { Link as RouterLink } from 'react-router-dom';
import Button from '@mui/material/Button';
import Typography from '@mui/material/Typography';
import AddIcon from '@mui/icons-material/Add';
import FilterListOff from '@mui/icons-material/FilterListOff';
import TableChartOutlined from '@mui/icons-material/TableChartOutlined';
import { useTranslation } from 'react-i18next';
import { useClient } from '../api/use-client.js';
import { CodeBlock } from '../common/code-block.js';
import { EmptyState } from '../common/empty-state.js';
import { seedCurlCommand } from './seed-request.js';

export function FeaturesEmptyState({ hasFilters, onClear }: { hasFilters: boolean; onClear: () => void }) {
  const { t } = useTranslation('features');
  const { baseUrl } = useClient();
  if (hasFilters) {
    return (
      <EmptyState title={t('empty.noMatch')} testId="features-no-match">
        <Typography variant="body2">{t('empty.tryAnother')}</Typography>
        <Button startIcon={<FilterListOff />} onClick={onClear}>
          {t('empty.clear')}
        </Button>
      </EmptyState>
    );
  }
  return (
    <EmptyState icon={<TableChartOutlined />} title={t('empty.title')} testId="features-empty">
      <Typography variant="body2">
        {t('empty.body')}
      </Typography>
      <Button variant="contained" startIcon={<AddIcon />} component={RouterLink} to="/features/new">
        {t('empty.newFeature')}
      </Button>
      <Typography variant="caption" sx={{ mt: 1 }}>
        {t('empty.orApi')}
      </Typography>
      <CodeBlock label={t('empty.curlLabel')} code={seedCurlCommand(baseUrl)} />
    </EmptyState>
  );
}
