import Box from '@mui/material/Box';
import CircularProgress from '@mui/material/CircularProgress';
import Typography from '@mui/material/Typography';
import { useTranslation } from 'react-i18next';

export function LoadingState({ label }: { label?: string }) {
  const { t } = useTranslation();
  return (
    <Box
      role="status"
      aria-live="polite"
      data-testid="loading"
      sx={{ display: 'flex', alignItems: 'center', justifyContent: 'center', gap: 2, py: 8, color: 'text.secondary' }}
    >
      <CircularProgress size={22} />
      <Typography variant="body2">{label ?? t('loadingDefault')}</Typography>
    </Box>
  );
}
