/**
 * Monaco, bundled: no CDN (the app runs offline and its CSP allows only its own scripts). The
 * editor's workers are Vite `?worker` chunks served from the app's origin ('self' in worker-src).
 * Only the lazily loaded studio imports this module, so Monaco stays out of the main chunk.
 */
import { loader } from '@monaco-editor/react';
import { monaco } from './monaco-bundle.js';
import EditorWorker from 'monaco-editor/editor/editor.worker?worker';
import TypeScriptWorker from 'monaco-editor/language/typescript/ts.worker?worker';

self.MonacoEnvironment = {
  getWorker(_workerId: string, label: string) {
    return label === 'typescript' || label === 'javascript' ? new TypeScriptWorker() : new EditorWorker();
  },
};

/**
 * What the service declares around a TypeScript transform (service/src/transforms/ts-compiler.ts),
 * so the editor's type check agrees with the service's.
 */
const TRANSFORM_PRELUDE = [
  'type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };',
  'type Row = { [column: string]: any };',
].join('\n');

monaco.typescript.typescriptDefaults.setCompilerOptions({
  strict: true,
  target: monaco.typescript.ScriptTarget.ES2020,
  module: monaco.typescript.ModuleKind.ESNext,
  allowNonTsExtensions: true,
  noEmit: true,
});
monaco.typescript.typescriptDefaults.addExtraLib(TRANSFORM_PRELUDE, 'file:///fstore-transform-prelude.d.ts');

loader.config({ monaco });

export { monaco };
