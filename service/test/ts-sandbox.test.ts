import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TsSandbox, TransformError, type Row, type TransformErrorCode } from '../src/transforms/ts-sandbox.js';
import { diagnoseTransform } from '../src/transforms/ts-compiler.js';

// The seed's per-user code transform, as TypeScript: features of one transaction row.
const ROW_TRANSFORM = `
export default function transform(row: Row): Record<string, unknown> | null {
  const amount = Number(row.transaction_amount);
  if (!Number.isFinite(amount)) return null;
  const at = new Date(String(row.event_timestamp));
  return {
    user_id: row.user_id,
    event_timestamp: row.event_timestamp,
    amount_cents: Math.round(amount * 100),
    is_large_transaction: amount >= 100,
    log_amount: Math.log1p(Math.max(amount, 0)),
    hour_of_day: at.getUTCHours(),
    is_weekend: at.getUTCDay() === 0 || at.getUTCDay() === 6,
  };
}
`;

// The seed's SQL example as a batch transform: per-user mean, count and sum of transaction_amount.
const BATCH_TRANSFORM = `
interface Totals { sum: number; count: number }
export function batch(rows: Row[]): Record<string, unknown>[] {
  const byUser = new Map<string, Totals>();
  for (const row of rows) {
    const user = String(row.user_id);
    const totals = byUser.get(user) ?? { sum: 0, count: 0 };
    totals.sum += Number(row.transaction_amount);
    totals.count += 1;
    byUser.set(user, totals);
  }
  return [...byUser].map(([user_id, t]) => ({
    user_id,
    avg_transaction_value: t.sum / t.count,
    transaction_count: t.count,
    total_transaction_amount: t.sum,
  }));
}
`;

const TRANSACTIONS: Row[] = [
  { user_id: 'u1', transaction_amount: 10.5, event_timestamp: '2025-02-20T15:45:11Z' },
  { user_id: 'u2', transaction_amount: 250, event_timestamp: '2025-02-22T03:00:00Z' },
  { user_id: 'u1', transaction_amount: 99.5, event_timestamp: '2025-02-21T09:30:00Z' },
  { user_id: 'u3', transaction_amount: null, event_timestamp: '2025-02-21T10:00:00Z' },
  { user_id: 'u2', transaction_amount: 50, event_timestamp: '2025-02-23T23:59:59Z' },
];

let sandbox: TsSandbox;
beforeAll(() => {
  sandbox = new TsSandbox({ timeoutMs: 2000 });
});
afterAll(async () => {
  await sandbox.close();
});

/** Compiles and runs a row transform over `rows`; returns the results or the TransformError. */
async function runRow(body: string, rows: Row[] = [{ a: 1 }], timeoutMs?: number): Promise<unknown> {
  const compiled = TsSandbox.compile(`export default function transform(row: Row): any {\n${body}\n}\n`);
  return sandbox.runRows(compiled, rows, timeoutMs ? { timeoutMs } : {}).catch((error: unknown) => error);
}

function expectError(result: unknown, code: TransformErrorCode, message?: RegExp): TransformError {
  expect(result).toBeInstanceOf(TransformError);
  const error = result as TransformError;
  expect(error.code).toBe(code);
  if (message) expect(error.message).toMatch(message);
  return error;
}

async function expectStillWorks(): Promise<void> {
  expect(await runRow('return { ok: row.a };', [{ a: 7 }])).toEqual([{ ok: 7 }]);
}

