/**
 * Compiles TypeScript transforms for the sandbox (`ts-sandbox.ts`).
 *
 * A transform is one TypeScript module that exports a row function, a batch function, or both:
 *
 * ```ts
 * // Row transform: called once per input row; return the feature values, or null to drop the row.
 * export default function transform(row: Row): Record<string, unknown> | null {
 *   return { user_id: row.user_id, amount_x2: Number(row.transaction_amount) * 2 };
 * }
 *
 * // Batch transform: called once with all rows (a table), e.g. for group-by aggregates.
 * export function batch(rows: Row[]): Record<string, unknown>[] { ... }
 * ```
 *
 * `Row` is a plain object of JSON values: dates and timestamps arrive as ISO-8601 strings. Results
 * must be plain data (plain objects, arrays, strings, numbers, booleans, null, `Date`s), rendered as
 * `JSON.stringify` does: a `Date` becomes its ISO string, `NaN` and `Infinity` become null, properties
 * holding `undefined` are left out. Functions, symbols, bigints, class instances, Maps, Promises and
 * cycles are output errors. Transforms are synchronous, cannot
 * import modules and see only the ECMAScript built-ins listed in `sandbox-worker.ts`: no file system,
 * network, process, environment, timers, `eval` or `new Function`. They should be pure: the same row
 * must give the same output whether it is processed alone (request time) or in a batch
 * (materialization); module-level state is reset on every call but shared by the rows of one call.
 *
 * Compilation is `ts.transpileModule` (syntax only, no type check) to a CommonJS body, followed by a
 * syntax check of the emitted JavaScript; `diagnoseTransform` adds the type check for editor markers.
 */
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import vm from 'node:vm';
import type * as TS from 'typescript';
import { TRANSFORM_SCRIPT_NAME, wrapModule } from './sandbox-worker.js';

export type TransformErrorCode =
  | 'FSTORE_TRANSFORM_COMPILE'
  | 'FSTORE_TRANSFORM_RUNTIME'
  | 'FSTORE_TRANSFORM_TIMEOUT'
  | 'FSTORE_TRANSFORM_MEMORY'
  | 'FSTORE_TRANSFORM_OUTPUT';

/** A 1-based position in the transform's TypeScript source. */
export interface SourcePosition {
  readonly line: number;
  readonly column: number;
}

export interface TransformDiagnostic extends SourcePosition {
  readonly endLine: number;
  readonly endColumn: number;
  readonly message: string;
  readonly severity: 'error' | 'warning';
}

export interface TransformErrorDetails {
  /** Where in the TypeScript source (1-based), when known. */
  readonly line?: number;
  readonly column?: number;
  /** Index of the input row being processed, for row transforms. */
  readonly row?: number;
  /** The stack of the user's code, mapped to the TypeScript source. */
  readonly stack?: string;
  readonly diagnostics?: readonly TransformDiagnostic[];
  readonly timeoutMs?: number;
  readonly memoryMb?: number;
}

/** Every failure of compiling or running a transform; `code` says which kind. */
export class TransformError extends Error {
  constructor(
    readonly code: TransformErrorCode,
    message: string,
    readonly details: TransformErrorDetails = {},
  ) {
    super(message);
    this.name = 'TransformError';
  }
}

/** A compiled transform: plain data, safe to cache or store next to the transform version. */
export interface CompiledTransform {
  readonly source: string;
  /** CommonJS module body, run by the sandbox inside `wrapModule`. */
  readonly js: string;
  /** Source map (v3) from `js` back to `source`. */
  readonly sourceMap: string;
  /** sha256 of `js`: the sandbox caches compiled scripts by it. */
  readonly key: string;
  readonly hasRow: boolean;
  readonly hasBatch: boolean;
}

const SOURCE_NAME = 'transform.ts';
const MAX_SOURCE_CHARS = 512 * 1024;

const requireFromHere = createRequire(import.meta.url);
let typescriptModule: typeof TS | undefined;
/** TypeScript is loaded on first use: it is large and most service runs compile nothing. */
function typescript(): typeof TS {
  typescriptModule ??= requireFromHere('typescript') as typeof TS;
  return typescriptModule;
}

