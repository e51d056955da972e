import Button from '@mui/material/Button';
import Chip from '@mui/material/Chip';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableContainer from '@mui/material/TableContainer';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import CompareArrows from '@mui/icons-material/CompareArrows';
import type { VersionRecord } from '@shared/domain/schemas.js';
import { formatTime } from '../common/format-time.js';
import { MONO_SX } from '../common/mono-text.js';

interface FeatureVersionsTableProps {
  versions: readonly VersionRecord[];
  onCompare: (from: number, to: number) => void;
}

const ACTION_COLORS = { create: 'success', update: 'primary', archive: 'default', restore: 'secondary', deprecate: 'warning' } as const;

export function FeatureVersionsTable({ versions, onCompare }: FeatureVersionsTableProps) {
  const newestFirst = [...versions].sort((a, b) => b.version - a.version);
  return (
    <TableContainer>
      <Table size="small" aria-label="Versions" data-testid="versions-table">
        <TableHead>
          <TableRow>
            <TableCell>Version</TableCell>
            <TableCell>Time</TableCell>
            <TableCell>Author</TableCell>
            <TableCell>Action</TableCell>
            <TableCell>Summary</TableCell>
            <TableCell align="right" />
          </TableRow>
        </TableHead>
        <TableBody>
          {newestFirst.map((v) => (
            <TableRow key={v.version} data-testid="version-row" data-version={v.version}>
              <TableCell sx={{ ...MONO_SX, fontWeight: 600 }}>v{v.version}</TableCell>
              <TableCell sx={{ whiteSpace: 'nowrap' }}>{formatTime(v.created_at)}</TableCell>
              <TableCell>{v.author}</TableCell>
              <TableCell>
                <Chip size="small" variant="outlined" label={v.action} color={ACTION_COLORS[v.action]} />
              </TableCell>
              <TableCell data-testid="version-summary">{v.summary}</TableCell>
              <TableCell align="right">
                {v.version > 1 && (
                  <Button size="small" startIcon={<CompareArrows />} onClick={() => onCompare(v.version - 1, v.version)}>
                    Compare with v{v.version - 1}
                  </Button>
                )}
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </TableContainer>
  );
}