describe('TypeScript transforms: results', () => {
  it('a row transform computes per-row features, null dropping a row', async () => {
    const out = await sandbox.runRows(TsSandbox.compile(ROW_TRANSFORM), TRANSACTIONS);
    expect(out).toEqual([
      { user_id: 'u1', event_timestamp: '2025-02-20T15:45:11Z', amount_cents: 1050, is_large_transaction: false, log_amount: Math.log1p(10.5), hour_of_day: 15, is_weekend: false },
      { user_id: 'u2', event_timestamp: '2025-02-22T03:00:00Z', amount_cents: 25000, is_large_transaction: true, log_amount: Math.log1p(250), hour_of_day: 3, is_weekend: true },
      { user_id: 'u1', event_timestamp: '2025-02-21T09:30:00Z', amount_cents: 9950, is_large_transaction: false, log_amount: Math.log1p(99.5), hour_of_day: 9, is_weekend: false },
      { user_id: 'u3', event_timestamp: '2025-02-21T10:00:00Z', amount_cents: 0, is_large_transaction: false, log_amount: 0, hour_of_day: 10, is_weekend: false },
      { user_id: 'u2', event_timestamp: '2025-02-23T23:59:59Z', amount_cents: 5000, is_large_transaction: false, log_amount: Math.log1p(50), hour_of_day: 23, is_weekend: true },
    ]);
    const dropped = await sandbox.runRows(TsSandbox.compile(ROW_TRANSFORM), [{ user_id: 'u9', transaction_amount: 'n/a', event_timestamp: '2025-02-20T00:00:00Z' }]);
    expect(dropped).toEqual([null]);
  });

  it('a batch transform aggregates per user (mean, count, sum)', async () => {
    const out = await sandbox.runBatch(TsSandbox.compile(BATCH_TRANSFORM), TRANSACTIONS.filter((r) => r.transaction_amount !== null));
    expect(out).toEqual([
      { user_id: 'u1', avg_transaction_value: 55, transaction_count: 2, total_transaction_amount: 110 },
      { user_id: 'u2', avg_transaction_value: 150, transaction_count: 2, total_transaction_amount: 300 },
    ]);
  });

  it('is deterministic: same output twice, and row by row equals the whole batch', async () => {
    const compiled = TsSandbox.compile(ROW_TRANSFORM);
    const whole = await sandbox.runRows(compiled, TRANSACTIONS);
    expect(await sandbox.runRows(compiled, TRANSACTIONS)).toEqual(whole);
    const oneByOne = [];
    for (const row of TRANSACTIONS) oneByOne.push(...(await sandbox.runRows(compiled, [row])));
    expect(oneByOne).toEqual(whole);
    const batch = TsSandbox.compile(BATCH_TRANSFORM);
    expect(await sandbox.runBatch(batch, TRANSACTIONS)).toEqual(await sandbox.runBatch(batch, TRANSACTIONS));
  });

  it('module state does not carry over from one call to the next', async () => {
    const counter = TsSandbox.compile('let n = 0;\nexport default function (row: Row) { n += 1; return { n }; }');
    expect(await sandbox.runRows(counter, [{}])).toEqual([{ n: 1 }]);
    expect(await sandbox.runRows(counter, [{}])).toEqual([{ n: 1 }]);
  });

  it('serialises concurrent calls and keeps their results apart', async () => {
    const compiled = TsSandbox.compile('export default function (row: Row) { return { twice: Number(row.v) * 2 }; }');
    const calls = [1, 2, 3, 4, 5].map((v) => sandbox.runRows(compiled, [{ v }, { v: v + 10 }]));
    expect(await Promise.all(calls)).toEqual([1, 2, 3, 4, 5].map((v) => [{ twice: v * 2 }, { twice: (v + 10) * 2 }]));
  });

  it('processes large inputs in chunks and reports the index of a failing row', async () => {
    const rows = Array.from({ length: 12_000 }, (_, i) => ({ i }));
    const compiled = TsSandbox.compile('export default function (row: Row) {\n  if (row.i === 11000) throw new Error("bad row");\n  return { i: row.i };\n}');
    const error = expectError(await sandbox.runRows(compiled, rows).catch((e: unknown) => e), 'FSTORE_TRANSFORM_RUNTIME', /bad row/);
    expect(error.details.row).toBe(11000);
    expect(error.details.line).toBe(2);
    const ok = TsSandbox.compile('export default function (row: Row) { return { i: row.i }; }');
    expect(await sandbox.runRows(ok, rows)).toEqual(rows);
  });

  it('accepts bigint input values and renders results as JSON.stringify does', async () => {
    const out = await runRow('return { big: row.big, when: new Date(Date.UTC(2025, 0, 2)), missing: undefined, nan: 0 / 0, list: [1, undefined] };', [
      { big: 12n },
    ]);
    expect(out).toEqual([{ big: 12, when: '2025-01-02T00:00:00.000Z', nan: null, list: [1, null] }]);
    expect(Object.keys((out as object[])[0] ?? {})).not.toContain('missing');
  });

  it('Date.now and Math.random are available; dates are read in UTC', async () => {
    const out = (await runRow('return { now: Date.now(), r: Math.random(), hour: new Date("2025-01-01T10:00").getHours() };')) as { now: number; r: number; hour: number }[];
    expect(out[0]?.now).toBeGreaterThan(Date.UTC(2024, 0, 1));
    expect(out[0]?.r).toBeGreaterThanOrEqual(0);
    expect(out[0]?.hour).toBe(10);
  });
});

