import AddIcon from '@mui/icons-material/Add';
import DeleteOutlined from '@mui/icons-material/DeleteOutlined';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import IconButton from '@mui/material/IconButton';
import MenuItem from '@mui/material/MenuItem';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { VALUE_TYPES, type ValueType } from '@shared/domain/value-types.js';
import { useTranslation } from 'react-i18next';
import { NEW_REQUEST_INPUT, type DraftRequestInput } from './request-inputs.js';

interface RequestInputsEditorProps {
  inputs: readonly DraftRequestInput[];
  onChange: (inputs: DraftRequestInput[]) => void;
}

/** The request inputs of an on-demand transform: name and type (published), and a value for previews. */
export function RequestInputsEditor({ inputs, onChange }: RequestInputsEditorProps) {
  const { t } = useTranslation('transforms');
  const update = (index: number, change: Partial<DraftRequestInput>) => onChange(inputs.map((input, i) => (i === index ? { ...input, ...change } : input)));
  return (
    <Box sx={{ display: 'grid', gap: 1 }} data-testid="request-inputs">
      <Typography variant="body2" color="text.secondary">
        {t('requestInputs.intro')}
      </Typography>
      {inputs.map((input, index) => (
        // The settings column is narrow on wide screens: the name gets a line of its own there.
        <Box
          key={index}
          sx={{
            display: 'grid',
            gridTemplateColumns: { xs: 'minmax(0, 1.4fr) 120px minmax(0, 1fr) auto', lg: '110px minmax(0, 1fr) auto' },
            gap: 1,
            alignItems: 'center',
          }}
        >
          <TextField
            label={t('requestInputs.name')}
            size="small"
            sx={{ gridColumn: { lg: '1 / -1' } }}
            value={input.name}
            onChange={(e) => update(index, { name: e.target.value })}
            slotProps={{ htmlInput: { 'data-testid': `request-input-name-${index}` } }}
          />
          <TextField select label={t('requestInputs.type')} size="small" value={input.valueType} onChange={(e) => update(index, { valueType: e.target.value as ValueType })}>
            {VALUE_TYPES.map((type) => (
              <MenuItem key={type} value={type}>
                {type}
              </MenuItem>
            ))}
          </TextField>
          <TextField
            label={t('requestInputs.previewValue')}
            size="small"
            value={input.previewValue}
            onChange={(e) => update(index, { previewValue: e.target.value })}
            placeholder={input.valueType.endsWith('_LIST') ? '[1, 2]' : undefined}
            slotProps={{ htmlInput: { 'data-testid': `request-input-value-${index}` } }}
          />
          <IconButton aria-label={t('requestInputs.remove', { name: input.name || index + 1 })} size="small" onClick={() => onChange(inputs.filter((_, i) => i !== index))}>
            <DeleteOutlined fontSize="small" />
          </IconButton>
        </Box>
      ))}
      <Box>
        <Button size="small" startIcon={<AddIcon />} onClick={() => onChange([...inputs, { ...NEW_REQUEST_INPUT }])} data-testid="request-input-add">
          {t('requestInputs.add')}
        </Button>
      </Box>
    </Box>
  );
}
