import type { IDisposable, languages } from 'monaco-editor';
import { buildSqlCompletions, qualifierBefore, type CompletionCatalog, type CompletionKind } from '../studio/sql-completions.js';
import type { monaco as Monaco } from './monaco-setup.js';

/** Registers SQL autocomplete of sources, columns and features; `catalog` is read on every request. */
export function registerSqlCompletions(monaco: typeof Monaco, catalog: () => CompletionCatalog): IDisposable {
  const kinds: Record<CompletionKind, languages.CompletionItemKind> = {
    table: monaco.languages.CompletionItemKind.Struct,
    column: monaco.languages.CompletionItemKind.Field,
    feature: monaco.languages.CompletionItemKind.Variable,
  };
  return monaco.languages.registerCompletionItemProvider('sql', {
    triggerCharacters: ['.'],
    provideCompletionItems(model, position) {
      const word = model.getWordUntilPosition(position);
      const range = {
        startLineNumber: position.lineNumber,
        endLineNumber: position.lineNumber,
        startColumn: word.startColumn,
        endColumn: word.endColumn,
      };
      const before = model.getLineContent(position.lineNumber).slice(0, position.column - 1);
      const specs = buildSqlCompletions(catalog(), qualifierBefore(before));
      return {
        suggestions: specs.map((spec) => ({
          // The description is drawn on every row, so each item says what it is without being focused.
          label: { label: spec.label, description: spec.kindLabel },
          filterText: spec.label,
          kind: kinds[spec.kind],
          insertText: spec.insertText,
          detail: spec.detail,
          sortText: spec.sortText,
          range,
        })),
      };
    },
  });
}
