import { useCallback, useState } from 'react';
import { Link as RouterLink } from 'react-router-dom';
import Alert from '@mui/material/Alert';
import AlertTitle from '@mui/material/AlertTitle';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogTitle from '@mui/material/DialogTitle';
import PlayArrowOutlined from '@mui/icons-material/PlayArrowOutlined';
import type { Transform, TransformInput } from '@shared/domain/schemas.js';
import { Trans, useTranslation } from 'react-i18next';
import { useClient } from '../../api/use-client.js';
import { ErrorAlert } from '../../common/error-alert.js';
import { LoadingState } from '../../common/loading-state.js';
import { useAsync } from '../../common/use-async.js';
import { TransformRunPanel } from '../transform-run-panel.js';
import { useRunTransform } from '../use-run-transform.js';
import { PublishPlanView } from './publish-plan-view.js';

interface PublishDialogProps {
  input: TransformInput;
  /** The version the studio started from; undefined publishes a new transform. */
  baseVersion: number | undefined;
  onClose: () => void;
  onPublished: (transform: Transform) => void;
}

/** Dry run first (what publishing creates, changes, archives), then publish, then offer a run. */
export function PublishDialog({ input, baseVersion, onClose, onPublished }: PublishDialogProps) {
  const { t } = useTranslation('transforms');
  const { client } = useClient();
  const plan = useAsync(useCallback(() => client.transforms.plan(input), [client, input]));
  const [isPublishing, setIsPublishing] = useState(false);
  const [publishError, setPublishError] = useState<unknown>();
  const [published, setPublished] = useState<Transform & { warnings?: string[] }>();
  const run = useRunTransform(input.name);

  const publish = async () => {
    setIsPublishing(true);
    setPublishError(undefined);
    try {
      const saved = baseVersion === undefined ? await client.transforms.create(input) : await client.transforms.update(input.name, input, baseVersion);
      setPublished(saved);
      onPublished(saved);
    } catch (err) {
      setPublishError(err);
    } finally {
      setIsPublishing(false);
    }
  };

  const href = `/transforms/${encodeURIComponent(input.name)}`;
  return (
    <Dialog open onClose={isPublishing ? undefined : onClose} fullWidth maxWidth="md" aria-labelledby="publish-title" data-testid="publish-dialog">
      <DialogTitle id="publish-title">{published ? t('publish.published', { name: published.name }) : t('publish.publish', { name: input.name })}</DialogTitle>
      <DialogContent dividers sx={{ display: 'grid', gap: 2 }}>
        {published ? (
          <>
            <Alert severity={published.warnings?.length ? 'warning' : 'success'} data-testid="publish-done">
              <AlertTitle>
                {t('publish.doneTitle', { version: published.version, name: published.name })}
              </AlertTitle>
              <Trans t={t} i18nKey="publish.done" count={published.features.length} values={{ group: published.feature_group }} components={[<code />]} />
              {published.warnings && published.warnings.length > 0 && (
                <Box component="ul" sx={{ m: 0, mt: 1, pl: 2 }}>
                  {published.warnings.map((w) => (
                    <li key={w}>{w}</li>
                  ))}
                </Box>
              )}
            </Alert>
            {run.error !== undefined && <ErrorAlert error={run.error} />}
            {run.jobId && <TransformRunPanel jobId={run.jobId} />}
          </>
        ) : plan.error !== undefined ? (
          <Box data-testid="plan-error">
            <ErrorAlert error={plan.error} onRetry={plan.reload} />
          </Box>
        ) : !plan.data ? (
          <LoadingState label={t('publish.planning')} />
        ) : (
          <>
            {publishError !== undefined && (
              <Box data-testid="publish-error">
                <ErrorAlert error={publishError} />
              </Box>
            )}
            <PublishPlanView plan={plan.data} />
          </>
        )}
      </DialogContent>
      <DialogActions sx={{ px: 3, py: 2 }}>
        {published ? (
          <>
            <Button component={RouterLink} to={href} data-testid="open-transform">
              {t('publish.openTransform')}
            </Button>
            <Box sx={{ flex: 1 }} />
            <Button onClick={onClose}>{t('publish.close')}</Button>
            <Button variant="contained" startIcon={<PlayArrowOutlined />} onClick={() => run.start()} disabled={run.isStarting || run.jobId !== undefined} data-testid="run-now">
              {run.isStarting ? t('publish.starting') : t('publish.runNow')}
            </Button>
          </>
        ) : (
          <>
            <Button onClick={onClose} disabled={isPublishing}>
              {t('publish.cancel')}
            </Button>
            <Button variant="contained" color={plan.data?.breaking ? 'error' : 'primary'} onClick={() => void publish()} disabled={!plan.data || isPublishing} data-testid="confirm-publish">
              {isPublishing ? t('publish.publishing') : baseVersion === undefined ? t('publish.confirm') : t('publish.confirmVersion', { version: baseVersion + 1 })}
            </Button>
          </>
        )}
      </DialogActions>
    </Dialog>
  );
}
