import { describe, expect, it } from 'vitest';
import { previewRequestData, toRequestInputs } from './request-inputs.js';

describe('request inputs in the studio', () => {
  it('sends typed preview values, leaves blanks out, and keeps text that is not of the type for the service to name', () => {
    const inputs = [
      { name: 'valor_transacao', valueType: 'FLOAT' as const, previewValue: ' 120.5 ' },
      { name: 'canal', valueType: 'STRING' as const, previewValue: 'app' },
      { name: 'primeira', valueType: 'BOOL' as const, previewValue: 'true' },
      { name: 'itens', valueType: 'INT_LIST' as const, previewValue: '[1, 2]' },
      { name: 'parcelas', valueType: 'INT' as const, previewValue: 'duas' },
      { name: 'vazio', valueType: 'INT' as const, previewValue: '' },
    ];
    expect(previewRequestData(inputs)).toEqual({ valor_transacao: 120.5, canal: 'app', primeira: true, itens: [1, 2], parcelas: 'duas' });
    expect(toRequestInputs(inputs.slice(0, 2))).toEqual([
      { name: 'valor_transacao', value_type: 'FLOAT' },
      { name: 'canal', value_type: 'STRING' },
    ]);
  });
});
