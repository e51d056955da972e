import { describe, expect, it } from 'vitest';
import type { IngestReport } from '@shared/api/serving.js';
import { valuesWrittenNote } from './values-written-note.js';

const REPORT: IngestReport = {
  entity: 'usuario',
  feature_group: 'demografia',
  rows: 4,
  values_written: 4,
  online_values_written: 6,
  entity_key_column: 'usuario_id',
  event_time_column: 'event_timestamp',
  features: ['usuario_idade', 'nota'],
  registered_features: [],
  warnings: [],
  elapsed_ms: 10,
};

describe('valuesWrittenNote', () => {
  it('explains empty cells and repeated (key, event time) rows', () => {
    expect(valuesWrittenNote({ ...REPORT, empty_values: 2, repeated_rows: 1 })).toBe(
      "One value per filled cell: 4 rows × 2 features = 8 cells; 2 empty cells are not written; 1 row repeats the entity key and event time of another row: only the later row's values are kept.",
    );
  });

  it('says only the arithmetic when nothing was skipped, and nothing for older reports', () => {
    expect(valuesWrittenNote({ ...REPORT, empty_values: 0, repeated_rows: 0 })).toBe('One value per filled cell: 4 rows × 2 features = 8 cells.');
    expect(valuesWrittenNote(REPORT)).toBeUndefined();
  });
});
