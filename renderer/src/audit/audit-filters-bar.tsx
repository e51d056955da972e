import { useTranslation } from 'react-i18next';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import MenuItem from '@mui/material/MenuItem';
import TextField from '@mui/material/TextField';
import FilterListOff from '@mui/icons-material/FilterListOff';
import { AUDIT_KINDS, auditKindLabel } from './audit-event-view.js';
import { hasAuditFilters, type AuditFilters, type AuditFiltersPatch } from './audit-filters.js';
import { IdleTextField } from './idle-text-field.js';

interface AuditFiltersBarProps {
  filters: AuditFilters;
  onChange: (patch: AuditFiltersPatch) => void;
}

/** Kind, object name and actor: the service matches names and actors exactly. */
export function AuditFiltersBar({ filters, onChange }: AuditFiltersBarProps) {
  const { t } = useTranslation('audit');
  const kinds: readonly string[] = filters.kind && !(AUDIT_KINDS as readonly string[]).includes(filters.kind) ? [...AUDIT_KINDS, filters.kind] : AUDIT_KINDS;
  return (
    <Box sx={{ display: 'flex', flexWrap: 'wrap', gap: 1.5, alignItems: 'flex-start', p: 2 }} data-testid="audit-filters">
      <TextField
        id="audit-kind"
        select
        label={t('filters.kind')}
        size="small"
        value={filters.kind}
        onChange={(e) => onChange({ kind: e.target.value })}
        sx={{ minWidth: 180 }}
        slotProps={{ inputLabel: { shrink: true }, select: { displayEmpty: true } }}
        data-testid="audit-kind-filter"
      >
        <MenuItem value="">
          <em>{t('filters.allKinds')}</em>
        </MenuItem>
        {kinds.map((kind) => (
          <MenuItem key={kind} value={kind}>
            {auditKindLabel(kind)}
          </MenuItem>
        ))}
      </TextField>
      <IdleTextField id="audit-name" label={t('filters.name')} value={filters.name} onCommit={(name) => onChange({ name })} placeholder="usuario_idade" helperText={t('filters.nameHelp')} testId="audit-name-filter" />
      <IdleTextField id="audit-actor" label={t('filters.actor')} value={filters.actor} onCommit={(actor) => onChange({ actor })} placeholder="local" helperText={t('filters.actorHelp')} testId="audit-actor-filter" />
      {hasAuditFilters(filters) && (
        <Button startIcon={<FilterListOff />} onClick={() => onChange({ kind: '', name: '', actor: '' })} sx={{ mt: 0.25 }} data-testid="audit-clear-filters">
          {t('clearFilters')}
        </Button>
      )}
    </Box>
  );
}
