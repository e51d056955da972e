/** The Spark engine's settings from the service configuration; null when Spark is disabled. */
import type { ServiceConfig } from '../../config/config-schema.js';
import type { SparkSettings } from './spark-submit.js';

export function sparkSettingsOf(config: Pick<ServiceConfig, 'sparkMaster' | 'sparkSubmit' | 'sparkJdbcJar'>): SparkSettings | null {
  if (config.sparkMaster === null) return null;
  return { master: config.sparkMaster, submit: config.sparkSubmit, jdbcJar: config.sparkJdbcJar };
}
