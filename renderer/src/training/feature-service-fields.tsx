import { useCallback, useEffect, useMemo } from 'react';
import { Link as RouterLink } from 'react-router-dom';
import { Trans, useTranslation } from 'react-i18next';
import Box from '@mui/material/Box';
import Chip from '@mui/material/Chip';
import Link from '@mui/material/Link';
import MenuItem from '@mui/material/MenuItem';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import type { FeatureService } from '@shared/domain/schemas.js';
import { useClient } from '../api/use-client.js';
import { ErrorAlert } from '../common/error-alert.js';
import { MONO_SX } from '../common/mono-text.js';
import { useAsync } from '../common/use-async.js';

interface FeatureServiceFieldsProps {
  name: string;
  /** The entity the draft holds for the service (empty until the service list is read). */
  entity: string;
  /** The chosen service, with its entity and features (the columns the set will have). */
  onService: (service: FeatureService | undefined) => void;
  error: string | undefined;
  isDisabled: boolean;
}

/** A feature service whose features become the columns: what a model consumes, named once. */
export function FeatureServiceFields({ name, entity, onService, error, isDisabled }: FeatureServiceFieldsProps) {
  const { client } = useClient();
  const { t } = useTranslation('training');
  const services = useAsync(useCallback(() => client.featureServices.list(), [client]));
  const sorted = useMemo(() => [...(services.data ?? [])].sort((a, b) => a.name.localeCompare(b.name)), [services.data]);
  const chosen = sorted.find((s) => s.name === name);
  // A service named before the list was read (a link from its page): its entity and features now.
  useEffect(() => {
    if (chosen && chosen.entity !== entity) onService(chosen);
  }, [chosen, entity, onService]);
  const isUnknown = name !== '' && services.data !== undefined && chosen === undefined;

  if (services.error !== undefined) return <ErrorAlert error={services.error} onRetry={services.reload} />;
  const hasNone = services.data !== undefined && sorted.length === 0;
  return (
    <Box sx={{ display: 'grid', gridTemplateColumns: { xs: '1fr', md: 'minmax(200px, 1fr) 2fr' }, gap: 2, alignItems: 'start' }}>
      <TextField
        id="training-feature-service"
        select
        label={t('service.label')}
        required
        value={chosen ? name : ''}
        onChange={(e) => onService(sorted.find((s) => s.name === e.target.value))}
        disabled={isDisabled || services.data === undefined}
        // The field shows the name; the menu also gives each service's entity and size.
        slotProps={{ select: { renderValue: (value) => <Box component="span" sx={MONO_SX}>{String(value)}</Box> } }}
        error={error !== undefined || isUnknown}
        helperText={
          error ??
          (isUnknown ? t('service.unknown', { name }) : undefined) ??
          (hasNone ? (
            <Trans t={t} i18nKey="service.none" components={[<Link key="0" component={RouterLink} to="/feature-services" />]} />
          ) : (
            t('service.help')
          ))
        }
      >
        {sorted.map((s) => (
          <MenuItem key={s.name} value={s.name} data-testid="feature-service-option">
            <Box component="span" sx={MONO_SX}>
              {s.name}
            </Box>
            <Typography component="span" variant="body2" color="text.secondary" sx={{ ml: 1 }}>
              {t('service.option', { entity: s.entity, count: s.features.length })}
            </Typography>
          </MenuItem>
        ))}
      </TextField>
      <Box data-testid="feature-service-columns" aria-live="polite">
        {chosen ? (
          <>
            <Typography variant="body2" color="text.secondary" sx={{ mb: 1 }}>
              <Trans
                t={t}
                i18nKey="service.columns"
                values={{ entity: chosen.entity, version: chosen.version }}
                components={[
                  <Box key="0" component="span" sx={MONO_SX} />,
                  <Link key="1" component={RouterLink} to={`/feature-services/${encodeURIComponent(chosen.name)}`} />,
                ]}
              />
            </Typography>
            <Box sx={{ display: 'flex', flexWrap: 'wrap', gap: 0.75 }}>
              {chosen.features.map((f) => (
                <Chip key={f} label={f} size="small" sx={MONO_SX} />
              ))}
            </Box>
          </>
        ) : (
          <Typography variant="body2" color="text.secondary">
            {t('service.choose')}
          </Typography>
        )}
      </Box>
    </Box>
  );
}
