import IconButton from '@mui/material/IconButton';
import Tooltip from '@mui/material/Tooltip';
import KeyboardOutlined from '@mui/icons-material/KeyboardOutlined';
import { useTranslation } from 'react-i18next';
import { useShortcuts } from './shortcuts-context.js';

/** The top bar's way to the shortcuts sheet, for those who do not know "?" yet. */
export function ShortcutsButton() {
  const { t } = useTranslation('shortcuts');
  const { openSheet } = useShortcuts();
  return (
    <Tooltip title={t('sheet.open')}>
      <IconButton color="inherit" aria-label={t('sheet.title')} onClick={openSheet} data-testid="shortcuts-button">
        <KeyboardOutlined />
      </IconButton>
    </Tooltip>
  );
}
