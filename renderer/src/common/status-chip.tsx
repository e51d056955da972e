import Chip from '@mui/material/Chip';
import type { ObjectStatus } from '../../../shared/domain/schemas.js';

export function StatusChip({ status }: { status: ObjectStatus }) {
  return (
    <Chip
      label={status === 'active' ? 'Active' : 'Archived'}
      size="small"
      color={status === 'active' ? 'success' : 'default'}
      variant={status === 'active' ? 'outlined' : 'filled'}
      data-testid="status-chip"
    />
  );
}
