import { useRef, type KeyboardEvent, type PointerEvent } from 'react';
import Box from '@mui/material/Box';
import { useTranslation } from 'react-i18next';
import { EDITOR_HEIGHT } from './editor-height.js';

const KEY_STEP = 40;

interface EditorResizeHandleProps {
  height: number;
  onResize: (height: number) => void;
}

const clamp = (height: number) => Math.round(Math.min(EDITOR_HEIGHT.max, Math.max(EDITOR_HEIGHT.min, height)));

/**
 * The bar under the editor: dragged (or moved with the arrow keys) it makes the editor taller or
 * shorter, so code and results share a small window as the user prefers.
 */
export function EditorResizeHandle({ height, onResize }: EditorResizeHandleProps) {
  const { t } = useTranslation('transforms');
  const drag = useRef<{ startY: number; startHeight: number }>(undefined);

  const onPointerDown = (e: PointerEvent<HTMLDivElement>) => {
    e.currentTarget.setPointerCapture(e.pointerId);
    drag.current = { startY: e.clientY, startHeight: height };
  };
  const onPointerMove = (e: PointerEvent<HTMLDivElement>) => {
    if (drag.current) onResize(clamp(drag.current.startHeight + e.clientY - drag.current.startY));
  };
  const onPointerUp = () => {
    drag.current = undefined;
  };
  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    const step = e.key === 'ArrowDown' ? KEY_STEP : e.key === 'ArrowUp' ? -KEY_STEP : 0;
    if (step === 0) return;
    e.preventDefault();
    onResize(clamp(height + step));
  };

  return (
    <Box
      role="separator"
      aria-orientation="horizontal"
      aria-label={t('editor.resize')}
      aria-valuemin={EDITOR_HEIGHT.min}
      aria-valuemax={EDITOR_HEIGHT.max}
      aria-valuenow={height}
      tabIndex={0}
      onPointerDown={onPointerDown}
      onPointerMove={onPointerMove}
      onPointerUp={onPointerUp}
      onPointerCancel={onPointerUp}
      onKeyDown={onKeyDown}
      data-testid="editor-resize-handle"
      sx={{
        height: 10,
        cursor: 'row-resize',
        touchAction: 'none',
        borderTop: 1,
        borderColor: 'divider',
        display: 'flex',
        alignItems: 'center',
        justifyContent: 'center',
        '&::after': { content: '""', width: 36, height: 3, borderRadius: 2, bgcolor: 'action.disabled' },
        '&:hover::after, &:focus-visible::after': { bgcolor: 'primary.main' },
        '&:focus-visible': { outline: 'none', bgcolor: 'action.hover' },
      }}
    />
  );
}
