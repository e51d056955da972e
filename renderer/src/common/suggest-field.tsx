import Autocomplete from '@mui/material/Autocomplete';
import TextField from '@mui/material/TextField';

interface SuggestFieldProps {
  id: string;
  label: string;
  value: string;
  onChange: (value: string) => void;
  onBlur?: () => void;
  options: readonly string[];
  error?: string;
  helperText?: string;
  placeholder?: string;
  required?: boolean;
  disabled?: boolean;
  size?: 'small' | 'medium';
}

/** Free text with autocomplete of existing names: a name that does not exist yet is allowed too. */
export function SuggestField({ id, label, value, onChange, onBlur, options, error, helperText, placeholder, required, disabled, size }: SuggestFieldProps) {
  return (
    <Autocomplete
      id={id}
      freeSolo
      disabled={disabled}
      size={size}
      options={options as string[]}
      inputValue={value}
      onInputChange={(_event, next) => onChange(next)}
      renderInput={(params) => (
        <TextField
          {...params}
          label={label}
          required={required}
          placeholder={placeholder}
          error={error !== undefined}
          helperText={error ?? helperText}
          onBlur={onBlur}
        />
      )}
    />
  );
}
