import { useCallback, useMemo, useState, type DragEvent } from 'react';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogTitle from '@mui/material/DialogTitle';
import MenuItem from '@mui/material/MenuItem';
import Stack from '@mui/material/Stack';
import Tab from '@mui/material/Tab';
import Tabs from '@mui/material/Tabs';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { alpha } from '@mui/material/styles';
import CloudUploadOutlined from '@mui/icons-material/CloudUploadOutlined';
import type { DataSource } from '@shared/domain/schemas.js';
import { useTranslation } from 'react-i18next';
import { useClient } from '../api/use-client.js';
import { describeApiError } from '../api/describe-api-error.js';
import { ErrorAlert } from '../common/error-alert.js';
import { useAsync } from '../common/use-async.js';
import { detectDataFormat, explainUnsupportedFile } from '../ingest/data-file-format.js';
import { FileCard } from '../ingest/file-card.js';
import { FilePickerButton } from '../ingest/file-picker-button.js';
import { EMPTY_SOURCE_DRAFT, sourceNameFromFile, toDataSourceInput, validateSourceDraft, type SourceDraft, type SourceOrigin } from './source-draft.js';
import { useFileUpload } from './use-file-upload.js';

interface AddSourceDialogProps {
  existingNames: ReadonlySet<string>;
  onClose: () => void;
  onCreated: (source: DataSource, warnings: string[]) => void;
}

const hasFiles = (e: DragEvent) => e.dataTransfer.types.includes('Files');

