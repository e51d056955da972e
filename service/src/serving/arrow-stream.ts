/**
 * Arrow IPC stream framing (https://arrow.apache.org/docs/format/Columnar.html#ipc-streaming-format)
 * for answers of one record batch: the schema and dictionary messages, encoded once per plan, then
 * per answer the record batch message and its body, then end-of-stream. apache-arrow's
 * RecordBatchStreamWriter does the same but re-encodes the schema and re-walks every column on
 * each write (1.9 ms for 1 key x 50 features, 80 times the JSON answer); its message encoding is
 * used here as is (pinned version, internal module).
 */
import type { Schema } from 'apache-arrow';
import { BufferRegion, DictionaryBatch, FieldNode, Message, RecordBatch as RecordBatchHeader } from 'apache-arrow/ipc/metadata/message';
import type { ArrowColumn } from './arrow-columns.js';

const END_OF_STREAM = new Uint8Array([0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0]);

/** Where each buffer lands in a message body, and the field nodes, in Arrow's depth-first order. */
interface BodyLayout {
  nodes: FieldNode[];
  regions: BufferRegion[];
  buffers: ArrayBufferView[];
  byteLength: number;
}

/** The stream's first messages: the schema, then one dictionary batch per (id, values). */
export function streamHead(schema: Schema, dictionaries: [id: number, values: ArrowColumn][]): Uint8Array {
  const parts = [frame(Message.from(schema))];
  for (const [id, values] of dictionaries) {
    const body = layout([values]);
    const batch = new DictionaryBatch(new RecordBatchHeader(values.length, body.nodes, body.regions, null), id, false);
    parts.push(frame(Message.from(batch, body.byteLength)), bodyBytes(body));
  }
  return Buffer.concat(parts);
}

/** A whole stream: `head` (from streamHead), one record batch of `columns`, end-of-stream. */
export function streamOf(head: Uint8Array, length: number, columns: ArrowColumn[]): Buffer {
  const body = layout(columns);
  const message = frame(Message.from(new RecordBatchHeader(length, body.nodes, body.regions, null), body.byteLength));
  // Zeroed: padding must not carry leftover memory.
  const out = Buffer.alloc(head.byteLength + message.byteLength + body.byteLength + END_OF_STREAM.byteLength);
  out.set(head, 0);
  out.set(message, head.byteLength);
  writeBody(body, out, head.byteLength + message.byteLength);
  out.set(END_OF_STREAM, out.byteLength - END_OF_STREAM.byteLength);
  return out;
}

/** A message's flatbuffer with its continuation marker and length, padded to 8 bytes. */
function frame(message: Message): Uint8Array {
  const flatbuffer = Message.encode(message);
  const size = (8 + flatbuffer.byteLength + 7) & ~7;
  const out = new Uint8Array(size);
  const view = new DataView(out.buffer);
  view.setInt32(0, -1, true);
  view.setInt32(4, size - 8, true);
  out.set(flatbuffer, 8);
  return out;
}

function layout(columns: ArrowColumn[]): BodyLayout {
  const body: BodyLayout = { nodes: [], regions: [], buffers: [], byteLength: 0 };
  const add = (column: ArrowColumn): void => {
    body.nodes.push(new FieldNode(column.length, column.nullCount));
    for (const buffer of column.buffers) {
      body.regions.push(new BufferRegion(body.byteLength, buffer.byteLength));
      body.buffers.push(buffer);
      body.byteLength += (buffer.byteLength + 7) & ~7;
    }
    if (column.child) add(column.child);
  };
  for (const column of columns) add(column);
  return body;
}

function bodyBytes(body: BodyLayout): Uint8Array {
  const out = new Uint8Array(body.byteLength);
  writeBody(body, out, 0);
  return out;
}

function writeBody(body: BodyLayout, out: Uint8Array, at: number): void {
  for (let b = 0; b < body.buffers.length; b++) {
    const buffer = body.buffers[b]!;
    if (buffer.byteLength === 0) continue;
    out.set(buffer instanceof Uint8Array ? buffer : new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength), at + body.regions[b]!.offset);
  }
}
