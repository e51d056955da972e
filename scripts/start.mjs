#!/usr/bin/env node
// `npm start`: builds what is missing or stale, then opens the desktop app. When no Electron
// binary is available (it is downloaded from GitHub, not npm) or there is no display, it explains
// why and runs the headless service instead, which serves the same web UI.
//
//   npm start                   desktop app if possible, else the service on http://127.0.0.1:8000/
//   npm start -- --headless     always the service (also: FSTORE_HEADLESS=1)
//   FSTORE_PORT=8080 npm start  another port for the headless service
//   FSTORE_DATA_DIR=/some/dir   where the headless service keeps its data (default ./.fstore-data)
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const fromRoot = (...parts) => path.join(root, ...parts);

main().catch((error) => {
  fail(error instanceof Error ? error.message : String(error));
});

async function main() {
  buildTypeScript();
  buildRendererIfStale();
  const headless = process.argv.includes('--headless') || process.env.FSTORE_HEADLESS === '1';
  const electron = headless ? { problem: 'headless mode was requested' } : findElectron();
  if (electron.binary !== undefined) {
    runElectron(electron.binary);
  } else {
    if (!headless) explainNoDesktop(electron.problem);
    await runHeadlessService();
  }
}

// ---------------------------------------------------------------------------------------------
// Build

function buildTypeScript() {
  // The one TypeScript build (package.json "build:ts"): tsc -b, incremental, then tsc-alias, which
  // turns the @shared/ alias into relative paths that Node can load.
  log('building TypeScript (npm run build:ts)...');
  // `npm start` names npm's own script in npm_execpath: run it with this node (no shell, any OS).
  const npm = process.env.npm_execpath;
  if (npm) run(process.execPath, [npm, 'run', '--silent', 'build:ts'], 'the TypeScript build failed');
  else run('npm', ['run', '--silent', 'build:ts'], 'the TypeScript build failed');
}

function buildRendererIfStale() {
  const config = fromRoot('renderer', 'vite.config.ts');
  if (!existsSync(config)) {
    log('renderer/vite.config.ts does not exist yet: skipping the renderer build (no web UI).');
    return;
  }
  const builtIndex = fromRoot('dist', 'renderer', 'index.html');
  const builtAt = existsSync(builtIndex) ? statSync(builtIndex).mtimeMs : 0;
  const sourcesAt = Math.max(newestMtime(fromRoot('renderer')), newestMtime(fromRoot('shared')));
  if (builtAt > 0 && builtAt >= sourcesAt) return;
  log(builtAt === 0 ? 'building the renderer (first run)...' : 'renderer sources changed: rebuilding the renderer...');
  run(process.execPath, [fromRoot('node_modules', 'vite', 'bin', 'vite.js'), 'build', '--config', config], 'the renderer build failed');
}

function newestMtime(dir) {
  let newest = 0;
  const walk = (current) => {
    for (const entry of readdirSync(current, { withFileTypes: true })) {
      if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
      const full = path.join(current, entry.name);
      if (entry.isDirectory()) walk(full);
      else newest = Math.max(newest, statSync(full).mtimeMs);
    }
  };
  if (existsSync(dir)) walk(dir);
  return newest;
}

function run(command, args, failure) {
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) fail(`${failure} (exit ${result.status ?? result.signal}).`);
}

// ---------------------------------------------------------------------------------------------
// Desktop (Electron)

/** Finds the Electron executable without require('electron'), which would try to download it. */
function findElectron() {
  const packageDir = fromRoot('node_modules', 'electron');
  const pathFile = path.join(packageDir, 'path.txt');
  const executable = existsSync(pathFile)
    ? readFileSync(pathFile, 'utf8').trim()
    : { darwin: 'Electron.app/Contents/MacOS/Electron', win32: 'electron.exe' }[process.platform] ?? 'electron';
  const override = process.env.ELECTRON_OVERRIDE_DIST_PATH;
  if (override) {
    const binary = path.join(override, executable);
    return existsSync(binary)
      ? { binary }
      : { problem: `ELECTRON_OVERRIDE_DIST_PATH is set, but ${binary} does not exist.` };
  }
  const binary = path.join(packageDir, 'dist', executable);
  if (!existsSync(binary)) {
    return { problem: `no Electron binary is installed (${path.relative(root, binary)} is missing).` };
  }
  if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) {
    return { problem: 'there is no display (neither DISPLAY nor WAYLAND_DISPLAY is set; try xvfb-run npm start).' };
  }
  return { binary };
}

