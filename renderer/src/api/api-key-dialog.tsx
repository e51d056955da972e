import { useState } from 'react';
import Alert from '@mui/material/Alert';
import Button from '@mui/material/Button';
import Checkbox from '@mui/material/Checkbox';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogContentText from '@mui/material/DialogContentText';
import DialogTitle from '@mui/material/DialogTitle';
import FormControlLabel from '@mui/material/FormControlLabel';
import TextField from '@mui/material/TextField';
import { Trans, useTranslation } from 'react-i18next';

export interface ApiKeyDialogProps {
  /** Why the dialog opened on its own (the service's 401 message), if it did. */
  reason?: string;
  currentKey?: string;
  onSave(key: string, remember: boolean): void;
  onClose(): void;
}

/** Where the user enters the API key the service asks for (auth on). Mounted only while shown. */
export function ApiKeyDialog({ reason, currentKey, onSave, onClose }: ApiKeyDialogProps) {
  const { t } = useTranslation('api');
  const [key, setKey] = useState(currentKey ?? '');
  const [remember, setRemember] = useState(false);

  return (
    <Dialog open onClose={onClose} maxWidth="sm" fullWidth data-testid="api-key-dialog">
      <DialogTitle>{t('key.title')}</DialogTitle>
      <DialogContent>
        {reason && (
          <Alert severity="warning" sx={{ mb: 2 }} data-testid="api-key-reason">
            {reason}
          </Alert>
        )}
        <DialogContentText sx={{ mb: 2 }}>
          <Trans t={t} i18nKey="key.intro" components={{ cmd: <code />, prefix: <code /> }} />
        </DialogContentText>
        <TextField
          autoFocus
          fullWidth
          type="password"
          label={t('key.label')}
          value={key}
          onChange={(e) => setKey(e.target.value)}
          slotProps={{ htmlInput: { 'data-testid': 'api-key-input', autoComplete: 'off', spellCheck: false } }}
        />
        <FormControlLabel
          sx={{ mt: 1 }}
          control={<Checkbox checked={remember} onChange={(e) => setRemember(e.target.checked)} />}
          label={t('key.remember')}
        />
      </DialogContent>
      <DialogActions>
        {currentKey && <Button onClick={() => onSave('', false)}>{t('key.forget')}</Button>}
        <Button onClick={onClose}>{t('key.cancel')}</Button>
        <Button variant="contained" onClick={() => onSave(key, remember)} disabled={!key.trim()} data-testid="api-key-save">
          {t('key.save')}
        </Button>
      </DialogActions>
    </Dialog>
  );
}
