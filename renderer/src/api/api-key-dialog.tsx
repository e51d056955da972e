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

export interface ApiKeyDialogProps {
  /** Why the dialog opened on its own (the service's 401 message), if it did. */
  reason?: string;
  currentKey?: string;
  onSave(key: string, remember: boolean): void;
  onClose(): void;
}

/** Where the user enters the API key the service asks for (auth on). Mounted only while shown. */
export function ApiKeyDialog({ reason, currentKey, onSave, onClose }: ApiKeyDialogProps) {
  const [key, setKey] = useState(currentKey ?? '');
  const [remember, setRemember] = useState(false);

  return (
    <Dialog open onClose={onClose} maxWidth="sm" fullWidth data-testid="api-key-dialog">
      <DialogTitle>API key</DialogTitle>
      <DialogContent>
        {reason && (
          <Alert severity="warning" sx={{ mb: 2 }} data-testid="api-key-reason">
            {reason}
          </Alert>
        )}
        <DialogContentText sx={{ mb: 2 }}>
          This FStore requires an API key. Ask an administrator for one (created with <code>fstore keys create</code>); it starts with
          <code> fsk_</code>.
        </DialogContentText>
        <TextField
          autoFocus
          fullWidth
          type="password"
          label="API key"
          value={key}
          onChange={(e) => setKey(e.target.value)}
          slotProps={{ htmlInput: { 'data-testid': 'api-key-input', autoComplete: 'off', spellCheck: false } }}
        />
        <FormControlLabel
          sx={{ mt: 1 }}
          control={<Checkbox checked={remember} onChange={(e) => setRemember(e.target.checked)} />}
          label="Remember on this computer (otherwise until this window closes)"
        />
      </DialogContent>
      <DialogActions>
        {currentKey && <Button onClick={() => onSave('', false)}>Forget key</Button>}
        <Button onClick={onClose}>Cancel</Button>
        <Button variant="contained" onClick={() => onSave(key, remember)} disabled={!key.trim()} data-testid="api-key-save">
          Save
        </Button>
      </DialogActions>
    </Dialog>
  );
}