describe('TypeScript transforms: errors point into the source', () => {
  it('a syntax error reports its line and column', () => {
    const error = (() => {
      try {
        TsSandbox.compile('export default function transform(row: Row) {\n  const x = 1;\n  return { x: x + };\n}\n');
        return undefined;
      } catch (e) {
        return e;
      }
    })();
    const compileError = expectError(error, 'FSTORE_TRANSFORM_COMPILE', /^Line 3, column 19: Expression expected/);
    expect(compileError.details).toMatchObject({ line: 3, column: 19 });
  });

  it('a source without a transform export, or with imports, does not compile', () => {
    expect(() => TsSandbox.compile('const x = 1;')).toThrow(/must `export default function transform/);
    expect(() => TsSandbox.compile("import fs from 'fs';\nexport default function (row: Row) { return {}; }")).toThrow(/Line 1, column 1: Transforms cannot import modules/);
    expect(() => TsSandbox.compile("export default function (row: Row) {\n  return require('fs');\n}")).toThrow(/Line 2, column 10: Transforms cannot import modules/);
    expect(() => TsSandbox.compile("export default async function (row: Row) {\n  return import('fs');\n}")).toThrow(/Line 2, column 10: Transforms cannot import modules/);
    expect(() => TsSandbox.compile('export default function (row: Row) {\n  let a = 1; let a = 2;\n}')).toThrow(/Line 2, column/);
  });

  it('a runtime error names the TypeScript line and column and the row', async () => {
    const error = expectError(
      await runRow('  const nested: any = row.nested;\n  return { x: nested.deep };', [{ nested: {} }, {}]),
      'FSTORE_TRANSFORM_RUNTIME',
      /TypeError: Cannot read properties of undefined \(reading 'deep'\) at line 3, column 22 \(row 1\)/,
    );
    expect(error.details).toMatchObject({ line: 3, column: 22, row: 1 });
    expect(error.details.stack).toContain('transform.ts:3:22');
    expect(error.details.stack).not.toMatch(/node:|\[eval\]|fstore-runtime/);
  });

  it('diagnoseTransform type-checks for editor markers', () => {
    const diagnostics = diagnoseTransform('export default function transform(row: Row) {\n  const n: number = "text";\n  return { n };\n}\n');
    expect(diagnostics).toHaveLength(1);
    expect(diagnostics[0]).toMatchObject({ line: 2, column: 9, severity: 'error' });
    expect(diagnostics[0]?.message).toMatch(/not assignable to type 'number'/);
    const typed = diagnoseTransform('export default function (row: Row) { return { x: row.amount.toFixed(2) }; }', { rowType: '{ amount: string }' });
    expect(typed[0]?.message).toMatch(/toFixed/);
    expect(diagnoseTransform(ROW_TRANSFORM)).toEqual([]);
  });
});

describe('TypeScript transforms: output must be plain data', () => {
  it.each([
    ['a function', 'return { f: () => 1 };', /result\.f is a function/],
    ['a symbol', 'return { s: Symbol("x") };', /result\.s is a symbol/],
    ['a bigint', 'return { b: 10n };', /result\.b is a bigint/],
    ['a cycle', 'const o: any = { a: {} }; o.a.back = o; return o;', /result\.a\.back is a circular reference/],
    ['a Map', 'return { m: new Map() };', /result\.m is a Map/],
    ['a class instance', 'class Point { x = 1 } return { p: new Point() };', /result\.p is a Point/],
    ['a Promise', 'return { p: Promise.resolve(1) };', /result\.p is a Promise \(transforms must be synchronous\)/],
    ['nothing', 'const x = 1;', /The result must be a plain object or null, but it is undefined \(is a `return` missing\?\)/],
    ['an array', 'return [1];', /The result must be a plain object or null, but it is an array/],
    ['a function itself', 'return () => 1;', /The result must be a plain object or null, but it is a function/],
  ])('returning %s is an output error', async (_what, body, message) => {
    const error = expectError(await runRow(body), 'FSTORE_TRANSFORM_OUTPUT', message);
    expect(error.details.row).toBe(0);
  });

  it('a toJSON planted on a built-in prototype cannot forge the output shape', async () => {
    expectError(await runRow('(Object.prototype as any).toJSON = () => 42; return { a: 1 };'), 'FSTORE_TRANSFORM_OUTPUT', /malformed output/);
    expectError(await runRow('return JSON.parse(\'{"__proto__": {"polluted": 1}}\');'), 'FSTORE_TRANSFORM_OUTPUT', /result\.__proto__ is not an allowed name/);
  });

  it('a batch must return an array of plain objects', async () => {
    const notArray = TsSandbox.compile('export function batch(rows: Row[]) { return { n: rows.length }; }');
    expectError(await sandbox.runBatch(notArray, []).catch((e: unknown) => e), 'FSTORE_TRANSFORM_OUTPUT', /must return an array/);
    const withNull = TsSandbox.compile('export function batch(rows: Row[]) { return [null]; }');
    expectError(await sandbox.runBatch(withNull, []).catch((e: unknown) => e), 'FSTORE_TRANSFORM_OUTPUT', /Element 0 of the result must be a plain object/);
  });
});

describe('TypeScript transforms: the sandbox holds', () => {
  it.each([
    ['require', '(globalThis as any)["req" + "uire"]("fs");', /ReferenceError|is not a function/],
    ['process.env', 'return { home: (process as any).env.HOME };', /ReferenceError: process is not defined/],
    ['globalThis.process', 'return { home: (globalThis as any).process.env };', /TypeError: Cannot read properties of undefined/],
    ['the global constructor', 'return { p: (globalThis as any).constructor.constructor("return process")() };', /EvalError: Code generation from strings disallowed/],
    ['an arrow constructor', 'return { g: (() => {}).constructor("return this")() };', /EvalError: Code generation from strings disallowed/],
    ['this', 'return { p: (this as any).constructor };', /TypeError: Cannot read properties of undefined/],
    ['fetch', 'fetch("http://127.0.0.1"); return {};', /ReferenceError: fetch is not defined/],
    ['eval', 'return { x: eval("1") };', /ReferenceError: eval is not defined/],
    ['indirect eval', 'return { x: (0, (globalThis as any).eval)("1") };', /is not a function/],
    ['new Function', 'return { x: new Function("return 1")() };', /EvalError: Code generation from strings disallowed/],
    ['setTimeout', 'setTimeout(() => 1, 0); return {};', /ReferenceError: setTimeout is not defined/],
    ['WebAssembly', 'return { w: typeof WebAssembly.Module };', /ReferenceError: WebAssembly is not defined/],
    ['SharedArrayBuffer/Atomics', 'Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0); return {};', /ReferenceError: (Atomics|SharedArrayBuffer|Int32Array) is not defined/],
    ['ArrayBuffer', 'return { n: new ArrayBuffer(2 ** 31).byteLength };', /ReferenceError: ArrayBuffer is not defined/],
    ['console', 'console.log("hi"); return {};', /ReferenceError: console is not defined/],
    ['Error.prepareStackTrace', '(Error as any).prepareStackTrace = (_e: unknown, frames: any[]) => frames.map((f) => f.getThis()); return { s: new Error("x").stack };', /Cannot assign to read only property 'prepareStackTrace'/],
    ['a prototype walk to Function', 'let o: any = Object.getPrototypeOf(Object.getPrototypeOf(globalThis)); return { p: o.constructor.constructor("return process")() };', /EvalError/],
  ])('%s fails with a clear error', async (_what, body, message) => {
    expectError(await runRow(body), 'FSTORE_TRANSFORM_RUNTIME', message);
  });

  it('no object reachable through prototype chains is a host object', async () => {
    const out = await runRow(`
  const names: string[] = [];
  const starts: any[] = [globalThis, row, [], () => 1, new Error('x'), new Date(), /x/, new Map(), Symbol('s'), 1n, 'text', 1, true];
  for (const start of starts) {
    for (let o = Object(start); o; o = Object.getPrototypeOf(o)) names.push(...Object.getOwnPropertyNames(o));
  }
  return { names: names.filter((n) => ['process', 'require', 'module', 'Buffer', 'fetch', 'setTimeout', 'setImmediate', 'queueMicrotask', 'WebAssembly', 'SharedArrayBuffer', 'Atomics', 'eval', 'console'].includes(n)) };`);
    expect(out).toEqual([{ names: [] }]);
  });

  it('a custom Error global cannot intercept stack formatting', async () => {
    const out = await runRow(`
  (globalThis as any).Error = { prepareStackTrace: () => 'hijacked' };
  try { (null as any).x; } catch (e) { return { stack: String((e as Error).stack).split('\\n')[0] }; }
  return {};`);
    expect(out).toEqual([{ stack: "TypeError: Cannot read properties of null (reading 'x')" }]);
  });

  it('prototype pollution stays inside one call and never reaches the host', async () => {
    const out = await runRow('(Object.prototype as any).polluted = "yes"; (Array.prototype as any).polluted = "yes"; return { seen: ({} as any).polluted };');
    expect(out).toEqual([{ seen: 'yes' }]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(([] as unknown as Record<string, unknown>).polluted).toBeUndefined();
    expect(await runRow('return { seen: ({} as any).polluted ?? null };')).toEqual([{ seen: null }]);
  });

  it('an endless loop is stopped within the time limit, and the sandbox keeps working', async () => {
    const started = Date.now();
    expectError(await runRow('while (true) {}', [{}], 300), 'FSTORE_TRANSFORM_TIMEOUT', /ran longer than 300 ms/);
    expect(Date.now() - started).toBeLessThan(3000);
    await expectStillWorks();
  });

  it('endless loops in module code and in promise callbacks are stopped too', async () => {
    const topLevel = TsSandbox.compile('while (true) {}\nexport default function (row: Row) { return {}; }');
    expectError(await sandbox.runRows(topLevel, [{}], { timeoutMs: 300 }).catch((e: unknown) => e), 'FSTORE_TRANSFORM_TIMEOUT');
    expectError(await runRow('Promise.resolve().then(() => { while (true) {} }); return {};', [{}], 300), 'FSTORE_TRANSFORM_TIMEOUT');
    await expectStillWorks();
  });

  it('a huge allocation is stopped with a memory error, and the sandbox keeps working', async () => {
    expectError(await runRow('return { n: new Array(1e8).fill(0).length };'), 'FSTORE_TRANSFORM_MEMORY', /used more than 64 MB/);
    await expectStillWorks();
    expectError(await runRow('const a: string[][] = []; for (;;) a.push(new Array(1000).fill("x"));'), 'FSTORE_TRANSFORM_MEMORY');
    await expectStillWorks();
  });

  it('deep recursion is a clear error', async () => {
    expectError(
      await runRow('const down = (n: number): number => down(n + 1) + 1;\n  return { n: down(0) };'),
      'FSTORE_TRANSFORM_RUNTIME',
      /Maximum call stack size exceeded \(the transform recursed too deeply\) at line 2/,
    );
    await expectStillWorks();
  });

  it('a rejected promise does not take the sandbox down', async () => {
    expect(await runRow('Promise.reject(new Error("later")); (async () => { throw new Error("async"); })(); return { ok: true };')).toEqual([{ ok: true }]);
    await expectStillWorks();
  });

  it('a closed sandbox refuses calls', async () => {
    const own = new TsSandbox();
    const compiled = TsSandbox.compile('export default function (row: Row) { return { ok: true }; }');
    expect(await own.runRows(compiled, [{}])).toEqual([{ ok: true }]);
    await own.close();
    await expect(own.runRows(compiled, [{}])).rejects.toThrow(/closed/);
  });
});

describe('TypeScript transforms: a pool of processes', () => {
  const loop = TsSandbox.compile('export default function (row: Row) { while (true) {} }');
  const echo = TsSandbox.compile('export default function (row: Row) { return { v: row.v }; }');

  it('runs as many calls at once as it has processes, each stopped at its own time limit', async () => {
    const pool = new TsSandbox({ processes: 2 });
    try {
      const started = performance.now();
      const loops = await Promise.all([1, 2].map(() => pool.runRows(loop, [{}], { timeoutMs: 1500 }).catch((e: unknown) => e)));
      const elapsed = performance.now() - started;
      for (const result of loops) expectError(result, 'FSTORE_TRANSFORM_TIMEOUT', /ran longer than 1500 ms/);
      // Side by side: about one time limit (plus process start), not two one after the other (3 s).
      expect(elapsed).toBeLessThan(2700);
      expect(await pool.runRows(echo, [{ v: 1 }])).toEqual([{ v: 1 }]);
    } finally {
      await pool.close();
    }
  });

  it('a call whose budget includes the wait gives up when every process stays busy', async () => {
    const pool = new TsSandbox({ processes: 1 });
    try {
      const runaway = pool.runRows(loop, [{}], { timeoutMs: 3000 }).catch((e: unknown) => e);
      await new Promise((resolve) => setTimeout(resolve, 200));
      const started = performance.now();
      const waited = await pool.runRows(echo, [{ v: 1 }], { timeoutMs: 300, timeoutIncludesWait: true }).catch((e: unknown) => e);
      expect(performance.now() - started).toBeLessThan(1000);
      expectError(waited, 'FSTORE_TRANSFORM_TIMEOUT', /No transform sandbox process was free within 300 ms/);
      // Without it, a call waits its turn and then gets its whole time limit.
      const patient = pool.runRows(echo, [{ v: 2 }], { timeoutMs: 300 });
      expectError(await runaway, 'FSTORE_TRANSFORM_TIMEOUT');
      expect(await patient).toEqual([{ v: 2 }]);
    } finally {
      await pool.close();
    }
  });

  it('closing stops a runaway call at once', async () => {
    const pool = new TsSandbox({ processes: 1 });
    const runaway = pool.runRows(loop, [{}], { timeoutMs: 10_000 }).catch((e: unknown) => e);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const started = performance.now();
    await pool.close();
    expect(await runaway).toBeInstanceOf(TransformError);
    expect(performance.now() - started).toBeLessThan(2500);
  });
});

describe('TypeScript transforms: throughput', () => {
  it('reports rows per second for a simple row transform over 100k rows', async () => {
    const rows = Array.from({ length: 100_000 }, (_, i) => ({ user_id: `u${i % 1000}`, transaction_amount: i / 10, event_timestamp: '2025-02-20T15:45:11Z' }));
    const compiled = TsSandbox.compile(ROW_TRANSFORM);
    await sandbox.runRows(compiled, rows.slice(0, 1000));
    const started = performance.now();
    const out = await sandbox.runRows(compiled, rows, { timeoutMs: 60_000 });
    const seconds = (performance.now() - started) / 1000;
    expect(out).toHaveLength(rows.length);
    console.log(`TS row transform: ${rows.length} rows in ${seconds.toFixed(2)} s = ${Math.round(rows.length / seconds).toLocaleString('en')} rows/s`);

    const single = [rows[0] as Row];
    const calls = 200;
    const t0 = performance.now();
    for (let i = 0; i < calls; i++) await sandbox.runRows(compiled, single);
    console.log(`TS row transform, one row per call (request time): ${((performance.now() - t0) / calls).toFixed(2)} ms per call`);
  });
});
