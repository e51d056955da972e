import { useCallback, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { useNavigate } from 'react-router-dom';
import type { MenuCommand, MenuPage } from '@shared/ipc/desktop-api.js';
import { useClient } from '../api/use-client.js';
import { useColorMode } from '../theme/use-color-mode.js';
import { focusPageSearch } from './focus-page-search.js';
import { globalActionFor, type GlobalAction } from './global-shortcuts.js';
import { isMacPlatform, isTypingTarget } from './key-matching.js';
import { ShortcutsContext } from './shortcuts-context.js';
import { ShortcutsSheet } from './shortcuts-sheet.js';

const isMac = typeof navigator !== 'undefined' && isMacPlatform(navigator.platform);

/**
 * App-wide keyboard shortcuts and the desktop menu's commands (window.fstore.onMenuCommand), both
 * acting the same way; renders the shortcuts sheet. Inside the router and the color mode provider.
 */
export function ShortcutsProvider({ children }: { children: ReactNode }) {
  const navigate = useNavigate();
  const { toggle } = useColorMode();
  const { baseUrl } = useClient();
  const [isSheetOpen, setIsSheetOpen] = useState(false);
  const goPrefixAt = useRef<number | undefined>(undefined);

  const goTo = useCallback((page: MenuPage) => navigate(`/${page}`), [navigate]);
  const act = useCallback(
    (action: Exclude<GlobalAction, { kind: 'go-prefix' }>) => {
      switch (action.kind) {
        case 'show-shortcuts':
          return setIsSheetOpen(true);
        case 'focus-search':
          return focusPageSearch(() => navigate('/features'));
        case 'toggle-dark-mode':
          return toggle();
        case 'go':
          return goTo(action.page);
      }
    },
    [goTo, navigate, toggle],
  );

  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      // Already handled (the code editor's own keys, a dialog) or part of an IME composition.
      if (event.defaultPrevented || event.isComposing) return;
      const action = globalActionFor(event, {
        isMac,
        isTyping: isTypingTarget(focusTargetOf(event.target)),
        now: Date.now(),
        goPrefixAt: goPrefixAt.current,
      });
      goPrefixAt.current = action?.kind === 'go-prefix' ? Date.now() : undefined;
      if (action === undefined || action.kind === 'go-prefix') return;
      event.preventDefault();
      act(action);
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, [act]);

  const onMenuCommand = useCallback(
    (command: MenuCommand) => {
      if (command.startsWith('go:')) return goTo(command.slice(3) as MenuPage);
      switch (command) {
        case 'new-transform':
          return navigate('/transforms/new');
        case 'import-definitions':
          return navigate('/definitions?tab=plan');
        case 'toggle-dark-mode':
          return toggle();
        case 'show-shortcuts':
          return setIsSheetOpen(true);
        case 'open-documentation':
          // A new window is denied by the desktop shell and handed to the OS browser when it is http(s).
          window.open(new URL('/docs', baseUrl).href, '_blank', 'noopener');
          return;
      }
    },
    [baseUrl, goTo, navigate, toggle],
  );
  useEffect(() => window.fstore?.onMenuCommand(onMenuCommand), [onMenuCommand]);

  const value = useMemo(() => ({ openSheet: () => setIsSheetOpen(true) }), []);
  return (
    <ShortcutsContext.Provider value={value}>
      {children}
      <ShortcutsSheet open={isSheetOpen} onClose={() => setIsSheetOpen(false)} isMac={isMac} />
    </ShortcutsContext.Provider>
  );
}

function focusTargetOf(target: EventTarget | null) {
  if (!(target instanceof HTMLElement)) return null;
  return {
    tagName: target.tagName,
    isContentEditable: target.isContentEditable,
    type: target instanceof HTMLInputElement ? target.type : undefined,
    role: target.getAttribute('role'),
    isInCodeEditor: target.closest('.monaco-editor') !== null,
  };
}
