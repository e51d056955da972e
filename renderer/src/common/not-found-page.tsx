import { Link as RouterLink } from 'react-router-dom';
import Button from '@mui/material/Button';
import { useTranslation } from 'react-i18next';
import { EmptyState } from './empty-state.js';

export function NotFoundPage() {
  const { t } = useTranslation();
  return (
    <EmptyState title={t('notFound.title')} testId="not-found">
      <Button variant="contained" component={RouterLink} to="/features">
        {t('notFound.goToFeatures')}
      </Button>
    </EmptyState>
  );
}
