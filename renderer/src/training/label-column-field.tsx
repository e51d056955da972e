import { useTranslation } from 'react-i18next';
import Autocomplete from '@mui/material/Autocomplete';
import TextField from '@mui/material/TextField';

interface LabelColumnFieldProps {
  id: string;
  label: string;
  value: string;
  /** The label file's columns, offered as choices; a name can still be typed. */
  options: readonly string[];
  fallback: string;
  error: string | undefined;
  isDisabled: boolean;
  onChange: (value: string) => void;
}

/** A column of the label file: a dropdown of its columns once it is read, else a typed name. */
export function LabelColumnField({ id, label, value, options, fallback, error, isDisabled, onChange }: LabelColumnFieldProps) {
  const { t } = useTranslation('training');
  return (
    <Autocomplete
      id={id}
      freeSolo
      options={options}
      inputValue={value}
      onInputChange={(_, next) => onChange(next)}
      disabled={isDisabled}
      renderInput={(params) => (
        <TextField
          {...params}
          label={label}
          placeholder={fallback}
          error={error !== undefined}
          helperText={error ?? (options.length > 0 ? t('column.ofFile', { count: options.length }) : t('column.empty', { fallback }))}
          slotProps={{
            ...params.slotProps,
            inputLabel: { ...params.slotProps.inputLabel, shrink: true },
            htmlInput: { ...params.slotProps.htmlInput, spellCheck: false, autoComplete: 'off' },
          }}
        />
      )}
    />
  );
}
