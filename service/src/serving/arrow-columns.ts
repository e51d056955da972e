/**
 * Arrow columns written straight into typed arrays, one cell at a time, from the JSON text the
 * online store keeps: the buffers go into the IPC body as they are (arrow-stream.ts), with no
 * apache-arrow Data, builders or BigInt conversions per value in between (those cost several
 * times the whole JSON answer). Each writer takes a value's JSON text and answers false when the
 * text does not fit its Arrow type, so the caller can send that column as JSON text instead.
 */
import { Bool, DateDay, Field, Float64, Int64, List, TimestampMillisecond, Utf8, type DataType } from 'apache-arrow';
import type { ScalarValueType, ValueType } from '@shared/domain/value-types.js';
import { servedIsoOf } from '../util/time.js';

/** A column as the IPC body carries it: one field node and its buffers, in Arrow's order for the type. */
export interface ArrowColumn {
  length: number;
  nullCount: number;
  /** Validity bitmap (empty when no cell is null), then offsets and/or values. */
  buffers: ArrayBufferView[];
  /** A list's values. */
  child?: ArrowColumn;
}

/** Writes one column of `length` cells from the values' JSON text. */
export abstract class ColumnWriter {
  /** Sets cell `i` from a value's JSON text; false when the text does not fit the column's type. */
  abstract set(i: number, json: string): boolean;

  /** The column; cells never set are null. */
  abstract finish(): ArrowColumn;

  /** Sets every cell with a text (undefined: null); false at the first that does not fit. */
  setAll(texts: readonly (string | undefined)[]): boolean {
    for (let i = 0; i < texts.length; i++) {
      const text = texts[i];
      if (text !== undefined && !this.set(i, text)) return false;
    }
    return true;
  }
}

const TWO_32 = 4294967296;
const DAY_MS = 86_400_000;
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const IS_LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
const INTEGER_TEXT = /^-?\d+$/;
const DATE_TEXT = /^"\d{4}-\d{2}-\d{2}"$/;
const NO_BUFFER = new Uint8Array(0);

/** Which cells hold a value: Arrow's validity bitmap. */
class Validity {
  private readonly bits: Uint8Array;
  private valid = 0;

  constructor(readonly length: number) {
    this.bits = new Uint8Array((length + 7) >> 3);
  }

  set(i: number): void {
    this.bits[i >> 3]! |= 1 << (i & 7);
    this.valid++;
  }

  column(...buffers: ArrayBufferView[]): ArrowColumn {
    const nullCount = this.length - this.valid;
    return { length: this.length, nullCount, buffers: [nullCount === 0 ? NO_BUFFER : this.bits, ...buffers] };
  }
}

/** 64-bit integers from doubles without BigInt conversions: low and high 32-bit words. */
class Int64Cells {
  readonly values: BigInt64Array;
  private readonly words: Int32Array;

  constructor(length: number) {
    this.values = new BigInt64Array(length);
    this.words = new Int32Array(this.values.buffer);
  }

  /** `n` must be a safe integer. */
  setSafe(i: number, n: number): void {
    if (!IS_LITTLE_ENDIAN) {
      this.values[i] = BigInt(n);
      return;
    }
    const high = Math.floor(n / TWO_32);
    this.words[2 * i] = n - high * TWO_32;
    this.words[2 * i + 1] = high;
  }
}

/** Event times and TIMESTAMP values: timestamp[ms, UTC]. */
export class TimestampWriter extends ColumnWriter {
  private readonly cells: Int64Cells;
  private readonly validity: Validity;

  constructor(length: number) {
    super();
    this.cells = new Int64Cells(length);
    this.validity = new Validity(length);
  }

  setMs(i: number, ms: number): void {
    this.cells.setSafe(i, ms);
    this.validity.set(i);
  }

  /** Only text that reads back exactly (`"2025-01-01T00:00:00.000Z"`, how FStore stores times). */
  set(i: number, json: string): boolean {
    const text = json.length > 2 && json.charCodeAt(0) === 34 ? json.slice(1, -1) : '';
    const ms = Date.parse(text);
    if (!Number.isFinite(ms) || servedIsoOf(ms) !== text) return false;
    this.setMs(i, ms);
    return true;
  }

