import { useCallback, useMemo, useState } from 'react';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import CircularProgress from '@mui/material/CircularProgress';
import Divider from '@mui/material/Divider';
import Typography from '@mui/material/Typography';
import { FStoreApiError } from '@shared/api/client.js';
import { useTranslation } from 'react-i18next';
import { useClient } from '../api/use-client.js';
import { ErrorAlert } from '../common/error-alert.js';
import { formatCount } from '../common/format-number.js';
import { LoadingState } from '../common/loading-state.js';
import { SectionCard } from '../common/section-card.js';
import { useAsync } from '../common/use-async.js';
import { ColumnPlanTable } from './column-plan-table.js';
import { DestinationForm } from './destination-form.js';
import { IngestActionBar } from './ingest-action-bar.js';
import type { IngestSession } from './ingest-session-context.js';
import { confirmedColumns, ingestBlockers, previewQuery, type IngestTarget } from './ingest-target.js';
import { PreviewFindings } from './preview-findings.js';
import { SampleRowsTable } from './sample-rows-table.js';
import type { UploadReceipt } from './upload-file.js';
import { useIngestPreview } from './use-ingest-preview.js';
import { useIngestSession } from './use-ingest-session.js';

interface IngestReviewProps {
  session: IngestSession;
  receipt: UploadReceipt;
}

/**
 * The uploaded file before ingestion: choose where it goes, see the dry run re-run on every change
 * (schema, first rows, warnings, problems, invalid rows), and start the job once nothing blocks it.
 */
export function IngestReview({ session, receipt }: IngestReviewProps) {
  const { t } = useTranslation('ingest');
  const { client } = useClient();
  const { update, start } = useIngestSession();
  const { target } = session;
  const query = useMemo(() => previewQuery(target), [target]);
  const preview = useIngestPreview(receipt.upload_id, query);
  const entities = useAsync(useCallback(() => client.entities.list(), [client]));
  const groups = useAsync(useCallback(() => client.featureGroups.list(), [client]));
  const entityNames = useMemo(() => (entities.data ?? []).map((e) => e.name).sort(), [entities.data]);
  const [starting, setStarting] = useState<{ isStarting: boolean; error?: unknown }>({ isStarting: false });

  const current = preview.isCurrent ? preview.data : undefined;
  const blockers = ingestBlockers({ target, preview: current, isPreviewCurrent: preview.isCurrent, hasPreviewFailed: preview.error !== undefined });
  const setTarget = (next: IngestTarget) => update(session.id, { target: next });

  const ingest = () => {
    const plan = current?.plan;
    if (!plan || blockers.length > 0) return;
    setStarting({ isStarting: true });
    client.jobs.ingestUpload(plan.entity, plan.feature_group, receipt.upload_id, confirmedColumns(plan)).then(
      (job) => update(session.id, { jobId: job.id }),
      (error: unknown) => setStarting({ isStarting: false, error }),
    );
  };

  const isExpired = preview.error instanceof FStoreApiError && preview.error.code === 'FSTORE_UPLOAD_NOT_FOUND';
  const data = preview.data;

  return (
    <>
      <SectionCard title={t('review.destination')} subtitle={t('review.destinationSubtitle')}>
        <DestinationForm
          target={target}
          onChange={setTarget}
          preview={data}
          entities={entityNames}
          groups={groups.data ?? []}
          isDisabled={starting.isStarting}
        />
      </SectionCard>
      <SectionCard
        testId="preview-check"
        title={t('review.check')}
        subtitle={t('review.checkSubtitle')}
        actions={
          !preview.isCurrent &&
          preview.error === undefined && (
            <Box sx={{ display: 'flex', alignItems: 'center', gap: 1, color: 'text.secondary' }} data-testid="preview-updating">
              <CircularProgress size={14} />
              <Typography variant="body2">{t('review.checking')}</Typography>
            </Box>
          )
        }
      >
        <Box sx={{ display: 'grid', gap: 2 }} data-preview-state={preview.isCurrent ? 'current' : 'updating'}>
          {preview.error !== undefined && (
            <>
              <ErrorAlert error={preview.error} onRetry={isExpired ? undefined : preview.reload} />
              {isExpired && (
                <Box>
                  <Button variant="outlined" onClick={() => start(session.file)}>
                    {t('review.uploadAgain', { name: session.file.name })}
                  </Button>
                </Box>
              )}
            </>
          )}
          {data ? <PreviewFindings preview={data} /> : preview.error === undefined && <LoadingState label={t('review.reading')} />}
          <Divider />
          <IngestActionBar
            blockers={blockers}
            rows={current?.rows}
            isStarting={starting.isStarting}
            startError={starting.error}
            onIngest={ingest}
          />
        </Box>
      </SectionCard>
      {data && (
        <>
          <SectionCard
            testId="schema-section"
            isFlush
            title={t('review.schema')}
            subtitle={t('review.schemaSubtitle', { count: data.columns.length })}
          >
            <ColumnPlanTable preview={data} />
          </SectionCard>
          <SectionCard
            testId="sample-section"
            isFlush
            title={t('review.firstRows')}
            subtitle={t('review.firstRowsSubtitle', { count: data.rows, shown: formatCount(data.sample.length), total: formatCount(data.rows) })}
          >
            <SampleRowsTable preview={data} />
          </SectionCard>
        </>
      )}
    </>
  );
}
