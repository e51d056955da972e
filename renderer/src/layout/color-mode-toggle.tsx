import IconButton from '@mui/material/IconButton';
import Tooltip from '@mui/material/Tooltip';
import DarkModeOutlined from '@mui/icons-material/DarkModeOutlined';
import LightModeOutlined from '@mui/icons-material/LightModeOutlined';
import { useTranslation } from 'react-i18next';
import { useColorMode } from '../theme/use-color-mode.js';

export function ColorModeToggle() {
  const { mode, toggle } = useColorMode();
  const { t } = useTranslation();
  const label = mode === 'dark' ? t('colorMode.toLight') : t('colorMode.toDark');
  return (
    <Tooltip title={label}>
      <IconButton onClick={toggle} aria-label={label} data-testid="color-mode-toggle" data-mode={mode} color="inherit">
        {mode === 'dark' ? <LightModeOutlined /> : <DarkModeOutlined />}
      </IconButton>
    </Tooltip>
  );
}
