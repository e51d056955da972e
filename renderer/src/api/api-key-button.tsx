import IconButton from '@mui/material/IconButton';
import Tooltip from '@mui/material/Tooltip';
import KeyOutlined from '@mui/icons-material/KeyOutlined';
import { useApiKeySettings } from './api-key-context.js';

/** Top-bar button that opens the API key settings. */
export function ApiKeyButton() {
  const { hasApiKey, openApiKeySettings } = useApiKeySettings();
  const label = hasApiKey ? 'API key (set)' : 'Set an API key';
  return (
    <Tooltip title={label}>
      <IconButton onClick={openApiKeySettings} aria-label={label} data-testid="api-key-button" color="inherit">
        <KeyOutlined />
      </IconButton>
    </Tooltip>
  );
}
