import { execFileSync } from 'node:child_process';
import type { ServiceConfig } from '../../src/config/config-schema.js';

/**
 * The Spark settings for tests, from `eval "$(bash scripts/provision/spark.sh)"` (CI runs it). A
 * missing install fails the test loudly; FSTORE_ALLOW_NO_SPARK=1 (never set in CI) skips instead,
 * with the reason printed.
 */
export function sparkConfig(): Partial<ServiceConfig> | { skipped: string } {
  const submit = process.env['FSTORE_SPARK_SUBMIT'];
  const jar = process.env['FSTORE_SPARK_JDBC_JAR'];
  if (!submit || !jar) {
    const reason = 'FSTORE_SPARK_SUBMIT and FSTORE_SPARK_JDBC_JAR are not set: run eval "$(bash scripts/provision/spark.sh)" first';
    if (process.env['FSTORE_ALLOW_NO_SPARK'] === '1') {
      console.warn(`SKIPPED Spark tests: ${reason}`);
      return { skipped: reason };
    }
    throw new Error(reason);
  }
  return { sparkMaster: 'local[2]', sparkSubmit: submit, sparkJdbcJar: jar };
}

/** spark-submit processes of FStore jobs still running (a cancelled job must leave none). */
export function fstoreSparkProcesses(): string[] {
  const out = execFileSync('ps', ['-eo', 'pid,args'], { encoding: 'utf8' });
  return out.split('\n').filter((l) => l.includes('spark_job.py') && !l.includes(' ps '));
}
