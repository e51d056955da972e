import type { ReactNode } from 'react';
import Box from '@mui/material/Box';
import Typography from '@mui/material/Typography';

interface EmptyStateProps {
  icon?: ReactNode;
  title: string;
  children?: ReactNode;
  testId?: string;
}

export function EmptyState({ icon, title, children, testId = 'empty-state' }: EmptyStateProps) {
  return (
    <Box data-testid={testId} sx={{ textAlign: 'center', py: 7, px: 3, maxWidth: 720, mx: 'auto' }}>
      {icon && <Box sx={{ color: 'primary.main', mb: 1.5, '& svg': { fontSize: 44 } }}>{icon}</Box>}
      <Typography variant="h6" component="h2" sx={{ fontWeight: 600 }}>
        {title}
      </Typography>
      <Box sx={{ color: 'text.secondary', mt: 1, display: 'grid', gridTemplateColumns: 'minmax(0, 1fr)', gap: 2, justifyItems: 'center' }}>{children}</Box>
    </Box>
  );
}
