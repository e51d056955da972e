import { describe, expect, it } from 'vitest';
import { previewRowsToCsv } from './preview-csv.js';

describe('previewRowsToCsv', () => {
  it('writes a header and one line per row, in the columns order', () => {
    const csv = previewRowsToCsv(['user_id', 'avg'], [
      { avg: 30, user_id: 'u1' },
      { user_id: 'u2', avg: 7.5 },
    ]);
    expect(csv).toBe('user_id,avg\r\nu1,30\r\nu2,7.5\r\n');
  });

  it('quotes commas, quotes, line breaks and edge spaces; nulls are empty; lists and objects are JSON', () => {
    const csv = previewRowsToCsv(['a', 'b', 'c', 'd', 'e', 'f'], [{ a: 'x,y', b: 'say "hi"', c: 'two\nlines', d: null, e: [1, 2], f: ' pad' }]);
    expect(csv).toBe('a,b,c,d,e,f\r\n"x,y","say ""hi""","two\nlines",,"[1,2]"," pad"\r\n');
  });

  it('keeps numbers and booleans as data, not in the UI locale', () => {
    expect(previewRowsToCsv(['n', 'b', 't'], [{ n: 1234.5, b: false, t: '2025-01-01T10:00:00.000Z' }])).toBe('n,b,t\r\n1234.5,false,2025-01-01T10:00:00.000Z\r\n');
  });
});
