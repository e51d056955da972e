import { useCallback } from 'react';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import MenuItem from '@mui/material/MenuItem';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableContainer from '@mui/material/TableContainer';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import ArrowForward from '@mui/icons-material/ArrowForward';
import type { VersionRecord } from '../../../shared/domain/schemas.js';
import { useClient } from '../api/use-client.js';
import { ErrorAlert } from '../common/error-alert.js';
import { formatValue } from '../common/format-value.js';
import { LoadingState } from '../common/loading-state.js';
import { MONO_SX } from '../common/mono-text.js';
import { useAsync } from '../common/use-async.js';

interface VersionDiffProps {
  name: string;
  versions: readonly VersionRecord[];
  from: number;
  to: number;
  onChange: (from: number, to: number) => void;
}

/** Field-level changes between two versions of a feature, as computed by the service. */
export function VersionDiff({ name, versions, from, to, onChange }: VersionDiffProps) {
  const { client } = useClient();
  const numbers = versions.map((v) => v.version).sort((a, b) => a - b);
  const canCompare = numbers.length > 1 && from !== to;
  const diff = useAsync(
    useCallback(
      () => (canCompare ? client.features.diff(name, from, to) : Promise.resolve(undefined)),
      [client, name, from, to, canCompare],
    ),
  );

  if (numbers.length < 2) {
    return (
      <Alert severity="info" data-testid="diff-single-version">
        Only one version exists. Edit the feature to create version 2, then compare them here.
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
          Version {n}
        </MenuItem>
      ))}
    </TextField>
  );

  return (
    <Box data-testid="version-diff">
      <Box sx={{ display: 'flex', alignItems: 'center', gap: 1.5, mb: 2, flexWrap: 'wrap' }}>
        {versionSelect('From', from, (v) => onChange(v, to), 'diff-from')}
        <ArrowForward fontSize="small" sx={{ color: 'text.secondary' }} />
        {versionSelect('To', to, (v) => onChange(from, v), 'diff-to')}
      </Box>
      {from === to ? (
        <Alert severity="info">Pick two different versions to see what changed.</Alert>
      ) : diff.error !== undefined ? (
        <ErrorAlert error={diff.error} onRetry={diff.reload} />
      ) : diff.isLoading || !diff.data ? (
        <LoadingState label="Comparing versions…" />
      ) : diff.data.changes.length === 0 ? (
        <Alert severity="info" data-testid="diff-no-changes">
          The definitions of version {from} and version {to} are identical.
        </Alert>
      ) : (
        <TableContainer sx={{ border: 1, borderColor: 'divider', borderRadius: 1 }}>
          <Table size="small" aria-label={`Changes from version ${from} to version ${to}`} data-testid="diff-table">
            <TableHead>
              <TableRow>
                <TableCell sx={{ width: '20%' }}>Field</TableCell>
                <TableCell sx={{ width: '40%' }}>Before (v{from})</TableCell>
                <TableCell sx={{ width: '40%' }}>After (v{to})</TableCell>
              </TableRow>
            </TableHead>
            <TableBody>
              {diff.data.changes.map((c) => (
                <TableRow key={c.field} data-testid="diff-row" data-field={c.field}>
                  <TableCell sx={{ ...MONO_SX, fontWeight: 600 }}>{c.field}</TableCell>
                  <TableCell data-testid="diff-before" sx={{ bgcolor: 'rgba(244, 67, 54, 0.08)' }}>
                    <Typography variant="body2" sx={{ textDecoration: 'line-through', textDecorationColor: 'rgba(244,67,54,0.5)' }}>
                      {formatValue(c.before)}
                    </Typography>
                  </TableCell>
                  <TableCell data-testid="diff-after" sx={{ bgcolor: 'rgba(76, 175, 80, 0.1)' }}>
                    <Typography variant="body2">{formatValue(c.after)}</Typography>
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </TableContainer>
      )}
    </Box>
  );
}
