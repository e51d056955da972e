/**
 * The rows of a staged batch that break a rule: a missing, too long or NUL-holding entity key, an
 * event time that is not a timestamp, a value its feature's type cannot hold, a `reject` validation
 * rule. Every check is one SQL condition over the staged row (true = broken), so a batch is checked
 * in one pass, and the same conditions count the broken rows inside the batch scan.
 */
import { describeRule, type RuleName } from '@shared/domain/validation-rules.js';
import { TEXT_HAS_NUL } from '@shared/domain/value-coercion.js';
import type { RowError } from '@shared/errors.js';
import { AppError } from '../errors/app-error.js';
import { KEY_HAS_NUL, KEY_TOO_LONG, MAX_ENTITY_KEY_BYTES, MAX_ENTITY_KEY_CHARS } from '../util/entity-keys.js';
import type { ColumnPlan, IngestPlan } from './column-plan.js';
import type { StagedTable } from '../staging/staging-engine.js';
import { expectation, quoteIdent, quoteLiteral, timestampExpr, typedExpr } from '../staging/typed-sql.js';

const MAX_REPORTED_ERRORS = 100;

export interface RowCheck {
  column: string;
  /** SQL over the staged row: true when the row breaks the check. */
  condition: string;
  reason: string;
}

export interface InvalidRows {
  invalidRows: number;
  errors: RowError[];
  truncated: boolean;
}

/** Every check a row of this plan must pass. */
export function rowChecks(plan: IngestPlan): RowCheck[] {
  const checks: RowCheck[] = [];
  const key = quoteIdent(plan.keyColumn.name);
  checks.push({ column: plan.keyColumn.name, condition: `${key} IS NULL OR trim(CAST(${key} AS VARCHAR)) = ''`, reason: 'the entity key is missing' });
  // The SQL form of entityKeyProblem(): a key one store can keep and another cannot is refused.
  checks.push({
    column: plan.keyColumn.name,
    condition: `length(CAST(${key} AS VARCHAR)) > ${MAX_ENTITY_KEY_CHARS} OR strlen(CAST(${key} AS VARCHAR)) > ${MAX_ENTITY_KEY_BYTES}`,
    reason: KEY_TOO_LONG,
  });
  checks.push({ column: plan.keyColumn.name, condition: `contains(CAST(${key} AS VARCHAR), chr(0))`, reason: KEY_HAS_NUL });
  if (plan.timeColumn) {
    checks.push({
      column: plan.timeColumn.name,
      condition: `${timestampExpr(quoteIdent(plan.timeColumn.name), plan.timeColumn.kind)} IS NULL`,
      reason: plan.timeColumn.kind === 'number'
        ? 'event times must be ISO-8601 timestamps (numbers are ambiguous: seconds or milliseconds?)'
        : 'the event time is missing or not an ISO-8601 timestamp',
    });
  }
  for (const f of plan.features) {
    const col = quoteIdent(f.column.name);
    const typed = typedExpr(col, f.column.kind, f.valueType);
    checks.push({ column: f.column.name, condition: `${col} IS NOT NULL AND ${typed} IS NULL`, reason: `expected ${expectation(f.valueType)} for feature '${f.feature}' (${f.valueType})` });
    if (f.valueType === 'STRING' || f.valueType === 'STRING_LIST') {
      // PostgreSQL text cannot hold U+0000: refused on every store, as entity keys are.
      checks.push({ column: f.column.name, condition: `${col} IS NOT NULL AND contains(CAST(${typed} AS VARCHAR), chr(0))`, reason: TEXT_HAS_NUL });
    }
    if (f.rules?.action === 'reject') {
      for (const rule of ruleChecks(f)) checks.push({ column: f.column.name, condition: rule.condition, reason: `${rule.reason} (validation rule of '${f.feature}')` });
    }
  }
  return checks;
}

/** True for a row breaking any of the checks. */
export function anyBroken(checks: readonly RowCheck[]): string {
  return checks.map((c) => `(${c.condition})`).join(' OR ');
}

