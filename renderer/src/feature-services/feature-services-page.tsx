import { useCallback } from 'react';
import { Link as RouterLink, useNavigate } from 'react-router-dom';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Chip from '@mui/material/Chip';
import Link from '@mui/material/Link';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableContainer from '@mui/material/TableContainer';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import Typography from '@mui/material/Typography';
import HubOutlined from '@mui/icons-material/HubOutlined';
import { useClient } from '../api/use-client.js';
import { EmptyState } from '../common/empty-state.js';
import { MONO_SX } from '../common/mono-text.js';
import { RegistryListPage } from '../common/registry-list-page.js';
import { StatusChip } from '../common/status-chip.js';
import { TagChips } from '../common/tag-chips.js';
import { useAsync } from '../common/use-async.js';

/** How many feature names a row shows before "+N more". */
const FEATURES_SHOWN = 4;

export function FeatureServicesPage() {
  const { client } = useClient();
  const navigate = useNavigate();
  const services = useAsync(useCallback(() => client.featureServices.list(), [client]));

  return (
    <RegistryListPage
      title="Feature services"
      subtitle="Named, versioned sets of features that a model consumes. Online and training requests name the service instead of listing its features."
      state={services}
      loadingLabel="Loading feature services…"
      actions={
        <Button variant="outlined" startIcon={<HubOutlined />} component={RouterLink} to="/features" data-testid="build-service-button">
          Build from features
        </Button>
      }
      empty={
        <EmptyState icon={<HubOutlined />} title="No feature services yet" testId="feature-services-empty">
          <Typography variant="body2">
            Select the features a model consumes on the Features page, from one or several groups of one entity, and choose
            Create feature service.
          </Typography>
          <Button variant="contained" component={RouterLink} to="/features">
            Go to features
          </Button>
        </EmptyState>
      }
      renderTable={(rows) => (
        <TableContainer>
          <Table size="small" aria-label="Feature services" data-testid="feature-services-table">
            <TableHead>
              <TableRow>
                <TableCell>Name</TableCell>
                <TableCell>Entity</TableCell>
                <TableCell>Features</TableCell>
                <TableCell>Tags</TableCell>
                <TableCell align="right">Version</TableCell>
                <TableCell>Status</TableCell>
              </TableRow>
            </TableHead>
            <TableBody>
              {rows.map((s) => {
                const href = `/feature-services/${encodeURIComponent(s.name)}`;
                return (
                  <TableRow
                    key={s.name}
                    hover
                    onClick={() => navigate(href)}
                    data-testid="feature-service-row"
                    data-service-name={s.name}
                    sx={{ cursor: 'pointer', '& td': { py: 1.25 } }}
                  >
                    <TableCell>
                      <Link component={RouterLink} to={href} underline="hover" onClick={(e) => e.stopPropagation()} sx={{ ...MONO_SX, fontWeight: 600 }}>
                        {s.name}
                      </Link>
                      {s.description && (
                        <Typography variant="caption" component="div" noWrap sx={{ color: 'text.secondary', maxWidth: 280 }}>
                          {s.description}
                        </Typography>
                      )}
                    </TableCell>
                    <TableCell sx={MONO_SX}>{s.entity}</TableCell>
                    <TableCell>
                      <Box sx={{ display: 'flex', flexWrap: 'wrap', gap: 0.5, maxWidth: 420 }}>
                        {s.features.slice(0, FEATURES_SHOWN).map((f) => (
                          <Chip key={f} label={f} size="small" variant="outlined" sx={MONO_SX} />
                        ))}
                        {s.features.length > FEATURES_SHOWN && <Chip label={`+${s.features.length - FEATURES_SHOWN} more`} size="small" />}
                      </Box>
                    </TableCell>
                    <TableCell>
                      <TagChips tags={s.tags} />
                    </TableCell>
                    <TableCell align="right" sx={MONO_SX}>
                      v{s.version}
                    </TableCell>
                    <TableCell>
                      <StatusChip status={s.status} />
                    </TableCell>
                  </TableRow>
                );
              })}
            </TableBody>
          </Table>
        </TableContainer>
      )}
    />
  );
}