  finish(): ArrowColumn {
    return this.validity.column(this.cells.values);
  }
}

class Int64Writer extends ColumnWriter {
  private readonly cells: Int64Cells;
  private readonly validity: Validity;

  constructor(length: number) {
    super();
    this.cells = new Int64Cells(length);
    this.validity = new Validity(length);
  }

  set(i: number, json: string): boolean {
    // JSON text of an integer is digits only (FStore never stores 5.0 or 5e0 for an INT).
    const n = Number(json);
    if (Number.isSafeInteger(n)) {
      this.cells.setSafe(i, n);
    } else {
      // Beyond 2^53 the text is exact where a double is not.
      if (!INTEGER_TEXT.test(json)) return false;
      const big = BigInt(json);
      if (big < INT64_MIN || big > INT64_MAX) return false;
      this.cells.values[i] = big;
    }
    this.validity.set(i);
    return true;
  }

  finish(): ArrowColumn {
    return this.validity.column(this.cells.values);
  }
}

class Float64Writer extends ColumnWriter {
  private readonly values: Float64Array;
  private readonly validity: Validity;

  constructor(length: number) {
    super();
    this.values = new Float64Array(length);
    this.validity = new Validity(length);
  }

  set(i: number, json: string): boolean {
    // JSON numbers only (Number() also reads other text, which JSON text of a value never is).
    const x = Number(json);
    if (Number.isNaN(x) || json.charCodeAt(0) === 34) return false;
    this.values[i] = x;
    this.validity.set(i);
    return true;
  }

  finish(): ArrowColumn {
    return this.validity.column(this.values);
  }
}

class BoolWriter extends ColumnWriter {
  private readonly values: Uint8Array;
  private readonly validity: Validity;

  constructor(length: number) {
    super();
    this.values = new Uint8Array((length + 7) >> 3);
    this.validity = new Validity(length);
  }

  set(i: number, json: string): boolean {
    if (json === 'true') this.values[i >> 3]! |= 1 << (i & 7);
    else if (json !== 'false') return false;
    this.validity.set(i);
    return true;
  }

  finish(): ArrowColumn {
    return this.validity.column(this.values);
  }
}

class DateWriter extends ColumnWriter {
  private readonly days: Int32Array;
  private readonly validity: Validity;

  constructor(length: number) {
    super();
    this.days = new Int32Array(length);
    this.validity = new Validity(length);
  }

  set(i: number, json: string): boolean {
    if (!DATE_TEXT.test(json)) return false;
    const text = json.slice(1, -1);
    const ms = Date.parse(text);
    // Date.parse rolls 2025-02-30 over to March; such text goes out as it is, as JSON.
    if (!Number.isFinite(ms) || servedIsoOf(ms).slice(0, 10) !== text) return false;
    this.days[i] = ms / DAY_MS;
    this.validity.set(i);
    return true;
  }

  finish(): ArrowColumn {
    return this.validity.column(this.days);
  }
}

/** utf8 cells: STRING values (`asJson` false: the JSON string's content) or any value's JSON text. */
export class Utf8Writer extends ColumnWriter {
  private readonly texts: (string | undefined)[];

  constructor(
    length: number,
    private readonly asJson = false,
  ) {
    super();
    this.texts = new Array<string | undefined>(length);
  }

  set(i: number, json: string): boolean {
    if (this.asJson) {
      this.texts[i] = json;
      return true;
    }
    if (json.length < 2 || json.charCodeAt(0) !== 34) return false;
    // Without escapes the text between the quotes is the string itself.
    this.texts[i] = json.includes('\\') ? (JSON.parse(json) as string) : json.slice(1, -1);
    return true;
  }

  finish(): ArrowColumn {
    return utf8Column(this.texts);
  }
}

/** Lists of scalars; elements may be null. */
class ListWriter extends ColumnWriter {
  private readonly lists: (unknown[] | undefined)[];

  constructor(
    length: number,
    private readonly element: ScalarValueType,
  ) {
    super();
    this.lists = new Array<unknown[] | undefined>(length);
  }