/** Registers a data source: an uploaded file (dropped or picked), a file on the server, or a feature group's history. */
export function AddSourceDialog({ existingNames, onClose, onCreated }: AddSourceDialogProps) {
  const { t } = useTranslation('dataSources');
  const { client } = useClient();
  const [draft, setDraft] = useState<SourceDraft>(EMPTY_SOURCE_DRAFT);
  const [isNameEdited, setIsNameEdited] = useState(false);
  const [file, setFile] = useState<File>();
  const [fileProblem, setFileProblem] = useState<string>();
  const [isDragging, setIsDragging] = useState(false);
  const [isSubmitted, setIsSubmitted] = useState(false);
  const [isSaving, setIsSaving] = useState(false);
  const [serverError, setServerError] = useState<unknown>();
  const upload = useFileUpload(draft.origin === 'upload' ? file : undefined);
  const groups = useAsync(useCallback(() => client.featureGroups.list(), [client]));
  const groupNames = useMemo(() => (groups.data ?? []).map((g) => g.name).sort(), [groups.data]);

  const errors = validateSourceDraft(draft, upload.receipt, existingNames);
  const serverProblems = serverError === undefined ? [] : describeApiError(serverError).problems;
  const shown = (field: 'name' | 'path' | 'featureGroup') =>
    (isSubmitted || (field === 'name' && draft.name !== '') ? errors[field] : undefined) ?? serverProblems.find((p) => p.field === field)?.message;

  const update = (change: Partial<SourceDraft>) => {
    setDraft((d) => ({ ...d, ...change }));
    setServerError(undefined);
  };

  const chooseFile = (chosen: File) => {
    if (!detectDataFormat(chosen)) {
      setFileProblem(explainUnsupportedFile(chosen));
      return;
    }
    setFileProblem(undefined);
    setFile(chosen);
    if (!isNameEdited) update({ name: sourceNameFromFile(chosen.name) });
  };

  // The whole dialog takes file drags, so the window-wide "drop to ingest" zone stays out of the way.
  const onDrag = (e: DragEvent, isOver: boolean) => {
    if (!hasFiles(e)) return;
    e.preventDefault();
    e.stopPropagation();
    if (draft.origin === 'upload') setIsDragging(isOver);
  };
  const onDrop = (e: DragEvent) => {
    if (!hasFiles(e)) return;
    e.preventDefault();
    e.stopPropagation();
    setIsDragging(false);
    const [dropped] = Array.from(e.dataTransfer.files);
    if (dropped && draft.origin === 'upload') chooseFile(dropped);
  };

  const submit = async () => {
    setIsSubmitted(true);
    if (Object.keys(errors).length > 0) return;
    setIsSaving(true);
    setServerError(undefined);
    try {
      const created = await client.dataSources.create(toDataSourceInput(draft, upload.receipt));
      onCreated(created, created.warnings ?? []);
    } catch (err) {
      setServerError(err);
      setIsSaving(false);
    }
  };

  const format = file ? detectDataFormat(file) : undefined;
  return (
    <Dialog
      open
      onClose={isSaving ? undefined : onClose}
      fullWidth
      maxWidth="sm"
      aria-labelledby="add-source-title"
      data-testid="add-source-dialog"
      onDragEnter={(e) => onDrag(e, true)}
      onDragOver={(e) => onDrag(e, true)}
      onDragLeave={(e) => onDrag(e, false)}
      onDrop={onDrop}
    >
      <form
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        <DialogTitle id="add-source-title">{t('dialog.title')}</DialogTitle>
        <DialogContent>
          <Stack spacing={2.5}>
            <Typography variant="body2" sx={{ color: 'text.secondary' }}>
              {t('dialog.intro')}
            </Typography>
            <Tabs value={draft.origin} onChange={(_e, origin: SourceOrigin) => update({ origin })} aria-label={t('dialog.originLabel')}>
              <Tab label={t('dialog.upload')} value="upload" data-testid="source-origin-upload" />
              <Tab label={t('dialog.path')} value="path" data-testid="source-origin-path" />
              <Tab label={t('dialog.featureGroup')} value="feature_group" data-testid="source-origin-feature-group" />
            </Tabs>
            {serverError !== undefined && (
              <Box data-testid="add-source-error">
                <ErrorAlert error={serverError} />
              </Box>
            )}
            {draft.origin === 'upload' && (
              <>
                <Box
                  data-testid="source-drop-zone"
                  data-dragging={isDragging}
                  sx={(theme) => ({
                    p: 3,
                    border: 2,
                    borderStyle: 'dashed',
                    borderRadius: 2,
                    borderColor: isDragging ? 'primary.main' : 'divider',
                    bgcolor: isDragging ? alpha(theme.palette.primary.main, 0.06) : 'transparent',
                    textAlign: 'center',
                    display: 'grid',
                    gap: 1.5,
                    justifyItems: 'center',
                  })}
                >
                  <CloudUploadOutlined color="primary" sx={{ fontSize: 40 }} />
                  <Typography variant="body2">{t('dialog.drop')}</Typography>
                  <FilePickerButton label={file ? t('dialog.chooseAnother') : t('dialog.chooseFile')} onFile={chooseFile} variant="outlined" testId="source-file" />
                </Box>
                {fileProblem && <Alert severity="error">{fileProblem}</Alert>}
                {file && format && <FileCard file={file} format={format} upload={upload} isUploaded={upload.receipt !== undefined} />}
                {isSubmitted && errors.upload && !file && <Alert severity="warning">{errors.upload}</Alert>}
              </>
            )}
            {draft.origin === 'path' && (
              <TextField
                id="source-path"
                label={t('dialog.pathLabel')}
                placeholder="/data/transactions/*.parquet"
                value={draft.path}
                onChange={(e) => update({ path: e.target.value })}
                error={shown('path') !== undefined}
                helperText={shown('path') ?? t('dialog.pathHelp')}
                slotProps={{ htmlInput: { spellCheck: false } }}
              />
            )}
            {draft.origin === 'feature_group' && (
              <TextField
                id="source-feature-group"
                select
                label={t('dialog.featureGroup')}
                value={draft.featureGroup}
                onChange={(e) => update({ featureGroup: e.target.value })}
                error={shown('featureGroup') !== undefined}
                helperText={shown('featureGroup') ?? t('dialog.groupHelp')}
              >
                {groupNames.map((g) => (
                  <MenuItem key={g} value={g}>
                    {g}
                  </MenuItem>
                ))}
              </TextField>
            )}
            <TextField
              id="source-name"
              label={t('dialog.name')}
              required
              value={draft.name}
              onChange={(e) => {
                setIsNameEdited(true);
                update({ name: e.target.value });
              }}
              error={shown('name') !== undefined}
              helperText={shown('name') ?? t('dialog.nameHelp')}
              autoComplete="off"
              slotProps={{ htmlInput: { spellCheck: false, 'data-testid': 'source-name-input' } }}
            />
            <TextField
              id="source-description"
              label={t('dialog.description')}
              value={draft.description}
              onChange={(e) => update({ description: e.target.value })}
              multiline
              minRows={2}
            />
          </Stack>
        </DialogContent>
        <DialogActions sx={{ px: 3, pb: 2 }}>
          <Button onClick={onClose} disabled={isSaving}>
            {t('dialog.cancel')}
          </Button>
          <Button type="submit" variant="contained" disabled={isSaving} data-testid="create-source">
            {isSaving ? t('dialog.adding') : t('dialog.add')}
          </Button>
        </DialogActions>
      </form>
    </Dialog>
  );
}
