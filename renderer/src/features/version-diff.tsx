import { useCallback } from 'react';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import MenuItem from '@mui/material/MenuItem';
import TextField from '@mui/material/TextField';
import ArrowForward from '@mui/icons-material/ArrowForward';
import { useTranslation } from 'react-i18next';
import type { VersionRecord } from '@shared/domain/schemas.js';
import { useClient } from '../api/use-client.js';
import { ErrorAlert } from '../common/error-alert.js';
import { FieldChangesTable } from '../common/field-changes-table.js';
import { LoadingState } from '../common/loading-state.js';
import { useAsync } from '../common/use-async.js';

interface VersionDiffProps {
  name: string;
  versions: readonly VersionRecord[];
  from: number;
  to: number;
  onChange: (from: number, to: number) => void;
  /** Which registry the versions belong to. */
  kind?: 'features' | 'transforms' | 'featureServices';
}

/** Field-level changes between two versions of a feature, transform or feature service, as computed by the service. */
export function VersionDiff({ name, versions, from, to, onChange, kind = 'features' }: VersionDiffProps) {
  const { t } = useTranslation('features');
  const { client } = useClient();
  const numbers = versions.map((v) => v.version).sort((a, b) => a - b);
  const canCompare = numbers.length > 1 && from !== to;
  const diff = useAsync(
    useCallback(
      () => (canCompare ? client[kind].diff(name, from, to) : Promise.resolve(undefined)),
      [client, kind, name, from, to, canCompare],
    ),
  );

  if (numbers.length < 2) {
    return (
      <Alert severity="info" data-testid="diff-single-version">
        {t(`diff.single.${kind}`)}
      </Alert>
    );
  }

  const versionSelect = (label: string, value: number, onSelect: (v: number) => void, testId: string) => (
    <TextField
      select
      size="small"
      label={label}
      value={value}
      onChange={(e) => onSelect(Number(e.target.value))}
      sx={{ minWidth: 140 }}
      data-testid={testId}
    >
      {numbers.map((n) => (
        <MenuItem key={n} value={n}>
          {t('diff.version', { version: n })}
        </MenuItem>
      ))}
    </TextField>
  );

  return (
    <Box data-testid="version-diff">
      <Box sx={{ display: 'flex', alignItems: 'center', gap: 1.5, mb: 2, flexWrap: 'wrap' }}>
        {versionSelect(t('diff.from'), from, (v) => onChange(v, to), 'diff-from')}
        <ArrowForward fontSize="small" sx={{ color: 'text.secondary' }} />
        {versionSelect(t('diff.to'), to, (v) => onChange(from, v), 'diff-to')}
      </Box>
      {from === to ? (
        <Alert severity="info">{t('diff.pickTwo')}</Alert>
      ) : diff.error !== undefined ? (
        <ErrorAlert error={diff.error} onRetry={diff.reload} />
      ) : diff.isLoading || !diff.data ? (
        <LoadingState label={t('diff.comparing')} />
      ) : diff.data.changes.length === 0 ? (
        <Alert severity="info" data-testid="diff-no-changes">
          {t('diff.identical', { from, to })}
        </Alert>
      ) : (
        <FieldChangesTable
          changes={diff.data.changes}
          beforeLabel={t('diff.before', { version: from })}
          afterLabel={t('diff.after', { version: to })}
          ariaLabel={t('diff.ariaLabel', { from, to })}
        />
      )}
    </Box>
  );
}
