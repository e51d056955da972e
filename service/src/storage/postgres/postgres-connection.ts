/**
 * Connections of the PostgreSQL offline store: the pool, a timeout on every wait for the server,
 * errors of an unreachable server as BackendUnavailableError, COPY in and out as streams and rows
 * through a cursor. Nothing here knows the layout.
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import { from as copyFrom, to as copyTo } from 'pg-copy-streams';
import QueryStream from 'pg-query-stream';
import { BackendUnavailableError } from '../../errors/app-error.js';

export interface PostgresStoreOptions {
  /** Longest wait for one statement, COPY or chunk of a stream; 0 waits forever (offlineStoreTimeoutMs). */
  timeoutMs?: number;
  /** Longest wait for a connection, new or from the pool (offlineStoreConnectTimeoutMs). */
  connectTimeoutMs?: number;
  poolSize?: number;
}

export const POSTGRES_DEFAULTS = { timeoutMs: 600_000, connectTimeoutMs: 5000, poolSize: 8 } as const;

/** Rows per chunk of a streamed result. */
export const CHUNK_ROWS = 5000;

/**
 * Settings of every transaction, so text forms never depend on the server's, role's or pooler's
 * defaults: UTC (times without an offset, days of event time), ISO dates, shortest exact float
 * text. Set with SET LOCAL at BEGIN (one round trip), not as startup options, which connection
 * poolers refuse. JIT is off: it compiles whenever a plan's cost estimate is high, which the bulk
 * merges and lookups here always are, and speeds up nothing that costs there (index lookups, COPY);
 * the point-in-time join of 100k labels x 10 doubles took 0.2 s more with it for typed cells, and
 * 221 s instead of 2.4 s with the JSON text of the cells (large expressions to optimize).
 */
const TRANSACTION_SETTINGS = ["TimeZone = 'UTC'", "DateStyle = 'ISO, YMD'", "IntervalStyle = 'postgres'", 'extra_float_digits = 1', 'jit = off']
  .map((setting) => `SET LOCAL ${setting}`)
  .join('; ');

export type Client = pg.PoolClient;

export class PgConnections {
  private constructor(
    private readonly pool: pg.Pool,
    private readonly timeoutMs: number,
  ) {}

  static create(url: string, options: PostgresStoreOptions = {}): PgConnections {
    const { timeoutMs, connectTimeoutMs, poolSize } = { ...POSTGRES_DEFAULTS, ...options };
    // The pool bounds connections; a request waiting for one gives up after connectTimeoutMs, so
    // a hung server cannot make requests queue without end.
    const pool = new pg.Pool({
      connectionString: url,
      max: poolSize,
      connectionTimeoutMillis: connectTimeoutMs,
      keepAlive: true,
    });
    // A client losing its connection, idle in the pool or checked out between two queries (a
    // restart of PostgreSQL, a timeout here), must not crash the process: the next use fails.
    pool.on('error', () => undefined);
    pool.on('connect', (client) => client.on('error', () => undefined));
    return new PgConnections(pool, timeoutMs);
  }

  async connect(): Promise<Client> {
    try {
      return await this.pool.connect();
    } catch (err) {
      throw wrap(err);
    }
  }

  /** Runs `fn` on a pooled client, within the timeout, with errors wrapped. */
  async withClient<T>(fn: (c: Client) => Promise<T>): Promise<T> {
    const client = await this.connect();
    try {
      return await this.timed(client, fn(client));
    } catch (err) {
      throw wrap(err);
    } finally {
      client.release();
    }
  }

  /** Starts a transaction with the store's settings (TRANSACTION_SETTINGS). */
  async begin(client: Client, mode: 'read' | 'write'): Promise<void> {
    await this.timed(client, client.query(`${mode === 'read' ? 'BEGIN READ ONLY' : 'BEGIN'}; ${TRANSACTION_SETTINGS}`));
  }

  /** Runs `fn` in a transaction on a pooled client (rolled back on any error). */
  async inTransaction<T>(fn: (c: Client) => Promise<T>, mode: 'read' | 'write' = 'write'): Promise<T> {
    const client = await this.connect();
    try {
      await this.begin(client, mode);
      const result = await fn(client);
      await this.query(client, 'COMMIT');
      return result;
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw wrap(err);
    } finally {
      client.release();
    }
  }

  /** One statement within the timeout; rows as arrays. */
  async query(client: Client, text: string, values: unknown[] = []): Promise<unknown[][]> {
    const result = await this.timed(client, client.query({ text, values, rowMode: 'array' }));
    return result.rows as unknown[][];
  }

