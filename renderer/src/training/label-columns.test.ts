import { describe, expect, it } from 'vitest';
import { detectKeyColumn, detectTimeColumn, labelColumnErrors } from './label-columns.js';

const columns = (names: string[], timeCandidates: string[] = []) => ({ names, timeCandidates });

describe('label file key and time columns', () => {
  it('finds the key and time by the ingest conventions', () => {
    const seed = columns(['usuario_id', 'event_timestamp', 'churn'], ['event_timestamp']);
    expect(detectKeyColumn(seed, 'usuario')).toBe('usuario_id');
    expect(detectTimeColumn(seed, 'usuario_id')).toBe('event_timestamp');
    const generic = columns(['entity_key', 'timestamp', 'label']);
    expect(detectKeyColumn(generic, 'usuario')).toBe('entity_key');
    expect(detectTimeColumn(generic, 'entity_key')).toBe('timestamp');
  });

  it('falls back to id/key-like and time-like columns, and finds nothing when there is none', () => {
    const other = columns(['cliente_key', 'quando', 'label'], ['quando']);
    expect(detectKeyColumn(other, 'usuario')).toBe('cliente_key');
    expect(detectTimeColumn(other, 'cliente_key')).toBe('quando');
    expect(detectKeyColumn(columns(['a', 'b']), 'usuario')).toBeUndefined();
    expect(detectTimeColumn(columns(['a', 'b']), undefined)).toBeUndefined();
  });

  it("names the form's fields when a column is not in the file", () => {
    const file = columns(['usuario_id', 'quando', 'churn']);
    expect(labelColumnErrors({ keyColumn: 'user', timeColumn: 'quando' }, file)).toEqual({
      keyColumn: "Entity key column: the label file has no column 'user' (its columns: usuario_id, quando, churn)",
    });
    expect(labelColumnErrors({ keyColumn: '', timeColumn: 'when' }, file)).toEqual({
      keyColumn: 'Choose the entity key column of the label file',
      timeColumn: "Label time column: the label file has no column 'when' (its columns: usuario_id, quando, churn)",
    });
    expect(labelColumnErrors({ keyColumn: 'usuario_id', timeColumn: 'quando' }, file)).toEqual({});
  });
});
