import { createContext } from 'react';
import type { IngestTarget } from './ingest-target.js';
import type { UploadReceipt } from './upload-file.js';

/**
 * One file on its way in: kept above the routes so a file dropped on any page opens the Ingest
 * page, and leaving the page and coming back resumes where the user was (no second upload).
 */
export interface IngestSession {
  id: number;
  file: File;
  upload?: UploadReceipt | undefined;
  target: IngestTarget;
  jobId?: string | undefined;
}

export type IngestSessionChange = Partial<Pick<IngestSession, 'upload' | 'target' | 'jobId'>>;

export interface IngestSessionValue {
  session: IngestSession | undefined;
  /** Starts over with a new file (a dropped or picked one, or the same file again). */
  start: (file: File) => void;
  /** Updates session `id`; ignored when another file has replaced it meanwhile. */
  update: (id: number, change: IngestSessionChange) => void;
  clear: () => void;
}

export const IngestSessionContext = createContext<IngestSessionValue | undefined>(undefined);
