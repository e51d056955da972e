import Autocomplete from '@mui/material/Autocomplete';
import Box from '@mui/material/Box';
import Chip from '@mui/material/Chip';
import FormControlLabel from '@mui/material/FormControlLabel';
import Switch from '@mui/material/Switch';
import TextField from '@mui/material/TextField';
import { useTranslation } from 'react-i18next';
import { SuggestField } from '../../common/suggest-field.js';
import { RequestInputsEditor } from './request-inputs-editor.js';
import type { DraftField, TransformDraft } from './transform-draft.js';

interface TransformSettingsFormProps {
  draft: TransformDraft;
  onChange: (change: Partial<TransformDraft>) => void;
  /** Errors to show now, by field. */
  errors: Partial<Record<DraftField, string>>;
  entityNames: readonly string[];
  sourceNames: readonly string[];
  /** Columns the output may have (from the last preview, else the sources), for the key and time pickers. */
  columnNames: readonly string[];
  /** The join key of the chosen entity when it exists, else the `<entity>_id` convention. */
  defaultKeyColumn: string | undefined;
  /** A published transform keeps its name. */
  isNameLocked: boolean;
}

export const SETTINGS_FIELD_IDS: Partial<Record<DraftField, string>> = {
  name: 'transform-name',
  entity: 'transform-entity',
  sources: 'transform-sources',
  featureGroup: 'transform-feature-group',
  description: 'transform-description',
};

/** Name, entity, group, sources and the key and time columns of a transform. */
export function TransformSettingsForm({ draft, onChange, errors, entityNames, sourceNames, columnNames, defaultKeyColumn, isNameLocked }: TransformSettingsFormProps) {
  const { t } = useTranslation('transforms');
  const groupDefault = draft.name.trim() || t('settings.theTransformName');
  return (
    <Box sx={{ display: 'grid', gap: 2 }} data-testid="transform-settings">
      <TextField
        id={SETTINGS_FIELD_IDS.name}
        label={t('settings.name')}
        required
        size="small"
        value={draft.name}
        disabled={isNameLocked}
        onChange={(e) => onChange({ name: e.target.value })}
        error={errors.name !== undefined}
        helperText={errors.name ?? (isNameLocked ? t('settings.nameLocked') : t('settings.nameHelp'))}
        autoComplete="off"
        slotProps={{ htmlInput: { spellCheck: false } }}
      />
      <SuggestField
        id={SETTINGS_FIELD_IDS.entity ?? 'transform-entity'}
        label={t('settings.entity')}
        required
        size="small"
        value={draft.entity}
        onChange={(entity) => onChange({ entity })}
        options={entityNames}
        error={errors.entity}
        helperText={entityNames.includes(draft.entity.trim()) || draft.entity.trim() === '' ? t('settings.entityHelp') : t('settings.newEntity')}
        placeholder="user"
      />
      <Autocomplete
        id={SETTINGS_FIELD_IDS.sources}
        multiple
        size="small"
        options={sourceNames as string[]}
        value={draft.sources}
        onChange={(_e, sources) => onChange({ sources })}
        renderValue={(values, getItemProps) =>
          values.map((value, index) => {
            const { key, ...itemProps } = getItemProps({ index });
            return <Chip key={key} label={value} size="small" {...itemProps} />;
          })
        }
        renderInput={(params) => (
          <TextField
            {...params}
            label={t('settings.sources')}
            required
            error={errors.sources !== undefined}
            helperText={errors.sources ?? (draft.language === 'sql' ? t('settings.sqlSources') : t('settings.tsSources'))}
          />
        )}
      />
      <TextField
        id={SETTINGS_FIELD_IDS.featureGroup}
        label={t('settings.featureGroup')}
        size="small"
        value={draft.featureGroup}
        placeholder={draft.name.trim() || undefined}
        onChange={(e) => onChange({ featureGroup: e.target.value })}
        error={errors.featureGroup !== undefined}
        helperText={errors.featureGroup ?? t('settings.groupHelp', { group: groupDefault })}
        autoComplete="off"
        slotProps={{ htmlInput: { spellCheck: false } }}
      />
      <SuggestField
        id="transform-key-column"
        label={t('settings.keyColumn')}
        size="small"
        value={draft.entityKeyColumn}
        onChange={(entityKeyColumn) => onChange({ entityKeyColumn })}
        options={columnNames}
        helperText={defaultKeyColumn ? t('settings.keyHelp', { column: defaultKeyColumn }) : t('settings.keyHelpJoinKey')}
      />
      <Box>
        <SuggestField
          id="transform-time-column"
          label={t('settings.timeColumn')}
          size="small"
          value={draft.isStampedWithRunTime ? '' : draft.eventTimeColumn}
          onChange={(eventTimeColumn) => onChange({ eventTimeColumn })}
          options={columnNames}
          disabled={draft.isStampedWithRunTime}
          helperText={draft.isStampedWithRunTime ? t('settings.stamped') : t('settings.timeHelp')}
        />
        <FormControlLabel
          control={<Switch size="small" checked={draft.isStampedWithRunTime} onChange={(e) => onChange({ isStampedWithRunTime: e.target.checked })} />}
          label={t('settings.noEventTime')}
          sx={{ mt: 0.5, '& .MuiFormControlLabel-label': { fontSize: 13 } }}
        />
      </Box>
      {draft.language === 'typescript' && (
        <FormControlLabel
          control={<Switch size="small" checked={draft.isOnDemand} onChange={(e) => onChange({ isOnDemand: e.target.checked })} data-testid="transform-on-demand" />}
          label={t('settings.onDemand')}
          sx={{ '& .MuiFormControlLabel-label': { fontSize: 13 } }}
        />
      )}
      {draft.language === 'typescript' && draft.isOnDemand && (
        <RequestInputsEditor inputs={draft.requestInputs} onChange={(requestInputs) => onChange({ requestInputs })} />
      )}
      <TextField
        id={SETTINGS_FIELD_IDS.description}
        label={t('settings.description')}
        size="small"
        value={draft.description}
        onChange={(e) => onChange({ description: e.target.value })}
        error={errors.description !== undefined}
        helperText={errors.description ?? t('settings.descriptionHelp')}
        multiline
        minRows={2}
      />
    </Box>
  );
}
