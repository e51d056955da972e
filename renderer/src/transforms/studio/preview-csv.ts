/**
 * The previewed rows as CSV text (RFC 4180): a header of the column names, one line per row.
 * Values as data, never localised: null as an empty field, lists and objects as JSON.
 */
export function previewRowsToCsv(columnNames: readonly string[], rows: readonly Record<string, unknown>[]): string {
  const lines = [columnNames.map(csvField), ...rows.map((row) => columnNames.map((name) => csvField(csvText(row[name]))))];
  return lines.map((fields) => fields.join(',')).join('\r\n') + '\r\n';
}

function csvText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  return JSON.stringify(value);
}

/** Quoted when it holds a comma, quote, line break or edge spaces; quotes doubled. */
function csvField(text: string): string {
  return /[",\r\n]|^\s|\s$/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
