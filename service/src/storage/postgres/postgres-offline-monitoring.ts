/**
 * Monitoring aggregates over the PostgreSQL store's group tables: each reads the values written in
 * a window (writtenValues: one row per value, numbers read from their typed columns as DOUBLE
 * PRECISION without casts from text) and aggregates them inside PostgreSQL, so large histories
 * never leave the server.
 */
import { quoteLiteral } from '../../ingest/typed-sql.js';
import { dailyFromRows, finiteList, histogramFromRows, numberOrNull, summariesFromRows, topValuesFromRows } from '../monitoring-sql.js';
import { groupTable, ident, isNumericValueType, KEY_COLUMN, TIME_COLUMN } from '../offline-layout.js';
import type { DailySummary, HistogramQuery, QuantileQuery, ValueSummary, WindowQuery } from '../offline-store.js';
import type { Client, PgConnections } from './postgres-connection.js';
import { PgOfflineCatalog } from './postgres-offline-catalog.js';
import { anyWritten, tsLiteral, windowClause, writtenValues } from './postgres-offline-sql.js';

export class PgMonitoring {
  constructor(private readonly conn: PgConnections) {}

  async summarize(query: WindowQuery & { probabilities: number[]; approximate?: boolean }): Promise<ValueSummary[]> {
    if (query.features.length === 0) return [];
    const probabilities = finiteList(query.probabilities);
    return this.read(query.features, async (c, catalog) => {
      const rows: unknown[][] = [];
      const numbers = writtenValues(catalog, query.features, query, 'numbers');
      if (numbers) {
        const quantiles = probabilities.length > 0 ? `percentile_cont(ARRAY[${probabilities.join(', ')}]::float8[]) WITHIN GROUP (ORDER BY x)` : 'NULL';
        rows.push(
          ...(await this.conn.query(
            c,
            `SELECT feature, count(*)::float8, count(x)::float8, min(x), max(x), avg(x), stddev_samp(x), ${quantiles}, count(DISTINCT x)::float8
             FROM (${numbers}) v GROUP BY feature`,
          )),
        );
      }
      const numeric = new Set(rows.map((r) => String(r[0])));
      const text = writtenValues(
        catalog,
        query.features.filter((f) => !numeric.has(f)),
        query,
        'json',
      );
      if (text) {
        rows.push(
          ...(await this.conn.query(
            c,
            `SELECT feature, count(*)::float8, 0::float8, NULL, NULL, NULL, NULL, NULL, count(DISTINCT x)::float8 FROM (${text}) v GROUP BY feature`,
          )),
        );
      }
      return summariesFromRows(query.features, rows, probabilities.length);
    });
  }

  async histogram(query: HistogramQuery): Promise<number[][][]> {
    if (query.features.length === 0 || query.windows.length === 0) return histogramFromRows(query, []);
    const windows = query.windows.map((w, i) => `(${i}, ${tsLiteral(w.start)}, ${tsLiteral(w.end)})`);
    const grids = query.grids.map((g, i) => {
      if (!(g.hi > g.lo)) throw new Error(`histogram grid needs lo < hi, got [${g.lo}, ${g.hi})`);
      const [lo, hi] = finiteList([g.lo, g.hi]);
      return `(${i}, ${lo}::float8, ${hi}::float8, ${Math.max(1, Math.floor(g.bins))})`;
    });
    const featureIndex = `CASE v.feature ${query.features.map((f, i) => `WHEN ${quoteLiteral(f)} THEN ${i}`).join(' ')} END`;
    return this.read(query.features, async (c, catalog) => {
      const numbers = writtenValues(catalog, query.features, { windows: query.windows }, 'numbers');
      if (!numbers) return histogramFromRows(query, []);
      // Each value joins its feature's grid (a hash join on a tiny table); the bin is arithmetic.
      const rows = await this.conn.query(
        c,
        `SELECT win.w, v.feature,
                CASE WHEN x < g.lo THEN 0 WHEN x >= g.hi THEN g.n + 1 ELSE least(g.n, 1 + floor((x - g.lo) / (g.hi - g.lo) * g.n)::int) END AS bin,
                count(*)::float8
         FROM (${numbers}) v
         JOIN (VALUES ${windows.join(', ')}) AS win(w, lo, hi) ON v.t >= win.lo AND v.t <= win.hi
         JOIN (VALUES ${grids.join(', ')}) AS g(i, lo, hi, n) ON g.i = ${featureIndex}
         GROUP BY 1, 2, 3`,
      );
      return histogramFromRows(query, rows);
    });
  }

