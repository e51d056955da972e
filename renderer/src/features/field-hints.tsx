import Box from '@mui/material/Box';
import LightbulbOutlined from '@mui/icons-material/LightbulbOutlined';
import type { LintHint } from '@shared/domain/naming-lint.js';

/** Recommendations under a field: they explain, they never block saving. */
export function FieldHints({ hints, testId = 'naming-hints' }: { hints: readonly LintHint[]; testId?: string }) {
  if (hints.length === 0) return null;
  return (
    <Box role="note" data-testid={testId} sx={{ display: 'grid', gap: 0.5, px: 1.75 }}>
      {hints.map((h) => (
        <Box key={h.rule} data-testid="naming-hint" data-rule={h.rule} sx={{ display: 'flex', gap: 0.75, alignItems: 'flex-start', typography: 'caption', color: 'info.main' }}>
          <LightbulbOutlined sx={{ fontSize: 16, mt: '1px' }} aria-hidden />
          <span>{h.message}</span>
        </Box>
      ))}
    </Box>
  );
}
