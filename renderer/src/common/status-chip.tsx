import Chip from '@mui/material/Chip';
import type { ObjectStatus } from '@shared/domain/schemas.js';

const LOOK: Record<ObjectStatus, { label: string; color: 'success' | 'warning' | 'default'; variant: 'outlined' | 'filled' }> = {
  active: { label: 'Active', color: 'success', variant: 'outlined' },
  deprecated: { label: 'Deprecated', color: 'warning', variant: 'filled' },
  archived: { label: 'Archived', color: 'default', variant: 'filled' },
};

export function StatusChip({ status }: { status: ObjectStatus }) {
  const look = LOOK[status];
  return <Chip label={look.label} size="small" color={look.color} variant={look.variant} data-testid="status-chip" />;
}
