import Chip from '@mui/material/Chip';
import type { ColumnRole } from '@shared/api/transforms.js';

const ROLE_LABELS: Record<ColumnRole, { label: string; color: 'primary' | 'secondary' | 'default'; hint: string }> = {
  entity_key: { label: 'key', color: 'primary', hint: 'Entity key: which entity each row describes' },
  event_time: { label: 'time', color: 'secondary', hint: 'Event time: when each value was true' },
  feature: { label: 'feature', color: 'default', hint: 'Becomes a feature when published' },
};

/** What a result column becomes when the transform is published. */
export function ColumnRoleChip({ role }: { role: ColumnRole }) {
  const { label, color, hint } = ROLE_LABELS[role];
  return <Chip size="small" label={label} color={color} variant={role === 'feature' ? 'outlined' : 'filled'} title={hint} data-testid="column-role" data-role={role} sx={{ height: 20, fontSize: 11 }} />;
}
