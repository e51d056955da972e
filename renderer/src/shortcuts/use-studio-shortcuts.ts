import { useEffect, useRef } from 'react';
import { isChord, isMacPlatform } from './key-matching.js';

const isMac = typeof navigator !== 'undefined' && isMacPlatform(navigator.platform);

interface StudioShortcuts {
  onRun(): void;
  onPublish(): void;
  /** False while a dialog of the studio is open. */
  isEnabled: boolean;
}

/**
 * The studio's own keys, which also work while typing in its fields: Mod+Enter runs the preview
 * (the editor handles it itself, so a press it already took is left alone) and Mod+S publishes
 * instead of the browser's "save page".
 */
export function useStudioShortcuts({ onRun, onPublish, isEnabled }: StudioShortcuts): void {
  const latest = useRef({ onRun, onPublish, isEnabled });
  useEffect(() => {
    latest.current = { onRun, onPublish, isEnabled };
  });
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.defaultPrevented || event.isComposing) return;
      const isRun = isChord(event, 'Enter', isMac);
      const isPublish = isChord(event, 's', isMac);
      if (!isRun && !isPublish) return;
      event.preventDefault();
      if (!latest.current.isEnabled) return;
      if (isRun) latest.current.onRun();
      else latest.current.onPublish();
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, []);
}
