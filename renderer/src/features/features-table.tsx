import { Link as RouterLink, useNavigate } from 'react-router-dom';
import Checkbox from '@mui/material/Checkbox';
import Link from '@mui/material/Link';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableContainer from '@mui/material/TableContainer';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import Typography from '@mui/material/Typography';
import { useTranslation } from 'react-i18next';
import type { Feature } from '@shared/domain/schemas.js';
import { StatusChip } from '../common/status-chip.js';
import { MONO_SX } from '../common/mono-text.js';
import { TagChips } from '../common/tag-chips.js';
import { featureTypeLabel } from './type-labels.js';

const mono = MONO_SX;

/** Picking features (to build a feature service from them); without it the table has no checkboxes. */
export interface FeatureSelection {
  selected: ReadonlySet<string>;
  onToggle: (feature: Feature) => void;
  /** Selects every selectable listed feature, or clears them when all are selected. */
  onToggleAll: (features: readonly Feature[]) => void;
}

export function FeaturesTable({ features, selection }: { features: readonly Feature[]; selection?: FeatureSelection }) {
  const { t } = useTranslation('features');
  const navigate = useNavigate();
  const selectable = features.filter((f) => f.status !== 'archived');
  const selectedCount = selectable.filter((f) => selection?.selected.has(f.name)).length;
  return (
    <TableContainer>
      <Table size="small" aria-label={t('table.label')} data-testid="features-table">
        <TableHead>
          <TableRow>
            {selection && (
              <TableCell padding="checkbox">
                <Checkbox
                  size="small"
                  checked={selectable.length > 0 && selectedCount === selectable.length}
                  indeterminate={selectedCount > 0 && selectedCount < selectable.length}
                  onChange={() => selection.onToggleAll(selectable)}
                  slotProps={{ input: { 'aria-label': t('table.selectAll') } }}
                  data-testid="select-all-features"
                />
              </TableCell>
            )}
            <TableCell>{t('table.name')}</TableCell>
            <TableCell>{t('table.entity')}</TableCell>
            <TableCell>{t('table.group')}</TableCell>
            <TableCell>{t('table.valueType')}</TableCell>
            <TableCell>{t('table.featureType')}</TableCell>
            <TableCell>{t('table.tags')}</TableCell>
            <TableCell align="right">{t('table.version')}</TableCell>
            <TableCell>{t('table.status')}</TableCell>
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
                selected={selection?.selected.has(f.name) ?? false}
                sx={{ cursor: 'pointer', opacity: f.status === 'archived' ? 0.6 : 1, '& td': { py: 1.25 } }}
              >
                {selection && (
                  <TableCell padding="checkbox" onClick={(e) => e.stopPropagation()}>
                    <Checkbox
                      size="small"
                      checked={selection.selected.has(f.name)}
                      disabled={f.status === 'archived'}
                      onChange={() => selection.onToggle(f)}
                      slotProps={{ input: { 'aria-label': t('table.select', { name: f.name }) } }}
                      data-testid="select-feature"
                    />
                  </TableCell>
                )}
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
                      {t('table.unassigned')}
                    </Typography>
                  )}
                </TableCell>
                <TableCell sx={mono}>{f.value_type}</TableCell>
                <TableCell>{featureTypeLabel(f.feature_type)}</TableCell>
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
