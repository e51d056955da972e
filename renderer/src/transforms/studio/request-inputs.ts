import type { RequestInput } from '@shared/domain/schemas.js';
import type { ValueType } from '@shared/domain/value-types.js';

/** A request input while it is edited: its declaration and the value typed for previews. */
export interface DraftRequestInput {
  name: string;
  valueType: ValueType;
  /** As typed; converted to the declared type for the preview's request_data. */
  previewValue: string;
}

export const NEW_REQUEST_INPUT: DraftRequestInput = { name: '', valueType: 'FLOAT', previewValue: '' };

export function toRequestInputs(inputs: readonly DraftRequestInput[]): RequestInput[] {
  return inputs.map((i) => ({ name: i.name.trim(), value_type: i.valueType }));
}

/**
 * The preview's request_data: each typed value as its declared type. A blank field is left out, so
 * the service answers that the input is missing; text that is not of the type is sent as typed, so
 * the service's message says what is wrong with it, as it would for an online request.
 */
export function previewRequestData(inputs: readonly DraftRequestInput[]): Record<string, unknown> {
  const data: Record<string, unknown> = {};
  for (const input of inputs) {
    const text = input.previewValue.trim();
    if (input.name.trim() === '' || text === '') continue;
    data[input.name.trim()] = typedValue(text, input.valueType);
  }
  return data;
}

function typedValue(text: string, valueType: ValueType): unknown {
  switch (valueType) {
    case 'INT':
    case 'FLOAT':
      return Number.isFinite(Number(text)) ? Number(text) : text;
    case 'BOOL':
      return text === 'true' ? true : text === 'false' ? false : text;
    case 'STRING':
    case 'DATE':
    case 'TIMESTAMP':
      return text;
    case 'INT_LIST':
    case 'FLOAT_LIST':
    case 'STRING_LIST':
    case 'BOOL_LIST':
      try {
        return JSON.parse(text) as unknown;
      } catch {
        return text;
      }
  }
}