  /** The first row of a statement (empty when it has none). */
  async one(client: Client, text: string, values: unknown[] = []): Promise<unknown[]> {
    return (await this.query(client, text, values))[0] ?? [];
  }

  /** Runs a statement and returns its row count (INSERT, UPDATE, COPY). */
  async run(client: Client, text: string, values: unknown[] = []): Promise<number> {
    const result = await this.timed(client, client.query({ text, values }));
    return result.rowCount ?? 0;
  }

  /** Streams `source` (chunks of text or bytes) into `COPY ... FROM STDIN`. */
  async copyIn(client: Client, copySql: string, source: Iterable<string> | AsyncIterable<string | Buffer>): Promise<void> {
    await this.timedStream(client, (signal) => pipeline(Readable.from(source), client.query(copyFrom(copySql)), { signal }));
  }

  /** Streams a file into `COPY ... FROM STDIN`. */
  async copyInFile(client: Client, copySql: string, path: string): Promise<void> {
    await this.timedStream(client, (signal) => pipeline(createReadStream(path, { highWaterMark: 1 << 20 }), client.query(copyFrom(copySql)), { signal }));
  }

  /** Streams `COPY (...) TO STDOUT` into a file; returns the rows copied. */
  async copyOutFile(client: Client, copySql: string, path: string): Promise<number> {
    const stream = client.query(copyTo(copySql));
    await this.timedStream(client, (signal) => pipeline(stream, createWriteStream(path, { highWaterMark: 1 << 20 }), { signal }));
    return stream.rowCount;
  }

  /**
   * Rows of a query through a cursor, in chunks. The timeout applies to each wait for PostgreSQL,
   * not to the whole stream, so a long retrieval that keeps moving is never cut off.
   */
  async *streamRows<T>(client: Client, sql: string, params: unknown[], map: (row: unknown[]) => T): AsyncIterable<T[]> {
    const stream = client.query(new QueryStream(sql, params, { batchSize: CHUNK_ROWS, rowMode: 'array' }));
    const rows = stream[Symbol.asyncIterator]() as AsyncIterator<unknown[]>;
    let chunk: T[] = [];
    for (;;) {
      const next = await this.timed(client, rows.next());
      if (next.done) break;
      chunk.push(map(next.value));
      if (chunk.length >= CHUNK_ROWS) {
        yield chunk;
        chunk = [];
      }
    }
    if (chunk.length > 0) yield chunk;
  }

  async end(): Promise<void> {
    await this.pool.end();
  }

  /**
   * Waits for `work` on `client` at most timeoutMs. On expiry the client's socket is destroyed
   * (what pg-pool itself does on a connect timeout): whatever was pending on it fails, and the
   * pool discards the client when it is released rather than hand a stuck connection to the next
   * request.
   */
  async timed<T>(client: Client, work: Promise<T>): Promise<T> {
    if (this.timeoutMs <= 0) return work;
    let timer: NodeJS.Timeout | undefined;
    const expired = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        (client as unknown as { connection?: { stream?: { destroy(): void } } }).connection?.stream?.destroy();
        reject(new BackendUnavailableError('PostgreSQL', `no answer within ${this.timeoutMs} ms (offlineStoreTimeoutMs)`));
      }, this.timeoutMs);
    });
    work.catch(() => undefined); // it fails once the socket is gone; the timeout has been reported
    try {
      return await Promise.race([work, expired]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** A COPY stream: on timeout the socket is destroyed (as in timed) and the pipeline aborted. */
  private async timedStream(client: Client, run: (signal: AbortSignal) => Promise<void>): Promise<void> {
    const abort = new AbortController();
    try {
      await this.timed(client, run(abort.signal));
    } finally {
      abort.abort();
    }
  }
}

const CONNECTION_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', '57P01', '57P02', '57P03', '08000', '08003', '08006', '08001', '08004']);

/** An unreachable or restarting server becomes BackendUnavailableError; anything else stays as is. */
export function wrap(err: unknown): Error {
  const e = err as { code?: string; message?: string };
  if (err instanceof BackendUnavailableError) return err;
  if ((e.code && CONNECTION_CODES.has(e.code)) || /timeout exceeded when trying to connect|Connection terminated|is not queryable/i.test(e.message ?? '')) {
    return new BackendUnavailableError('PostgreSQL', e.message ?? String(err));
  }
  return err instanceof Error ? err : new Error(String(err));
}

/** COPY text format: tab-separated, with backslash, tab, newline and carriage return escaped. */
export function escapeCopy(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r');
}
