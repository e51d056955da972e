/** The engine choices of the Run button (docs/spark.md), and the run request each one sends. */
import type { TransformRunRequest } from '@shared/api/transforms.js';
import type { Transform, TransformEngineChoice } from '@shared/domain/schemas.js';
import { i18n } from '../i18n/i18n.js';

/** 'default' sends no engine: the transform's own choice, else the server's size rule. */
export type EngineOption = 'default' | TransformEngineChoice;

export function engineOptions(transform: Pick<Transform, 'language' | 'engine'>): { value: EngineOption; label: string; disabled: boolean }[] {
  const isTypeScript = transform.language === 'typescript';
  return [
    { value: 'default', label: i18n.t('transforms:engine.default', { engine: transform.engine ?? 'auto' }), disabled: false },
    { value: 'auto', label: i18n.t('transforms:engine.auto'), disabled: false },
    { value: 'duckdb', label: i18n.t('transforms:engine.duckdb'), disabled: false },
    // The TypeScript sandbox runs in the service process; the server refuses Spark for it too.
    { value: 'spark', label: isTypeScript ? i18n.t('transforms:engine.sparkSqlOnly') : i18n.t('transforms:engine.spark'), disabled: isTypeScript },
  ];
}

export function runRequestFor(option: EngineOption): TransformRunRequest {
  return option === 'default' ? {} : { engine: option };
}
