import { useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import Box from '@mui/material/Box';
import { isTerminal } from '@shared/api/jobs.js';
import { PageHeader } from '../common/page-header.js';
import { SectionCard } from '../common/section-card.js';
import { useJobEvents } from '../jobs/use-job-events.js';
import { EMPTY_TRAINING_SET_DRAFT, toTrainingSetRequest, validateTrainingSetDraft, type TrainingSetDraft } from './training-set-draft.js';
import { detectKeyColumn, detectTimeColumn, typedColumnErrors } from './label-columns.js';
import { inFormTerms, trainingFieldErrorsOf, unchangedFieldErrors, type RefusedInput } from './service-field-errors.js';
import { TrainingSetFailure } from './training-set-failure.js';
import { TrainingSetForm } from './training-set-form.js';
import { TrainingSetJobPanel } from './training-set-job-panel.js';
import { useFileDropTarget } from './use-file-drop-target.js';
import { useLabelColumns } from './use-label-columns.js';
import { useLabelFile } from './use-label-file.js';
import { useStartTrainingSet } from './use-start-training-set.js';

/** Training sets: point-in-time correct features for label rows (a file, or a SQL query on a data source), built as a job and downloaded as a file. */
export function TrainingPage() {
  // `?feature_service=name` (the service page's "Build a training set") starts from that service.
  const { t } = useTranslation('training');
  const [params] = useSearchParams();
  const [draft, setDraft] = useState<TrainingSetDraft>(() => startingDraft(params.get('feature_service')));
  const [isSubmitted, setIsSubmitted] = useState(false);
  /** What was sent with the latest Build: a refusal's field errors stay on the fields not changed since. */
  const [sent, setSent] = useState<RefusedInput>();
  const labels = useLabelFile();
  // A file dropped on the page is the label file, whichever way the labels were to come.
  const drop = useFileDropTarget((file) => {
    setDraft((d) => ({ ...d, labelsFrom: 'file' }));
    labels.choose(file);
  });
  const started = useStartTrainingSet();
  const followed = useJobEvents(started.job?.id, started.job);
  const { job } = followed;
  const isRunning = job !== undefined && !isTerminal(job.state);
  const isBusy = started.isStarting || isRunning;

  // Once a label file is read, its key and time columns are found as the ingest page finds them.
  const labelColumns = useLabelColumns(labels.status, (columns) =>
    setDraft((d) => {
      const keyColumn = d.keyColumn.trim() || (detectKeyColumn(columns, d.entity) ?? '');
      const timeColumn = d.timeColumn.trim() || (detectTimeColumn(columns, keyColumn) ?? '');
      return { ...d, keyColumn, timeColumn };
    }),
  );

  const fileColumns = draft.labelsFrom === 'file' ? labelColumns : undefined;
  const errors = { ...validateTrainingSetDraft(draft, labels.status), ...typedColumnErrors(draft, fileColumns) };
  const uploadId = labels.status.state === 'uploaded' ? labels.status.uploadId : undefined;
  // The service's refusal of the latest Build, next to the fields it names (the form's own checks first).
  const refusedErrors = sent ? unchangedFieldErrors(trainingFieldErrorsOf(started.error), sent, { draft, uploadId }) : {};
  const build = () => {
    setIsSubmitted(true);
    if (Object.keys(errors).length > 0 || (draft.labelsFrom === 'file' && uploadId === undefined)) return;
    setSent({ draft, uploadId });
    // The upload stays on the service (for an hour), so the same labels can be built again with other features.
    // The output keeps the label file's own key and time column names (the API's default renames them).
    started.start({ ...toTrainingSetRequest(draft, uploadId), keep_column_names: true });
  };

  return (
    <Box {...drop.handlers} data-testid="training-page">
      <PageHeader
        title={t('title')}
        subtitle={t('subtitle')}
      />
      <Box sx={{ display: 'grid', gap: 3 }}>
        <SectionCard title={t('build.title')} subtitle={t('build.subtitle')} testId="training-build">
          <TrainingSetForm
            draft={draft}
            onChange={(change) => setDraft((d) => ({ ...d, ...change }))}
            labels={labels}
            labelColumns={fileColumns}
            isDragging={drop.isDragging}
            errors={isSubmitted ? { ...refusedErrors, ...errors } : {}}
            isBusy={isBusy}
            isStarting={started.isStarting}
            onBuild={build}
          />
        </SectionCard>
        {started.error !== undefined && <TrainingSetFailure error={inFormTerms(started.error)} />}
        {job && <TrainingSetJobPanel job={job} eventsError={followed.error} />}
      </Box>
    </Box>
  );
}

function startingDraft(featureService: string | null): TrainingSetDraft {
  return featureService ? { ...EMPTY_TRAINING_SET_DRAFT, featuresFrom: 'service', featureService } : EMPTY_TRAINING_SET_DRAFT;
}
