/**
 * What the SQL editor suggests: the registered sources as tables, their columns, and registered
 * features. After `table.` only that table's columns are offered.
 */
import type { ColumnSchema } from '@shared/domain/schemas.js';

export interface CompletionCatalog {
  sources: readonly { name: string; columns: readonly ColumnSchema[] }[];
  features: readonly { name: string; value_type: string; feature_group: string | null }[];
}

export type CompletionKind = 'table' | 'column' | 'feature';

export interface CompletionSpec {
  label: string;
  kind: CompletionKind;
  /** What the name is, shown on every item: "source", "column", "feature", or "column, feature" for a name that is both. */
  kindLabel: string;
  insertText: string;
  detail: string;
  /** Tables first, then columns, then features; alphabetical within each. */
  sortText: string;
}

export const EMPTY_CATALOG: CompletionCatalog = { sources: [], features: [] };

const PLAIN_IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;
const KIND_ORDER: Record<CompletionKind, number> = { table: 0, column: 1, feature: 2 };
/** Sources are tables in the SQL, but the studio calls them sources. */
const KIND_LABELS: Record<CompletionKind, string> = { table: 'source', column: 'column', feature: 'feature' };

/** The identifier right before a trailing dot (`transactions.` or `transactions.amo`), if any. */
export function qualifierBefore(textBeforeCursor: string): string | undefined {
  const match = /([A-Za-z_][A-Za-z0-9_]*|"[^"]+")\.[A-Za-z0-9_]*$/.exec(textBeforeCursor);
  return match?.[1]?.replace(/^"|"$/g, '');
}

export function buildSqlCompletions(catalog: CompletionCatalog, qualifier?: string): CompletionSpec[] {
  if (qualifier !== undefined) {
    const source = catalog.sources.find((s) => s.name.toLowerCase() === qualifier.toLowerCase());
    // An alias we cannot resolve: every column is a fair guess.
    return source ? source.columns.map((c) => columnItem(c.name, `${c.type} · ${source.name}`)) : allColumns(catalog);
  }
  const tables = catalog.sources.map((s) =>
    item(s.name, 'table', `source · ${s.columns.length} ${s.columns.length === 1 ? 'column' : 'columns'}`),
  );
  const features = catalog.features.map((f) => item(f.name, 'feature', `feature · ${f.value_type}${f.feature_group ? ` · ${f.feature_group}` : ''}`));
  return withoutDuplicates([...tables, ...allColumns(catalog), ...features]);
}

/**
 * One item per name (SQL names are case-insensitive): a column that is also a feature, or a source
 * named like a column, is offered once, under its first kind, its label and detail naming both.
 */
function withoutDuplicates(items: readonly CompletionSpec[]): CompletionSpec[] {
  const byName = new Map<string, CompletionSpec>();
  for (const next of items) {
    const key = next.label.toLowerCase();
    const first = byName.get(key);
    if (!first) byName.set(key, next);
    else if (!first.kindLabel.split(', ').includes(next.kindLabel)) {
      byName.set(key, { ...first, kindLabel: `${first.kindLabel}, ${next.kindLabel}`, detail: `${first.detail}; ${next.detail}` });
    }
  }
  return [...byName.values()];
}

/** Each column name once (in its first spelling: SQL names are case-insensitive), listing every source (and type) that has it. */
function allColumns(catalog: CompletionCatalog): CompletionSpec[] {
  const owners = new Map<string, { name: string; where: string[] }>();
  for (const source of catalog.sources) {
    for (const column of source.columns) {
      const key = column.name.toLowerCase();
      const entry = owners.get(key) ?? { name: column.name, where: [] };
      entry.where.push(`${source.name} (${column.type})`);
      owners.set(key, entry);
    }
  }
  return [...owners.values()].map(({ name, where }) => columnItem(name, `column · ${where.join(', ')}`));
}

function columnItem(name: string, detail: string): CompletionSpec {
  return item(name, 'column', detail);
}

function item(label: string, kind: CompletionKind, detail: string): CompletionSpec {
  return {
    label,
    kind,
    kindLabel: KIND_LABELS[kind],
    insertText: PLAIN_IDENTIFIER.test(label) ? label : `"${label.replace(/"/g, '""')}"`,
    detail,
    sortText: `${KIND_ORDER[kind]}_${label.toLowerCase()}`,
  };
}
