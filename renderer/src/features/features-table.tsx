import { Link as RouterLink, useNavigate } from 'react-router-dom';
import Link from '@mui/material/Link';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableContainer from '@mui/material/TableContainer';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import Typography from '@mui/material/Typography';
import type { Feature } from '../../../shared/domain/schemas.js';
import { StatusChip } from '../common/status-chip.js';
import { MONO_SX } from '../common/mono-text.js';
import { TagChips } from '../common/tag-chips.js';
import { FEATURE_TYPE_LABELS } from './type-labels.js';

const mono = MONO_SX;

export function FeaturesTable({ features }: { features: readonly Feature[] }) {
  const navigate = useNavigate();
  return (
    <TableContainer>
      <Table size="small" aria-label="Features" data-testid="features-table">
        <TableHead>
          <TableRow>
            <TableCell>Name</TableCell>
            <TableCell>Entity</TableCell>
            <TableCell>Group</TableCell>
            <TableCell>Value type</TableCell>
            <TableCell>Feature type</TableCell>
            <TableCell>Tags</TableCell>
            <TableCell align="right">Version</TableCell>
            <TableCell>Status</TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {features.map((f) => {
            const href = `/features/${encodeURIComponent(f.name)}`;
            return (
              <TableRow
                key={f.name}
                hover
                data-testid="feature-row"
                data-feature-name={f.name}
                onClick={() => navigate(href)}
                sx={{ cursor: 'pointer', opacity: f.status === 'archived' ? 0.6 : 1, '& td': { py: 1.25 } }}
              >
                <TableCell>
                  <Link
                    component={RouterLink}
                    to={href}
                    underline="hover"
                    onClick={(e) => e.stopPropagation()}
                    sx={{ ...mono, fontWeight: 600 }}
                  >
                    {f.name}
                  </Link>
                  {f.description && (
                    <Typography variant="caption" component="div" noWrap sx={{ color: 'text.secondary', maxWidth: 320 }}>
                      {f.description}
                    </Typography>
                  )}
                </TableCell>
                <TableCell sx={mono}>{f.entity}</TableCell>
                <TableCell sx={mono}>
                  {f.feature_group ?? (
                    <Typography component="span" variant="body2" sx={{ color: 'text.disabled' }}>
                      unassigned
                    </Typography>
                  )}
                </TableCell>
                <TableCell sx={mono}>{f.value_type}</TableCell>
                <TableCell>{FEATURE_TYPE_LABELS[f.feature_type].label}</TableCell>
                <TableCell>
                  <TagChips tags={f.tags} />
                </TableCell>
                <TableCell align="right" sx={mono}>
                  v{f.version}
                </TableCell>
                <TableCell>
                  <StatusChip status={f.status} />
                </TableCell>
              </TableRow>
            );
          })}
        </TableBody>
      </Table>
    </TableContainer>
  );
}
