/** A definitions plan as text for the terminal, like `terraform plan`: what changes and what it touches. */
import type { DefinitionPlan, PlannedChange } from '@shared/api/definitions.js';

const SIGN: Record<PlannedChange['action'], string> = { create: '+', update: '~', restore: '^', archive: '-', unchanged: ' ', not_listed: '?' };

export function formatPlan(plan: DefinitionPlan, options: { prune: boolean }): string {
  const lines: string[] = [];
  for (const c of plan.changes) {
    if (c.action === 'unchanged') continue;
    const label = `${SIGN[c.action]} ${c.action.padEnd(10)} ${c.kind} ${c.name}`;
    lines.push(c.breaking ? `${label}   BREAKING: ${c.reasons.join('; ')}` : label);
    if (c.action === 'update' || c.action === 'restore') {
      for (const f of c.changes) lines.push(`      ${f.field}: ${show(f.before)} -> ${show(f.after)}`);
    }
    if (c.action === 'not_listed') lines.push('      in the registry, not in the folder: kept (--prune archives it)');
    if (c.dependents.length > 0) lines.push(`      affects: ${c.dependents.map((d) => `${d.kind} ${d.name}`).join(', ')}`);
    if (c.feature_services.length > 0) {
      lines.push(`      feature services: ${c.feature_services.length} (${c.feature_services.join(', ')}) serve it: their models see the change`);
    }
    if (c.recompute.length > 0) lines.push(`      re-run: ${c.recompute.map((t) => `transform ${t}`).join(', ')}`);
  }
  if (plan.warnings.length > 0) {
    lines.push('', 'Warnings:');
    for (const w of plan.warnings) lines.push(`  ${w.kind} ${w.name}: ${w.message}`);
  }
  const s = plan.summary;
  const count = (k: string) => s[k] ?? 0;
  lines.push(
    '',
    `Plan: ${count('create')} to create, ${count('update')} to update, ${count('restore')} to restore, ${count('archive')} to archive, ${count('unchanged')} unchanged` +
      (options.prune ? '' : `, ${count('not_listed')} not listed (kept)`) +
      (plan.breaking ? '. Contains BREAKING changes.' : '.'),
  );
  return `${lines.join('\n')}\n`;
}

function show(value: unknown): string {
  const text = JSON.stringify(value) ?? 'null';
  return text.length > 120 ? `${text.slice(0, 117)}...` : text;
}
