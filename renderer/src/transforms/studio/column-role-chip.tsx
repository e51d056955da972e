import Chip from '@mui/material/Chip';
import type { ColumnRole } from '@shared/api/transforms.js';
import { useTranslation } from 'react-i18next';

const ROLE_COLORS: Record<ColumnRole, 'primary' | 'secondary' | 'default'> = {
  entity_key: 'primary',
  event_time: 'secondary',
  feature: 'default',
};

/** What a result column becomes when the transform is published. */
export function ColumnRoleChip({ role }: { role: ColumnRole }) {
  const { t } = useTranslation('transforms');
  const label = t(`role.${role}`);
  const hint = t(`role.${role}Hint`);
  const color = ROLE_COLORS[role];
  return <Chip size="small" label={label} color={color} variant={role === 'feature' ? 'outlined' : 'filled'} title={hint} data-testid="column-role" data-role={role} sx={{ height: 20, fontSize: 11 }} />;
}
