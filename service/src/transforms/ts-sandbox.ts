/**
 * Runs compiled TypeScript transforms (see `ts-compiler.ts` for the source shape) in a sandbox.
 *
 * Isolation, outermost first:
 * - a separate Node process (not a worker thread: a worker that exhausts its heap with one large
 *   allocation aborts the whole process, nodejs/node#47224), started with a heap limit, string
 *   compilation disallowed, the permission model on where Node has it (no file system, child
 *   processes or workers), an environment holding only `TZ=UTC` and `LC_ALL=C`, and killed when it
 *   overruns a call's time by more than a grace period;
 * - inside it, a fresh `vm` context per call whose global holds only allow-listed ECMAScript
 *   built-ins (no require, process, fetch, timers, eval, WebAssembly, SharedArrayBuffer, Atomics),
 *   with `codeGeneration: { strings: false, wasm: false }` and a `timeout` on every script run;
 * - data crosses as JSON text only, and results are checked for plain data inside the context.
 *
 * A sandbox is a pool of up to `processes` warm processes (started on first use), one call at a
 * time each; further calls wait for a free one. The service keeps two sandboxes, so that previews
 * and runs cannot occupy the processes that serve on-demand features at request time. A process
 * that dies (memory limit, watchdog) is replaced on its next call.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import type { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { SlotPool } from '../util/slot-pool.js';
import { compileTransform, mapToSource, TransformError, type CompiledTransform, type TransformErrorDetails } from './ts-compiler.js';
import {
  sandboxProcessSource,
  TRANSFORM_SCRIPT_NAME,
  wrapModule,
  type RuntimeFailure,
  type SandboxMode,
  type SandboxReply,
  type SandboxRequest,
} from './sandbox-worker.js';

export { TransformError, type CompiledTransform, type TransformErrorCode } from './ts-compiler.js';

/** An input row: a plain object of JSON values (dates as ISO strings). */
export type Row = Record<string, unknown>;
export type FeatureRow = Record<string, unknown>;

export interface TsSandboxOptions {
  /** Heap limit of the sandbox process (V8 old generation), in MB. */
  readonly memoryMb?: number;
  /** Default time limit of one call, in ms. */
  readonly timeoutMs?: number;
  /** Rows per message to the sandbox process; bounds the memory a row call needs there. */
  readonly chunkRows?: number;
  /** Most processes (so calls running at once); each holds up to `memoryMb` of heap. */
  readonly processes?: number;
}

export interface RunOptions {
  /** Time limit for the whole call (module load plus all rows), in ms. */
  readonly timeoutMs?: number;
  /**
   * Count the wait for a free process against `timeoutMs` (request-time calls: the budget is the
   * caller's whole answer). Otherwise the time limit starts when the call gets a process.
   */
  readonly timeoutIncludesWait?: boolean;
}

const DEFAULTS = { memoryMb: 64, timeoutMs: 5000, chunkRows: 5000, processes: 1 };
/** How long past its time limit a call may take before the process is killed. */
const WATCHDOG_GRACE_MS = 2000;
const STDERR_KEEP_CHARS = 8192;

/** One process of the pool; `process` is started on first use and replaced when it dies. */
interface ProcessSlot {
  process: SandboxProcess | undefined;
}

export class TsSandbox {
  private readonly options: Required<TsSandboxOptions>;
  private readonly pool: SlotPool<ProcessSlot>;
  private nextId = 1;
  private isClosed = false;

  constructor(options: TsSandboxOptions = {}) {
    this.options = { ...DEFAULTS, ...options };
    if (!Number.isInteger(this.options.processes) || this.options.processes < 1) throw new Error('A sandbox needs at least one process');
    this.pool = new SlotPool(Array.from({ length: this.options.processes }, (): ProcessSlot => ({ process: undefined })));
  }

  static compile(source: string): CompiledTransform {
    return compileTransform(source);
  }

  /** Applies the default export to every row; null results mean "no output for this row". */
  runRows(compiled: CompiledTransform, rows: readonly Row[], options: RunOptions = {}): Promise<(FeatureRow | null)[]> {
    if (!compiled.hasRow) {
      return Promise.reject(new TransformError('FSTORE_TRANSFORM_COMPILE', 'This transform has no row function: export default function transform(row) { ... }'));
    }
    return this.call(compiled, 'rows', rows, options) as Promise<(FeatureRow | null)[]>;
  }

