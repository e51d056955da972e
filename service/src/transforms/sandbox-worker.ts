/**
 * The code of the sandbox process that runs TypeScript transforms (see `ts-sandbox.ts`).
 *
 * Two functions here are never called in the service: their text (`Function#toString`) is the
 * program of the sandbox process (`node -e`), so they must not refer to anything outside their own
 * body (no imports, no module-level constants) and must stay plain, synchronous JavaScript.
 *
 * - `sandboxProcessMain` is the sandbox process: it receives requests over the IPC channel, and for
 *   every call creates a fresh `vm` context (string compilation and WebAssembly disabled, microtasks
 *   drained inside the time limit), loads the transform into it and runs it with a timeout.
 * - `sandboxRuntime` runs inside each context before the transform: it deletes every global that is
 *   not an allow-listed ECMAScript built-in and returns the loader/runner that the process reaches
 *   as `__fstore`, only from scripts run with a timeout. Data enters as a JSON string and leaves as
 *   a JSON string, so no object ever crosses the boundary.
 *
 * Replies from the runtime are strings: `R<json array>` (results) or `E<json>` (a `RuntimeFailure`).
 */
import type * as VmModule from 'node:vm';

export type SandboxMode = 'rows' | 'batch';

export type SandboxRequest =
  /** Start a call: load the transform into a fresh context and process the first chunk. */
  | { t: 'start'; id: number; key: string; script: string; mode: SandboxMode; timeoutMs: number; data: string; offset: number }
  /** Next chunk of rows of the same call. */
  | { t: 'chunk'; id: number; data: string; offset: number }
  /** The call is over: drop its context. */
  | { t: 'end'; id: number };

export type SandboxReply =
  | { t: 'out'; id: number; data: string }
  | { t: 'fail'; id: number; kind: 'timeout' | 'internal'; message: string };

/** What the runtime reports (after `E`) when the transform throws or returns something unusable. */
export interface RuntimeFailure {
  kind: 'runtime' | 'output' | 'shape';
  name?: string;
  message: string;
  stack?: string;
  row: number;
}

/** Built-ins a transform may use; everything else is deleted from the context's global object. */
export const ALLOWED_GLOBALS = [
  'Object', 'Function', 'Array', 'Number', 'parseFloat', 'parseInt', 'Infinity', 'NaN', 'undefined', 'Boolean',
  'String', 'Symbol', 'Date', 'Promise', 'RegExp', 'Error', 'AggregateError', 'EvalError', 'RangeError', 'ReferenceError',
  'SyntaxError', 'TypeError', 'URIError', 'globalThis', 'JSON', 'Math', 'Map', 'BigInt', 'Set', 'WeakMap', 'WeakSet',
  'Reflect', 'decodeURI', 'decodeURIComponent', 'encodeURI', 'encodeURIComponent', 'isFinite', 'isNaN',
] as const;

/**
 * The built-ins handed to the transform as function parameters: global lookups in a vm context go
 * through Node's interceptors and are several times slower than a closure variable.
 */
export const TRANSFORM_BINDINGS = ALLOWED_GLOBALS.filter((name) => name !== 'undefined' && name !== 'NaN' && name !== 'Infinity');

/** The file name of the transform's script; stack frames are matched on it. */
export const TRANSFORM_SCRIPT_NAME = 'fstore-transform.js';

/**
 * The script that loads a transform's CommonJS body into a context and processes the first chunk.
 * The header is on line 0 (the script is compiled with `lineOffset: -1`), so stack positions are
 * those of `js`. The body sits in an inner function so that it may redeclare the bindings' names.
 */
export function wrapModule(js: string): string {
  return `'use strict';__fstore.start(function (${TRANSFORM_BINDINGS.join(', ')}) { return function (exports, module) {\n${js}\n}; });`;
}

type ModuleFactory = (...bindings: unknown[]) => (exports: Record<string, unknown>, module: { exports: Record<string, unknown> }) => void;

interface SandboxApi {
  /** Loads the transform and processes the first chunk (`__fstoreMode`, `__fstoreIn`, `__fstoreOffset`). */
  start(factory: ModuleFactory): string;
  rows(input: string, offset: number): string;
  batch(input: string): string;
}

