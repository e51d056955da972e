import { Link as RouterLink } from 'react-router-dom';
import Button from '@mui/material/Button';
import { EmptyState } from './empty-state.js';

export function NotFoundPage() {
  return (
    <EmptyState title="This page does not exist" testId="not-found">
      <Button variant="contained" component={RouterLink} to="/features">
        Go to features
      </Button>
    </EmptyState>
  );
}
