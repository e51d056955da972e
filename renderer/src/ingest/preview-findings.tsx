import Alert from '@mui/material/Alert';
import AlertTitle from '@mui/material/AlertTitle';
import Box from '@mui/material/Box';
import type { IngestPreview } from '@shared/api/serving.js';
import { useTranslation } from 'react-i18next';
import { formatCount } from '../common/format-number.js';
import { RejectedRowsTable } from './rejected-rows-table.js';

/** What the dry run found before anything is written: warnings, problems and invalid rows. */
export function PreviewFindings({ preview }: { preview: IngestPreview }) {
  const { t } = useTranslation('ingest');
  const { plan, problems, validation } = preview;
  const warnings = plan?.warnings ?? [];
  return (
    <Box sx={{ display: 'grid', gap: 2 }} data-testid="preview-findings">
      {!plan && problems.length === 0 && (
        <Alert severity="info" variant="outlined" data-testid="preview-needs-target">
          {t('findings.needsTarget')}
        </Alert>
      )}
      {problems.length > 0 && (
        <Alert severity="error" data-testid="preview-problems">
          <AlertTitle>{t('findings.rejected')}</AlertTitle>
          <Box component="ul" sx={{ m: 0, pl: 2.5 }}>
            {problems.map((p) => (
              <li key={p} data-testid="preview-problem">
                {p}
              </li>
            ))}
          </Box>
        </Alert>
      )}
      {warnings.length > 0 && (
        <Alert severity="warning" variant="outlined" data-testid="preview-warnings">
          <Box component="ul" sx={{ m: 0, pl: 2.5 }}>
            {warnings.map((w) => (
              <li key={w} data-testid="preview-warning">
                {w}
              </li>
            ))}
          </Box>
        </Alert>
      )}
      {validation && validation.invalid_rows > 0 && <RejectedRowsTable errors={validation.errors} invalidRows={validation.invalid_rows} />}
      {validation && validation.invalid_rows === 0 && problems.length === 0 && (
        <Alert severity="success" data-testid="preview-valid">
          {t('findings.allValid', { count: preview.rows, formatted: formatCount(preview.rows) })}
        </Alert>
      )}
    </Box>
  );
}
