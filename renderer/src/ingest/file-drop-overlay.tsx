import { useNavigate } from 'react-router-dom';
import Box from '@mui/material/Box';
import Typography from '@mui/material/Typography';
import { alpha } from '@mui/material/styles';
import CloudUploadOutlined from '@mui/icons-material/CloudUploadOutlined';
import { useTranslation } from 'react-i18next';
import { useIngestSession } from './use-ingest-session.js';
import { useWindowFileDrag } from './use-window-file-drag.js';

/** The window-wide drop zone: a file dropped anywhere opens the Ingest page with it. */
export function FileDropOverlay() {
  const { t } = useTranslation('ingest');
  const { start } = useIngestSession();
  const navigate = useNavigate();
  const isDragging = useWindowFileDrag((files) => {
    const [first] = files;
    if (!first) return;
    start(first);
    navigate('/ingest');
  });
  if (!isDragging) return null;
  return (
    <Box
      data-testid="drop-overlay"
      aria-hidden
      sx={(theme) => ({
        position: 'fixed',
        inset: 0,
        zIndex: theme.zIndex.modal + 10,
        // The overlay only shows; the window's listeners take the drop wherever it lands.
        pointerEvents: 'none',
        display: 'grid',
        placeItems: 'center',
        bgcolor: alpha(theme.palette.background.default, 0.82),
        backdropFilter: 'blur(2px)',
        outline: `3px dashed ${theme.palette.primary.main}`,
        outlineOffset: -14,
        borderRadius: 3,
      })}
    >
      <Box sx={{ textAlign: 'center', color: 'primary.main' }}>
        <CloudUploadOutlined sx={{ fontSize: 64 }} />
        <Typography variant="h5" component="p" sx={{ fontWeight: 700, color: 'text.primary', mt: 1 }}>
          {t('overlay.title')}
        </Typography>
        <Typography variant="body2" sx={{ color: 'text.secondary', mt: 0.5 }}>
          {t('overlay.text')}
        </Typography>
      </Box>
    </Box>
  );
}
