import { useEffect, useImperativeHandle, useRef, useState, type Ref } from 'react';
import Editor from '@monaco-editor/react';
import Box from '@mui/material/Box';
import type { editor as MonacoEditor } from 'monaco-editor';
import type { TransformLanguage } from '@shared/domain/schemas.js';
import { useTranslation } from 'react-i18next';
import { LoadingState } from '../../common/loading-state.js';
import { useColorMode } from '../../theme/use-color-mode.js';
import type { CodeMarker } from '../studio/error-markers.js';
import { EMPTY_CATALOG, type CompletionCatalog } from '../studio/sql-completions.js';
import { monaco } from './monaco-setup.js';
import { registerSqlCompletions } from './sql-completion-provider.js';

/** What the studio can ask of the editor. */
export interface CodeEditorHandle {
  /** Moves the cursor to a 1-based position, scrolls it into view and focuses the editor. */
  reveal: (position: { lineNumber: number; column: number }) => void;
  /** The text as the editor holds it now (React state may lag a keystroke behind). */
  getValue: () => string | undefined;
}

interface CodeEditorProps {
  language: TransformLanguage;
  value: string;
  onChange: (value: string) => void;
  /** Ctrl/Cmd+Enter, with the editor's current text. */
  onRun: (code: string) => void;
  markers: readonly CodeMarker[];
  catalog?: CompletionCatalog;
  height?: number;
  ref?: Ref<CodeEditorHandle>;
}

const MARKER_OWNER = 'fstore-preview';
/** One model per language (its own URI), so TypeScript gets a .ts file and undo stays per language. */
const MODEL_PATHS: Record<TransformLanguage, string> = { sql: 'file:///transform.sql', typescript: 'file:///transform.ts' };

export function CodeEditor({ language, value, onChange, onRun, markers, catalog = EMPTY_CATALOG, height = 340, ref }: CodeEditorProps) {
  const { t } = useTranslation('transforms');
  const { mode } = useColorMode();
  const [editor, setEditor] = useState<MonacoEditor.IStandaloneCodeEditor>();
  // The command and the completion provider are registered once; they read the latest props here.
  const onRunRef = useRef(onRun);
  const catalogRef = useRef(catalog);
  useEffect(() => {
    onRunRef.current = onRun;
    catalogRef.current = catalog;
  });

  useEffect(() => {
    const registration = registerSqlCompletions(monaco, () => catalogRef.current);
    return () => registration.dispose();
  }, []);

  useEffect(() => {
    const model = editor?.getModel();
    if (!model) return;
    monaco.editor.setModelMarkers(
      model,
      MARKER_OWNER,
      markers.map((m) => ({ ...m, severity: m.severity === 'warning' ? monaco.MarkerSeverity.Warning : monaco.MarkerSeverity.Error })),
    );
  }, [editor, markers, language]);

  useImperativeHandle(
    ref,
    () => ({
      reveal: (position) => {
        if (!editor) return;
        editor.setPosition(position);
        editor.revealPositionInCenter(position);
        editor.focus();
      },
      getValue: () => editor?.getValue(),
    }),
    [editor],
  );

  return (
    <Box data-testid="code-editor" data-language={language} data-ready={editor !== undefined} sx={{ height, '& .monaco-editor': { outline: 'none' } }}>
      <Editor
        height="100%"
        language={language}
        path={MODEL_PATHS[language]}
        value={value}
        theme={mode === 'dark' ? 'vs-dark' : 'vs'}
        loading={<LoadingState label={t('editor.loading')} />}
        onChange={(next) => onChange(next ?? '')}
        onMount={(mounted) => {
          // The text comes from the editor itself: a shortcut pressed right after typing can arrive
          // before React has rendered the change.
          mounted.addCommand(monaco.KeyMod.CtrlCmd | monaco.KeyCode.Enter, () => onRunRef.current(mounted.getValue()));
          setEditor(mounted);
        }}
        options={{
          minimap: { enabled: false },
          fontSize: 13,
          scrollBeyondLastLine: false,
          // The wheel scrolls the page once the editor cannot scroll further (or has nothing to scroll).
          scrollbar: { alwaysConsumeMouseWheel: false },
          automaticLayout: true,
          tabSize: 2,
          renderLineHighlight: 'line',
          fixedOverflowWidgets: true,
          ariaLabel: t('editor.ariaLabel', { language: language === 'sql' ? 'SQL' : 'TypeScript' }),
        }}
      />
    </Box>
  );
}
