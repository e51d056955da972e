/**
 * The online answer as an Arrow IPC stream (`application/vnd.apache.arrow.stream`): one record
 * batch, one row per requested key in request order (repeats included). Columns: `entity_key`
 * (utf8), then per requested feature `f`: `f` (its value type's Arrow type, null unless PRESENT),
 * `f__status` (dictionary-encoded utf8: PRESENT, NOT_FOUND, EXPIRED) and `f__event_timestamp`
 * (timestamp[ms, UTC], null when there is no value). The same read and statuses as the JSON answer
 * (online-read.ts). docs/serving.md describes the format for clients.
 */
import { Dictionary, Field, Int8, Schema, TimestampMillisecond, Utf8 } from 'apache-arrow';
import { arrowTypeOf, columnWriter, int8Column, TimestampWriter, Utf8Writer, utf8Column, type ArrowColumn } from './arrow-columns.js';
import { streamHead, streamOf } from './arrow-stream.js';
import { computedCell, isExpired, storedCell, type OnlineRead } from './online-read.js';
import type { ServingPlan } from './serving-plan.js';

export const ARROW_STREAM_MEDIA_TYPE = 'application/vnd.apache.arrow.stream';

/** Status codes: indexes into the status dictionary. */
const STATUSES = ['PRESENT', 'NOT_FOUND', 'EXPIRED'] as const;
const PRESENT = 0;
const NOT_FOUND = 1;
const EXPIRED = 2;
const STATUS_CODE: Record<(typeof STATUSES)[number], number> = { PRESENT, NOT_FOUND, EXPIRED };
/** One dictionary for every status column: sent once per answer, not once per feature. */
const STATUS_DICTIONARY_ID = 0;
const STATUS_TYPE = new Dictionary(new Utf8(), new Int8(), STATUS_DICTIONARY_ID, false);
const STATUS_VALUES = utf8Column(STATUSES);

/** What an Arrow answer of one plan always has: its fields, and the encoded schema when every value fits its type. */
interface ArrowPlan {
  keyField: Field;
  /** Per feature: its value field, the same field as JSON text (a value that does not fit its type), status and time fields. */
  columns: { value: Field; valueAsJson: Field; status: Field; time: Field }[];
  metadata: Map<string, string>;
  /** Schema and status dictionary messages of the typed schema. */
  head: Uint8Array;
}

// Per plan, so a registry change (a new plan generation) drops them with the plan.
const arrowPlans = new WeakMap<ServingPlan, ArrowPlan>();

/** The Arrow IPC stream of a read. */
export function onlineArrow(read: OnlineRead): Buffer {
  const plan = arrowPlanOf(read.plan);
  const columns: ArrowColumn[] = [utf8Column(read.keys)];
  let asJson: Set<number> | undefined;
  for (let i = 0; i < plan.columns.length; i++) {
    const { value, isJson, status, time } = featureColumns(read, i);
    if (isJson) (asJson ??= new Set()).add(i);
    columns.push(value, int8Column(status), time);
  }
  // A value that did not fit its type changes the schema: encoded for this answer only.
  const head = asJson === undefined ? plan.head : headOf(plan, asJson);
  return streamOf(head, read.keys.length, columns);
}

/** One feature's three columns, key by key. */
function featureColumns(read: OnlineRead, i: number): { value: ArrowColumn; isJson: boolean; status: Int8Array; time: ArrowColumn } {
  const length = read.keys.length;
  const samples = read.samples?.[i];
  const status = new Int8Array(length);
  const time = new TimestampWriter(length);
  // The JSON text of each PRESENT value; null cells stay undefined.
  const texts = new Array<string | undefined>(length);
  for (let k = 0; k < length; k++) {
    const onDemand = computedCell(read, k, i);
    if (onDemand) {
      status[k] = STATUS_CODE[onDemand.status];
      if (onDemand.event_timestamp !== null) time.setMs(k, Date.parse(onDemand.event_timestamp));
      if (onDemand.status === 'PRESENT') {
        const text = JSON.stringify(onDemand.value);
        texts[k] = text;
        samples?.push(text);
      }
      continue;
    }
    const value = storedCell(read, k, i);
    if (!value) {
      status[k] = NOT_FOUND;
      continue;
    }
    time.setMs(k, value.eventTime);
    if (isExpired(read, i, value)) {
      status[k] = EXPIRED;
      continue;
    }
    status[k] = PRESENT;
    texts[k] = value.json;
    samples?.push(value.json);
  }
  const writer = columnWriter(read.plan.features[i]!.valueType, length);
  return writer.setAll(texts) ? { value: writer.finish(), isJson: false, status, time: time.finish() } : { value: asJsonText(texts), isJson: true, status, time: time.finish() };
}

/**
 * A value that does not fit its type's Arrow type (an on-demand transform returning text for an
 * INT feature, say) sends the whole column as the values' JSON text, marked so clients decode it.
 */
function asJsonText(texts: (string | undefined)[]): ArrowColumn {
  const writer = new Utf8Writer(texts.length, true);
  texts.forEach((text, k) => text !== undefined && writer.set(k, text));
  return writer.finish();
}

function arrowPlanOf(plan: ServingPlan): ArrowPlan {
  let arrow = arrowPlans.get(plan);
  if (!arrow) {
    arrow = buildArrowPlan(plan);
    arrowPlans.set(plan, arrow);
  }
  return arrow;
}

function buildArrowPlan(plan: ServingPlan): ArrowPlan {
  const columns = plan.features.map((f) => {
    const about = (extra: [string, string][] = []) => new Map([['fstore.feature', f.name], ['fstore.value_type', f.valueType], ...extra]);
    return {
      value: new Field(f.requested, arrowTypeOf(f.valueType), true, about()),
      valueAsJson: new Field(f.requested, new Utf8(), true, about([['fstore.encoding', 'json']])),
      status: new Field(`${f.requested}__status`, STATUS_TYPE, false),
      time: new Field(`${f.requested}__event_timestamp`, new TimestampMillisecond('UTC'), true),
    };
  });
  const metadata = new Map([
    ['fstore.entity', plan.entity],
    ['fstore.features', JSON.stringify(plan.features.map((f) => f.name))],
    ['fstore.value_types', JSON.stringify(Object.fromEntries(plan.features.map((f) => [f.requested, f.valueType])))],
  ]);
  if (plan.warnings.length > 0) metadata.set('fstore.warnings', JSON.stringify(plan.warnings));
  const arrow: ArrowPlan = { keyField: new Field('entity_key', new Utf8(), false), columns, metadata, head: new Uint8Array(0) };
  arrow.head = headOf(arrow, new Set());
  return arrow;
}

/** The schema and dictionary messages, with the features in `asJson` as JSON text. */
function headOf(plan: Omit<ArrowPlan, 'head'>, asJson: Set<number>): Uint8Array {
  const fields = [plan.keyField, ...plan.columns.flatMap((c, i) => [asJson.has(i) ? c.valueAsJson : c.value, c.status, c.time])];
  return streamHead(new Schema(fields, plan.metadata), [[STATUS_DICTIONARY_ID, STATUS_VALUES]]);
}
