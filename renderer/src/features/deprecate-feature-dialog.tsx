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
    reason.trim() === '' ? 'Say why, and what to use instead: clients see this in their warning' : reason.length > MAX_REASON_LENGTH ? `At most ${MAX_REASON_LENGTH} characters` : undefined;

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
        <DialogTitle id="deprecate-feature-title">Deprecate {feature.name}?</DialogTitle>
        <DialogContent>
          <Stack spacing={2.5}>
            <DialogContentText>
              The feature stays ingested and served, but online and training responses that include it carry a warning with your
              reason, and the Python SDK raises a FeatureDeprecationWarning. Restore undoes it; archive stops serving it.
            </DialogContentText>
            {error !== undefined && <ErrorAlert error={error} />}
            <TextField
              id="deprecation-reason"
              label="Reason"
              required
              multiline
              minRows={2}
              value={reason}
              onChange={(e) => setReason(e.target.value)}
              error={isSubmitted && reasonProblem !== undefined}
              helperText={(isSubmitted ? reasonProblem : undefined) ?? 'Why, and what to do instead'}
              autoFocus
              slotProps={{ htmlInput: { 'data-testid': 'deprecation-reason-input' } }}
            />
            <TextField
              id="deprecation-replaced-by"
              select
              label="Replaced by"
              value={replacedBy}
              onChange={(e) => setReplacedBy(e.target.value)}
              helperText={
                siblings.error !== undefined
                  ? 'The other features of this entity could not be loaded'
                  : `Optional: a feature of ${feature.entity} to use instead`
              }
              slotProps={{ inputLabel: { shrink: true }, select: { displayEmpty: true } }}
            >
              <MenuItem value="">
                <em>None</em>
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
            Cancel
          </Button>
          <Button type="submit" color="warning" variant="contained" disabled={isSaving} data-testid="confirm-deprecate">
            {isSaving ? 'Deprecating…' : 'Deprecate'}
          </Button>
        </DialogActions>
      </form>
    </Dialog>
  );
}
