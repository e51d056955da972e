import { useState } from 'react';
import Alert from '@mui/material/Alert';
import Button from '@mui/material/Button';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogTitle from '@mui/material/DialogTitle';
import MenuItem from '@mui/material/MenuItem';
import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import { FEATURE_TYPES, type FeatureType } from '@shared/domain/value-types.js';
import { describeApiError } from '../api/describe-api-error.js';
import type { Feature, FeatureUpdate } from '@shared/domain/schemas.js';
import { useTranslation } from 'react-i18next';
import { useClient } from '../api/use-client.js';
import { ErrorAlert } from '../common/error-alert.js';
import { TagsInput } from '../common/tags-input.js';
import { explainFeatureTypeMismatch } from './feature-rules.js';
import { FieldHints } from './field-hints.js';
import { featureNamingHints, hintsForField } from './naming-hints.js';
import { featureTypeHint, featureTypeLabel } from './type-labels.js';

interface EditFeatureDialogProps {
  feature: Feature;
  tagSuggestions: readonly string[];
  onClose: () => void;
  onSaved: (warnings: string[]) => void;
}

/** Edits the mutable fields of a feature; the service records the change as a new version. */
export function EditFeatureDialog({ feature, tagSuggestions, onClose, onSaved }: EditFeatureDialogProps) {
  const { t } = useTranslation('features');
  const { client } = useClient();
  const [description, setDescription] = useState(feature.description);
  const [featureType, setFeatureType] = useState<FeatureType>(feature.feature_type);
  const [tags, setTags] = useState<string[]>(feature.tags);
  const [source, setSource] = useState(feature.source ?? '');
  const [isSaving, setIsSaving] = useState(false);
  const [error, setError] = useState<unknown>();

  const update: FeatureUpdate = {
    ...(description !== feature.description ? { description } : {}),
    ...(featureType !== feature.feature_type ? { feature_type: featureType } : {}),
    ...(!sameList(tags, feature.tags) ? { tags } : {}),
    ...(source !== (feature.source ?? '') ? { source: source.trim() === '' ? null : source } : {}),
  };
  const hasChanges = Object.keys(update).length > 0;
  // The name and entity cannot change here, so only the description and tags hints can be acted on.
  const namingHints = featureNamingHints({ name: feature.name, entity: feature.entity, description, tags });
  const typeProblem = explainFeatureTypeMismatch(featureType, feature.value_type);
  const serverProblems = error === undefined ? [] : describeApiError(error).problems;
  const fieldError = (field: string) => serverProblems.find((p) => p.field === field)?.message;

  const save = async () => {
    if (!hasChanges || typeProblem) return;
    setIsSaving(true);
    setError(undefined);
    try {
      const saved = await client.features.update(feature.name, update);
      onSaved(saved.warnings ?? []);
    } catch (err) {
      setError(err);
      setIsSaving(false);
    }
  };

  return (
    <Dialog open onClose={isSaving ? undefined : onClose} fullWidth maxWidth="sm" aria-labelledby="edit-feature-title">
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void save();
        }}
        noValidate
      >
        <DialogTitle id="edit-feature-title">{t('edit.title', { name: feature.name })}</DialogTitle>
        <DialogContent>
          <Stack spacing={2.5} sx={{ pt: 1 }}>
            <Alert severity="info" variant="outlined">
              {t('edit.info', { version: feature.version + 1 })}
            </Alert>
            {error !== undefined && <ErrorAlert error={error} />}
            <TextField
              id="edit-description"
              label={t('edit.description')}
              value={description}
              onChange={(e) => setDescription(e.target.value)}
              multiline
              minRows={2}
              error={fieldError('description') !== undefined}
              helperText={fieldError('description')}
              autoFocus
            />
            <FieldHints hints={hintsForField(namingHints, 'description')} testId="description-hints" />
            <TextField
              id="edit-feature-type"
              select
              label={t('edit.type')}
              value={featureType}
              onChange={(e) => setFeatureType(e.target.value as FeatureType)}
              error={typeProblem !== undefined}
              helperText={typeProblem ?? featureTypeHint(featureType)}
            >
              {FEATURE_TYPES.map((type) => (
                <MenuItem key={type} value={type}>
                  {featureTypeLabel(type)}
                </MenuItem>
              ))}
            </TextField>
            <TagsInput id="edit-tags" label={t('edit.tags')} value={tags} onChange={setTags} suggestions={tagSuggestions} error={fieldError('tags')} />
            <FieldHints hints={hintsForField(namingHints, 'tags')} testId="tags-hints" />
            <TextField
              id="edit-source"
              label={t('edit.source')}
              placeholder="warehouse.users.birth_date"
              value={source}
              onChange={(e) => setSource(e.target.value)}
              error={fieldError('source') !== undefined}
              helperText={fieldError('source') ?? t('edit.sourceHelp')}
            />
          </Stack>
        </DialogContent>
        <DialogActions sx={{ px: 3, pb: 2 }}>
          <Button onClick={onClose} disabled={isSaving}>
            {t('edit.cancel')}
          </Button>
          <Button
            type="submit"
            variant="contained"
            disabled={!hasChanges || typeProblem !== undefined || isSaving}
            data-testid="save-feature"
          >
            {isSaving ? t('edit.saving') : t('edit.save')}
          </Button>
        </DialogActions>
      </form>
    </Dialog>
  );
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}
