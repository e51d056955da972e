import { useCallback, useEffect, useRef, useState } from 'react';
import type { TransformPreview, TransformPreviewRequest } from '@shared/api/transforms.js';
import type { TransformLanguage } from '@shared/domain/schemas.js';
import { useClient } from '../../api/use-client.js';

export type PreviewState =
  | { status: 'idle' }
  | { status: 'running'; last?: TransformPreview }
  | { status: 'done'; preview: TransformPreview }
  /** `code` (in `language`) is the text that was sent: error positions refer to it. */
  | { status: 'failed'; error: unknown; language: TransformLanguage; code: string; last?: TransformPreview };

/** A finished run, superseded or not: what the query history keeps. */
export interface PreviewOutcome {
  request: TransformPreviewRequest;
  startedAt: Date;
  durationMs: number;
  preview?: TransformPreview;
  error?: unknown;
}

/** Runs previews; a newer run supersedes an older one still in flight. `onSettled` hears every run's end. */
export function useTransformPreview(onSettled?: (outcome: PreviewOutcome) => void) {
  const { client } = useClient();
  const [state, setState] = useState<PreviewState>({ status: 'idle' });
  const runId = useRef(0);
  const onSettledRef = useRef(onSettled);
  useEffect(() => {
    onSettledRef.current = onSettled;
  });

  const run = useCallback(
    (request: TransformPreviewRequest) => {
      const id = ++runId.current;
      const startedAt = new Date();
      const started = performance.now();
      const settled = (result: { preview: TransformPreview } | { error: unknown }) =>
        onSettledRef.current?.({ request, startedAt, durationMs: performance.now() - started, ...result });
      setState((s) => ({ status: 'running', ...lastOf(s) }));
      client.transforms.preview(request).then(
        (preview) => {
          settled({ preview });
          if (id === runId.current) setState({ status: 'done', preview });
        },
        (error: unknown) => {
          settled({ error });
          if (id === runId.current) setState((s) => ({ status: 'failed', error, language: request.language, code: request.code, ...lastOf(s) }));
        },
      );
    },
    [client],
  );

  return { state, run };
}

/** The last good result, kept on screen (dimmed) while a new run is in flight or failed. */
function lastOf(state: PreviewState): { last?: TransformPreview } {
  if (state.status === 'done') return { last: state.preview };
  if ((state.status === 'running' || state.status === 'failed') && state.last) return { last: state.last };
  return {};
}
