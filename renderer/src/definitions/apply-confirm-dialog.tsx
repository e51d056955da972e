import { useTranslation } from 'react-i18next';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogContentText from '@mui/material/DialogContentText';
import DialogTitle from '@mui/material/DialogTitle';
import type { PlannedChange } from '@shared/api/definitions.js';
import { MONO_SX } from '../common/mono-text.js';
import { definitionKindLabel } from './definition-plan-view-model.js';

interface ApplyConfirmDialogProps {
  breaking: readonly PlannedChange[];
  onCancel: () => void;
  onConfirm: () => void;
}

/** A breaking apply asks first, naming each breaking change and why. */
export function ApplyConfirmDialog({ breaking, onCancel, onConfirm }: ApplyConfirmDialogProps) {
  const { t } = useTranslation('definitions');
  return (
    <Dialog open onClose={onCancel} maxWidth="sm" fullWidth aria-labelledby="apply-confirm-title" data-testid="apply-confirm-dialog">
      <DialogTitle id="apply-confirm-title">{t('confirm.title')}</DialogTitle>
      <DialogContent>
        <DialogContentText>{t('confirm.body')}</DialogContentText>
        <Box component="ul" sx={{ mt: 1.5, mb: 0, pl: 2.5, typography: 'body2' }}>
          {breaking.map((c) => (
            <li key={`${c.kind}:${c.name}`}>
              {definitionKindLabel(c.kind)}{' '}
              <Box component="span" sx={{ ...MONO_SX, fontWeight: 600 }}>
                {c.name}
              </Box>
              : {c.reasons.join('; ')}
            </li>
          ))}
        </Box>
      </DialogContent>
      <DialogActions sx={{ px: 3, pb: 2 }}>
        <Button onClick={onCancel} autoFocus>
          {t('confirm.cancel')}
        </Button>
        <Button color="error" variant="contained" onClick={onConfirm} data-testid="confirm-apply">
          {t('confirm.apply')}
        </Button>
      </DialogActions>
    </Dialog>
  );
}
