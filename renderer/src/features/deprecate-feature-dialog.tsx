import { useCallback, useMemo, useState } from 'react';
import Button from '@mui/material/Button';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogContentText from '@mui/material/DialogContentText';
import DialogTitle from '@mui/material/DialogTitle';
import MenuItem from '@mui/material/MenuItem';
import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import { useTranslation } from 'react-i18next';
import type { Feature } from '@shared/domain/schemas.js';
import { useClient } from '../api/use-client.js';
import { ErrorAlert } from '../common/error-alert.js';
import { useAsync } from '../common/use-async.js';

interface DeprecateFeatureDialogProps {
  feature: Pick<Feature, 'name' | 'entity'>;
  onClose: () => void;
  onDeprecated: (feature: Feature) => void;
}

/** The service's limit on a deprecation reason. */
const MAX_REASON_LENGTH = 2000;

/** Deprecating keeps the feature served, with a warning to every client that asks for it. */
export function DeprecateFeatureDialog({ feature, onClose, onDeprecated }: DeprecateFeatureDialogProps) {
  const { t } = useTranslation('features');
  const { client } = useClient();
  const siblings = useAsync(useCallback(() => client.features.list({ entity: feature.entity }), [client, feature.entity]));
  const replacements = useMemo(
    () => (siblings.data ?? []).filter((f) => f.name !== feature.name).map((f) => f.name).sort(),
    [siblings.data, feature.name],
  );
  const [reason, setReason] = useState('');
  const [replacedBy, setReplacedBy] = useState('');
  const [isSubmitted, setIsSubmitted] = useState(false);
  const [isSaving, setIsSaving] = useState(false);
  const [error, setError] = useState<unknown>();

  const reasonProblem =
    reason.trim() === '' ? t('deprecate.reasonRequired') : reason.length > MAX_REASON_LENGTH ? t('deprecate.reasonTooLong', { max: MAX_REASON_LENGTH }) : undefined;

  const deprecate = async () => {
    setIsSubmitted(true);
    if (reasonProblem) return;
    setIsSaving(true);
    setError(undefined);
    try {
      onDeprecated(await client.features.deprecate(feature.name, { reason: reason.trim(), ...(replacedBy ? { replaced_by: replacedBy } : {}) }));
    } catch (err) {
      setError(err);
      setIsSaving(false);
    }
  };

  return (
    <Dialog open onClose={isSaving ? undefined : onClose} maxWidth="sm" fullWidth aria-labelledby="deprecate-feature-title" data-testid="deprecate-dialog">
      <form
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void deprecate();
        }}
      >
        <DialogTitle id="deprecate-feature-title">{t('deprecate.title', { name: feature.name })}</DialogTitle>
        <DialogContent>
          <Stack spacing={2.5}>
            <DialogContentText>
              {t('deprecate.body')}
            </DialogContentText>
            {error !== undefined && <ErrorAlert error={error} />}
            <TextField
              id="deprecation-reason"
              label={t('deprecate.reason')}
              required
              multiline
              minRows={2}
              value={reason}
              onChange={(e) => setReason(e.target.value)}
              error={isSubmitted && reasonProblem !== undefined}
              helperText={(isSubmitted ? reasonProblem : undefined) ?? t('deprecate.reasonHelp')}
              autoFocus
              slotProps={{ htmlInput: { 'data-testid': 'deprecation-reason-input' } }}
            />
            <TextField
              id="deprecation-replaced-by"
              select
              label={t('deprecate.replacedBy')}
              value={replacedBy}
              onChange={(e) => setReplacedBy(e.target.value)}
              helperText={
                siblings.error !== undefined
                  ? t('deprecate.siblingsFailed')
                  : t('deprecate.replacedByHelp', { entity: feature.entity })
              }
              slotProps={{ inputLabel: { shrink: true }, select: { displayEmpty: true } }}
            >
              <MenuItem value="">
                <em>{t('deprecate.none')}</em>
              </MenuItem>
              {replacements.map((name) => (
                <MenuItem key={name} value={name} sx={{ fontFamily: 'monospace' }}>
                  {name}
                </MenuItem>
              ))}
            </TextField>
          </Stack>
        </DialogContent>
        <DialogActions sx={{ px: 3, pb: 2 }}>
          <Button onClick={onClose} disabled={isSaving}>
            {t('deprecate.cancel')}
          </Button>
          <Button type="submit" color="warning" variant="contained" disabled={isSaving} data-testid="confirm-deprecate">
            {isSaving ? t('deprecate.deprecating') : t('deprecate.deprecate')}
          </Button>
        </DialogActions>
      </form>
    </Dialog>
  );
}
