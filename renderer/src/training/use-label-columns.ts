import { useEffect, useRef, useState } from 'react';
import { useClient } from '../api/use-client.js';
import type { LabelColumns } from './label-columns.js';
import type { LabelFileStatus } from './training-set-draft.js';

/**
 * The uploaded label file's columns, read by the service's dry run of the upload (as the ingest page
 * reads a file); undefined until uploaded, or when the file cannot be read (the build then says why).
 */
export function useLabelColumns(status: LabelFileStatus, onRead: (columns: LabelColumns) => void): LabelColumns | undefined {
  const { client } = useClient();
  const uploadId = status.state === 'uploaded' ? status.uploadId : undefined;
  const [read, setRead] = useState<{ uploadId: string; columns: LabelColumns }>();
  // The latest callback, without re-reading the file when the caller passes a new one.
  const onReadRef = useRef(onRead);
  useEffect(() => {
    onReadRef.current = onRead;
  });
  useEffect(() => {
    if (!uploadId) return;
    let isCurrent = true;
    client.uploads.preview(uploadId).then(
      (preview) => {
        if (!isCurrent) return;
        const columns = { names: preview.columns.map((c) => c.name), timeCandidates: preview.time_candidates };
        setRead({ uploadId, columns });
        onReadRef.current(columns);
      },
      () => undefined,
    );
    return () => {
      isCurrent = false;
    };
  }, [client, uploadId]);
  return read && read.uploadId === uploadId ? read.columns : undefined;
}
