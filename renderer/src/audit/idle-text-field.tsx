import { useEffect, useRef, useState } from 'react';
import TextField from '@mui/material/TextField';

interface IdleTextFieldProps {
  id: string;
  label: string;
  /** The committed value (from the URL). */
  value: string;
  onCommit: (value: string) => void;
  helperText?: string;
  placeholder?: string;
  testId: string;
}

const IDLE_MS = 300;

/** A text filter that stays instant while typing and commits (URL, request) once the user pauses. */
export function IdleTextField({ id, label, value, onCommit, helperText, placeholder, testId }: IdleTextFieldProps) {
  const [text, setText] = useState(value);
  const [synced, setSynced] = useState(value);
  const timer = useRef<number | undefined>(undefined);

  if (value !== synced) {
    // The URL changed from outside (a clicked actor, clear, back/forward): adopt it.
    setSynced(value);
    setText(value);
  }

  useEffect(() => () => window.clearTimeout(timer.current), []);

  const onChange = (next: string) => {
    setText(next);
    window.clearTimeout(timer.current);
    timer.current = window.setTimeout(() => {
      setSynced(next.trim());
      onCommit(next);
    }, IDLE_MS);
  };

  return (
    <TextField
      id={id}
      label={label}
      size="small"
      value={text}
      onChange={(e) => onChange(e.target.value)}
      helperText={helperText}
      placeholder={placeholder}
      autoComplete="off"
      sx={{ minWidth: 200 }}
      slotProps={{ htmlInput: { spellCheck: false, 'data-testid': testId } }}
    />
  );
}
