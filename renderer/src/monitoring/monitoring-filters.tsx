import { useTranslation } from 'react-i18next';
import Box from '@mui/material/Box';
import MenuItem from '@mui/material/MenuItem';
import Paper from '@mui/material/Paper';
import TextField from '@mui/material/TextField';
import type { MonitoringViewPatch } from './monitoring-view.js';
import type { DateWindow } from './time-windows.js';
import { WindowFields } from './window-fields.js';

interface MonitoringFiltersProps {
  entity: string;
  group: string;
  baseline: DateWindow;
  current: DateWindow;
  entityNames: readonly string[];
  groupNames: readonly string[];
  onChange: (patch: MonitoringViewPatch) => void;
}

/** What drift and quality look at: an entity (optionally one of its groups), a baseline and a current window. */
export function MonitoringFilters({ entity, group, baseline, current, entityNames, groupNames, onChange }: MonitoringFiltersProps) {
  const { t } = useTranslation('monitoring');
  return (
    <Paper variant="outlined" sx={{ p: 2, display: 'flex', flexWrap: 'wrap', gap: 2.5, alignItems: 'flex-end' }} data-testid="monitoring-filters">
      <Box sx={{ display: 'flex', gap: 1.5, flexWrap: 'wrap' }}>
        <TextField
          id="monitoring-entity"
          select
          label={t('filters.entity')}
          size="small"
          value={entityNames.includes(entity) ? entity : ''}
          onChange={(e) => onChange({ entity: e.target.value })}
          sx={{ minWidth: 170 }}
          data-testid="entity-select"
        >
          {entityNames.map((name) => (
            <MenuItem key={name} value={name}>
              {name}
            </MenuItem>
          ))}
        </TextField>
        <TextField
          id="monitoring-group"
          select
          label={t('filters.group')}
          size="small"
          value={groupNames.includes(group) ? group : ''}
          onChange={(e) => onChange({ group: e.target.value })}
          sx={{ minWidth: 170 }}
          slotProps={{ inputLabel: { shrink: true }, select: { displayEmpty: true } }}
          data-testid="group-select"
        >
          <MenuItem value="">
            <em>{t('filters.allGroups')}</em>
          </MenuItem>
          {groupNames.map((name) => (
            <MenuItem key={name} value={name}>
              {name}
            </MenuItem>
          ))}
        </TextField>
      </Box>
      <Box sx={{ display: 'flex', gap: 2.5, flexWrap: 'wrap' }}>
        <WindowFields id="baseline" label={t('filters.baseline')} value={baseline} onChange={(next) => onChange({ baseline: next })} />
        <WindowFields id="current" label={t('filters.current')} value={current} onChange={(next) => onChange({ current: next })} />
      </Box>
    </Paper>
  );
}
