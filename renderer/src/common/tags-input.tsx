import { useState } from 'react';
import Autocomplete from '@mui/material/Autocomplete';
import Chip from '@mui/material/Chip';
import TextField from '@mui/material/TextField';
import { useTranslation } from 'react-i18next';

interface TagsInputProps {
  label: string;
  value: string[];
  onChange: (tags: string[]) => void;
  /** Known tags offered as suggestions; any other text is accepted too. */
  suggestions?: readonly string[];
  helperText?: string;
  error?: string;
  id: string;
}

/** Free-form tags as chips: Enter (or a comma, or leaving the field) turns the text into a tag. */
export function TagsInput({ label, value, onChange, suggestions = [], helperText, error, id }: TagsInputProps) {
  const { t } = useTranslation();
  const [draft, setDraft] = useState('');

  const commit = (raw: string) => {
    const tag = raw.trim();
    setDraft('');
    if (tag.length > 0 && !value.includes(tag)) onChange([...value, tag]);
  };

  return (
    <Autocomplete
      id={id}
      multiple
      freeSolo
      options={suggestions.filter((s) => !value.includes(s))}
      value={value}
      inputValue={draft}
      onInputChange={(_event, next, reason) => {
        if (reason === 'input' && next.endsWith(',')) commit(next.slice(0, -1));
        else if (reason !== 'reset') setDraft(next);
      }}
      onChange={(_event, next) => {
        setDraft('');
        onChange([...new Set(next.map((t) => t.trim()).filter((t) => t.length > 0))]);
      }}
      renderValue={(tags, getItemProps) =>
        tags.map((tag, index) => {
          const { key, ...itemProps } = getItemProps({ index });
          return <Chip key={key} label={tag} size="small" {...itemProps} />;
        })
      }
      renderInput={(params) => (
        <TextField
          {...params}
          label={label}
          placeholder={value.length === 0 ? t('tagsPlaceholder') : ''}
          helperText={error ?? helperText}
          error={error !== undefined}
          onBlur={() => commit(draft)}
        />
      )}
    />
  );
}
