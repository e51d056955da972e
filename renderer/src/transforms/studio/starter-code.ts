import type { TransformLanguage } from '@shared/domain/schemas.js';

/** The seed's example: the average and number of transactions per user. */
export const SQL_STARTER = [
  'SELECT',
  '  user_id,',
  '  AVG(transaction_amount) AS avg_transaction_value,',
  '  COUNT(*) AS transaction_count',
  'FROM transactions',
  'GROUP BY user_id',
  '',
].join('\n');

/** A row transform; `Row` is declared by the editor (and the service) as any column -> value. */
export const TYPESCRIPT_STARTER = [
  '// Called once per row of the first source; returns the output row:',
  '// the entity key, the event time (optional) and the features.',
  'export default function transform(row: Row) {',
  '  return {',
  '    user_id: row.user_id,',
  '    event_time: row.event_time,',
  '    is_large_transaction: Number(row.transaction_amount) > 100,',
  '  };',
  '}',
  '',
].join('\n');

export const STARTER_CODE: Record<TransformLanguage, string> = {
  sql: SQL_STARTER,
  typescript: TYPESCRIPT_STARTER,
};

export const LANGUAGE_LABELS: Record<TransformLanguage, string> = {
  sql: 'SQL',
  typescript: 'TypeScript',
};