  /** Calls the `batch` export once with all rows. */
  runBatch(compiled: CompiledTransform, rows: readonly Row[], options: RunOptions = {}): Promise<FeatureRow[]> {
    if (!compiled.hasBatch) {
      return Promise.reject(new TransformError('FSTORE_TRANSFORM_COMPILE', 'This transform has no batch function: export function batch(rows) { ... }'));
    }
    return this.call(compiled, 'batch', rows, options) as Promise<FeatureRow[]>;
  }

  /** Stops every process at once (a call still running fails) and refuses further calls. */
  async close(): Promise<void> {
    this.isClosed = true;
    this.pool.close(new Error('The transform sandbox is closed.'));
    await Promise.all(this.pool.slots.map((slot) => slot.process?.stop()));
  }

  private async call(compiled: CompiledTransform, mode: SandboxMode, rows: readonly Row[], options: RunOptions): Promise<unknown[]> {
    const timeoutMs = options.timeoutMs ?? this.options.timeoutMs;
    if (this.isClosed) throw new Error('The transform sandbox is closed.');
    if (mode === 'rows' && rows.length === 0) return [];
    const called = performance.now();
    const slot = await this.pool.acquire(options.timeoutIncludesWait ? timeoutMs : undefined, () => busyError(timeoutMs, this.options.processes));
    try {
      if (this.isClosed) throw new Error('The transform sandbox is closed.');
      if (!slot.process?.isAlive) slot.process = new SandboxProcess(this.options.memoryMb);
      const sandbox = slot.process;
      const id = this.nextId++;
      const deadline = (options.timeoutIncludesWait ? called : performance.now()) + timeoutMs;
      // The process enforces what is left of the time limit; the error names the caller's limit.
      const runMs = Math.max(1, Math.ceil(deadline - performance.now()));
      const size = mode === 'rows' ? this.options.chunkRows : Math.max(rows.length, 1);
      const results: unknown[] = [];
      sandbox.hold();
      try {
        for (let offset = 0; offset < rows.length || offset === 0; offset += size) {
          const chunk = rows.slice(offset, offset + size);
          const data = stringifyRows(chunk);
          const request: SandboxRequest =
            offset === 0
              ? { t: 'start', id, key: compiled.key, script: wrapModule(compiled.js), mode, timeoutMs: runMs, data, offset }
              : { t: 'chunk', id, data, offset };
          const reply = await sandbox.request(request, Math.max(0, deadline - performance.now()) + WATCHDOG_GRACE_MS);
          const context = { timeoutMs, inputChars: data.length, rows: mode === 'rows' ? chunk.length : undefined };
          for (const value of this.parseReply(compiled, reply, context)) results.push(value);
        }
      } finally {
        sandbox.send({ t: 'end', id });
        sandbox.release();
      }
      return results;
    } finally {
      this.pool.release(slot);
    }
  }

  private parseReply(compiled: CompiledTransform, reply: SandboxReply | SandboxExit, context: ReplyContext): unknown[] {
    const { timeoutMs } = context;
    switch (reply.t) {
      case 'out':
        if (reply.data.startsWith('R')) return checkResults(JSON.parse(reply.data.slice(1)), context.rows);
        throw failureToError(compiled, JSON.parse(reply.data.slice(1)) as RuntimeFailure);
      case 'fail':
        if (reply.kind === 'timeout') throw timeoutError(timeoutMs);
        throw new TransformError('FSTORE_TRANSFORM_RUNTIME', `The transform failed: ${reply.message}`);
      case 'exit':
        if (reply.reason === 'watchdog') throw timeoutError(timeoutMs);
        if (reply.reason === 'memory') {
          const input = context.inputChars >= 1e6 ? ` (its input was ${Math.round(context.inputChars / 1e6)} MB of JSON)` : '';
          throw new TransformError(
            'FSTORE_TRANSFORM_MEMORY',
            `The transform used more than ${this.options.memoryMb} MB of memory${input} and was stopped.`,
            { memoryMb: this.options.memoryMb },
          );
        }
        throw new TransformError('FSTORE_TRANSFORM_RUNTIME', `The transform sandbox stopped unexpectedly: ${reply.detail}`);
    }
  }
}