/** Every row that breaks a check: the first MAX_REPORTED_ERRORS rows' errors and the count of all. */
export async function findInvalidRows(plan: IngestPlan, staged: StagedTable): Promise<InvalidRows> {
  const checks = rowChecks(plan);
  const flags = checks.map((c, i) => `(${c.condition}) AS broken_${i}`);
  const values = checks.map((c, i) => `CAST(${quoteIdent(c.column)} AS VARCHAR) AS value_${i}`);
  const rows = (
    await staged.connection.runAndReadAll(
      `SELECT CAST(rowid AS DOUBLE) AS row_index, ${flags.join(', ')}, ${values.join(', ')}
       FROM src WHERE ${anyBroken(checks)} ORDER BY rowid LIMIT ${MAX_REPORTED_ERRORS}`,
    )
  ).getRowObjectsJS();
  if (rows.length === 0) return { invalidRows: 0, errors: [], truncated: false };
  const counted = await staged.connection.runAndReadAll(`SELECT CAST(count(*) AS DOUBLE) AS broken FROM src WHERE ${anyBroken(checks)}`);
  const invalidRows = Number(counted.getRowObjectsJS()[0]?.['broken'] ?? 0);
  const errors: RowError[] = [];
  for (const row of rows) {
    checks.forEach((c, i) => {
      if (row[`broken_${i}`] !== true) return;
      const raw = row[`value_${i}`];
      errors.push({ row: Number(row['row_index']) + 1, column: c.column, value: raw === null ? null : String(raw).slice(0, 200), reason: c.reason });
    });
  }
  return { invalidRows, errors, truncated: invalidRows > rows.length };
}

/** Throws the rejection of a batch with invalid rows (their first errors named); nothing was written. */
export async function rejectInvalidRows(plan: IngestPlan, staged: StagedTable): Promise<never> {
  const { invalidRows, errors, truncated } = await findInvalidRows(plan, staged);
  const first = errors[0]!;
  throw new AppError(
    'FSTORE_INGEST_REJECTED',
    `${invalidRows} of ${staged.rowCount} rows are invalid, so nothing was written. First: row ${first.row}, column '${first.column}': ${first.reason}` +
      (plan.features.some((f) => errors.some((e) => e.column === f.column.name)) ? '. If the column’s type changed on purpose, re-send with evolve_schema=true' : ''),
    { invalid_rows: invalidRows, rows: staged.rowCount, errors, errors_truncated: truncated },
  );
}

/** SQL conditions (true = broken) for a feature's validation rules, over the staged column. */
export function ruleChecks(f: ColumnPlan): { rule: RuleName; condition: string; reason: string }[] {
  const rules = f.rules;
  if (!rules) return [];
  const col = quoteIdent(f.column.name);
  const tv = typedExpr(col, f.column.kind, f.valueType);
  const out: { rule: RuleName; condition: string; reason: string }[] = [];
  const add = (rule: RuleName, condition: string) => out.push({ rule, condition, reason: describeRule(rule, rules) });
  if (rules.not_null) add('not_null', `${col} IS NULL`);
  if (rules.min !== undefined) add('min', `${tv} < ${finite(rules.min)}`);
  if (rules.max !== undefined) add('max', `${tv} > ${finite(rules.max)}`);
  if (rules.allowed_values) {
    const literals = rules.allowed_values.map((v) => (typeof v === 'string' ? quoteLiteral(v) : typeof v === 'boolean' ? String(v).toUpperCase() : finite(v)));
    add('allowed_values', `${tv} IS NOT NULL AND ${tv} NOT IN (${literals.join(', ')})`);
  }
  if (rules.pattern !== undefined) add('pattern', `${tv} IS NOT NULL AND NOT regexp_full_match(${tv}, ${quoteLiteral(rules.pattern)})`);
  return out;
}

function finite(n: number): string {
  if (!Number.isFinite(n)) throw new Error(`not a finite number: ${n}`);
  return String(n);
}
