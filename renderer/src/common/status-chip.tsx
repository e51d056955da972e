import Chip from '@mui/material/Chip';
import { useTranslation } from 'react-i18next';
import type { ObjectStatus } from '@shared/domain/schemas.js';

const LOOK: Record<ObjectStatus, { color: 'success' | 'warning' | 'default'; variant: 'outlined' | 'filled' }> = {
  active: { color: 'success', variant: 'outlined' },
  deprecated: { color: 'warning', variant: 'filled' },
  archived: { color: 'default', variant: 'filled' },
};

export function StatusChip({ status }: { status: ObjectStatus }) {
  const { t } = useTranslation();
  const look = LOOK[status];
  return <Chip label={t(`status.${status}`)} size="small" color={look.color} variant={look.variant} data-testid="status-chip" />;
}
