import { useState } from 'react';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Chip from '@mui/material/Chip';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogContentText from '@mui/material/DialogContentText';
import DialogTitle from '@mui/material/DialogTitle';
import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import { Trans, useTranslation } from 'react-i18next';
import type { Feature, FeatureService } from '@shared/domain/schemas.js';
import { useClient } from '../api/use-client.js';
import { ErrorAlert } from '../common/error-alert.js';
import { MONO_SX } from '../common/mono-text.js';
import { TagsInput } from '../common/tags-input.js';
import { draftFromFeatures, explainServiceName } from './service-draft.js';

interface CreateServiceDialogProps {
  features: readonly Feature[];
  onClose: () => void;
  onCreated: (service: FeatureService) => void;
}

/** Names the picked features as a feature service: the set a model consumes, served and trained by name. */
export function CreateServiceDialog({ features, onClose, onCreated }: CreateServiceDialogProps) {
  const { t } = useTranslation('registry');
  const { client } = useClient();
  const draft = draftFromFeatures(features);
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const [tags, setTags] = useState<string[]>([]);
  const [isSubmitted, setIsSubmitted] = useState(false);
  const [isSaving, setIsSaving] = useState(false);
  const [error, setError] = useState<unknown>();
  const nameProblem = explainServiceName(name.trim());

  const create = async () => {
    setIsSubmitted(true);
    if (nameProblem || draft.problem) return;
    setIsSaving(true);
    setError(undefined);
    try {
      onCreated(await client.featureServices.create({ name: name.trim(), description: description.trim(), tags, features: draft.references }));
    } catch (err) {
      setError(err);
      setIsSaving(false);
    }
  };

  return (
    <Dialog open onClose={isSaving ? undefined : onClose} maxWidth="sm" fullWidth aria-labelledby="create-service-title" data-testid="create-service-dialog">
      <form
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void create();
        }}
      >
        <DialogTitle id="create-service-title">{t('createService.title')}</DialogTitle>
        <DialogContent>
          <Stack spacing={2.5}>
            <DialogContentText>
              <Trans t={t} i18nKey="createService.body" components={{ code: <Box component="code" /> }} />
            </DialogContentText>
            {draft.problem && (
              <Alert severity="warning" data-testid="service-selection-problem">
                {draft.problem}
              </Alert>
            )}
            {error !== undefined && <ErrorAlert error={error} />}
            <TextField
              id="service-name"
              label={t('createService.name')}
              required
              autoFocus
              value={name}
              onChange={(e) => setName(e.target.value)}
              error={isSubmitted && nameProblem !== undefined}
              helperText={isSubmitted && nameProblem ? nameProblem : t('createService.nameHelp')}
              slotProps={{ htmlInput: { 'data-testid': 'service-name-input', spellCheck: false } }}
            />
            <TextField
              id="service-description"
              label={t('createService.description')}
              multiline
              minRows={2}
              value={description}
              onChange={(e) => setDescription(e.target.value)}
              helperText={t('createService.descriptionHelp')}
            />
            <TagsInput id="service-tags" label={t('createService.tags')} value={tags} onChange={setTags} helperText={t('createService.tagsHelp')} />
            <Box>
              <Box sx={{ typography: 'body2', color: 'text.secondary', mb: 1 }}>
                {draft.entity
                  ? t('createService.pickedOfEntity', { count: features.length, entity: draft.entity })
                  : t('createService.picked', { count: features.length })}
              </Box>
              <Box sx={{ display: 'flex', flexWrap: 'wrap', gap: 0.75 }} data-testid="service-references">
                {draft.references.map((r) => (
                  <Chip key={r} label={r} size="small" variant="outlined" sx={MONO_SX} />
                ))}
              </Box>
            </Box>
          </Stack>
        </DialogContent>
        <DialogActions sx={{ px: 3, pb: 2 }}>
          <Button onClick={onClose} disabled={isSaving}>
            {t('createService.cancel')}
          </Button>
          <Button type="submit" variant="contained" disabled={isSaving || draft.problem !== undefined} data-testid="create-service-submit">
            {isSaving ? t('createService.creating') : t('createService.create')}
          </Button>
        </DialogActions>
      </form>
    </Dialog>
  );
}