/** Runs inside the vm context (see the file comment); the arguments are the two lists above. */
export function sandboxRuntime(allowed: readonly string[], bindingNames: readonly string[]): SandboxApi {
  'use strict';
  const global = globalThis as unknown as Record<string, unknown>;
  // Intrinsics are captured before any user code can replace them.
  const ownNames = Object.getOwnPropertyNames;
  const keysOf = Object.keys;
  const protoOf = Object.getPrototypeOf;
  const defineProperty = Object.defineProperty;
  const freeze = Object.freeze;
  const isArray = Array.isArray;
  const toText = String;
  const parseJson = JSON.parse;
  const stringifyJson = JSON.stringify;
  const apply = Reflect.apply;
  const ObjectProto = Object.prototype;
  const DateProto = Date.prototype;
  const PromiseProto = Promise.prototype;
  const bindings: unknown[] = [];
  for (let i = 0; i < bindingNames.length; i++) bindings[i] = global[bindingNames[i] as string];

  for (const name of ownNames(global)) {
    if (allowed.indexOf(name) >= 0) continue;
    try {
      delete global[name];
    } catch {
      // Non-configurable globals (none outside the allow-list today) stay.
    }
  }
  // A custom Error.prepareStackTrace would run user code while Node formats a stack.
  defineProperty(Error, 'prepareStackTrace', { value: undefined, writable: false, configurable: false, enumerable: false });

  class OutputProblem {
    constructor(readonly message: string) {}
  }

  let rowFn: unknown;
  let batchFn: unknown;

  function failure(value: RuntimeFailure): string {
    return 'E' + stringifyJson(value);
  }

  function describeThrown(thrown: unknown, row: number): string {
    try {
      if (thrown instanceof OutputProblem) return failure({ kind: 'output', message: thrown.message, row });
      if (thrown !== null && (typeof thrown === 'object' || typeof thrown === 'function')) {
        const error = thrown as { name?: unknown; message?: unknown; stack?: unknown };
        const stack = error.stack;
        return failure({
          kind: 'runtime',
          name: toText(error.name ?? 'Error'),
          message: toText(error.message ?? ''),
          stack: typeof stack === 'string' ? stack : '',
          row,
        });
      }
      return failure({ kind: 'runtime', name: 'Thrown value', message: toText(thrown), row });
    } catch {
      return 'E{"kind":"runtime","name":"Error","message":"The transform threw a value that cannot be described.","row":' + row + '}';
    }
  }

  function kindOf(proto: unknown): string {
    if (proto === PromiseProto) return 'a Promise (transforms must be synchronous)';
    try {
      const name = (proto as { constructor?: { name?: unknown } }).constructor?.name;
      return typeof name === 'string' && name !== '' ? 'a ' + name : 'an object that is not plain data';
    } catch {
      return 'an object that is not plain data';
    }
  }

  /** Keys leading to the value being checked, for error messages only. */
  const pathKeys: (string | number)[] = [];
  function pathTo(depth: number): string {
    let path = 'result';
    for (let i = 0; i < depth; i++) {
      const key = pathKeys[i] as string | number;
      path += typeof key === 'number' ? '[' + key + ']' : '.' + key;
    }
    return path;
  }

  /** Throws an OutputProblem unless `value` is plain data that JSON.stringify renders faithfully. */
  function check(value: unknown, depth: number, ancestors: unknown[]): void {
    switch (typeof value) {
      case 'undefined':
      case 'string':
      case 'number':
      case 'boolean':
        return;
      case 'bigint':
        throw new OutputProblem(`${pathTo(depth)} is a bigint: convert it with Number(...) or String(...)`);
      case 'symbol':
        throw new OutputProblem(`${pathTo(depth)} is a symbol, which is not a JSON value`);
      case 'function':
        throw new OutputProblem(`${pathTo(depth)} is a function, which is not a JSON value`);
      default:
        break;
    }
    if (value === null) return;
    if (depth > 64) throw new OutputProblem(`${pathTo(depth)} is nested more than 64 levels deep`);
    for (let i = 0; i < depth; i++) {
      if (ancestors[i] === value) throw new OutputProblem(`${pathTo(depth)} is a circular reference`);
    }
    ancestors[depth] = value;
    if (isArray(value)) {
      for (let i = 0; i < value.length; i++) {
        pathKeys[depth] = i;
        check(value[i], depth + 1, ancestors);
      }
      return;
    }
    const proto: unknown = protoOf(value);
    if (proto === DateProto) return;
    if (proto !== ObjectProto && proto !== null) {
      throw new OutputProblem(`${pathTo(depth)} is ${kindOf(proto)}, which is not plain data`);
    }
    const record = value as Record<string, unknown>;
    const keys = keysOf(record);
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i] as string;
      pathKeys[depth] = key;
      if (key === '__proto__') throw new OutputProblem(`${pathTo(depth + 1)} is not an allowed name`);
      check(record[key], depth + 1, ancestors);
    }
  }

  /** Checks a row's (or batch element's) result: a plain object, or null when `nullable`. */
  function checkRecord(value: unknown, what: string, nullable: boolean): void {
    if (value === null && nullable) return;
    const isRecord =
      value !== null && typeof value === 'object' && !isArray(value) && (protoOf(value) === ObjectProto || protoOf(value) === null);
    if (!isRecord) {
      const got =
        value === undefined
          ? 'undefined (is a `return` missing?)'
          : value === null
            ? 'null'
            : isArray(value)
              ? 'an array'
              : typeof value === 'object'
                ? kindOf(protoOf(value))
                : 'a ' + typeof value;
      throw new OutputProblem(`${what} must be a plain object${nullable ? ' or null' : ''}, but it is ${got}`);
    }
    check(value, 0, []);
  }

  function load(factory: ModuleFactory): string {
    const module = { exports: {} as Record<string, unknown> };
    try {
      const body = apply(factory, undefined, bindings) as ReturnType<ModuleFactory>;
      body(module.exports, module);
      rowFn = module.exports.default;
      batchFn = module.exports.batch;
    } catch (thrown) {
      return describeThrown(thrown, -1);
    }
    return 'OK';
  }

  function rows(input: string, offset: number): string {
    if (typeof rowFn !== 'function') {
      return failure({ kind: 'shape', message: 'The default export is not a function: export default function transform(row) { ... }', row: -1 });
    }
    const fn = rowFn as (row: unknown) => unknown;
    const data = parseJson(input) as unknown[];
    const results: unknown[] = [];
    for (let i = 0; i < data.length; i++) {
      try {
        const result = fn(data[i]);
        checkRecord(result, 'The result', true);
        results[i] = result;
      } catch (thrown) {
        return describeThrown(thrown, offset + i);
      }
    }
    return render(results);
  }

  /** JSON text of checked results; Dates become ISO strings, NaN and Infinity null. */
  function render(results: unknown[]): string {
    try {
      return 'R' + stringifyJson(results);
    } catch (thrown) {
      return describeThrown(thrown, -1);
    }
  }

  function batch(input: string): string {
    if (typeof batchFn !== 'function') {
      return failure({ kind: 'shape', message: 'The export `batch` is not a function: export function batch(rows) { ... }', row: -1 });
    }
    const fn = batchFn as (rows: unknown) => unknown;
    try {
      const result = fn(parseJson(input));
      if (!isArray(result)) throw new OutputProblem(`batch(rows) must return an array of plain objects, but it returned ${result === null ? 'null' : typeof result}`);
      for (let i = 0; i < result.length; i++) checkRecord(result[i], `Element ${i} of the result`, false);
      return render(result);
    } catch (thrown) {
      return describeThrown(thrown, -1);
    }
  }

  function start(factory: ModuleFactory): string {
    const loaded = load(factory);
    if (loaded !== 'OK') return loaded;
    const input = global.__fstoreIn as string;
    return global.__fstoreMode === 'batch' ? batch(input) : rows(input, global.__fstoreOffset as number);
  }

  return freeze({ start, rows, batch });
}

