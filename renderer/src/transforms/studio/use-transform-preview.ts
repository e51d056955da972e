import { useCallback, useRef, useState } from 'react';
import type { TransformPreview, TransformPreviewRequest } from '@shared/api/transforms.js';
import type { TransformLanguage } from '@shared/domain/schemas.js';
import { useClient } from '../../api/use-client.js';

export type PreviewState =
  | { status: 'idle' }
  | { status: 'running'; last?: TransformPreview }
  | { status: 'done'; preview: TransformPreview }
  /** `code` (in `language`) is the text that was sent: error positions refer to it. */
  | { status: 'failed'; error: unknown; language: TransformLanguage; code: string; last?: TransformPreview };

/** Runs previews; a newer run supersedes an older one still in flight. */
export function useTransformPreview() {
  const { client } = useClient();
  const [state, setState] = useState<PreviewState>({ status: 'idle' });
  const runId = useRef(0);

  const run = useCallback(
    (request: TransformPreviewRequest) => {
      const id = ++runId.current;
      setState((s) => ({ status: 'running', ...lastOf(s) }));
      client.transforms.preview(request).then(
        (preview) => {
          if (id === runId.current) setState({ status: 'done', preview });
        },
        (error: unknown) => {
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
