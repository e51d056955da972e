import { useState } from 'react';
import { useFileUpload, type FileUploadState } from '../data-sources/use-file-upload.js';
import { detectDataFormat, explainUnsupportedFile, type DataFileFormat } from '../ingest/data-file-format.js';
import type { LabelFileStatus } from './training-set-draft.js';

export interface LabelFile {
  file: File | undefined;
  format: DataFileFormat | undefined;
  /** Why the last file offered was refused (not a CSV, Parquet, JSON or NDJSON file). */
  problem: string | undefined;
  upload: FileUploadState;
  status: LabelFileStatus;
  choose: (file: File) => void;
}

/** The label file: refused unless its format is readable, else uploaded at once (POST /api/uploads/, with progress). */
export function useLabelFile(): LabelFile {
  const [file, setFile] = useState<File>();
  const [problem, setProblem] = useState<string>();
  const upload = useFileUpload(file);

  const choose = (chosen: File) => {
    if (!detectDataFormat(chosen)) {
      setProblem(explainUnsupportedFile(chosen));
      return;
    }
    setProblem(undefined);
    setFile(chosen);
  };

  const status: LabelFileStatus = !file
    ? { state: 'none' }
    : upload.receipt
      ? { state: 'uploaded', uploadId: upload.receipt.upload_id }
      : upload.error !== undefined
        ? { state: 'failed' }
        : { state: 'uploading' };
  return { file, format: file ? detectDataFormat(file) : undefined, problem, upload, status, choose };
}