/** The sandbox process (see the file comment). `load` is the process's `require`. */
export function sandboxProcessMain(load: (id: string) => unknown, runtimeSource: string, scriptName: string): void {
  'use strict';
  const vm = load('node:vm') as typeof VmModule;
  const MAX_CACHED_SCRIPTS = 64;
  const BOOT_TIMEOUT_MS = 2000;

  interface Sandbox {
    sandbox: Record<string, unknown>;
    context: VmModule.Context;
  }
  interface Call extends Sandbox {
    id: number;
    mode: 'rows' | 'batch';
    deadline: number;
  }

  const runtimeScript = new vm.Script(runtimeSource, { filename: 'fstore-runtime.js' });
  const rowsScript = new vm.Script('__fstore.rows(__fstoreIn, __fstoreOffset)', { filename: 'fstore-call.js' });
  const batchScript = new vm.Script('__fstore.batch(__fstoreIn)', { filename: 'fstore-call.js' });
  const scripts = new Map<string, VmModule.Script>();
  let spare: Sandbox | undefined;
  let call: Call | undefined;

  function createSandbox(): Sandbox {
    const sandbox = Object.create(null) as Record<string, unknown>;
    const context = vm.createContext(sandbox, {
      name: 'fstore-transform',
      codeGeneration: { strings: false, wasm: false },
      microtaskMode: 'afterEvaluate',
    });
    const api = runtimeScript.runInContext(context, { timeout: BOOT_TIMEOUT_MS }) as unknown;
    const locked = { writable: false, configurable: false, enumerable: false };
    Object.defineProperty(sandbox, '__fstore', { ...locked, value: api });
    Object.defineProperty(sandbox, 'Error', { ...locked, value: vm.runInContext('Error', context) as unknown });
    Object.defineProperty(sandbox, '__fstoreIn', { value: '', writable: true, configurable: false, enumerable: false });
    Object.defineProperty(sandbox, '__fstoreOffset', { value: 0, writable: true, configurable: false, enumerable: false });
    Object.defineProperty(sandbox, '__fstoreMode', { value: 'rows', writable: true, configurable: false, enumerable: false });
    return { sandbox, context };
  }

  function scriptFor(key: string, source: string): VmModule.Script {
    let script = scripts.get(key);
    if (script) {
      scripts.delete(key);
    } else {
      script = new vm.Script(source, { filename: scriptName, lineOffset: -1 });
    }
    scripts.set(key, script);
    if (scripts.size > MAX_CACHED_SCRIPTS) scripts.delete(scripts.keys().next().value as string);
    return script;
  }

  function send(reply: { t: 'out'; id: number; data: string } | { t: 'fail'; id: number; kind: 'timeout' | 'internal'; message: string }): void {
    process.send?.(reply);
  }

  /** Runs a script in the call's context within what is left of the call's time. */
  function runTimed(current: Call, script: VmModule.Script): unknown {
    const left = Math.ceil(current.deadline - performance.now());
    if (left <= 0) throw Object.assign(new Error('timed out'), { code: 'ERR_SCRIPT_EXECUTION_TIMEOUT' });
    return script.runInContext(current.context, { timeout: left });
  }

  function fail(id: number, thrown: unknown): void {
    // The runtime catches everything the transform throws, so what gets here comes from Node: the
    // timeout error (created in the context's realm) or an error of this process. Objects of the
    // context are only read through property descriptors, which run no code of the context.
    const code = thrown !== null && typeof thrown === 'object' ? Object.getOwnPropertyDescriptor(thrown, 'code') : undefined;
    const isTimeout = code?.value === 'ERR_SCRIPT_EXECUTION_TIMEOUT';
    const message = thrown instanceof Error ? thrown.message : 'The transform failed in an unexpected way.';
    call = undefined;
    send({ t: 'fail', id, kind: isTimeout ? 'timeout' : 'internal', message });
  }

  /** Runs `script` (the transform's loader for the first chunk, the rows/batch call after) on one chunk. */
  function runChunk(current: Call, script: VmModule.Script, data: string, offset: number): void {
    current.sandbox.__fstoreIn = data;
    current.sandbox.__fstoreOffset = offset;
    const out = runTimed(current, script);
    current.sandbox.__fstoreIn = '';
    send({ t: 'out', id: current.id, data: typeof out === 'string' ? out : 'E{"kind":"output","message":"The transform interfered with the sandbox.","row":-1}' });
  }

  function handle(request: SandboxRequest): void {
    if (request.t === 'end') {
      if (call?.id === request.id) call = undefined;
      setImmediate(() => {
        try {
          spare ??= createSandbox();
        } catch {
          // Made on demand by the next call instead.
        }
      });
      return;
    }
    if (request.t === 'start') {
      const sandbox = spare ?? createSandbox();
      spare = undefined;
      const current: Call = {
        ...sandbox,
        id: request.id,
        mode: request.mode,
        deadline: performance.now() + request.timeoutMs,
      };
      call = current;
      current.sandbox.__fstoreMode = request.mode;
      runChunk(current, scriptFor(request.key, request.script), request.data, request.offset);
      return;
    }
    if (!call || call.id !== request.id) {
      send({ t: 'fail', id: request.id, kind: 'internal', message: 'No call in progress.' });
      return;
    }
    runChunk(call, call.mode === 'rows' ? rowsScript : batchScript, request.data, request.offset);
  }

  process.on('message', (request: SandboxRequest) => {
    try {
      handle(request);
    } catch (thrown) {
      fail(request.id, thrown);
    }
  });
  // Promises rejected inside a context must not end the process.
  process.on('unhandledRejection', () => undefined);
  // The service went away: so does the sandbox.
  process.on('disconnect', () => process.exit(0));
  spare = createSandbox();
}

/** The program of the sandbox process, for `node -e`. */
export function sandboxProcessSource(): string {
  const runtimeSource = `(${sandboxRuntime.toString()})(${JSON.stringify(ALLOWED_GLOBALS)}, ${JSON.stringify(TRANSFORM_BINDINGS)})`;
  return `(${sandboxProcessMain.toString()})(require, ${JSON.stringify(runtimeSource)}, ${JSON.stringify(TRANSFORM_SCRIPT_NAME)});`;
}