export function compileTransform(source: string): CompiledTransform {
  if (source.length > MAX_SOURCE_CHARS) {
    throw compileError([diagnosticAt(1, 1, `The transform is larger than ${MAX_SOURCE_CHARS / 1024} KB.`)]);
  }
  const ts = typescript();
  let output: TS.TranspileOutput;
  try {
    output = ts.transpileModule(source, {
      fileName: SOURCE_NAME,
      reportDiagnostics: true,
      compilerOptions: {
        module: ts.ModuleKind.CommonJS,
        target: ts.ScriptTarget.ES2023,
        sourceMap: true,
        strict: true,
        removeComments: false,
      },
    });
  } catch (error) {
    // The parser recursing too deep on pathological input, for example.
    throw compileError([diagnosticAt(1, 1, `The transform cannot be compiled: ${(error as Error).message}`)]);
  }
  const syntax = (output.diagnostics ?? []).map((d) => toDiagnostic(ts, d));
  const sourceFile = ts.createSourceFile(SOURCE_NAME, source, ts.ScriptTarget.ES2023, true, ts.ScriptKind.TS);
  const shape = checkShape(ts, sourceFile);
  const errors = [...syntax.filter((d) => d.severity === 'error'), ...shape.problems];
  if (errors.length > 0) throw compileError(errors);

  const js = output.outputText.replace(/\n\/\/# sourceMappingURL=\S*\s*$/, '\n');
  const sourceMap = output.sourceMapText ?? '{"version":3,"sources":[],"names":[],"mappings":""}';
  const compiled: CompiledTransform = {
    source,
    js,
    sourceMap,
    key: createHash('sha256').update(js).digest('hex'),
    hasRow: shape.hasRow,
    hasBatch: shape.hasBatch,
  };
  checkJavaScriptSyntax(compiled);
  return Object.freeze(compiled);
}

/** The emitted JavaScript can still hold early errors TypeScript leaves to the engine. */
function checkJavaScriptSyntax(compiled: CompiledTransform): void {
  try {
    // Compiling runs nothing; the sandbox compiles the same text again in its own process.
    new vm.Script(wrapModule(compiled.js), { filename: TRANSFORM_SCRIPT_NAME, lineOffset: -1 });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const where = error instanceof Error ? /fstore-transform\.js:(\d+)/.exec(error.stack ?? '') : null;
    const position = where ? mapToSource(compiled, Number(where[1]), 1) : undefined;
    throw compileError([diagnosticAt(position?.line ?? 1, position?.column ?? 1, message)]);
  }
}

function compileError(diagnostics: readonly TransformDiagnostic[]): TransformError {
  const first = diagnostics[0] ?? diagnosticAt(1, 1, 'The transform cannot be compiled.');
  const more = diagnostics.length > 1 ? ` (and ${diagnostics.length - 1} more)` : '';
  return new TransformError(
    'FSTORE_TRANSFORM_COMPILE',
    `Line ${first.line}, column ${first.column}: ${first.message}${more}`,
    { line: first.line, column: first.column, diagnostics },
  );
}

function diagnosticAt(line: number, column: number, message: string): TransformDiagnostic {
  return { line, column, endLine: line, endColumn: column, message, severity: 'error' };
}

function toDiagnostic(ts: typeof TS, d: TS.Diagnostic): TransformDiagnostic {
  const message = ts.flattenDiagnosticMessageText(d.messageText, '\n');
  const severity = d.category === ts.DiagnosticCategory.Error ? 'error' : 'warning';
  if (!d.file || d.start === undefined) return { ...diagnosticAt(1, 1, message), severity };
  const start = d.file.getLineAndCharacterOfPosition(d.start);
  const end = d.file.getLineAndCharacterOfPosition(d.start + (d.length ?? 0));
  return {
    line: start.line + 1,
    column: start.character + 1,
    endLine: end.line + 1,
    endColumn: end.character + 1,
    message,
    severity,
  };
}

interface Shape {
  hasRow: boolean;
  hasBatch: boolean;
  problems: TransformDiagnostic[];
}

/** What the module exports, and the constructs the sandbox cannot run (imports, require). */
function checkShape(ts: typeof TS, file: TS.SourceFile): Shape {
  const shape: Shape = { hasRow: false, hasBatch: false, problems: [] };
  const problem = (node: TS.Node, message: string): void => {
    const start = file.getLineAndCharacterOfPosition(node.getStart(file));
    const end = file.getLineAndCharacterOfPosition(node.getEnd());
    shape.problems.push({
      line: start.line + 1,
      column: start.character + 1,
      endLine: end.line + 1,
      endColumn: end.character + 1,
      message,
      severity: 'error',
    });
  };
  const noModules = 'Transforms cannot import modules: only the built-ins (Math, JSON, Date, Map, ...) are available.';
  const exported = (name: string): void => {
    if (name === 'default') shape.hasRow = true;
    if (name === 'batch') shape.hasBatch = true;
  };
  const hasModifier = (node: TS.Node, kind: TS.SyntaxKind): boolean =>
    ts.canHaveModifiers(node) && (ts.getModifiers(node) ?? []).some((m) => m.kind === kind);

  for (const statement of file.statements) {
    if (ts.isImportDeclaration(statement)) {
      if (!statement.importClause?.isTypeOnly) problem(statement, noModules);
    } else if (ts.isImportEqualsDeclaration(statement)) {
      if (!statement.isTypeOnly) problem(statement, noModules);
    } else if (ts.isExportDeclaration(statement)) {
      if (statement.moduleSpecifier) problem(statement, noModules);
      else if (!statement.isTypeOnly && statement.exportClause && ts.isNamedExports(statement.exportClause)) {
        for (const element of statement.exportClause.elements) if (!element.isTypeOnly) exported(element.name.text);
      }
    } else if (ts.isExportAssignment(statement)) {
      if (statement.isExportEquals) problem(statement, 'Use `export default function transform(row) { ... }`, not `export =`.');
      else shape.hasRow = true;
    } else if (hasModifier(statement, ts.SyntaxKind.ExportKeyword)) {
      if (hasModifier(statement, ts.SyntaxKind.DefaultKeyword)) shape.hasRow = true;
      else if (ts.isFunctionDeclaration(statement) && statement.name) exported(statement.name.text);
      else if (ts.isVariableStatement(statement)) {
        for (const declaration of statement.declarationList.declarations) {
          if (ts.isIdentifier(declaration.name)) exported(declaration.name.text);
        }
      }
    }
  }
  const visit = (node: TS.Node): void => {
    if (ts.isCallExpression(node)) {
      if (node.expression.kind === ts.SyntaxKind.ImportKeyword) problem(node, noModules);
      else if (ts.isIdentifier(node.expression) && node.expression.text === 'require') problem(node, noModules);
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  if (!shape.hasRow && !shape.hasBatch && shape.problems.length === 0) {
    shape.problems.push(
      diagnosticAt(1, 1, 'A transform must `export default function transform(row: Row)` or `export function batch(rows: Row[])`.'),
    );
  }
  return shape;
}

// --- Source maps: runtime positions in `js` back to the TypeScript source. ---

/** Per generated line: [generatedColumn, sourceLine, sourceColumn] segments, 0-based, sorted. */
type DecodedMap = readonly (readonly (readonly [number, number, number])[])[];
const decodedMaps = new WeakMap<CompiledTransform, DecodedMap>();
const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

function decodeMappings(mappings: string): DecodedMap {
  const lines: [number, number, number][][] = [];
  let sourceLine = 0;
  let sourceColumn = 0;
  for (const lineText of mappings.split(';')) {
    const segments: [number, number, number][] = [];
    let generatedColumn = 0;
    for (const segmentText of lineText.split(',')) {
      if (segmentText === '') continue;
      const fields: number[] = [];
      let value = 0;
      let shift = 0;
      for (const char of segmentText) {
        const digit = BASE64.indexOf(char);
        value += (digit & 31) << shift;
        if (digit & 32) {
          shift += 5;
        } else {
          fields.push(value & 1 ? -(value >>> 1) : value >>> 1);
          value = 0;
          shift = 0;
        }
      }
      generatedColumn += fields[0] ?? 0;
      if (fields.length >= 4) {
        sourceLine += fields[2] ?? 0;
        sourceColumn += fields[3] ?? 0;
        segments.push([generatedColumn, sourceLine, sourceColumn]);
      }
    }
    lines.push(segments);
  }
  return lines;
}

/** Maps a 1-based line and column of `compiled.js` to the TypeScript source (1-based). */
export function mapToSource(compiled: CompiledTransform, line: number, column: number): SourcePosition | undefined {
  let decoded = decodedMaps.get(compiled);
  if (!decoded) {
    try {
      decoded = decodeMappings(String((JSON.parse(compiled.sourceMap) as { mappings?: unknown }).mappings ?? ''));
    } catch {
      decoded = [];
    }
    decodedMaps.set(compiled, decoded);
  }
  const segments = decoded[line - 1];
  if (!segments || segments.length === 0) return undefined;
  let best = segments[0];
  for (const segment of segments) {
    if (segment[0] <= column - 1) best = segment;
    else break;
  }
  return best ? { line: best[1] + 1, column: best[2] + 1 } : undefined;
}

// --- Type check for editor markers. ---

const PRELUDE_NAME = '/fstore-transform-prelude.d.ts';
const DEFAULT_ROW_TYPE = '{ [column: string]: any }';
const libFiles = new Map<string, TS.SourceFile | undefined>();

export interface DiagnoseOptions {
  /** A TypeScript type for `Row`, e.g. generated from the source's schema: `{ user_id: string; amount: number }`. */
  readonly rowType?: string;
}

/**
 * Syntax, shape and type errors of a transform, with 1-based positions, for editor markers. Runs the
 * type checker synchronously (tens to hundreds of milliseconds; the ES2023 lib is parsed once).
 */
export function diagnoseTransform(source: string, options: DiagnoseOptions = {}): TransformDiagnostic[] {
  const ts = typescript();
  const fileName = `/${SOURCE_NAME}`;
  const compilerOptions: TS.CompilerOptions = {
    strict: true,
    noEmit: true,
    target: ts.ScriptTarget.ES2023,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    lib: ['lib.es2023.d.ts'],
    types: [],
    skipLibCheck: true,
  };
  const prelude = [
    'type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };',
    `type Row = ${options.rowType ?? DEFAULT_ROW_TYPE};`,
  ].join('\n');
  const libDirectory = dirname(ts.getDefaultLibFilePath(compilerOptions));
  const host: TS.CompilerHost = {
    getSourceFile: (name, languageVersion) => {
      if (name === fileName) return ts.createSourceFile(name, source, languageVersion, true, ts.ScriptKind.TS);
      if (name === PRELUDE_NAME) return ts.createSourceFile(name, prelude, languageVersion, true, ts.ScriptKind.TS);
      if (!libFiles.has(name)) {
        const text = ts.sys.readFile(name);
        libFiles.set(name, text === undefined ? undefined : ts.createSourceFile(name, text, languageVersion, true, ts.ScriptKind.TS));
      }
      return libFiles.get(name);
    },
    getDefaultLibFileName: (o) => ts.getDefaultLibFilePath(o),
    getDefaultLibLocation: () => libDirectory,
    writeFile: () => undefined,
    getCurrentDirectory: () => '/',
    getCanonicalFileName: (name) => name,
    useCaseSensitiveFileNames: () => true,
    getNewLine: () => '\n',
    fileExists: (name) => name === fileName || name === PRELUDE_NAME || ts.sys.fileExists(name),
    readFile: (name) => (name === fileName ? source : name === PRELUDE_NAME ? prelude : ts.sys.readFile(name)),
  };
  const program = ts.createProgram({ rootNames: [fileName, PRELUDE_NAME], options: compilerOptions, host });
  const file = program.getSourceFile(fileName);
  const found = [...program.getSyntacticDiagnostics(file), ...program.getSemanticDiagnostics(file)].map((d) =>
    toDiagnostic(ts, d),
  );
  if (file) found.push(...checkShape(ts, file).problems);
  return found.sort((a, b) => a.line - b.line || a.column - b.column);
}
