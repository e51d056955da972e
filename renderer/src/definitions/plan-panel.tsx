import { useCallback, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import Alert from '@mui/material/Alert';
import AlertTitle from '@mui/material/AlertTitle';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import FormControlLabel from '@mui/material/FormControlLabel';
import LinearProgress from '@mui/material/LinearProgress';
import Switch from '@mui/material/Switch';
import Typography from '@mui/material/Typography';
import PlaylistAddCheckOutlined from '@mui/icons-material/PlaylistAddCheckOutlined';
import type { ApplyResult } from '@shared/api/definitions.js';
import { DefinitionFilesError, filesToBundle } from '@shared/domain/definition-files.js';
import { useClient } from '../api/use-client.js';
import { ErrorAlert } from '../common/error-alert.js';
import { LoadingState } from '../common/loading-state.js';
import { SectionCard } from '../common/section-card.js';
import { useAsync } from '../common/use-async.js';
import { ApplyConfirmDialog } from './apply-confirm-dialog.js';
import { AppliedChanges } from './applied-changes.js';
import { DefinitionPlanView } from './definition-plan-view.js';
import { writingChangeCount } from './definition-plan-view-model.js';
import { FolderDropZone } from './folder-drop-zone.js';
import { readDefinitionFolder, type DefinitionFolder, type PickedFile } from './read-definition-folder.js';

/** Plan a folder of definitions against the registry (nothing written), then apply it. */
export function PlanPanel({ onApplied }: { onApplied: () => void }) {
  const { client } = useClient();
  const { t } = useTranslation('definitions');
  const [folder, setFolder] = useState<DefinitionFolder>();
  const [isReading, setIsReading] = useState(false);
  const [readError, setReadError] = useState<unknown>();
  const [isPruning, setIsPruning] = useState(false);
  const [isConfirming, setIsConfirming] = useState(false);
  const [isApplying, setIsApplying] = useState(false);
  const [applyError, setApplyError] = useState<unknown>();
  const [applied, setApplied] = useState<ApplyResult>();

  const parsed = useMemo(() => {
    if (!folder) return undefined;
    try {
      return { bundle: filesToBundle(folder.files) };
    } catch (problem) {
      return { problem };
    }
  }, [folder]);
  const bundle = parsed && 'bundle' in parsed ? parsed.bundle : undefined;
  const plan = useAsync(
    useCallback(() => (bundle ? client.definitions.plan({ bundle, prune: isPruning }) : Promise.resolve(undefined)), [client, bundle, isPruning]),
  );

  const onPicked = async (picked: PickedFile[]) => {
    setIsReading(true);
    setReadError(undefined);
    setApplied(undefined);
    setApplyError(undefined);
    try {
      setFolder(await readDefinitionFolder(picked));
    } catch (err) {
      setFolder(undefined);
      setReadError(err);
    } finally {
      setIsReading(false);
    }
  };

  const apply = async () => {
    if (!bundle) return;
    setIsConfirming(false);
    setIsApplying(true);
    setApplyError(undefined);
    try {
      setApplied(await client.definitions.apply({ bundle, prune: isPruning }));
      onApplied();
      // The registry changed: the plan of the same folder now shows what is left (usually nothing).
      plan.reload();
    } catch (err) {
      setApplyError(err);
    } finally {
      setIsApplying(false);
    }
  };

  const current = plan.data;
  const isPlanCurrent = current !== undefined && !plan.isLoading;
  const pending = current ? writingChangeCount(current) : 0;
  const fileProblem = readError ?? (parsed && 'problem' in parsed ? parsed.problem : undefined);

  return (
    <Box sx={{ display: 'grid', gap: 2.5 }}>
      <SectionCard title={t('plan.folderTitle')} subtitle={t('plan.folderSubtitle')} testId="plan-folder">
        <Box sx={{ display: 'grid', gap: 2 }}>
          <FolderDropZone onPicked={(picked) => void onPicked(picked)} onError={setReadError} isBusy={isReading || isApplying} />
          {isReading && <LoadingState label={t('plan.reading')} />}
          {folder && !isReading && (
            <Typography variant="body2" sx={{ color: 'text.secondary' }} data-testid="folder-summary">
              {folder.name ? <strong>{folder.name}</strong> : t('plan.droppedFolders')}
              {t('plan.read', { count: folder.files.length })}
              {folder.ignored > 0 ? t('plan.ignored', { count: folder.ignored }) : ''}
              {t('plan.pickAgain')}
            </Typography>
          )}
          {fileProblem !== undefined &&
            (fileProblem instanceof DefinitionFilesError ? (
              <Alert severity="error" data-testid="definition-files-error">
                <AlertTitle>{t('plan.unreadable')}</AlertTitle>
                <Box component="span" sx={{ fontFamily: 'monospace', fontSize: 13 }}>
                  {fileProblem.message}
                </Box>
              </Alert>
            ) : (
              <ErrorAlert error={fileProblem} />
            ))}
        </Box>
      </SectionCard>
      {bundle && (
        <SectionCard
          title={t('plan.title')}
          subtitle={t('plan.subtitle')}
          testId="plan-section"
          actions={
            <>
              <FormControlLabel
                control={<Switch checked={isPruning} onChange={(e) => setIsPruning(e.target.checked)} disabled={isApplying} data-testid="prune-switch" />}
                label={t('plan.prune')}
              />
              <Button
                variant="contained"
                color={current?.breaking ? 'error' : 'primary'}
                startIcon={<PlaylistAddCheckOutlined />}
                disabled={!isPlanCurrent || pending === 0 || isApplying}
                onClick={() => (current?.breaking ? setIsConfirming(true) : void apply())}
                data-testid="apply-definitions"
              >
                {isApplying ? t('plan.applying') : pending > 0 ? t('plan.applyCount', { count: pending }) : t('plan.apply')}
              </Button>
            </>
          }
        >
          <Box sx={{ display: 'grid', gap: 2 }}>
            {applied && <AppliedChanges result={applied} onClose={() => setApplied(undefined)} />}
            {applyError !== undefined && (
              <Box data-testid="apply-error">
                <ErrorAlert error={applyError} />
              </Box>
            )}
            <Box sx={{ height: 2 }}>{plan.isLoading && current && <LinearProgress sx={{ height: 2 }} />}</Box>
            {plan.error !== undefined ? (
              <Box data-testid="plan-error">
                <ErrorAlert error={plan.error} onRetry={plan.reload} />
              </Box>
            ) : !current ? (
              <LoadingState label={t('plan.planning')} />
            ) : (
              <DefinitionPlanView plan={current} isPruning={isPruning} />
            )}
          </Box>
        </SectionCard>
      )}
      {isConfirming && current && (
        <ApplyConfirmDialog breaking={current.changes.filter((c) => c.breaking)} onCancel={() => setIsConfirming(false)} onConfirm={() => void apply()} />
      )}
    </Box>
  );
}