  set(i: number, json: string): boolean {
    if (json.charCodeAt(0) !== 91) return false;
    const list = JSON.parse(json) as unknown[];
    for (const x of list) if (x !== null && !fitsElement(this.element, x)) return false;
    this.lists[i] = list;
    return true;
  }

  finish(): ArrowColumn {
    const validity = new Validity(this.lists.length);
    const offsets = new Int32Array(this.lists.length + 1);
    const elements: unknown[] = [];
    // A loop, not forEach: forEach skips the holes (null cells), whose offsets must be set too.
    for (let i = 0; i < this.lists.length; i++) {
      const list = this.lists[i];
      if (list !== undefined) {
        validity.set(i);
        for (const x of list) elements.push(x);
      }
      offsets[i + 1] = elements.length;
    }
    return { ...validity.column(offsets), child: elementColumn(this.element, elements) };
  }
}

function fitsElement(element: ScalarValueType, x: unknown): boolean {
  switch (element) {
    case 'INT':
      return Number.isSafeInteger(x);
    case 'FLOAT':
      return typeof x === 'number';
    case 'STRING':
      return typeof x === 'string';
    case 'BOOL':
      return typeof x === 'boolean';
    case 'DATE':
    case 'TIMESTAMP':
      return false;
  }
}

/** A list's values (already checked by fitsElement; null elements are null cells). */
function elementColumn(element: ScalarValueType, elements: unknown[]): ArrowColumn {
  if (element === 'STRING') return utf8Column(elements.map((x) => (x === null ? undefined : (x as string))));
  const writer = columnWriter(element, elements.length);
  elements.forEach((x, j) => x !== null && writer.set(j, String(x)));
  return writer.finish();
}

/** The Arrow type of a value type's column. */
export function arrowTypeOf(valueType: ValueType): DataType {
  switch (valueType) {
    case 'INT':
      return new Int64();
    case 'FLOAT':
      return new Float64();
    case 'BOOL':
      return new Bool();
    case 'STRING':
      return new Utf8();
    case 'TIMESTAMP':
      return new TimestampMillisecond('UTC');
    case 'DATE':
      return new DateDay();
    case 'INT_LIST':
    case 'FLOAT_LIST':
    case 'STRING_LIST':
    case 'BOOL_LIST':
      return new List(new Field('item', arrowTypeOf(valueType.slice(0, -'_LIST'.length) as ScalarValueType), true));
  }
}

/** A writer of `length` cells of a value type's column. */
export function columnWriter(valueType: ValueType, length: number): ColumnWriter {
  switch (valueType) {
    case 'INT':
      return new Int64Writer(length);
    case 'FLOAT':
      return new Float64Writer(length);
    case 'BOOL':
      return new BoolWriter(length);
    case 'STRING':
      return new Utf8Writer(length);
    case 'TIMESTAMP':
      return new TimestampWriter(length);
    case 'DATE':
      return new DateWriter(length);
    case 'INT_LIST':
    case 'FLOAT_LIST':
    case 'STRING_LIST':
    case 'BOOL_LIST':
      return new ListWriter(length, valueType.slice(0, -'_LIST'.length) as ScalarValueType);
  }
}

/** A utf8 column; undefined cells are null. */
export function utf8Column(texts: readonly (string | undefined)[]): ArrowColumn {
  const length = texts.length;
  const validity = new Validity(length);
  const offsets = new Int32Array(length + 1);
  let joined = '';
  for (let i = 0; i < length; i++) {
    const text = texts[i];
    if (text !== undefined) {
      joined += text;
      validity.set(i);
    }
    offsets[i + 1] = joined.length;
  }
  // One encoding call for the whole column; character offsets are byte offsets when it is ASCII.
  const bytes = Buffer.from(joined);
  if (bytes.byteLength !== joined.length) {
    let at = 0;
    for (let i = 0; i < length; i++) {
      const text = texts[i];
      if (text !== undefined) at += Buffer.byteLength(text);
      offsets[i + 1] = at;
    }
  }
  return validity.column(offsets, bytes);
}

/** Dictionary indexes (int8) with no nulls: the status columns. */
export function int8Column(codes: Int8Array): ArrowColumn {
  return { length: codes.length, nullCount: 0, buffers: [NO_BUFFER, codes] };
}
