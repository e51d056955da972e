import type { ReactNode } from 'react';
import Box from '@mui/material/Box';
import Paper from '@mui/material/Paper';
import Typography from '@mui/material/Typography';

interface SectionCardProps {
  title: ReactNode;
  subtitle?: ReactNode;
  actions?: ReactNode;
  children: ReactNode;
  testId?: string;
  /** No inner padding, for tables that reach the card's edges. */
  isFlush?: boolean;
}

/** An outlined card with a titled header, for the sections of a multi-part page. */
export function SectionCard({ title, subtitle, actions, children, testId, isFlush = false }: SectionCardProps) {
  return (
    <Paper variant="outlined" component="section" data-testid={testId} sx={{ overflow: 'hidden' }}>
      <Box sx={{ display: 'flex', alignItems: 'center', gap: 2, px: { xs: 2, md: 2.5 }, pt: 2, pb: isFlush ? 1.5 : 0, flexWrap: 'wrap' }}>
        <Box sx={{ flex: 1, minWidth: 200 }}>
          <Typography variant="subtitle1" component="h2" sx={{ fontWeight: 650 }}>
            {title}
          </Typography>
          {subtitle && (
            <Typography variant="body2" component="div" sx={{ color: 'text.secondary' }}>
              {subtitle}
            </Typography>
          )}
        </Box>
        {actions && <Box sx={{ display: 'flex', gap: 1, alignItems: 'center' }}>{actions}</Box>}
      </Box>
      <Box sx={isFlush ? {} : { p: { xs: 2, md: 2.5 } }}>{children}</Box>
    </Paper>
  );
}