interface ReplyContext {
  readonly timeoutMs: number;
  /** Size of the chunk's JSON, for the memory error. */
  readonly inputChars: number;
  /** Rows in the chunk (row mode): one result each. */
  readonly rows: number | undefined;
}

/**
 * The runtime checked the results inside the context, but a transform can still reshape what
 * JSON.stringify emits there (a `toJSON` on Object.prototype), so the shape is checked again here.
 */
function checkResults(parsed: unknown, rows: number | undefined): unknown[] {
  const isShaped =
    Array.isArray(parsed) &&
    (rows === undefined || parsed.length === rows) &&
    parsed.every((item) => (item === null && rows !== undefined) || (typeof item === 'object' && item !== null && !Array.isArray(item)));
  if (!isShaped) {
    throw new TransformError('FSTORE_TRANSFORM_OUTPUT', 'The transform produced malformed output (does it define toJSON on a built-in prototype?).');
  }
  return parsed;
}

function busyError(timeoutMs: number, processes: number): TransformError {
  return new TransformError(
    'FSTORE_TRANSFORM_TIMEOUT',
    `No transform sandbox process was free within ${timeoutMs} ms (all ${processes} were busy with other calls); try again`,
    { timeoutMs },
  );
}

function timeoutError(timeoutMs: number): TransformError {
  return new TransformError(
    'FSTORE_TRANSFORM_TIMEOUT',
    `The transform ran longer than ${timeoutMs} ms and was stopped (an endless loop?).`,
    { timeoutMs },
  );
}

/** JSON text of the rows; bigints (e.g. from DuckDB BIGINT columns) become numbers or strings. */
function stringifyRows(rows: readonly Row[]): string {
  try {
    return JSON.stringify(rows);
  } catch {
    return JSON.stringify(rows, (_key, value: unknown) =>
      typeof value === 'bigint' ? (Number.isSafeInteger(Number(value)) ? Number(value) : value.toString()) : value,
    );
  }
}

const FRAME = new RegExp(`${TRANSFORM_SCRIPT_NAME.replace('.', '\\.')}:(\\d+):(\\d+)`);

/** Turns a failure reported by the runtime into a TransformError pointing into the TS source. */
function failureToError(compiled: CompiledTransform, failure: RuntimeFailure): TransformError {
  const rowText = failure.row >= 0 ? ` (row ${failure.row})` : '';
  const row = failure.row >= 0 ? { row: failure.row } : {};
  if (failure.kind === 'output') {
    return new TransformError('FSTORE_TRANSFORM_OUTPUT', `${failure.message}${rowText}.`, row);
  }
  if (failure.kind === 'shape') return new TransformError('FSTORE_TRANSFORM_RUNTIME', failure.message);

  // Keep only the frames of the user's code, with positions in the TypeScript source.
  const frames = (failure.stack ?? '')
    .split('\n')
    .filter((line) => FRAME.test(line))
    .map((line) =>
      line.replace(FRAME, (_match, l: string, c: string) => {
        const position = mapToSource(compiled, Number(l), Number(c));
        return position ? `transform.ts:${position.line}:${position.column}` : 'transform.ts';
      }),
    );
  const top = FRAME.exec(failure.stack ?? '');
  const position = top ? mapToSource(compiled, Number(top[1]), Number(top[2])) : undefined;
  const name = failure.name ?? 'Error';
  let message = `${name}: ${failure.message}`;
  if (name === 'RangeError' && /call stack/i.test(failure.message)) {
    message += ' (the transform recursed too deeply)';
  } else if (name === 'EvalError') {
    message += ' (eval and new Function are not available in transforms)';
  } else if (name === 'ReferenceError') {
    message += ' (transforms see only the ECMAScript built-ins: no require, process, fetch, timers or console)';
  }
  const details: TransformErrorDetails = {
    ...row,
    ...(position ?? {}),
    stack: [`${name}: ${failure.message}`, ...frames].join('\n'),
  };
  const where = position ? ` at line ${position.line}, column ${position.column}` : '';
  return new TransformError('FSTORE_TRANSFORM_RUNTIME', `${message}${where}${rowText}.`, details);
}

// --- The sandbox process. ---

interface SandboxExit {
  t: 'exit';
  reason: 'memory' | 'watchdog' | 'crash';
  detail: string;
}

