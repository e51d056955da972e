import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';

/** Opens a DuckDB database with the session settings FStore relies on (UTC, bounded threads). */
export async function openDuckDb(path: string, options: { threads?: number; memoryLimit?: string } = {}): Promise<DuckDBInstance> {
  const config: Record<string, string> = {};
  if (options.threads) config['threads'] = String(options.threads);
  if (options.memoryLimit) config['memory_limit'] = options.memoryLimit;
  const instance = await DuckDBInstance.create(path, config);
  // Timestamps without an offset mean UTC, whatever the machine's zone (icu is built in).
  const c = await instance.connect();
  try {
    await c.run('LOAD icu');
    await c.run("SET GLOBAL TimeZone = 'UTC'");
  } finally {
    c.closeSync();
  }
  return instance;
}

/** Runs `fn` on a fresh connection (each has its own temp tables and transaction) and closes it. */
export async function withConnection<T>(instance: DuckDBInstance, fn: (c: DuckDBConnection) => Promise<T>): Promise<T> {
  const connection = await instance.connect();
  try {
    return await fn(connection);
  } finally {
    connection.closeSync();
  }
}

/** Runs `fn` inside a transaction, rolling back on any error. */
export async function inTransaction<T>(c: DuckDBConnection, fn: () => Promise<T>): Promise<T> {
  await c.run('BEGIN TRANSACTION');
  try {
    const result = await fn();
    await c.run('COMMIT');
    return result;
  } catch (err) {
    await c.run('ROLLBACK').catch(() => undefined);
    throw err;
  }
}
