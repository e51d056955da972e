import { describe, expect, it } from 'vitest';
import { FStoreApiError } from '@shared/api/client.js';
import { firstErrorPosition, markersFromError } from './error-markers.js';

const SQL = ['SELECT user_id, AVG(transaction_amont) AS avg_transaction_value', 'FROM transactions', 'GROUP BY user_id'].join('\n');

describe('markersFromError', () => {
  it('marks the whole identifier at the location the service reports', () => {
    const err = new FStoreApiError(400, 'FSTORE_VALIDATION_FAILED', 'Binder Error: column "transaction_amont" not found', {
      location: { line: 1, column: 21 },
      message: 'Referenced column "transaction_amont" not found',
    });
    expect(markersFromError(err, SQL)).toEqual([
      {
        startLineNumber: 1,
        startColumn: 21,
        endLineNumber: 1,
        endColumn: 38,
        message: 'Referenced column "transaction_amont" not found',
        severity: 'error',
      },
    ]);
  });

  it("widens a position inside a word to the word, and falls back to the error's message", () => {
    const err = new FStoreApiError(400, 'FSTORE_VALIDATION_FAILED', 'Table transactionz does not exist', { location: { line: 2, column: 9 } });
    expect(markersFromError(err, SQL)[0]).toMatchObject({ startLineNumber: 2, startColumn: 6, endColumn: 18, message: 'Table transactionz does not exist' });
  });

  it('keeps the ranges of TypeScript diagnostics, one marker each', () => {
    const code = 'export default function transform(row: Row) {\n  return { x: row.a + };\n}\n';
    const err = new FStoreApiError(400, 'FSTORE_TRANSFORM_COMPILE', 'Line 2, column 22: Expression expected.', {
      line: 2,
      column: 22,
      diagnostics: [
        { line: 2, column: 22, endLine: 2, endColumn: 23, message: 'Expression expected.', severity: 'error' },
        { line: 1, column: 35, endLine: 1, endColumn: 38, message: 'Unused parameter', severity: 'warning' },
      ],
    });
    const markers = markersFromError(err, code);
    expect(markers.map((m) => [m.startLineNumber, m.startColumn, m.endColumn, m.severity])).toEqual([
      [2, 22, 23, 'error'],
      [1, 35, 38, 'warning'],
    ]);
  });

  it('accepts a flat line and column, and clamps positions the edited code no longer has', () => {
    const err = new FStoreApiError(422, 'FSTORE_TRANSFORM_RUNTIME', 'row.x is undefined', { line: 9, column: 80 });
    const [marker] = markersFromError(err, 'SELECT 1\nFROM t');
    expect(marker).toMatchObject({ startLineNumber: 2, startColumn: 6, endLineNumber: 2, endColumn: 7 });
  });

  it('has no markers for errors without a position or not from the service', () => {
    expect(markersFromError(new FStoreApiError(503, 'FSTORE_BACKEND_UNAVAILABLE', 'down', { backend: 'duckdb' }), SQL)).toEqual([]);
    expect(markersFromError(new FStoreApiError(400, 'FSTORE_VALIDATION_FAILED', 'bad', { location: { line: 0, column: 1 } }), SQL)).toEqual([]);
    expect(markersFromError(new Error('boom'), SQL)).toEqual([]);
    expect(firstErrorPosition(new Error('boom'), SQL)).toBeUndefined();
  });

  it('gives the first position to jump to', () => {
    const err = new FStoreApiError(400, 'FSTORE_VALIDATION_FAILED', 'x', { location: { line: 3, column: 10 } });
    expect(firstErrorPosition(err, SQL)).toEqual({ lineNumber: 3, column: 10 });
  });
});
