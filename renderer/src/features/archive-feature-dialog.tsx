import { useState } from 'react';
import Button from '@mui/material/Button';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogContentText from '@mui/material/DialogContentText';
import DialogTitle from '@mui/material/DialogTitle';
import { useTranslation } from 'react-i18next';
import { useClient } from '../api/use-client.js';
import { ErrorAlert } from '../common/error-alert.js';

interface ArchiveFeatureDialogProps {
  name: string;
  onClose: () => void;
  onArchived: () => void;
}

export function ArchiveFeatureDialog({ name, onClose, onArchived }: ArchiveFeatureDialogProps) {
  const { t } = useTranslation('features');
  const { client } = useClient();
  const [isArchiving, setIsArchiving] = useState(false);
  const [error, setError] = useState<unknown>();

  const archive = async () => {
    setIsArchiving(true);
    setError(undefined);
    try {
      await client.features.archive(name);
      onArchived();
    } catch (err) {
      setError(err);
      setIsArchiving(false);
    }
  };

  return (
    <Dialog open onClose={isArchiving ? undefined : onClose} aria-labelledby="archive-feature-title" maxWidth="xs" fullWidth>
      <DialogTitle id="archive-feature-title">{t('archive.title', { name })}</DialogTitle>
      <DialogContent>
        <DialogContentText>
          {t('archive.body')}
        </DialogContentText>
        {error !== undefined && <ErrorAlert error={error} />}
      </DialogContent>
      <DialogActions sx={{ px: 3, pb: 2 }}>
        <Button onClick={onClose} disabled={isArchiving} autoFocus>
          {t('archive.cancel')}
        </Button>
        <Button color="error" variant="contained" onClick={() => void archive()} disabled={isArchiving} data-testid="confirm-archive">
          {isArchiving ? t('archive.archiving') : t('archive.archive')}
        </Button>
      </DialogActions>
    </Dialog>
  );
}
