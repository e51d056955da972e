import type { ReactNode } from 'react';
import { Link as RouterLink } from 'react-router-dom';
import Box from '@mui/material/Box';
import Link from '@mui/material/Link';
import Typography from '@mui/material/Typography';
import type { Transform } from '@shared/domain/schemas.js';
import { useTranslation } from 'react-i18next';
import { CodeBlock } from '../common/code-block.js';
import { formatTime } from '../common/format-time.js';
import { MONO_SX } from '../common/mono-text.js';
import { LANGUAGE_LABELS } from './studio/starter-code.js';
import { OutputFeaturesTable } from './output-features-table.js';

function Field({ label, children, field }: { label: string; children: ReactNode; field: string }) {
  return (
    <Box data-testid={`transform-${field}`} sx={{ minWidth: 0 }}>
      <Typography variant="caption" component="dt" sx={{ color: 'text.secondary', fontWeight: 600 }}>
        {label}
      </Typography>
      <Box component="dd" sx={{ m: 0, mt: 0.5, typography: 'body2', wordBreak: 'break-word' }}>
        {children}
      </Box>
    </Box>
  );
}

const mono = (text: string) => (
  <Box component="span" sx={MONO_SX}>
    {text}
  </Box>
);

/** A transform's current definition: where it reads, what it writes, its code and output features. */
export function TransformDefinition({ transform }: { transform: Transform }) {
  const { t: tr } = useTranslation('transforms');
  const t = transform;
  return (
    // minmax(0, 1fr): a long line of code scrolls in its block instead of widening the whole definition.
    <Box sx={{ display: 'grid', gap: 3, gridTemplateColumns: 'minmax(0, 1fr)' }}>
      <Box component="dl" sx={{ m: 0, display: 'grid', gridTemplateColumns: 'repeat(auto-fill, minmax(200px, 1fr))', columnGap: 4, rowGap: 2.5 }}>
        <Field label={tr('definition.language')} field="language">
          {LANGUAGE_LABELS[t.language]}
          {t.on_demand ? tr('definition.onDemand') : ''}
        </Field>
        <Field label={tr('definition.sources')} field="sources">
          {t.sources.map((s, i) => (
            <span key={s}>
              {i > 0 && ', '}
              <Link component={RouterLink} to={`/data-sources/${encodeURIComponent(s)}`} underline="hover" sx={MONO_SX}>
                {s}
              </Link>
            </span>
          ))}
        </Field>
        <Field label={tr('definition.entity')} field="entity">
          <Link component={RouterLink} to={`/features?entity=${encodeURIComponent(t.entity)}`} underline="hover" sx={MONO_SX}>
            {t.entity}
          </Link>
        </Field>
        <Field label={tr('definition.featureGroup')} field="feature-group">
          <Link component={RouterLink} to={`/features?group=${encodeURIComponent(t.feature_group)}`} underline="hover" sx={MONO_SX}>
            {t.feature_group}
          </Link>
        </Field>
        <Field label={tr('definition.keyColumn')} field="key-column">
          {mono(t.entity_key_column)}
        </Field>
        <Field label={tr('definition.timeColumn')} field="time-column">
          {t.event_time_column ? mono(t.event_time_column) : tr('definition.noTimeColumn')}
        </Field>
        <Field label={tr('definition.owner')} field="owner">
          {t.owner || '—'}
        </Field>
        <Field label={tr('definition.lastPublished')} field="updated">
          {formatTime(t.updated_at)}
          {t.updated_by ? tr('definition.by', { user: t.updated_by }) : ''}
        </Field>
      </Box>
      <Box>
        <Typography variant="subtitle2" sx={{ fontWeight: 650, mb: 1 }}>
          {tr('definition.code')}
        </Typography>
        <CodeBlock label={tr('definition.codeOf', { language: LANGUAGE_LABELS[t.language], name: t.name })} code={t.code} />
      </Box>
      <Box>
        <Typography variant="subtitle2" sx={{ fontWeight: 650, mb: 1 }}>
          {tr('definition.outputFeatures')}
        </Typography>
        {t.features.length === 0 ? (
          <Typography variant="body2" sx={{ color: 'text.secondary' }}>
            {tr('definition.noFeatures')}
          </Typography>
        ) : (
          <OutputFeaturesTable features={t.features} linkNames testId="transform-features" rowTestId="transform-feature" />
        )}
      </Box>
    </Box>
  );
}
