// Measures what runaway user SQL does to a real `fstore serve` (from dist/: `npm run build` first):
// the time from cancelling a never-ending SQL transform run to the job's end, the latency of normal
// calls (online read, ingest of one row, point-in-time training, a static file of the web UI) while
// N never-ending previews run, then the time from SIGTERM to exit.
// Figures in docs/security.md (user SQL limits). Not a test: timings on shared machines are noisy.
//
//   node scripts/measure-runaway-sql.mjs [N=5] [NAME=VALUE ...]   (extra environment of the service,
//   e.g. UV_THREADPOOL_SIZE=8 FSTORE_USER_SQL_SESSIONS=4)
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const RUNAWAY = "SELECT 'u' AS user_id, count(*) AS n FROM range(10000000000000) t(x) WHERE x % 7 = 3";
const CALL_TIMEOUT_MS = 30_000;
const KILL_AFTER_MS = 60_000;

const runaways = Number(process.argv[2] ?? 5);
const extraEnv = Object.fromEntries(process.argv.slice(3).map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)]));
const root = new URL('..', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'fstore-runaway-sql-'));
const ui = join(dir, 'ui');
const sources = join(dir, 'sources');
mkdirSync(ui);
mkdirSync(sources);
writeFileSync(join(ui, 'index.html'), '<!doctype html><title>FStore</title>');
writeFileSync(join(ui, 'app.js'), `console.log(${JSON.stringify('x'.repeat(100_000))});`);
writeFileSync(join(sources, 't.csv'), 'user_id,amount\nu1,1\nu2,2\n');
// Quick on the first 10,000 rows (what publishing samples), endless over all: row 10,001 fans out 10^13 times.
const fanout = Array.from({ length: 10_001 }, (_, i) => `u${i},${i === 10_000 ? 10_000_000_000_000 : 1}`);
writeFileSync(join(sources, 'fanout.csv'), `user_id,n\n${fanout.join('\n')}\n`);

const child = spawn(process.execPath, [join(root, 'bin/fstore.js'), 'serve', '--port', '0', '--data-dir', join(dir, 'data'), '--log-level', 'warn'], {
  env: { ...process.env, FSTORE_WEB_UI_DIR: ui, FSTORE_FILE_SOURCE_DIRS: sources, ...extraEnv },
  stdio: ['ignore', 'ignore', 'pipe'],
});
let stderr = '';
const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
const url = await new Promise((resolve, reject) => {
  child.once('exit', () => reject(new Error(`fstore serve exited: ${stderr}`)));
  child.stderr.on('data', (chunk) => {
    stderr += chunk;
    const m = /listening on (http:\/\/[\d.:]+)/.exec(stderr);
    if (m) resolve(m[1]);
  });
});

/** One request: its status (or why it got none) and how long it took, in ms. */
async function call(method, path, body, timeoutMs = CALL_TIMEOUT_MS) {
  const started = performance.now();
  try {
    const res = await fetch(url + path, {
      method,
      signal: AbortSignal.timeout(timeoutMs),
      ...(body ? { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } } : {}),
    });
    const text = await res.text();
    const code = res.status >= 400 ? JSON.parse(text).error?.code : undefined;
    return { status: res.status, ...(code ? { code } : {}), ms: Math.round(performance.now() - started) };
  } catch (err) {
    return { status: err.name, ms: Math.round(performance.now() - started) };
  }
}
const getJson = async (path) => (await fetch(url + path)).json();
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Cancels a run once its SQL has been running for 2 s; how long until the job is no longer running. */
async function cancelOfRunawayRun() {
  await call('POST', '/api/data-sources/', { name: 'fanout', type: 'file', path: join(sources, 'fanout.csv') });
  const code = 'SELECT user_id, count(*) AS k FROM fanout, range(fanout.n) r(y) GROUP BY user_id';
  await call('POST', '/api/transforms/', { name: 'slow_counts', language: 'sql', code, sources: ['fanout'], entity: 'user' });
  const { id } = await (await fetch(`${url}/api/transforms/slow_counts/runs`, { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } })).json();
  while ((await getJson(`/api/jobs/${id}`)).progress.phase !== 'running the transform') await sleep(50);
  await sleep(2000);
  const cancelled = performance.now();
  await call('POST', `/api/jobs/${id}/cancel`, {});
  let job = await getJson(`/api/jobs/${id}`);
  while (job.state === 'running' && performance.now() - cancelled < CALL_TIMEOUT_MS) {
    await sleep(20);
    job = await getJson(`/api/jobs/${id}`);
  }
  return `${job.state} ${Math.round(performance.now() - cancelled)} ms after the cancel${job.error ? ` (${job.error.code})` : ''}`;
}

const normalCalls = {
  online: () => call('POST', '/api/online/features', { entity: 'usuario', entity_keys: ['u1'], feature_list: ['idade'] }),
  ingest: () => call('POST', '/api/ingest/usuario/perfil', { rows: [{ usuario_id: `u${Math.random()}`, event_timestamp: new Date().toISOString(), idade: 3 }] }),
  training: () => call('POST', '/api/training/point-in-time', { entity: 'usuario', feature_list: ['idade'], rows: [{ entity_key: 'u1', timestamp: '2030-01-01T00:00:00Z' }] }),
  static: () => call('GET', '/app.js'),
  health: () => call('GET', '/health'),
};
async function oneOfEach() {
  const out = {};
  for (const [name, run] of Object.entries(normalCalls)) out[name] = await run();
  return out;
}
/** Four of each at once: is what user SQL leaves of the threadpool and the cores enough? */
async function slowestOfMany() {
  const done = await Promise.all(Object.entries(normalCalls).flatMap(([name, run]) => Array.from({ length: 4 }, async () => [name, await run()])));
  const slowest = {};
  for (const [name, r] of done) slowest[name] = r.status === 200 ? Math.max(slowest[name] ?? 0, r.ms) : `${r.status} after ${r.ms}`;
  return slowest;
}

console.log(`fstore serve with ${JSON.stringify(extraEnv)}; ${runaways} runaway previews`);
await call('POST', '/api/ingest/usuario/perfil', { rows: [{ usuario_id: 'u1', event_timestamp: '2025-01-01T00:00:00Z', idade: 30 }] });
await call('POST', '/api/data-sources/', { name: 't', type: 'file', path: join(sources, 't.csv') });
console.log('idle:', JSON.stringify(await oneOfEach()));
console.log('cancel of a runaway SQL transform run: the job is', await cancelOfRunawayRun());
const previews = Array.from({ length: runaways }, () => call('POST', '/api/transforms/preview', { language: 'sql', code: RUNAWAY, sources: ['t'], entity: 'user' }, 10 * 60_000));
await sleep(2000);
console.log('during the runaways, one call of each kind:', JSON.stringify(await oneOfEach()));
console.log('during the runaways, slowest of 4 concurrent calls per kind:', JSON.stringify(await slowestOfMany()));

const signalled = performance.now();
child.kill('SIGTERM');
const killer = setTimeout(() => {
  console.log(`still running ${KILL_AFTER_MS / 1000} s after SIGTERM: kill -9`);
  child.kill('SIGKILL');
}, KILL_AFTER_MS);
const how = await exited;
clearTimeout(killer);
console.log(`SIGTERM to exit: ${Math.round(performance.now() - signalled)} ms, ${JSON.stringify(how)}`);
console.log('the runaway previews answered:', JSON.stringify(await Promise.all(previews)));
rmSync(dir, { recursive: true, force: true });
