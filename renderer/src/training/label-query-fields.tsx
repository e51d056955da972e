import { useCallback, useMemo } from 'react';
import { Link as RouterLink } from 'react-router-dom';
import { Trans, useTranslation } from 'react-i18next';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Link from '@mui/material/Link';
import MenuItem from '@mui/material/MenuItem';
import TextField from '@mui/material/TextField';
import { useClient } from '../api/use-client.js';
import { ErrorAlert } from '../common/error-alert.js';
import { MONO_SX } from '../common/mono-text.js';
import { useAsync } from '../common/use-async.js';
import { SOURCE_TYPE_LABELS } from '../data-sources/source-origin-text.js';
import { DEFAULT_KEY_COLUMN, DEFAULT_TIME_COLUMN } from './training-set-options.js';

interface LabelQueryFieldsProps {
  source: string;
  query: string;
  onSource: (source: string) => void;
  onQuery: (query: string) => void;
  errors: { labels?: string | undefined; labelSource?: string | undefined; labelQuery?: string | undefined };
  isDisabled: boolean;
}

/** The label rows as a SQL query on a registered data source, run by the service (no file exported first). */
export function LabelQueryFields({ source, query, onSource, onQuery, errors, isDisabled }: LabelQueryFieldsProps) {
  const { client } = useClient();
  const { t } = useTranslation('training');
  const sources = useAsync(useCallback(() => client.dataSources.list(), [client]));
  const active = useMemo(() => (sources.data ?? []).filter((s) => s.status !== 'archived').sort((a, b) => a.name.localeCompare(b.name)), [sources.data]);
  const chosen = active.find((s) => s.name === source);
  if (sources.error !== undefined) return <ErrorAlert error={sources.error} onRetry={sources.reload} />;
  const hasNone = sources.data !== undefined && active.length === 0;
  const dialect = chosen === undefined ? undefined : chosen.type === 'postgres' ? t('query.postgres') : t('query.duckdb');

  return (
    <Box sx={{ display: 'grid', gridTemplateColumns: { xs: '1fr', md: 'minmax(200px, 1fr) 2fr' }, gap: 2, alignItems: 'start' }} data-testid="label-query-fields">
      <TextField
        id="training-label-source"
        select
        label={t('query.source')}
        required
        value={chosen ? source : ''}
        onChange={(e) => onSource(e.target.value)}
        disabled={isDisabled || hasNone}
        error={errors.labelSource !== undefined}
        helperText={
          errors.labelSource ??
          (hasNone ? (
            <Trans t={t} i18nKey="query.noSources" components={[<Link key="0" component={RouterLink} to="/data-sources" />]} />
          ) : (
            t('query.sourceHelp')
          ))
        }
      >
        {active.map((s) => (
          <MenuItem key={s.name} value={s.name}>
            {s.name} · {SOURCE_TYPE_LABELS[s.type]}
          </MenuItem>
        ))}
      </TextField>
      <Box sx={{ display: 'grid', gap: 1.5 }}>
        <TextField
          id="training-label-query"
          label={t('query.query')}
          required
          multiline
          minRows={4}
          maxRows={14}
          value={query}
          onChange={(e) => onQuery(e.target.value)}
          disabled={isDisabled}
          error={errors.labelQuery !== undefined}
          placeholder={`SELECT customer_id AS ${DEFAULT_KEY_COLUMN}, placed_at AS ${DEFAULT_TIME_COLUMN}, is_fraud\nFROM ${source || 'orders'}\nWHERE placed_at >= DATE '2025-01-01'`}
          helperText={
            errors.labelQuery ??
            (dialect ? t('query.helpWithDialect', { dialect }) : t('query.help'))
          }
          slotProps={{ htmlInput: { spellCheck: false, 'data-testid': 'label-query' }, input: { sx: MONO_SX } }}
        />
        {errors.labels && (
          <Alert severity="warning" data-testid="labels-error">
            {errors.labels}
          </Alert>
        )}
      </Box>
    </Box>
  );
}
