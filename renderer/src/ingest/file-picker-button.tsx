import { useRef } from 'react';
import Button, { type ButtonProps } from '@mui/material/Button';
import UploadFileOutlined from '@mui/icons-material/UploadFileOutlined';
import { FILE_PICKER_ACCEPT } from './data-file-format.js';

interface FilePickerButtonProps {
  label: string;
  onFile: (file: File) => void;
  variant?: ButtonProps['variant'];
  testId?: string;
}

/** A button that opens the system file picker, for those who do not drag files. */
export function FilePickerButton({ label, onFile, variant = 'contained', testId = 'choose-file' }: FilePickerButtonProps) {
  const input = useRef<HTMLInputElement>(null);
  return (
    <>
      <Button variant={variant} startIcon={<UploadFileOutlined />} onClick={() => input.current?.click()} data-testid={testId}>
        {label}
      </Button>
      <input
        ref={input}
        type="file"
        hidden
        accept={FILE_PICKER_ACCEPT}
        data-testid={`${testId}-input`}
        onChange={(e) => {
          const file = e.target.files?.[0];
          // Cleared so that picking the same file again still reports a change.
          e.target.value = '';
          if (file) onFile(file);
        }}
      />
    </>
  );
}