  async quantiles(query: QuantileQuery): Promise<{ count: number; quantiles: (number | null)[] }[]> {
    if (query.features.length === 0) return [];
    const empty = () => ({ count: 0, quantiles: query.probabilities.map(() => null) });
    // A block sample (TABLESAMPLE SYSTEM) reads only about that share of the table's pages.
    const percent = query.sample !== undefined && query.sample > 0 && query.sample < 1 ? Number(finiteList([query.sample * 100])[0]) : undefined;
    const probabilities = finiteList(query.probabilities);
    return this.read(query.features, async (c, catalog) => {
      const sampled = writtenValues(catalog, query.features, query, 'numbers', percent);
      if (!sampled) return query.features.map(empty);
      const quantiles = probabilities.length > 0 ? `percentile_cont(ARRAY[${probabilities.join(', ')}]::float8[]) WITHIN GROUP (ORDER BY x)` : 'NULL';
      const rows = await this.conn.query(c, `SELECT feature, count(x)::float8, ${quantiles} FROM (${sampled}) v GROUP BY feature`);
      const byFeature = new Map(rows.map((r) => [String(r[0]), r]));
      return query.features.map((feature) => {
        const r = byFeature.get(feature);
        if (!r || Number(r[1]) === 0) return empty();
        const values = Array.isArray(r[2]) ? (r[2] as unknown[]) : [];
        return { count: Number(r[1]), quantiles: query.probabilities.map((_, i) => numberOrNull(values[i])) };
      });
    });
  }

  async topValues(query: WindowQuery & { limit: number }): Promise<{ value: string; count: number }[][]> {
    if (query.features.length === 0) return [];
    const limit = Math.max(1, Math.floor(query.limit));
    return this.read(query.features, async (c, catalog) => {
      const values = writtenValues(catalog, query.features, query, 'json');
      if (!values) return topValuesFromRows(query.features, []);
      const rows = await this.conn.query(
        c,
        `SELECT feature, x, n FROM (
           SELECT feature, x, count(*)::float8 AS n, row_number() OVER (PARTITION BY feature ORDER BY count(*) DESC, x COLLATE "C") AS r
           FROM (${values}) v GROUP BY feature, x) t
         WHERE r <= ${limit} ORDER BY feature, n DESC, x COLLATE "C"`,
      );
      return topValuesFromRows(query.features, rows);
    });
  }

  async countRows(query: WindowQuery): Promise<number> {
    return this.read(query.features, async (c, catalog) => {
      const rows = rowsWithValues(catalog, query);
      if (!rows) return 0;
      return Number((await this.conn.one(c, `SELECT count(*)::float8 FROM (${rows.join(' UNION ')}) r`))[0] ?? 0);
    });
  }

  async countKeys(query: WindowQuery): Promise<number> {
    return this.read(query.features, async (c, catalog) => {
      const rows = rowsWithValues(catalog, query);
      if (!rows) return 0;
      return Number((await this.conn.one(c, `SELECT count(DISTINCT k)::float8 FROM (${rows.join(' UNION ALL ')}) r`))[0] ?? 0);
    });
  }

  async daily(query: WindowQuery): Promise<DailySummary[]> {
    if (query.features.length === 0) return [];
    return this.read(query.features, async (c, catalog) => {
      const parts: string[] = [];
      const numbers = writtenValues(catalog, query.features, query, 'numbers');
      if (numbers) parts.push(`SELECT feature, t, x FROM (${numbers}) n`);
      const others = query.features.filter((f) => {
        const stored = catalog.find(f);
        return stored !== undefined && !isNumericValueType(stored.valueType);
      });
      const text = writtenValues(catalog, others, query, 'json');
      if (text) parts.push(`SELECT feature, t, NULL::float8 AS x FROM (${text}) j`);
      if (parts.length === 0) return [];
      const rows = await this.conn.query(
        c,
        `SELECT feature, to_char(t AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS day, count(*)::float8, count(x)::float8, avg(x), min(x), max(x)
         FROM (${parts.join(' UNION ALL ')}) v GROUP BY 1, 2 ORDER BY 1, 2`,
      );
      return dailyFromRows(rows);
    });
  }

  /** Runs `fn` in a read-only transaction with the catalog of the features. */
  private read<T>(features: readonly string[], fn: (c: Client, catalog: PgOfflineCatalog) => Promise<T>): Promise<T> {
    return this.conn.inTransaction(async (c) => fn(c, await PgOfflineCatalog.load(this.conn, c, { features })), 'BEGIN READ ONLY');
  }
}

/** Per table holding some of the features: its (key, time) rows in the window where one was written. */
function rowsWithValues(catalog: PgOfflineCatalog, query: WindowQuery): string[] | undefined {
  const parts = [...catalog.byTable(query.features)].map(
    ([group, members]) =>
      `SELECT ${ident(KEY_COLUMN)} AS k, ${ident(TIME_COLUMN)} AS t FROM ${groupTable(group)}
       WHERE ${windowClause(query.start, query.end)} AND (${anyWritten(members.map((m) => m.feature))})`,
  );
  return parts.length > 0 ? parts : undefined;
}
