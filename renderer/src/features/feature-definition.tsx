import type { ReactNode } from 'react';
import { Link as RouterLink } from 'react-router-dom';
import Box from '@mui/material/Box';
import Link from '@mui/material/Link';
import Typography from '@mui/material/Typography';
import { useTranslation } from 'react-i18next';
import type { IngestionSource } from '@shared/api/profile.js';
import type { Feature } from '@shared/domain/schemas.js';
import { formatTime } from '../common/format-time.js';
import { MONO_SX } from '../common/mono-text.js';
import { StatusChip } from '../common/status-chip.js';
import { TagChips } from '../common/tag-chips.js';
import { transformOf } from './computing-transform.js';
import { IngestionSourceLabel } from './ingestion-source-label.js';
import { featureTypeLabel, valueTypeLabel } from './type-labels.js';

function Field({ label, children, field, isWide = false }: { label: string; children: ReactNode; field: string; isWide?: boolean }) {
  return (
    <Box data-testid={`definition-${field}`} sx={{ minWidth: 0, gridColumn: isWide ? '1 / -1' : undefined }}>
      <Typography variant="caption" component="dt" sx={{ color: 'text.secondary', fontWeight: 600, letterSpacing: '0.03em' }}>
        {label}
      </Typography>
      <Box component="dd" sx={{ m: 0, mt: 0.5, wordBreak: 'break-word', typography: 'body2', lineHeight: 1.7 }}>
        {children}
      </Box>
    </Box>
  );
}

const muted = (text: string) => (
  <Typography component="span" variant="body2" sx={{ color: 'text.disabled' }}>
    {text}
  </Typography>
);

/**
 * Every field of a feature's current definition, plus the registry's bookkeeping. With no recorded
 * source, the data source is the ingestion that last wrote the feature, when one is known.
 */
export function FeatureDefinition({ feature, ingestion }: { feature: Feature; ingestion?: IngestionSource | null | undefined }) {
  const { t } = useTranslation('features');
  const computingTransform = transformOf(feature);
  return (
    <Box
      component="dl"
      data-testid="feature-definition"
      sx={{ m: 0, display: 'grid', gridTemplateColumns: 'repeat(auto-fill, minmax(220px, 1fr))', columnGap: 4, rowGap: 3 }}
    >
      {/* A <dl> holds <div>s of <dt>/<dd> directly (axe: definition-list). */}
      <Field label={t('definition.description')} field="description" isWide>
        <Typography variant="body1" component="span">
          {feature.description || muted(t('definition.noDescription'))}
        </Typography>
      </Field>
      <Field label={t('definition.name')} field="name">
        <Box component="span" sx={MONO_SX}>
          {feature.name}
        </Box>
      </Field>
      <Field label={t('definition.entity')} field="entity">
        <Link
          component={RouterLink}
          to={`/features?entity=${encodeURIComponent(feature.entity)}`}
          underline="hover"
          sx={MONO_SX}
        >
          {feature.entity}
        </Link>
      </Field>
      <Field label={t('definition.featureGroup')} field="feature_group">
        {feature.feature_group ? (
          <Box component="span" sx={MONO_SX}>
            {feature.feature_group}
          </Box>
        ) : (
          muted(t('definition.unassigned'))
        )}
      </Field>
      <Field label={t('definition.valueType')} field="value_type">
        <Box component="span" sx={MONO_SX}>
          {feature.value_type}
        </Box>{' '}
        <Typography component="span" variant="body2" sx={{ color: 'text.secondary' }}>
          ({valueTypeLabel(feature.value_type)})
        </Typography>
      </Field>
      <Field label={t('definition.featureType')} field="feature_type">
        {featureTypeLabel(feature.feature_type)}{' '}
        <Box component="span" sx={{ ...MONO_SX, color: 'text.secondary' }}>
          {feature.feature_type}
        </Box>
      </Field>
      <Field label={t('definition.tags')} field="tags">
        <TagChips tags={feature.tags} />
      </Field>
      <Field label={t('definition.source')} field="source">
        {computingTransform ? (
          <Box component="span" data-testid="computed-by-transform">
            {t('definition.computedBy')}{' '}
            <Link component={RouterLink} to={`/transforms/${encodeURIComponent(computingTransform)}`} underline="hover" sx={{ ...MONO_SX, fontWeight: 600 }}>
              {computingTransform}
            </Link>
          </Box>
        ) : feature.source && !(ingestion && feature.source.startsWith('ingested into ')) ? (
          <Box component="span" sx={MONO_SX}>
            {feature.source}
          </Box>
        ) : ingestion ? (
          <IngestionSourceLabel source={ingestion} />
        ) : (
          muted(t('definition.notRecorded'))
        )}
      </Field>
      <Field label={t('definition.owner')} field="owner">
        {feature.owner || muted('—')}
      </Field>
      <Field label={t('definition.status')} field="status">
        <StatusChip status={feature.status} />
      </Field>
      <Field label={t('definition.version')} field="version">
        <Box component="span" sx={MONO_SX}>
          v{feature.version}
        </Box>
      </Field>
      <Field label={t('definition.created')} field="created_at">
        {formatTime(feature.created_at)}
      </Field>
      <Field label={t('definition.updated')} field="updated_at">
        {formatTime(feature.updated_at)}
        {feature.updated_by && (
          <Typography component="span" variant="body2" sx={{ color: 'text.secondary' }}>
            {' '}
            {t('definition.by', { user: feature.updated_by })}
          </Typography>
        )}
      </Field>
    </Box>
  );
}
