// Static scan of the desktop app with electronegativity (CI step "Electron static scan").
// Scans main/ and the renderer (sources and index.html) together, so global checks (navigation
// limits, permission handler, CSP) see the whole app. Fails on any file it cannot parse and on any
// finding at or above the policy's severity that scripts/security/electronegativity.json does not
// accept by check and file with a reason.
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = new URL('../..', import.meta.url).pathname;
const require = createRequire(join(root, 'package.json'));
const run = require('@doyensec/electronegativity');
const policy = JSON.parse(readFileSync(new URL('./electronegativity.json', import.meta.url), 'utf8'));
const electronVersion = require('electron/package.json').version;
const SEVERITIES = ['INFORMATIONAL', 'LOW', 'MEDIUM', 'HIGH'];

// One folder with the app's own sources only (no node_modules, no build output).
const scanRoot = mkdtempSync(join(tmpdir(), 'fstore-electron-scan-'));
try {
  cpSync(join(root, 'main'), join(scanRoot, 'main'), { recursive: true, filter: (src) => !src.includes('test-fixtures') && !src.endsWith('.test.ts') });
  cpSync(join(root, 'renderer', 'src'), join(scanRoot, 'renderer', 'src'), { recursive: true, filter: (src) => !src.endsWith('.test.ts') && !src.endsWith('.test.tsx') });
  cpSync(join(root, 'renderer', 'index.html'), join(scanRoot, 'renderer', 'index.html'));

  const result = await run({
    input: scanRoot,
    electronVersionOverride: electronVersion,
    excludeFromScan: policy.skipChecks.map((c) => c.check),
    isRelative: true,
  });

  const problems = [];
  for (const error of result.errors) {
    // A file the scanner cannot parse is a file it did not check: never a pass.
    if (!error.tolerable) problems.push(`cannot parse ${error.file}: ${error.message}`);
  }
  const threshold = SEVERITIES.indexOf(policy.failAtSeverity);
  const accepted = [];
  for (const issue of result.issues) {
    const severity = issue.severity.name;
    const file = issue.file;
    const label = `${issue.id} (${severity}, ${issue.confidence.name}) at ${file}:${issue.location.line}`;
    const acceptance = policy.accepted.find((a) => a.check === issue.id && a.file === file);
    if (acceptance) accepted.push(`${label}\n      accepted: ${acceptance.reason}`);
    else if (SEVERITIES.indexOf(severity) >= threshold) problems.push(`${label}: ${issue.description}`);
    else accepted.push(`${label}\n      below the ${policy.failAtSeverity} threshold`);
  }
  const stale = policy.accepted.filter((a) => !result.issues.some((i) => i.id === a.check && i.file === a.file));

  process.stdout.write(`electronegativity ${require('@doyensec/electronegativity/package.json').version}, Electron ${electronVersion}: ` +
    `${result.atomicChecks} atomic and ${result.globalChecks} global checks; ${result.issues.length} findings, ${accepted.length} accepted or below threshold\n`);
  for (const line of accepted) process.stdout.write(`  - ${line}\n`);
  for (const s of policy.skipChecks) process.stdout.write(`  skipped check ${s.check}: ${s.reason}\n`);
  for (const a of stale) process.stdout.write(`  note: the acceptance of ${a.check} at ${a.file} matched no finding; remove it from electronegativity.json\n`);
  if (problems.length > 0) {
    process.stderr.write(`Electron static scan FAILED:\n${problems.map((p) => `  ✗ ${p}`).join('\n')}\n`);
    process.exitCode = 1;
  } else {
    process.stdout.write('Electron static scan: no finding above the threshold\n');
  }
} finally {
  rmSync(scanRoot, { recursive: true, force: true });
}