function explainNoDesktop(problem) {
  log('');
  log(`The desktop app cannot open here: ${problem}`);
  log('Electron downloads its binary from GitHub (not from the npm registry). To get one:');
  log('  - on a machine with GitHub access: `npm install` (or `npx install-electron`), or');
  log('  - point ELECTRON_OVERRIDE_DIST_PATH at a folder holding an Electron 45 binary.');
  log('Starting the headless service instead; it serves the same UI in your browser.');
  log('');
}

function runElectron(binary) {
  const compiledMain = fromRoot('dist', 'main', 'main.js');
  if (!existsSync(compiledMain)) fail(`${compiledMain} is missing after the build.`);
  const args = [compiledMain];
  if (process.platform === 'linux' && process.getuid?.() === 0) {
    // Chromium refuses to run as root with its OS sandbox; renderers keep `sandbox: true` semantics.
    log('running as root: starting Electron with --no-sandbox (do not do this on a workstation).');
    args.unshift('--no-sandbox');
  }
  log(`opening the desktop app (${binary})...`);
  const env = { ...process.env };
  delete env.ELECTRON_RUN_AS_NODE;
  supervise(spawn(binary, args, { cwd: root, stdio: 'inherit', env }));
}

// ---------------------------------------------------------------------------------------------
// Headless service

async function runHeadlessService() {
  const cli = fromRoot('bin', 'fstore.js');
  if (!existsSync(cli)) fail(`${cli} is missing: this checkout has no service CLI.`);
  const port = process.env.FSTORE_PORT ?? '8000';
  const dataDir = path.resolve(root, process.env.FSTORE_DATA_DIR ?? '.fstore-data');
  const base = `http://127.0.0.1:${port}`;
  log(`starting the service: node bin/fstore.js serve --host 127.0.0.1 --port ${port} --data-dir ${dataDir}`);
  const child = spawn(process.execPath, [cli, 'serve', '--host', '127.0.0.1', '--port', port, '--data-dir', dataDir], {
    cwd: root,
    stdio: 'inherit',
  });
  supervise(child);
  if (await waitForHealth(`${base}/health`, child)) {
    log('');
    log(`FStore is running.  Web UI:   ${base}/`);
    log(`                    API docs: ${base}/docs`);
    log('Press Ctrl+C to stop.');
    log('');
  }
}

async function waitForHealth(url, child) {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline && child.exitCode === null && child.signalCode === null) {
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2_000) });
      if (response.status === 200) return true;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  if (child.exitCode === null && child.signalCode === null) {
    log(`the service did not answer ${url} within 60 s; it keeps running, check its output above.`);
  }
  return false;
}

// ---------------------------------------------------------------------------------------------
// Process plumbing

/** Forwards SIGINT/SIGTERM to the child and exits with the child's status. */
function supervise(child) {
  const forward = (signal) => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
  };
  process.on('SIGINT', () => forward('SIGINT'));
  process.on('SIGTERM', () => forward('SIGTERM'));
  child.on('error', (error) => fail(`could not start ${child.spawnfile}: ${error.message}`));
  child.on('exit', (code, signal) => {
    if (signal === 'SIGINT' || signal === 'SIGTERM') process.exit(0);
    process.exit(code ?? 1);
  });
}

function log(message) {
  process.stdout.write(`[fstore start] ${message}\n`);
}

function fail(message) {
  process.stderr.write(`[fstore start] ${message}\n`);
  process.exit(1);
}
