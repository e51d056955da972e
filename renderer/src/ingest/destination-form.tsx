import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import ListSubheader from '@mui/material/ListSubheader';
import MenuItem from '@mui/material/MenuItem';
import TextField from '@mui/material/TextField';
import type { IngestPreview } from '@shared/api/serving.js';
import type { FeatureGroupView } from '@shared/domain/schemas.js';
import { useTranslation } from 'react-i18next';
import { MONO_SX } from '../common/mono-text.js';
import { SuggestField } from '../common/suggest-field.js';
import {
  entityStatus,
  groupStatus,
  keyColumnOptions,
  shownKeyColumn,
  shownTimeColumn,
  suggestEntity,
  timeColumnOptions,
  type ColumnOptions,
  type IngestTarget,
  type NameStatus,
} from './ingest-target.js';

/** The time select's value for "stamp with the ingestion time" (a column cannot be named so in practice). */
const INGESTION_TIME = ':ingestion-time';

interface DestinationFormProps {
  target: IngestTarget;
  onChange: (target: IngestTarget) => void;
  preview: IngestPreview | undefined;
  entities: readonly string[];
  groups: readonly FeatureGroupView[];
  isDisabled?: boolean;
}

function statusText(status: NameStatus, existing: string, created: string, empty: string): { helper: string; error?: string } {
  switch (status.kind) {
    case 'empty':
      return { helper: empty };
    case 'invalid':
    case 'conflict':
      return { helper: '', error: status.message };
    case 'existing':
      return { helper: existing };
    case 'new':
      return { helper: created };
  }
}

function columnItems({ suggested, others }: ColumnOptions, labels: { suggested: string; others: string }) {
  const item = (name: string) => (
    <MenuItem key={name} value={name} sx={MONO_SX}>
      {name}
    </MenuItem>
  );
  return [
    ...(suggested.length > 0 ? [<ListSubheader key="suggested">{labels.suggested}</ListSubheader>, ...suggested.map(item)] : []),
    ...(others.length > 0 ? [<ListSubheader key="others">{labels.others}</ListSubheader>, ...others.map(item)] : []),
  ];
}

/** Where the rows go (entity, feature group: existing or new) and which columns are the key and the time. */
export function DestinationForm({ target, onChange, preview, entities, groups, isDisabled = false }: DestinationFormProps) {
  const { t } = useTranslation('ingest');
  const entity = target.entity.trim();
  const group = target.featureGroup.trim();
  const entityText = statusText(
    entityStatus(target, entities),
    t('destination.existingEntity'),
    t('destination.newEntity', { name: entity }),
    t('destination.entityHelp'),
  );
  const existingGroup = groups.find((g) => g.name === group);
  const groupText = statusText(
    groupStatus(target, groups),
    t('destination.existingGroup', { entity: existingGroup?.entity ?? entity, count: existingGroup?.features.length ?? 0 }),
    t('destination.newGroup', { name: group }),
    t('destination.groupHelp'),
  );
  const groupOptions = groups.filter((g) => entity === '' || g.entity === entity).map((g) => g.name).sort();

  const entitySuggestion = entity === '' && preview ? suggestEntity(preview.columns.map((c) => c.name), entities) : undefined;
  const keyColumn = shownKeyColumn(target, preview);
  const timeColumn = shownTimeColumn(target, preview);
  const isKeyByConvention = target.keyColumn === undefined && keyColumn !== '';
  const isTimeByConvention = target.timeColumn === undefined && timeColumn !== undefined;
  const columnLabels = { suggested: t('destination.suggested'), others: t('destination.otherColumns') };

  return (
    <Box sx={{ display: 'grid', gap: 2.5, gridTemplateColumns: { xs: '1fr', md: '1fr 1fr' } }}>
      <Box>
        <SuggestField
          id="ingest-entity"
          label={t('destination.entity')}
          required
          value={target.entity}
          onChange={(value) => onChange({ ...target, entity: value })}
          options={entities}
          error={entityText.error}
          helperText={entityText.helper}
          placeholder="usuario"
          disabled={isDisabled}
        />
        {entitySuggestion && !isDisabled && (
          <Button size="small" sx={{ mt: 0.5 }} onClick={() => onChange({ ...target, entity: entitySuggestion })} data-testid="use-entity-suggestion">
            {t('destination.useSuggestion', { name: entitySuggestion, state: entities.includes(entitySuggestion) ? t('destination.existing') : t('destination.new') })}
          </Button>
        )}
      </Box>
      <SuggestField
        id="ingest-group"
        label={t('destination.featureGroup')}
        required
        value={target.featureGroup}
        onChange={(value) => onChange({ ...target, featureGroup: value })}
        options={groupOptions}
        error={groupText.error}
        helperText={groupText.helper}
        placeholder="demografia"
        disabled={isDisabled}
      />
      <TextField
        id="ingest-key-column"
        select
        label={t('destination.keyColumn')}
        value={keyColumn}
        disabled={isDisabled || !preview}
        onChange={(e) => onChange({ ...target, keyColumn: e.target.value })}
        helperText={
          keyColumn === ''
            ? t('destination.keyHelp', { entity: entity || t('destination.entityFallback') })
            : t(isKeyByConvention ? 'destination.keyByConvention' : 'destination.keyChosen', { entity: entity || t('destination.entityFallback') })
        }
        slotProps={{ select: { MenuProps: { slotProps: { paper: { sx: { maxHeight: 360 } } } } }, htmlInput: { 'data-testid': 'ingest-key-column-input' } }}
      >
        {preview ? columnItems(keyColumnOptions(preview), columnLabels) : []}
      </TextField>
      <TextField
        id="ingest-time-column"
        select
        label={t('destination.timeColumn')}
        value={timeColumn === undefined ? '' : timeColumn === null ? INGESTION_TIME : timeColumn}
        disabled={isDisabled || !preview}
        onChange={(e) => onChange({ ...target, timeColumn: e.target.value === INGESTION_TIME ? null : e.target.value })}
        helperText={
          timeColumn === null
            ? t(isTimeByConvention ? 'destination.stampedNoColumn' : 'destination.stamped')
            : t(isTimeByConvention ? 'destination.observedByConvention' : 'destination.observed')
        }
        slotProps={{ select: { MenuProps: { slotProps: { paper: { sx: { maxHeight: 360 } } } } }, htmlInput: { 'data-testid': 'ingest-time-column-input' } }}
      >
        <MenuItem value={INGESTION_TIME}>
          <em>{t('destination.ingestionTime')}</em>
        </MenuItem>
        {preview ? columnItems(timeColumnOptions(preview), columnLabels) : []}
      </TextField>
    </Box>
  );
}
