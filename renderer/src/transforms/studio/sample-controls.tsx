import Box from '@mui/material/Box';
import MenuItem from '@mui/material/MenuItem';
import TextField from '@mui/material/TextField';
import { SAMPLE_MODES, type SampleMode, type SampleSpec, type TransformPreview } from '@shared/api/transforms.js';
import { useTranslation } from 'react-i18next';

const MAX_ROWS = 10_000_000;

/** Whether a preview's sample (as the service reports it) is the one chosen now. */
export function isSameSample(shown: TransformPreview['sample'], chosen: SampleSpec): boolean {
  return shown.mode === chosen.mode && (chosen.mode === 'all' || shown.rows === (chosen.rows ?? null));
}

/** How much of each source the preview reads. */
export function SampleControls({ sample, onChange }: { sample: SampleSpec; onChange: (sample: SampleSpec) => void }) {
  const { t } = useTranslation('transforms');
  return (
    <Box sx={{ display: 'flex', gap: 1, alignItems: 'center' }} data-testid="sample-controls">
      <TextField
        id="sample-mode"
        select
        size="small"
        label={t('sample.label')}
        value={sample.mode}
        onChange={(e) => onChange({ ...sample, mode: e.target.value as SampleMode })}
        sx={{ width: 185 }}
      >
        {SAMPLE_MODES.map((mode) => (
          <MenuItem key={mode} value={mode}>
            {t(`sample.${mode}`)}
          </MenuItem>
        ))}
      </TextField>
      <TextField
        id="sample-rows"
        size="small"
        type="number"
        label={t('sample.rows')}
        value={sample.rows ?? ''}
        disabled={sample.mode === 'all'}
        onChange={(e) => {
          const rows = Math.round(Number(e.target.value));
          onChange({ ...sample, rows: Number.isFinite(rows) ? Math.min(MAX_ROWS, Math.max(1, rows)) : 1 });
        }}
        sx={{ width: 140 }}
        slotProps={{ htmlInput: { min: 1, max: MAX_ROWS, step: 1000 } }}
      />
    </Box>
  );
}
