import { describe, expect, it } from 'vitest';
import { detectDataFormat, explainUnsupportedFile, FILE_PICKER_ACCEPT } from './data-file-format.js';

describe('detectDataFormat', () => {
  it('recognises the extension, whatever the case', () => {
    expect(detectDataFormat({ name: 'usuarios.csv', type: '' })).toBe('csv');
    expect(detectDataFormat({ name: 'USUARIOS.CSV', type: '' })).toBe('csv');
    expect(detectDataFormat({ name: 'dados.parquet', type: '' })).toBe('parquet');
    expect(detectDataFormat({ name: 'linhas.jsonl', type: '' })).toBe('ndjson');
    expect(detectDataFormat({ name: 'linhas.ndjson', type: '' })).toBe('ndjson');
    expect(detectDataFormat({ name: 'array.json', type: 'application/json' })).toBe('json');
  });

  it('prefers the extension to a misleading media type', () => {
    expect(detectDataFormat({ name: 'export.csv', type: 'application/vnd.ms-excel' })).toBe('csv');
  });

  it('falls back to the media type when the name says nothing', () => {
    expect(detectDataFormat({ name: 'export', type: 'text/csv; charset=utf-8' })).toBe('csv');
    expect(detectDataFormat({ name: 'download', type: 'application/vnd.apache.parquet' })).toBe('parquet');
  });

  it('refuses other files', () => {
    expect(detectDataFormat({ name: 'notes.txt', type: 'text/plain' })).toBeUndefined();
    expect(detectDataFormat({ name: 'planilha.xlsx', type: '' })).toBeUndefined();
    expect(explainUnsupportedFile({ name: 'notes.txt' })).toContain('notes.txt is not a CSV');
  });

  it('offers every format in the picker', () => {
    for (const ext of ['.csv', '.parquet', '.json', '.ndjson', '.jsonl']) expect(FILE_PICKER_ACCEPT.split(',')).toContain(ext);
  });
});
