// `npm audit` of the production dependencies (CI step "npm audit (production)"). Exit codes:
// 0: no high or critical advisory, or each one is explained in audit-explanations.json (and in
//    docs/security.md, Dependencies); 1: an unexplained high or critical advisory;
// 3: the registry did not answer the audit request, so nothing was checked (reported as skipped,
//    with the reason; never as a pass).
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

export const NOT_CHECKED = 3;
const root = new URL('../..', import.meta.url).pathname;
const explanations = JSON.parse(readFileSync(new URL('./audit-explanations.json', import.meta.url), 'utf8')).explained;

const audit = spawnSync('npm', ['audit', '--omit=dev', '--json'], { cwd: root, encoding: 'utf8', timeout: 120_000 });
let report;
try {
  report = JSON.parse(audit.stdout);
} catch {
  report = undefined;
}
if (!report || report.statusCode !== undefined || report.error !== undefined || report.vulnerabilities === undefined) {
  const why = report?.message ?? report?.error?.summary ?? (audit.error ? audit.error.message : (audit.stderr || '').trim().split('\n').pop());
  process.stdout.write(`npm audit: NOT CHECKED: the registry did not answer the audit request (${why || `exit ${audit.status}`}).\n`);
  process.stdout.write('The registry this machine reaches serves packages only (GET), not the advisory endpoint; run `npm audit --omit=dev` on a machine whose registry answers audit requests.\n');
  process.exit(NOT_CHECKED);
}

const severe = Object.values(report.vulnerabilities).filter((v) => v.severity === 'high' || v.severity === 'critical');
const unexplained = severe.filter((v) => !explanations.some((e) => e.package === v.name));
const counts = report.metadata?.vulnerabilities ?? {};
process.stdout.write(`npm audit (production dependencies): ${Object.entries(counts).map(([k, n]) => `${n} ${k}`).join(', ')}\n`);
for (const v of severe) {
  const explained = explanations.find((e) => e.package === v.name);
  process.stdout.write(`  ${v.severity} ${v.name} ${v.range}: ${explained ? `explained: ${explained.reason}` : 'NOT EXPLAINED'}\n`);
}
if (unexplained.length > 0) {
  process.stderr.write(`npm audit FAILED: ${unexplained.length} high or critical advisories in production dependencies are not explained in scripts/security/audit-explanations.json and docs/security.md\n`);
  process.exit(1);
}
process.stdout.write('npm audit: no unexplained high or critical advisory in production dependencies\n');
