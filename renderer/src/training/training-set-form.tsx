import { useTranslation } from 'react-i18next';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import MenuItem from '@mui/material/MenuItem';
import TextField from '@mui/material/TextField';
import ToggleButton from '@mui/material/ToggleButton';
import ToggleButtonGroup from '@mui/material/ToggleButtonGroup';
import BuildOutlined from '@mui/icons-material/BuildOutlined';
import ChecklistOutlined from '@mui/icons-material/ChecklistOutlined';
import HubOutlined from '@mui/icons-material/HubOutlined';
import StorageOutlined from '@mui/icons-material/StorageOutlined';
import UploadFileOutlined from '@mui/icons-material/UploadFileOutlined';
import { EntityFeaturesFields } from './entity-features-fields.js';
import { FeatureServiceFields } from './feature-service-fields.js';
import type { LabelColumns } from './label-columns.js';
import { LabelColumnField } from './label-column-field.js';
import { LabelFileField } from './label-file-field.js';
import { LabelQueryFields } from './label-query-fields.js';
import type { FeaturesFrom, LabelsFrom, TrainingSetDraft, TrainingSetErrors } from './training-set-draft.js';
import {
  DEFAULT_KEY_COLUMN,
  DEFAULT_TIME_COLUMN,
  isTrainingEngine,
  isTrainingOutputFormat,
  TRAINING_ENGINE_OPTIONS,
  TRAINING_FORMAT_OPTIONS,
} from './training-set-options.js';
import type { LabelFile } from './use-label-file.js';

interface TrainingSetFormProps {
  draft: TrainingSetDraft;
  onChange: (change: Partial<TrainingSetDraft>) => void;
  labels: LabelFile;
  /** The uploaded label file's columns, once read (none for a query). */
  labelColumns: LabelColumns | undefined;
  isDragging: boolean;
  /** The problems to show now (after a first attempt to build). */
  errors: TrainingSetErrors;
  /** A job is being started or is running: the inputs stay as they are. */
  isBusy: boolean;
  isStarting: boolean;
  onBuild: () => void;
}

