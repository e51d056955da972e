import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import ListSubheader from '@mui/material/ListSubheader';
import MenuItem from '@mui/material/MenuItem';
import TextField from '@mui/material/TextField';
import type { IngestPreview } from '@shared/api/serving.js';
import type { FeatureGroupView } from '@shared/domain/schemas.js';
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

function columnItems({ suggested, others }: ColumnOptions) {
  const item = (name: string) => (
    <MenuItem key={name} value={name} sx={MONO_SX}>
      {name}
    </MenuItem>
  );
  return [
    ...(suggested.length > 0 ? [<ListSubheader key="suggested">Suggested</ListSubheader>, ...suggested.map(item)] : []),
    ...(others.length > 0 ? [<ListSubheader key="others">Other columns</ListSubheader>, ...others.map(item)] : []),
  ];
}

/** Where the rows go (entity, feature group: existing or new) and which columns are the key and the time. */
export function DestinationForm({ target, onChange, preview, entities, groups, isDisabled = false }: DestinationFormProps) {
  const entity = target.entity.trim();
  const group = target.featureGroup.trim();
  const entityText = statusText(
    entityStatus(target, entities),
    'Existing entity',
    `New entity: ${entity} will be created`,
    'What each row describes, such as usuario',
  );
  const existingGroup = groups.find((g) => g.name === group);
  const groupText = statusText(
    groupStatus(target, groups),
    `Existing group of ${existingGroup?.entity ?? entity} with ${existingGroup?.features.length ?? 0} features`,
    `New feature group: ${group} will be created (online, no TTL)`,
    'Features ingested and served together, such as demografia',
  );
  const groupOptions = groups.filter((g) => entity === '' || g.entity === entity).map((g) => g.name).sort();

  const entitySuggestion = entity === '' && preview ? suggestEntity(preview.columns.map((c) => c.name), entities) : undefined;
  const keyColumn = shownKeyColumn(target, preview);
  const timeColumn = shownTimeColumn(target, preview);
  const isKeyByConvention = target.keyColumn === undefined && keyColumn !== '';
  const isTimeByConvention = target.timeColumn === undefined && timeColumn !== undefined;

  return (
    <Box sx={{ display: 'grid', gap: 2.5, gridTemplateColumns: { xs: '1fr', md: '1fr 1fr' } }}>
      <Box>
        <SuggestField
          id="ingest-entity"
          label="Entity"
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
            Use {entitySuggestion} ({entities.includes(entitySuggestion) ? 'existing' : 'new'})
          </Button>
        )}
      </Box>
      <SuggestField
        id="ingest-group"
        label="Feature group"
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
        label="Entity key column"
        value={keyColumn}
        disabled={isDisabled || !preview}
        onChange={(e) => onChange({ ...target, keyColumn: e.target.value })}
        helperText={
          keyColumn === ''
            ? `The column that identifies the ${entity || 'entity'} of each row`
            : `Identifies the ${entity || 'entity'} of each row${isKeyByConvention ? ' (found by convention)' : ''}`
        }
        slotProps={{ select: { MenuProps: { slotProps: { paper: { sx: { maxHeight: 360 } } } } }, htmlInput: { 'data-testid': 'ingest-key-column-input' } }}
      >
        {preview ? columnItems(keyColumnOptions(preview)) : []}
      </TextField>
      <TextField
        id="ingest-time-column"
        select
        label="Event time column"
        value={timeColumn === undefined ? '' : timeColumn === null ? INGESTION_TIME : timeColumn}
        disabled={isDisabled || !preview}
        onChange={(e) => onChange({ ...target, timeColumn: e.target.value === INGESTION_TIME ? null : e.target.value })}
        helperText={
          timeColumn === null
            ? `Values are stamped with the time of ingestion${isTimeByConvention ? ' (no time column found)' : ''}`
            : `When each value was observed, ISO-8601${isTimeByConvention ? ' (found by convention)' : ''}`
        }
        slotProps={{ select: { MenuProps: { slotProps: { paper: { sx: { maxHeight: 360 } } } } }, htmlInput: { 'data-testid': 'ingest-time-column-input' } }}
      >
        <MenuItem value={INGESTION_TIME}>
          <em>Ingestion time</em>
        </MenuItem>
        {preview ? columnItems(timeColumnOptions(preview)) : []}
      </TextField>
    </Box>
  );
}
