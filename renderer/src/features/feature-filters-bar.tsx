import { useEffect, useRef, useState } from 'react';
import Autocomplete from '@mui/material/Autocomplete';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Chip from '@mui/material/Chip';
import FormControlLabel from '@mui/material/FormControlLabel';
import InputAdornment from '@mui/material/InputAdornment';
import MenuItem from '@mui/material/MenuItem';
import Switch from '@mui/material/Switch';
import TextField from '@mui/material/TextField';
import SearchIcon from '@mui/icons-material/Search';
import FilterListOff from '@mui/icons-material/FilterListOff';
import { useTranslation } from 'react-i18next';
import type { FeatureFilters } from './use-feature-filters.js';

interface FeatureFiltersBarProps {
  filters: FeatureFilters;
  onChange: (patch: Partial<FeatureFilters>) => void;
  onClear: () => void;
  hasFilters: boolean;
  entityNames: readonly string[];
  tags: readonly string[];
}

export function FeatureFiltersBar({ filters, onChange, onClear, hasFilters, entityNames, tags }: FeatureFiltersBarProps) {
  const { t } = useTranslation('features');
  // The search box is local state so typing stays instant; the URL (and the request) follow when idle.
  const [search, setSearch] = useState(filters.q);
  const [syncedQ, setSyncedQ] = useState(filters.q);
  const timer = useRef<number | undefined>(undefined);

  if (filters.q !== syncedQ) {
    // The URL changed from outside (clear button, back/forward): adopt it.
    setSyncedQ(filters.q);
    setSearch(filters.q);
  }

  useEffect(() => () => window.clearTimeout(timer.current), []);

  const onSearchChange = (text: string) => {
    setSearch(text);
    window.clearTimeout(timer.current);
    timer.current = window.setTimeout(() => {
      setSyncedQ(text);
      onChange({ q: text });
    }, 250);
  };

  const entityOptions = filters.entity && !entityNames.includes(filters.entity) ? [...entityNames, filters.entity] : entityNames;

  return (
    <Box sx={{ display: 'flex', flexWrap: 'wrap', gap: 1.5, alignItems: 'center', p: 2 }}>
      <TextField
        id="feature-search"
        label={t('filters.search')}
        placeholder={t('filters.searchPlaceholder')}
        size="small"
        value={search}
        onChange={(e) => onSearchChange(e.target.value)}
        sx={{ flex: '1 1 260px', maxWidth: 420 }}
        slotProps={{
          input: {
            startAdornment: (
              <InputAdornment position="start">
                <SearchIcon fontSize="small" />
              </InputAdornment>
            ),
          },
          htmlInput: { 'data-testid': 'feature-search', type: 'search' },
        }}
      />
      <TextField
        id="feature-entity-filter"
        select
        label={t('filters.entity')}
        size="small"
        value={filters.entity}
        onChange={(e) => onChange({ entity: e.target.value })}
        sx={{ minWidth: 180 }}
        data-testid="entity-filter"
      >
        <MenuItem value="">
          <em>{t('filters.allEntities')}</em>
        </MenuItem>
        {entityOptions.map((name) => (
          <MenuItem key={name} value={name}>
            {name}
          </MenuItem>
        ))}
      </TextField>
      <Autocomplete
        id="feature-tag-filter"
        size="small"
        options={tags as string[]}
        value={filters.tag || null}
        onChange={(_e, tag) => onChange({ tag: tag ?? '' })}
        sx={{ minWidth: 180 }}
        renderInput={(params) => <TextField {...params} label={t('filters.tag')} />}
      />
      {filters.group && (
        <Chip label={t('filters.group', { group: filters.group })} onDelete={() => onChange({ group: '' })} data-testid="group-filter" sx={{ fontFamily: 'monospace' }} />
      )}
      <FormControlLabel
        control={
          <Switch
            checked={filters.includeArchived}
            onChange={(e) => onChange({ includeArchived: e.target.checked })}
            size="small"
          />
        }
        label={t('filters.showArchived')}
        sx={{ ml: 0.5, '& .MuiFormControlLabel-label': { fontSize: 14 } }}
      />
      {hasFilters && (
        <Button size="small" startIcon={<FilterListOff />} onClick={onClear} data-testid="clear-filters">
          {t('filters.clear')}
        </Button>
      )}
    </Box>
  );
}
