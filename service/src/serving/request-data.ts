/**
 * Request-time inputs of on-demand transforms (`request_inputs`): checking the values a request
 * (`request_data`) or a label row gives for them, and adding them to the transform's input row.
 * Online and training use the same checks, so a value refused in one is refused in the other.
 */
import type { RequestData } from '@shared/api/serving.js';
import type { RequestInput } from '@shared/domain/schemas.js';
import { elementTypeOf, isListValueType, type ScalarValueType, type ValueType } from '@shared/domain/value-types.js';
import { AppError } from '../errors/app-error.js';
import { parseInstant } from '../util/time.js';

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
const MAX_ERRORS = 100;

/** Why `value` is not a value of `valueType` (null and absent values are "missing"), or undefined. */
export function requestValueProblem(value: unknown, valueType: ValueType): string | undefined {
  if (value === undefined || value === null) return 'is missing';
  if (isListValueType(valueType)) {
    if (!Array.isArray(value)) return `must be a list (${valueType}), not ${describe(value)}`;
    const element = elementTypeOf(valueType);
    const bad = value.findIndex((v) => v === null || scalarProblem(v, element) !== undefined);
    return bad < 0 ? undefined : `must be a list of ${element} values; element ${bad} is ${describe(value[bad])}`;
  }
  return scalarProblem(value, valueType);
}

function scalarProblem(value: unknown, valueType: ScalarValueType): string | undefined {
  switch (valueType) {
    case 'INT':
      return Number.isSafeInteger(value) ? undefined : `must be an integer (INT), not ${describe(value)}`;
    case 'FLOAT':
      return typeof value === 'number' && Number.isFinite(value) ? undefined : `must be a number (FLOAT), not ${describe(value)}`;
    case 'STRING':
      return typeof value === 'string' ? undefined : `must be a string (STRING), not ${describe(value)}`;
    case 'BOOL':
      return typeof value === 'boolean' ? undefined : `must be true or false (BOOL), not ${describe(value)}`;
    case 'DATE':
      return typeof value === 'string' && DATE_ONLY.test(value) && parseInstant(value) !== undefined ? undefined : `must be a date YYYY-MM-DD (DATE), not ${describe(value)}`;
    case 'TIMESTAMP':
      return typeof value === 'string' && parseInstant(value) !== undefined ? undefined : `must be an ISO-8601 timestamp (TIMESTAMP), not ${describe(value)}`;
  }
}

function describe(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'an object';
  const text = JSON.stringify(value);
  return text.length > 40 ? `${typeof value} ${text.slice(0, 37)}...` : text;
}

/** The declared inputs' values taken from `source`, in declaration order (only those fields). */
export function pickInputs(inputs: readonly RequestInput[], source: Record<string, unknown>): Record<string, unknown> {
  const picked: Record<string, unknown> = {};
  for (const input of inputs) picked[input.name] = source[input.name];
  return picked;
}

/**
 * The input values for each of `keyCount` keys from an online request's `request_data`, checked
 * against every input the requested transforms declare. Fields no transform declares are ignored.
 */
export function onlineRequestValues(inputs: readonly RequestInput[], data: RequestData | undefined, keyCount: number): Record<string, unknown>[] {
  if (Array.isArray(data) && data.length !== keyCount) {
    throw invalid(
      [{ path: '/request_data', message: `request_data has ${data.length} objects for ${keyCount} entity keys; give one per key, in the order of entity_keys, or one object for all` }],
    );
  }
  if (inputs.length === 0) return [];
  const problems: { path: string; message: string }[] = [];
  const perKey = Array.isArray(data) ? data : undefined;
  const shared = Array.isArray(data) ? undefined : (data ?? {});
  for (let k = 0; k < (perKey ? keyCount : 1) && problems.length < MAX_ERRORS; k++) {
    const values = perKey ? perKey[k]! : shared!;
    for (const input of inputs) {
      const problem = requestValueProblem(values[input.name], input.value_type);
      if (!problem) continue;
      const where = perKey ? `request_data[${k}] (entity key ${k})` : 'request_data';
      problems.push({ path: perKey ? `/request_data/${k}/${input.name}` : `/request_data/${input.name}`, message: `${where}: '${input.name}' ${problem}` });
    }
  }
  if (problems.length > 0) throw invalid(problems);
  return perKey ? perKey.map((values) => pickInputs(inputs, values)) : [pickInputs(inputs, shared!)];
}

/** The same checks over label rows (training): problems name the 1-based row and the column. */
export function labelRequestProblems(inputs: readonly RequestInput[], rows: readonly Record<string, unknown>[]): { row: number; column: string; message: string }[] {
  const problems: { row: number; column: string; message: string }[] = [];
  rows.forEach((row, i) => {
    for (const input of inputs) {
      const problem = requestValueProblem(row[input.name], input.value_type);
      if (problem && problems.length < MAX_ERRORS) {
        problems.push({ row: i + 1, column: input.name, message: `column '${input.name}' (a request input of an on-demand feature) ${problem}` });
      }
    }
  });
  return problems;
}

/** Every distinct input of `transforms`; one name declared with two types is a 400. */
export function mergeInputs(transforms: readonly { name: string; request_inputs?: RequestInput[] | undefined }[]): RequestInput[] {
  const byName = new Map<string, { input: RequestInput; transform: string }>();
  for (const transform of transforms) {
    for (const input of transform.request_inputs ?? []) {
      const seen = byName.get(input.name);
      if (seen && seen.input.value_type !== input.value_type) {
        throw invalid([
          {
            path: '/request_data',
            message: `Request input '${input.name}' is ${seen.input.value_type} for transform '${seen.transform}' but ${input.value_type} for '${transform.name}'; request their features separately`,
          },
        ]);
      }
      if (!seen) byName.set(input.name, { input, transform: transform.name });
    }
  }
  return [...byName.values()].map((v) => v.input);
}

/** A value of each input's type, for learning a transform's output types at publish time. */
const PLACEHOLDERS: Record<ScalarValueType, unknown> = { INT: 1, FLOAT: 1.5, STRING: 'x', BOOL: true, DATE: '2000-01-01', TIMESTAMP: '2000-01-01T00:00:00.000Z' };

export function placeholderInputs(inputs: readonly RequestInput[]): Record<string, unknown> {
  const scalar = (t: ScalarValueType): unknown => PLACEHOLDERS[t];
  return Object.fromEntries(inputs.map((i) => [i.name, isListValueType(i.value_type) ? [scalar(elementTypeOf(i.value_type))] : scalar(i.value_type as ScalarValueType)]));
}

function invalid(problems: { path: string; message: string }[]): AppError {
  const more = problems.length > 1 ? ` (and ${problems.length - 1} more)` : '';
  return new AppError('FSTORE_VALIDATION_FAILED', `${problems[0]!.message}${more}`, problems);
}