/** Node options of the sandbox process; the permission flag is the one this Node understands. */
function processArguments(memoryMb: number): string[] {
  const args = [
    `--max-old-space-size=${memoryMb}`,
    '--max-semi-space-size=8',
    '--disallow-code-generation-from-strings',
    '--no-warnings',
  ];
  const flags = process.allowedNodeEnvironmentFlags;
  if (flags.has('--permission')) args.push('--permission');
  else if (flags.has('--experimental-permission')) args.push('--experimental-permission');
  return args;
}

class SandboxProcess {
  private readonly child: ChildProcess;
  private stderr = '';
  private pending: { resolve: (reply: SandboxReply | SandboxExit) => void; timer: NodeJS.Timeout } | undefined;
  private exitReason: SandboxExit['reason'] | undefined;
  private readonly exited: Promise<void>;
  isAlive = true;

  constructor(memoryMb: number) {
    const env: Record<string, string> = { TZ: 'UTC', LC_ALL: 'C', LANG: 'C' };
    if (process.versions.electron) env.ELECTRON_RUN_AS_NODE = '1';
    this.child = spawn(process.execPath, [...processArguments(memoryMb), '-e', sandboxProcessSource()], {
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
      serialization: 'advanced',
      env,
      cwd: tmpdir(),
      windowsHide: true,
    });
    this.child.stderr?.setEncoding('utf8');
    this.child.stderr?.on('data', (chunk: string) => {
      this.stderr = (this.stderr + chunk).slice(-STDERR_KEEP_CHARS);
    });
    this.child.on('message', (reply: SandboxReply) => {
      const pending = this.pending;
      if (!pending || reply.id === undefined) return;
      this.pending = undefined;
      clearTimeout(pending.timer);
      pending.resolve(reply);
    });
    this.child.on('error', () => undefined); // a failed spawn also ends in 'close' (or the watchdog)
    this.exited = new Promise((resolve) => {
      // 'close' comes after stderr is drained, so the out-of-memory message has been read.
      this.child.on('close', (code, signal) => {
        this.isAlive = false;
        const reason = this.exitReason ?? (/heap out of memory|Allocation failed/i.test(this.stderr) ? 'memory' : 'crash');
        const detail = `exit code ${code ?? '-'}, signal ${signal ?? '-'}${this.stderr ? `: ${this.stderr.trim().split('\n').slice(-3).join(' | ')}` : ''}`;
        const pending = this.pending;
        this.pending = undefined;
        if (pending) {
          clearTimeout(pending.timer);
          pending.resolve({ t: 'exit', reason, detail });
        }
        resolve();
      });
    });
    this.release();
  }

  /** Sends a request and waits for its reply; kills the process if none comes within `waitMs`. */
  request(request: SandboxRequest, waitMs: number): Promise<SandboxReply | SandboxExit> {
    if (!this.isAlive) return Promise.resolve({ t: 'exit', reason: this.exitReason ?? 'crash', detail: 'not running' });
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.exitReason = 'watchdog';
        this.isAlive = false;
        this.pending = undefined;
        this.child.kill('SIGKILL');
        resolve({ t: 'exit', reason: 'watchdog', detail: 'killed by the watchdog' });
      }, waitMs);
      this.pending = { resolve, timer };
      this.send(request);
    });
  }

  send(request: SandboxRequest): void {
    if (this.isAlive && this.child.connected) this.child.send(request);
  }

  /** Keeps the service's event loop alive while a call runs... */
  hold(): void {
    this.child.ref();
    this.child.channel?.ref();
    this.stderrPipe?.ref();
  }

  /** ...and lets it exit while the sandbox is idle. */
  release(): void {
    this.child.unref();
    this.child.channel?.unref();
    this.stderrPipe?.unref();
  }

  /** The stderr pipe (a socket: spawn's pipes are), read for the out-of-memory message. */
  private get stderrPipe(): Socket | undefined {
    return (this.child.stderr as Socket | null) ?? undefined;
  }

  async stop(): Promise<void> {
    if (!this.isAlive) return;
    this.exitReason = 'crash';
    this.child.kill('SIGKILL');
    await Promise.race([this.exited, new Promise((resolve) => setTimeout(resolve, 2000).unref())]);
  }
}