/** Entity and features (or a feature service), the label rows (a file, or a SQL query on a data source), their key and time columns, engine and output format, and Build. */
export function TrainingSetForm({ draft, onChange, labels, labelColumns, isDragging, errors, isBusy, isStarting, onBuild }: TrainingSetFormProps) {
  const { t } = useTranslation('training');
  const engineHint = TRAINING_ENGINE_OPTIONS.find((o) => o.value === draft.engine)?.hint;
  return (
    <Box
      component="form"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        onBuild();
      }}
      sx={{ display: 'grid', gap: 2.5 }}
      data-testid="training-form"
    >
      <ToggleButtonGroup
        exclusive
        size="small"
        color="primary"
        value={draft.featuresFrom}
        // Each way starts empty: a service's features are not a pick list, nor the reverse.
        onChange={(_e, next: FeaturesFrom | null) => next && next !== draft.featuresFrom && onChange({ featuresFrom: next, entity: '', features: [], featureService: '' })}
        disabled={isBusy}
        aria-label={t('form.featuresFrom')}
        sx={{ justifySelf: 'start' }}
      >
        <ToggleButton value="list" data-testid="features-from-list">
          <ChecklistOutlined fontSize="small" sx={{ mr: 1 }} />
          {t('form.pickFeatures')}
        </ToggleButton>
        <ToggleButton value="service" data-testid="features-from-service">
          <HubOutlined fontSize="small" sx={{ mr: 1 }} />
          {t('form.featureService')}
        </ToggleButton>
      </ToggleButtonGroup>
      {draft.featuresFrom === 'service' ? (
        <FeatureServiceFields
          name={draft.featureService}
          entity={draft.entity}
          onService={(service) => onChange({ featureService: service?.name ?? '', entity: service?.entity ?? '', features: service?.features ?? [] })}
          error={errors.features}
          isDisabled={isBusy}
        />
      ) : (
        <EntityFeaturesFields
          entity={draft.entity}
          features={draft.features}
          onEntity={(entity) => onChange({ entity, features: [] })}
          onFeatures={(features) => onChange({ features })}
          errors={errors}
          isDisabled={isBusy}
        />
      )}
      <ToggleButtonGroup
        exclusive
        size="small"
        color="primary"
        value={draft.labelsFrom}
        onChange={(_e, next: LabelsFrom | null) => next && onChange({ labelsFrom: next })}
        disabled={isBusy}
        aria-label={t('form.labelsFrom')}
        sx={{ justifySelf: 'start' }}
      >
        <ToggleButton value="file" data-testid="labels-from-file">
          <UploadFileOutlined fontSize="small" sx={{ mr: 1 }} />
          {t('form.labelFile')}
        </ToggleButton>
        <ToggleButton value="query" data-testid="labels-from-query">
          <StorageOutlined fontSize="small" sx={{ mr: 1 }} />
          {t('form.labelQuery')}
        </ToggleButton>
      </ToggleButtonGroup>
      {draft.labelsFrom === 'query' ? (
        <LabelQueryFields
          source={draft.labelSource}
          query={draft.labelQuery}
          onSource={(labelSource) => onChange({ labelSource })}
          onQuery={(labelQuery) => onChange({ labelQuery })}
          errors={errors}
          isDisabled={isBusy}
        />
      ) : (
        <LabelFileField labels={labels} isDragging={isDragging} error={errors.labels} />
      )}
      <Box sx={{ display: 'grid', gridTemplateColumns: { xs: '1fr', sm: '1fr 1fr', lg: 'repeat(4, 1fr)' }, gap: 2, alignItems: 'start' }}>
        <LabelColumnField
          id="training-key-column"
          label={t('form.keyColumn')}
          value={draft.keyColumn}
          options={labelColumns?.names ?? []}
          fallback={DEFAULT_KEY_COLUMN}
          error={errors.keyColumn}
          isDisabled={isBusy}
          onChange={(keyColumn) => onChange({ keyColumn })}
        />
        <LabelColumnField
          id="training-time-column"
          label={t('form.timeColumn')}
          value={draft.timeColumn}
          options={labelColumns?.names ?? []}
          fallback={DEFAULT_TIME_COLUMN}
          error={errors.timeColumn}
          isDisabled={isBusy}
          onChange={(timeColumn) => onChange({ timeColumn })}
        />
        <TextField
          id="training-engine"
          select
          label={t('form.engine')}
          value={draft.engine}
          onChange={(e) => {
            if (isTrainingEngine(e.target.value)) onChange({ engine: e.target.value });
          }}
          disabled={isBusy}
          helperText={engineHint}
        >
          {TRAINING_ENGINE_OPTIONS.map((o) => (
            <MenuItem key={o.value} value={o.value}>
              {o.label}
            </MenuItem>
          ))}
        </TextField>
        <TextField
          id="training-format"
          select
          label={t('form.format')}
          value={draft.format}
          onChange={(e) => {
            if (isTrainingOutputFormat(e.target.value)) onChange({ format: e.target.value });
          }}
          disabled={isBusy}
          helperText={t('form.formatHelp')}
        >
          {TRAINING_FORMAT_OPTIONS.map((o) => (
            <MenuItem key={o.value} value={o.value}>
              {o.label}
            </MenuItem>
          ))}
        </TextField>
      </Box>
      <Box sx={{ display: 'flex', justifyContent: 'flex-end' }}>
        <Button type="submit" variant="contained" size="large" startIcon={<BuildOutlined />} disabled={isBusy} data-testid="build-training-set">
          {isStarting ? t('form.starting') : isBusy ? t('form.building') : t('form.build')}
        </Button>
      </Box>
    </Box>
  );
}
