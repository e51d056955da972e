import { useEffect, useState } from 'react';
import Alert from '@mui/material/Alert';
import Button from '@mui/material/Button';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogTitle from '@mui/material/DialogTitle';
import MenuItem from '@mui/material/MenuItem';
import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import { useTranslation } from 'react-i18next';
import { CONNECTION_KINDS, type Connection, type ConnectionKind } from '@shared/api/connections.js';
import { connectionSecretName, explainInvalidSecretUrl } from '@shared/ipc/desktop-api.js';
import { useClient } from '../api/use-client.js';
import { describeApiError } from '../api/describe-api-error.js';
import { MONO_SX } from '../common/mono-text.js';
import { emptyConnectionDraft, toConnectionInput, validateConnectionDraft, type ConnectionDraft } from './connection-draft.js';

interface ConnectionDialogProps {
  /** The connection being edited; undefined to add one. */
  editing?: Connection;
  onClose(): void;
  /** `needsRestart`: a password was kept for the bundled service, which reads it when it starts. */
  onSaved(saved: Connection, needsRestart: boolean): void;
}

/** True in the desktop app running its bundled service: only then can a password be kept for it. */
function useKeepsPasswords(): boolean {
  const [keeps, setKeeps] = useState(false);
  useEffect(() => {
    let isCurrent = true;
    window.fstore?.getServiceInfo().then(
      (info) => isCurrent && setKeeps(info.mode.kind === 'bundled'),
      () => undefined,
    );
    return () => {
      isCurrent = false;
    };
  }, []);
  return keeps;
}

/** Add or edit a saved connection: name, kind, a URL without a password (and why), description. */
export function ConnectionDialog({ editing, onClose, onSaved }: ConnectionDialogProps) {
  const { t } = useTranslation('connections');
  const { client } = useClient();
  const [draft, setDraft] = useState<ConnectionDraft>(() =>
    editing ? { name: editing.name, kind: editing.kind, url: editing.url, description: editing.description } : emptyConnectionDraft(),
  );
  const [hasTriedSave, setHasTriedSave] = useState(false);
  const [isSaving, setIsSaving] = useState(false);
  const [failure, setFailure] = useState<string>();
  const keepsPasswords = useKeepsPasswords();
  const [secretUrl, setSecretUrl] = useState('');
  const secretEnv = connectionSecretName(draft.name.trim() || 'name');
  const usesSecret = keepsPasswords && secretUrl.trim() !== '';
  // With a kept password the connection saves the env: reference the bundled service will have.
  const sent = usesSecret ? { ...draft, url: `env:${secretEnv}` } : draft;
  const secretProblem = usesSecret && explainInvalidSecretUrl(secretUrl.trim()) !== undefined;
  const problems = validateConnectionDraft(sent);
  // A password is refused as soon as it is typed: it must never be sent.
  const shown = hasTriedSave ? problems : problems.url === 'urlPassword' ? { url: problems.url } : {};
  const update = (change: Partial<ConnectionDraft>) => setDraft((d) => ({ ...d, ...change }));

  const save = async () => {
    setHasTriedSave(true);
    if (Object.keys(problems).length > 0 || secretProblem) return;
    setIsSaving(true);
    setFailure(undefined);
    try {
      const input = toConnectionInput(sent);
      // The password goes to the desktop shell only (encrypted there), never to the service.
      if (usesSecret) await window.fstore?.saveConnectionSecret(secretEnv, secretUrl.trim());
      onSaved(editing ? await client.connections.update(editing.name, input) : await client.connections.create(input), usesSecret);
    } catch (err) {
      setFailure(t('dialog.failed', { message: describeApiError(err).message }));
    } finally {
      setIsSaving(false);
    }
  };

  const name = draft.name.trim() || 'name';
  return (
    <Dialog open onClose={onClose} maxWidth="sm" fullWidth aria-labelledby="connection-dialog-title" data-testid="connection-dialog">
      <DialogTitle id="connection-dialog-title">{editing ? t('dialog.editTitle', { name: editing.name }) : t('dialog.addTitle')}</DialogTitle>
      <DialogContent>
        <Stack spacing={2} sx={{ pt: 1 }}>
          <Alert severity="info" data-testid="connection-no-password">
            {keepsPasswords ? t('dialog.desktopInfo') : t('dialog.whyNoPassword')}
          </Alert>
          <TextField
            id="connection-name"
            label={t('dialog.name')}
            value={draft.name}
            onChange={(e) => update({ name: e.target.value })}
            disabled={editing !== undefined}
            required
            error={shown.name !== undefined}
            helperText={shown.name ? t(`problem.${shown.name}`) : t('dialog.nameHelp', { name })}
            slotProps={{ htmlInput: { 'data-testid': 'connection-name', spellCheck: false } }}
          />
          <TextField
            select
            id="connection-kind"
            label={t('dialog.kind')}
            value={draft.kind}
            onChange={(e) => update({ kind: e.target.value as ConnectionKind })}
            slotProps={{ htmlInput: { 'data-testid': 'connection-kind' } }}
          >
            {CONNECTION_KINDS.map((kind) => (
              <MenuItem key={kind} value={kind}>
                {t(`kind.${kind}`)}
              </MenuItem>
            ))}
          </TextField>
          <TextField
            id="connection-url"
            label={t('dialog.url')}
            value={sent.url}
            onChange={(e) => update({ url: e.target.value })}
            disabled={usesSecret}
            required
            error={shown.url !== undefined}
            helperText={shown.url ? t(`problem.${shown.url}`) : draft.kind === 'postgres' ? t('dialog.urlHelpPostgres') : t('dialog.urlHelpKafka')}
            slotProps={{ htmlInput: { 'data-testid': 'connection-url', spellCheck: false, autoComplete: 'off', style: MONO_SX } }}
          />
          <TextField
            id="connection-description"
            label={t('dialog.description')}
            value={draft.description}
            onChange={(e) => update({ description: e.target.value })}
            slotProps={{ htmlInput: { 'data-testid': 'connection-description', maxLength: 500 } }}
          />
          {keepsPasswords && (
            <TextField
              id="connection-secret-url"
              type="password"
              label={t('dialog.secretUrl')}
              value={secretUrl}
              onChange={(e) => setSecretUrl(e.target.value)}
              error={hasTriedSave && secretProblem}
              helperText={hasTriedSave && secretProblem ? t('problem.secretUrl') : t('dialog.secretHelp', { env: secretEnv })}
              slotProps={{ htmlInput: { 'data-testid': 'connection-secret-url', autoComplete: 'off', spellCheck: false } }}
            />
          )}
          {failure && (
            <Alert severity="error" data-testid="connection-save-failed">
              {failure}
            </Alert>
          )}
        </Stack>
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose}>{t('dialog.cancel')}</Button>
        <Button variant="contained" onClick={() => void save()} disabled={isSaving} data-testid="connection-save">
          {isSaving ? t('dialog.saving') : t('dialog.save')}
        </Button>
      </DialogActions>
    </Dialog>
  );
}
