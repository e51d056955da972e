import { useTranslation } from 'react-i18next';
import Chip from '@mui/material/Chip';
import type { FeatureDrift } from '@shared/api/monitoring.js';

/** Drifted, stable, or not measurable (a window without values, or a type drift does not cover). */
export function DriftStatusChip({ drift }: { drift: FeatureDrift }) {
  const { t } = useTranslation('monitoring');
  if (drift.psi === null) return <Chip label={t('drift.status.none')} size="small" variant="outlined" data-testid="drift-status" data-status="none" />;
  return drift.drifted ? (
    <Chip label={t('drift.status.drifted')} size="small" color="error" data-testid="drift-status" data-status="drifted" />
  ) : (
    <Chip label={t('drift.status.stable')} size="small" color="success" variant="outlined" data-testid="drift-status" data-status="stable" />
  );
}
