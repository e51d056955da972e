/**
 * Where transforms execute. The registry stores definitions only (language, code, sources); an
 * engine turns a definition plus its sources into output rows. DuckDB (in process) is the engine
 * today; a distributed engine implements the same interface without changing any definition.
 */
import type { SampleSpec, TransformPreview } from '@shared/api/transforms.js';
import type { OutputFeature, TransformLanguage } from '@shared/domain/schemas.js';

/** What an engine needs from a transform: the fields that decide its output. */
export interface TransformDefinition {
  language: TransformLanguage;
  code: string;
  sources: string[];
  entity: string;
  entity_key_column?: string | undefined;
  /** Undefined: the conventions (event_time, event_timestamp, timestamp); null: no event time. */
  event_time_column?: string | null | undefined;
  /** On-demand transforms: request inputs added to every input row (previews and publish only). */
  requestData?: Record<string, unknown> | undefined;
}

export interface EngineRunOptions {
  /** Keep output rows with event time in [start, end] (epoch ms). */
  start?: number | undefined;
  end?: number | undefined;
  signal?: AbortSignal | undefined;
  onProgress?: ((phase: string, rowsDone: number, rowsTotal: number | null) => void) | undefined;
  /** Lines the engine prints (Spark's driver output); DuckDB prints none. */
  onLog?: ((line: string) => void) | undefined;
}

/** A run's output: a Parquet file of key, event time and feature columns, removed by close(). */
export interface EngineRunOutput {
  file: string;
  rows: number;
  keyColumn: string;
  /** The event time column in the file; null when values are stamped with the ingestion time. */
  timeColumn: string | null;
  features: OutputFeature[];
  warnings: string[];
  close(): Promise<void>;
}

export interface TransformEngine {
  readonly name: string;
  /** `signal`: the caller is gone (client disconnected); the preview stops and rejects. */
  preview(definition: TransformDefinition, sample: SampleSpec | undefined, limit: number, signal?: AbortSignal): Promise<TransformPreview>;
  run(definition: TransformDefinition, options: EngineRunOptions): Promise<EngineRunOutput>;
}
