import { useRef, useState, type DragEvent } from 'react';
import { Trans, useTranslation } from 'react-i18next';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Typography from '@mui/material/Typography';
import FolderOpenOutlined from '@mui/icons-material/FolderOpenOutlined';
import { droppedEntries, filesOfEntries } from './dropped-files.js';
import { pickedFromInput, type PickedFile } from './read-definition-folder.js';

interface FolderDropZoneProps {
  onPicked: (files: PickedFile[]) => void;
  /** The dropped folder could not be read (moved, permissions). */
  onError: (error: unknown) => void;
  isBusy: boolean;
}

const hasFiles = (e: DragEvent) => e.dataTransfer.types.includes('Files');

/** Pick a definitions folder (a folder dialog) or drop one; either way every file comes with its relative path. */
export function FolderDropZone({ onPicked, onError, isBusy }: FolderDropZoneProps) {
  const { t } = useTranslation('definitions');
  const input = useRef<HTMLInputElement | null>(null);
  const [isOver, setIsOver] = useState(false);

  // The zone takes file drags itself, so the window-wide "drop to ingest" overlay stays out of the way.
  const onDrag = (e: DragEvent, over: boolean) => {
    if (!hasFiles(e)) return;
    e.preventDefault();
    e.stopPropagation();
    setIsOver(over);
  };
  const onDrop = (e: DragEvent) => {
    if (!hasFiles(e)) return;
    e.preventDefault();
    e.stopPropagation();
    setIsOver(false);
    const entries = droppedEntries(e.dataTransfer);
    filesOfEntries(entries).then(onPicked, onError);
  };

  return (
    <Box
      data-testid="definitions-drop-zone"
      onDragEnter={(e) => onDrag(e, true)}
      onDragOver={(e) => onDrag(e, true)}
      onDragLeave={(e) => onDrag(e, false)}
      onDrop={onDrop}
      sx={{
        border: 2,
        borderStyle: 'dashed',
        borderColor: isOver ? 'primary.main' : 'divider',
        bgcolor: isOver ? 'action.hover' : undefined,
        borderRadius: 2,
        p: 3,
        display: 'grid',
        justifyItems: 'center',
        gap: 1.5,
        textAlign: 'center',
      }}
    >
      <FolderOpenOutlined sx={{ fontSize: 40, color: 'primary.main' }} />
      <Typography variant="body1" sx={{ fontWeight: 600 }}>
        {t('dropZone.title')}
      </Typography>
      <Typography variant="body2" sx={{ color: 'text.secondary', maxWidth: 560 }}>
        <Trans t={t} i18nKey="dropZone.body" components={[<code key="0" />, <code key="1" />, <code key="2" />, <code key="3" />]} />
      </Typography>
      <Button variant="outlined" onClick={() => input.current?.click()} disabled={isBusy} data-testid="choose-definitions-folder">
        {t('dropZone.choose')}
      </Button>
      <input
        type="file"
        hidden
        multiple
        data-testid="definitions-folder-input"
        ref={(element) => {
          input.current = element;
          // React has no prop for it; the property reflects the attribute Chromium needs for a folder dialog.
          if (element) element.webkitdirectory = true;
        }}
        onChange={(e) => {
          const picked = pickedFromInput(e.target.files);
          // Cleared so that picking the same folder again (after editing it) reads it again.
          e.target.value = '';
          if (picked.length > 0) onPicked(picked);
        }}
      />
    </Box>
  );
}
