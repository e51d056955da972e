import { useTranslation } from 'react-i18next';
import Box from '@mui/material/Box';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { explainWindowProblem, isDate, type DateWindow } from './time-windows.js';

interface WindowFieldsProps {
  id: string;
  label: string;
  value: DateWindow;
  onChange: (window: DateWindow) => void;
}

/** A window as two dates (UTC days, both included). */
export function WindowFields({ id, label, value, onChange }: WindowFieldsProps) {
  const { t } = useTranslation('monitoring');
  const problem = explainWindowProblem(value);
  // The date input reports '' while a date is half typed; keep the last whole date meanwhile.
  const set = (part: keyof DateWindow, date: string) => isDate(date) && onChange({ ...value, [part]: date });
  return (
    <Box role="group" aria-labelledby={`${id}-label`} data-testid={`${id}-window`}>
      <Typography id={`${id}-label`} variant="caption" sx={{ color: problem ? 'error.main' : 'text.secondary', fontWeight: 600, display: 'block', mb: 0.5 }}>
        {label}
        {problem ? ` · ${problem}` : ''}
      </Typography>
      <Box sx={{ display: 'flex', gap: 1, alignItems: 'center' }}>
        <TextField
          id={`${id}-start`}
          type="date"
          size="small"
          value={value.start}
          onChange={(e) => set('start', e.target.value)}
          error={problem !== undefined}
          slotProps={{ htmlInput: { 'aria-label': t('filters.from', { label }), 'data-testid': `${id}-start` } }}
          sx={{ width: 150 }}
        />
        <Typography variant="body2" sx={{ color: 'text.secondary' }} aria-hidden>
          –
        </Typography>
        <TextField
          id={`${id}-end`}
          type="date"
          size="small"
          value={value.end}
          onChange={(e) => set('end', e.target.value)}
          error={problem !== undefined}
          slotProps={{ htmlInput: { 'aria-label': t('filters.to', { label }), 'data-testid': `${id}-end` } }}
          sx={{ width: 150 }}
        />
      </Box>
    </Box>
  );
}
