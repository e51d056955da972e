import { useCallback, useMemo } from 'react';
import { Link as RouterLink } from 'react-router-dom';
import { Trans, useTranslation } from 'react-i18next';
import Autocomplete from '@mui/material/Autocomplete';
import Box from '@mui/material/Box';
import Chip from '@mui/material/Chip';
import Link from '@mui/material/Link';
import MenuItem from '@mui/material/MenuItem';
import TextField from '@mui/material/TextField';
import { useClient } from '../api/use-client.js';
import { ErrorAlert } from '../common/error-alert.js';
import { MONO_SX } from '../common/mono-text.js';
import { useAsync } from '../common/use-async.js';
import { featureOptions, NO_GROUP_LABEL } from './feature-options.js';

interface EntityFeaturesFieldsProps {
  entity: string;
  features: string[];
  /** A new entity clears the features (they belong to the old one). */
  onEntity: (entity: string) => void;
  onFeatures: (features: string[]) => void;
  errors: { entity?: string | undefined; features?: string | undefined };
  isDisabled: boolean;
}

/** The entity the labels are about, and which of its features become columns. */
export function EntityFeaturesFields({ entity, features, onEntity, onFeatures, errors, isDisabled }: EntityFeaturesFieldsProps) {
  const { client } = useClient();
  const { t } = useTranslation('training');
  const entities = useAsync(useCallback(() => client.entities.list(), [client]));
  const entityFeatures = useAsync(useCallback(() => (entity ? client.features.list({ entity }) : Promise.resolve([])), [client, entity]));
  const entityNames = useMemo(() => (entities.data ?? []).map((e) => e.name).sort(), [entities.data]);
  const options = useMemo(() => featureOptions(entityFeatures.data ?? []), [entityFeatures.data]);
  const byName = useMemo(() => new Map(options.map((o) => [o.name, o])), [options]);

  if (entities.error !== undefined) return <ErrorAlert error={entities.error} onRetry={entities.reload} />;
  const hasNoEntities = entities.data !== undefined && entityNames.length === 0;
  const featureHelp =
    errors.features ??
    (entity === ''
      ? t('entityFeatures.chooseEntityFirst')
      : entityFeatures.data && options.length === 0
        ? t('entityFeatures.noFeatures', { entity })
        : t('entityFeatures.featuresHelp'));

  return (
    <Box sx={{ display: 'grid', gridTemplateColumns: { xs: '1fr', md: 'minmax(200px, 1fr) 2fr' }, gap: 2, alignItems: 'start' }}>
      <TextField
        id="training-entity"
        select
        label={t('entityFeatures.entity')}
        required
        value={entityNames.includes(entity) ? entity : ''}
        onChange={(e) => onEntity(e.target.value)}
        disabled={isDisabled || entities.data === undefined}
        error={errors.entity !== undefined}
        helperText={
          errors.entity ??
          (hasNoEntities ? (
            <Trans t={t} i18nKey="entityFeatures.noEntities" components={[<Link key="0" component={RouterLink} to="/ingest" />]} />
          ) : (
            t('entityFeatures.entityHelp')
          ))
        }
      >
        {entityNames.map((name) => (
          <MenuItem key={name} value={name} sx={MONO_SX}>
            {name}
          </MenuItem>
        ))}
      </TextField>
      <Autocomplete
        id="training-features"
        multiple
        disableCloseOnSelect
        options={options.map((o) => o.name)}
        groupBy={(name) => {
          const group = byName.get(name)?.group ?? '';
          return group === NO_GROUP_LABEL ? t('entityFeatures.noGroup') : group;
        }}
        value={features}
        onChange={(_e, next) => onFeatures(next)}
        disabled={isDisabled || entity === ''}
        loading={entity !== '' && entityFeatures.isLoading}
        renderOption={(props, name) => {
          const { key, ...optionProps } = props;
          return (
            <Box component="li" key={key} {...optionProps} data-testid="feature-option" data-feature-name={name} sx={{ ...MONO_SX, gap: 1 }}>
              {name}
              {byName.get(name)?.isDeprecated && <Chip label={t('entityFeatures.deprecated')} size="small" color="warning" variant="outlined" />}
            </Box>
          );
        }}
        renderValue={(chosen, getItemProps) =>
          chosen.map((name, index) => {
            const { key, ...itemProps } = getItemProps({ index });
            return <Chip key={key} label={name} size="small" sx={MONO_SX} {...itemProps} />;
          })
        }
        renderInput={(params) => (
          <TextField {...params} label={t('entityFeatures.features')} required error={errors.features !== undefined} helperText={featureHelp} />
        )}
      />
      {entityFeatures.error !== undefined && (
        <Box sx={{ gridColumn: '1 / -1' }}>
          <ErrorAlert error={entityFeatures.error} onRetry={entityFeatures.reload} />
        </Box>
      )}
    </Box>
  );
}
