/**
 * Runs spark_job.py through spark-submit: one process group per job (so cancelling kills the driver
 * JVM and its Python worker together), the job's protocol lines parsed from stdout, and everything
 * Spark prints kept as the run's log.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AppError } from '../../errors/app-error.js';
import { secretScrubber } from '../../storage/url-credentials.js';

export interface SparkSettings {
  master: string;
  submit: string;
  /** PostgreSQL JDBC driver jar, or null when no run needs one. */
  jdbcJar: string | null;
}

export interface SparkJobSpec {
  mode: 'transform' | 'point_in_time';
  output: string;
  [key: string]: unknown;
}

export interface SparkRunOptions {
  signal?: AbortSignal | undefined;
  /** Environment variables for the job only (connection URLs with passwords). */
  env?: Record<string, string>;
  onProgress?: ((phase: string, done: number, total: number | null) => void) | undefined;
  onLog?: ((line: string) => void) | undefined;
}

export interface SparkRunResult {
  /** The Spark SQL that ran (after translation from DuckDB's dialect). */
  sql: string[];
  log: string[];
}

const LOG_LINES_KEPT = 2000;
const ERROR_CODES: Record<string, string> = { SQL: 'FSTORE_TRANSFORM_SQL', SOURCE: 'FSTORE_SOURCE_QUERY_FAILED' };

/** The job script: next to this module in src/, copied next to it in dist/ by the build. */
export function sparkJobScript(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  const candidates = [join(here, 'spark_job.py'), join(here, '..', '..', '..', '..', '..', 'service', 'src', 'transforms', 'spark', 'spark_job.py')];
  const found = candidates.find((c) => existsSync(c));
  if (!found) throw new AppError('FSTORE_SPARK_UNAVAILABLE', `spark_job.py was not found next to ${here}; rebuild FStore`);
  return found;
}

export async function runSparkJob(settings: SparkSettings, spec: SparkJobSpec, workDir: string, options: SparkRunOptions = {}): Promise<SparkRunResult> {
  if (options.signal?.aborted) throw cancelled();
  const specFile = join(workDir, 'spark-spec.json');
  await writeFile(specFile, JSON.stringify(spec));
  const args = [
    '--master', settings.master,
    '--name', `fstore-${spec.mode}`,
    '--conf', 'spark.ui.enabled=false',
    // Instants, not wall-clock times: parsing and writing in UTC, and Parquet timestamps DuckDB reads as such.
    '--conf', 'spark.sql.session.timeZone=UTC',
    '--conf', 'spark.sql.parquet.outputTimestampType=TIMESTAMP_MICROS',
    '--conf', 'spark.driver.extraJavaOptions=-Duser.timezone=UTC',
    ...(settings.jdbcJar ? ['--jars', settings.jdbcJar] : []),
    sparkJobScript(),
    specFile,
  ];
  const python = join(dirname(settings.submit), 'python');
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    ...options.env,
    // The venv's Python (with sqlglot) when spark-submit comes from one; otherwise whatever Spark picks.
    ...(existsSync(python) ? { PYSPARK_PYTHON: python, PYSPARK_DRIVER_PYTHON: python } : {}),
  };
  const child = spawn(settings.submit, args, { cwd: workDir, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  const log: string[] = [];
  const sql: string[] = [];
  let error: { code: string; message: string } | undefined;
  // The job's log and errors are readable by every reader: Spark or the JDBC driver may print a URL.
  const scrub = secretScrubber(Object.values(options.env ?? {}));
  const keep = (line: string) => {
    log.push(line);
    if (log.length > LOG_LINES_KEPT) log.shift();
    options.onLog?.(line);
  };
  const onStdout = (raw: string) => {
    const line = scrub(raw);
    if (line.startsWith('FSTORE_PROGRESS ')) {
      const p = JSON.parse(line.slice(16)) as { phase: string; done: number; total: number | null };
      options.onProgress?.(p.phase, p.done, p.total);
    } else if (line.startsWith('FSTORE_SQL ')) sql.push(line.slice(11));
    else if (line.startsWith('FSTORE_ERROR ')) error = JSON.parse(line.slice(13)) as { code: string; message: string };
    keep(line);
  };
  const kill = () => {
    if (child.pid !== undefined) {
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  };
  options.signal?.addEventListener('abort', kill, { once: true });
  try {
    const code = await new Promise<number | null>((resolve, reject) => {
      lines(child.stdout, onStdout);
      lines(child.stderr, (line) => keep(scrub(line)));
      child.once('error', (err) =>
        reject(new AppError('FSTORE_SPARK_UNAVAILABLE', `spark-submit could not be started (${settings.submit}): ${err.message}; run scripts/provision/spark.sh or set sparkSubmit`)),
      );
      child.once('close', resolve);
    });
    if (options.signal?.aborted) throw cancelled();
    if (error) throw new AppError((ERROR_CODES[error.code] ?? 'FSTORE_SPARK_FAILED') as 'FSTORE_SPARK_FAILED', `Spark: ${error.message}`, { spark_sql: sql });
    if (code !== 0) {
      const tail = log.filter((l) => /error|exception/i.test(l)).slice(-5).join('\n') || log.slice(-10).join('\n');
      throw new AppError('FSTORE_SPARK_FAILED', `spark-submit exited with status ${code}: ${tail}`, { log_tail: log.slice(-40) });
    }
    return { sql, log };
  } finally {
    options.signal?.removeEventListener('abort', kill);
    kill(); // nothing may outlive the job (a stuck JVM after its driver exited)
  }
}

function lines(stream: NodeJS.ReadableStream, onLine: (line: string) => void): void {
  let buffer = '';
  stream.setEncoding('utf8');
  stream.on('data', (chunk: string) => {
    buffer += chunk;
    let nl: number;
    while ((nl = buffer.indexOf('\n')) >= 0) {
      onLine(buffer.slice(0, nl).replace(/\r$/, ''));
      buffer = buffer.slice(nl + 1);
    }
  });
  stream.on('end', () => {
    if (buffer) onLine(buffer);
  });
}

function cancelled(): AppError {
  return new AppError('FSTORE_CANCELLED', 'The Spark run was cancelled; nothing was written');
}
