import IconButton from '@mui/material/IconButton';
import Tooltip from '@mui/material/Tooltip';
import KeyOutlined from '@mui/icons-material/KeyOutlined';
import { useTranslation } from 'react-i18next';
import { useApiKeySettings } from './api-key-context.js';

/** Top-bar button that opens the API key settings. */
export function ApiKeyButton() {
  const { hasApiKey, openApiKeySettings } = useApiKeySettings();
  const { t } = useTranslation('api');
  const label = hasApiKey ? t('key.isSet') : t('key.setOne');
  return (
    <Tooltip title={label}>
      <IconButton onClick={openApiKeySettings} aria-label={label} data-testid="api-key-button" color="inherit">
        <KeyOutlined />
      </IconButton>
    </Tooltip>
  );
}
