import { useCallback, useMemo, useState } from 'react';
import { Trans, useTranslation } from 'react-i18next';
import Alert from '@mui/material/Alert';
import AlertTitle from '@mui/material/AlertTitle';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Typography from '@mui/material/Typography';
import DownloadOutlined from '@mui/icons-material/DownloadOutlined';
import FolderOutlined from '@mui/icons-material/FolderOutlined';
import Inventory2Outlined from '@mui/icons-material/Inventory2Outlined';
import RefreshOutlined from '@mui/icons-material/RefreshOutlined';
import type { ExportDefinitionsResult } from '@shared/ipc/desktop-api.js';
import { bundleToFiles, type DefinitionFile } from '@shared/domain/definition-files.js';
import { useClient } from '../api/use-client.js';
import { CodeBlock } from '../common/code-block.js';
import { EmptyState } from '../common/empty-state.js';
import { ErrorAlert } from '../common/error-alert.js';
import { LoadingState } from '../common/loading-state.js';
import { SectionCard } from '../common/section-card.js';
import { useAsync } from '../common/use-async.js';
import { DefinitionFileList } from './definition-file-list.js';
import { ARCHIVE_FILE_NAME, definitionsArchive } from './definitions-archive.js';
import { downloadFile } from './download-file.js';

type Exported = { files: DefinitionFile[] } | { problem: unknown };

/** The registry as the files `fstore export` writes: browse them, then save them to a folder or as a download. */
export function ExportPanel() {
  const { client } = useClient();
  const { t } = useTranslation('definitions');
  const bundle = useAsync(useCallback(() => client.definitions.export(), [client]));
  const exported = useMemo<Exported | undefined>(() => {
    if (!bundle.data) return undefined;
    try {
      return { files: bundleToFiles(bundle.data) };
    } catch (problem) {
      return { problem };
    }
  }, [bundle.data]);
  const [selectedPath, setSelectedPath] = useState<string>();
  const [isSaving, setIsSaving] = useState(false);
  const [saved, setSaved] = useState<Extract<ExportDefinitionsResult, { cancelled: false }>>();
  const [saveError, setSaveError] = useState<unknown>();
  const desktop = window.fstore;

  if (bundle.error !== undefined) return <ErrorAlert error={bundle.error} onRetry={bundle.reload} />;
  if (!exported) return <LoadingState label={t('export.loading')} />;
  if ('problem' in exported) return <ErrorAlert error={exported.problem} onRetry={bundle.reload} />;
  const { files } = exported;
  if (files.length === 0) {
    return (
      <EmptyState icon={<Inventory2Outlined />} title={t('export.emptyTitle')} testId="export-empty">
        <Typography variant="body2">{t('export.emptyBody')}</Typography>
      </EmptyState>
    );
  }
  const selected = files.find((f) => f.path === selectedPath) ?? files[0]!;

  const saveToFolder = async () => {
    if (!desktop) return;
    setIsSaving(true);
    setSaveError(undefined);
    try {
      const result = await desktop.exportDefinitions(files);
      setSaved(result.cancelled ? undefined : result);
    } catch (err) {
      setSaveError(err);
    } finally {
      setIsSaving(false);
    }
  };

  return (
    <Box sx={{ display: 'grid', gap: 2.5 }}>
      {saved && (
        <Alert severity="success" onClose={() => setSaved(undefined)} data-testid="export-saved">
          <AlertTitle>{t('export.savedTitle', { folder: saved.folder })}</AlertTitle>
          {t('export.written', { count: saved.written })}
          {saved.removed > 0 ? t('export.removed', { count: saved.removed }) : ''}
          {t('export.reviewWithGit')}
        </Alert>
      )}
      {saveError !== undefined && <ErrorAlert error={saveError} />}
      <SectionCard
        title={t('export.title')}
        subtitle={
          <Trans t={t} i18nKey="export.subtitle" values={{ count: files.length }} components={[<code key="0" />]} />
        }
        testId="export-files"
        actions={
          <>
            <Button startIcon={<RefreshOutlined />} onClick={bundle.reload} disabled={bundle.isLoading}>
              {t('export.refresh')}
            </Button>
            {desktop ? (
              <Button variant="contained" startIcon={<FolderOutlined />} onClick={() => void saveToFolder()} disabled={isSaving} data-testid="export-to-folder">
                {isSaving ? t('export.exporting') : t('export.toFolder')}
              </Button>
            ) : (
              <Button
                variant="contained"
                startIcon={<DownloadOutlined />}
                onClick={() => downloadFile(ARCHIVE_FILE_NAME, definitionsArchive(files, Date.now()), 'application/x-tar')}
                data-testid="download-definitions"
              >
                {t('export.download', { name: ARCHIVE_FILE_NAME })}
              </Button>
            )}
          </>
        }
      >
        <Box sx={{ display: 'grid', gridTemplateColumns: { xs: '1fr', md: '300px minmax(0, 1fr)' }, gap: 2.5, alignItems: 'start' }}>
          <Box sx={{ border: 1, borderColor: 'divider', borderRadius: 1, overflow: 'hidden' }}>
            <DefinitionFileList
              files={files}
              selectedPath={selected.path}
              onSelect={setSelectedPath}
              onDownload={(file) => downloadFile(file.path.slice(file.path.indexOf('/') + 1), file.text, 'text/plain')}
            />
          </Box>
          <Box sx={{ display: 'grid', gap: 1, minWidth: 0 }} data-testid="definition-file-preview" data-path={selected.path}>
            <Typography variant="subtitle2" component="h3" sx={{ fontFamily: 'monospace' }}>
              {selected.path}
            </Typography>
            <CodeBlock code={selected.text} label={t('export.contentsOf', { path: selected.path })} />
          </Box>
        </Box>
        {!desktop && (
          <Typography variant="body2" sx={{ color: 'text.secondary', mt: 2 }}>
            <Trans t={t} i18nKey="export.untar" values={{ command: `tar -xf ${ARCHIVE_FILE_NAME}` }} components={[<code key="0" />, <code key="1" />]} />
          </Typography>
        )}
      </SectionCard>
    </Box>
  );
}
