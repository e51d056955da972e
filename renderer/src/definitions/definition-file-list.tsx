import { Fragment } from 'react';
import { useTranslation } from 'react-i18next';
import IconButton from '@mui/material/IconButton';
import List from '@mui/material/List';
import ListItem from '@mui/material/ListItem';
import ListItemButton from '@mui/material/ListItemButton';
import ListItemText from '@mui/material/ListItemText';
import ListSubheader from '@mui/material/ListSubheader';
import Tooltip from '@mui/material/Tooltip';
import FileDownloadOutlined from '@mui/icons-material/FileDownloadOutlined';
import type { DefinitionFile } from '@shared/domain/definition-files.js';
import { formatBytes } from '../common/format-number.js';
import { MONO_SX } from '../common/mono-text.js';

interface DefinitionFileListProps {
  files: readonly DefinitionFile[];
  selectedPath: string | undefined;
  onSelect: (path: string) => void;
  onDownload: (file: DefinitionFile) => void;
}

const encoder = new TextEncoder();

/** The exported folder as the user will see it on disk: one subfolder per kind, one file per object. */
export function DefinitionFileList({ files, selectedPath, onSelect, onDownload }: DefinitionFileListProps) {
  const { t } = useTranslation('definitions');
  const folders = new Map<string, DefinitionFile[]>();
  for (const file of files) {
    const folder = file.path.slice(0, file.path.indexOf('/'));
    folders.set(folder, [...(folders.get(folder) ?? []), file]);
  }
  return (
    <List dense disablePadding aria-label={t('files.label')} data-testid="definition-files" sx={{ overflowY: 'auto', maxHeight: 560 }}>
      {[...folders].map(([folder, inFolder]) => (
        <Fragment key={folder}>
          <ListSubheader sx={{ ...MONO_SX, lineHeight: '32px', fontWeight: 650 }}>{folder}/</ListSubheader>
          {inFolder.map((file) => {
            const fileName = file.path.slice(folder.length + 1);
            return (
              <ListItem
                key={file.path}
                disablePadding
                data-testid="definition-file"
                data-path={file.path}
                secondaryAction={
                  <Tooltip title={t('files.download', { name: fileName })}>
                    <IconButton edge="end" size="small" aria-label={t('files.download', { name: file.path })} onClick={() => onDownload(file)} data-testid="download-definition-file">
                      <FileDownloadOutlined fontSize="small" />
                    </IconButton>
                  </Tooltip>
                }
              >
                <ListItemButton selected={file.path === selectedPath} onClick={() => onSelect(file.path)} sx={{ pl: 3 }} data-testid="select-definition-file">
                  <ListItemText
                    primary={fileName}
                    secondary={formatBytes(encoder.encode(file.text).length)}
                    slotProps={{ primary: { sx: { ...MONO_SX, wordBreak: 'break-all' } } }}
                  />
                </ListItemButton>
              </ListItem>
            );
          })}
        </Fragment>
      ))}
    </List>
  );
}
