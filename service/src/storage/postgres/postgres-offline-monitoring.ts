/**
 * Monitoring aggregates over the PostgreSQL store's group tables, over the values written in a
 * window (a cell with a value and no carried time), computed inside PostgreSQL so large histories
 * never leave the server. Numbers are read from their typed columns as DOUBLE PRECISION, never
 * cast from text. Summaries and quantiles aggregate column by column (writtenColumns); the
 * histogram, top values and daily figures unpivot to one row per value (writtenValues).
 */
import { quoteLiteral } from '../../staging/typed-sql.js';
import { dailyFromRows, finiteList, histogramFromRows, numberOrNull, summariesFromRows, topValuesFromRows } from '../monitoring-sql.js';
import { carriedTimeColumn, groupTable, ident, isNumericValueType, KEY_COLUMN, TIME_COLUMN } from '../offline-layout.js';
import type { DailySummary, HistogramQuery, NewestValue, NewestValuesQuery, QuantileQuery, ValueSummary, WindowQuery } from '../offline-store.js';
import type { Client, PgConnections } from './postgres-connection.js';
import { PgOfflineCatalog, type TableMember } from './postgres-offline-catalog.js';
import { anyWritten, msFromTs, tsLiteral, windowClause, writtenValues } from './postgres-offline-sql.js';
import { meanAndStd, withOverflowFallback } from '../overflow-safe-stats.js';
import { pgToJson } from './postgres-typed-values.js';

export class PgMonitoring {
  constructor(private readonly conn: PgConnections) {}

  /**
   * Column by column: one scan per table with every feature's aggregates side by side (a NULL for
   * carried values), rather than one row per value: ordered-set and distinct aggregates then sort
   * each feature's values alone.
   */
  async summarize(query: WindowQuery & { probabilities: number[]; approximate?: boolean }): Promise<ValueSummary[]> {
    if (query.features.length === 0) return [];
    return withOverflowFallback((scaled) => this.summarizeOnce(query, scaled));
  }

  private async summarizeOnce(query: WindowQuery & { probabilities: number[]; approximate?: boolean }, scaled: boolean): Promise<ValueSummary[]> {
    const probabilities = finiteList(query.probabilities);
    return this.read(query.features, async (c, catalog) => {
      const rows: unknown[][] = [];
      for (const [group, members] of catalog.byTable(query.features)) {
        const aggregates = members.flatMap((m, i) => {
          const x = `x${i}`;
          if (!isNumericValueType(m.valueType)) return [`count(${x})::float8`, `count(DISTINCT ${x})::float8`];
          const quantiles = probabilities.length > 0 ? `percentile_cont(ARRAY[${probabilities.join(', ')}]::float8[]) WITHIN GROUP (ORDER BY ${x})` : 'NULL';
          return [`count(${x})::float8`, `count(DISTINCT ${x})::float8`, `min(${x})`, `max(${x})`, ...meanAndStd(x, scaled), quantiles];
        });
        const [values] = await this.conn.query(c, `SELECT ${aggregates.join(', ')} FROM (${writtenColumns(group, members, query)}) v`);
        let k = 0;
        for (const m of members) {
          const count = Number(values![k++]);
          const distinct = Number(values![k++]);
          if (!isNumericValueType(m.valueType)) {
            if (count > 0) rows.push([m.feature, count, 0, null, null, null, null, null, distinct]);
            continue;
          }
          const [min, max, mean, std, quantiles] = values!.slice(k, (k += 5));
          if (count > 0) rows.push([m.feature, count, count, min, max, mean, std, quantiles, distinct]);
        }
      }
      return summariesFromRows(query.features, rows, probabilities.length);
    });
  }

  /**
   * Per window and feature, the counts of the bins of its grid. The grid travels with each value
   * (the unpivot's constants), so the bin is arithmetic on the row; rows join the windows they fall
   * in (windows may overlap) before they are unpivoted.
   */
  async histogram(query: HistogramQuery): Promise<number[][][]> {
    if (query.features.length === 0 || query.windows.length === 0) return histogramFromRows(query, []);
    const windows = query.windows.map((w, i) => `(${i}, ${tsLiteral(w.start)}, ${tsLiteral(w.end)})`);
    const grids = query.grids.map((g) => {
      if (!(g.hi > g.lo)) throw new Error(`histogram grid needs lo < hi, got [${g.lo}, ${g.hi})`);
      const [lo, hi] = finiteList([g.lo, g.hi]);
      return { lo: `${lo}::float8`, hi: `${hi}::float8`, n: Math.max(1, Math.floor(g.bins)) };
    });
    return this.read(query.features, async (c, catalog) => {
      const rows: unknown[][] = [];
      for (const [group, members] of catalog.byTable(query.features)) {
        const numeric = members.filter((m) => isNumericValueType(m.valueType) && grids[m.position]);
        if (numeric.length === 0) continue;
        const values = numeric.map((m) => {
          const g = grids[m.position]!;
          const col = `g.${ident(m.feature)}`;
          return `(${quoteLiteral(m.feature)}, CASE WHEN g.${ident(carriedTimeColumn(m.feature))} IS NULL THEN ${m.valueType === 'FLOAT' ? col : `${col}::float8`} END, ${g.lo}, ${g.hi}, ${g.n})`;
        });
        const any = query.windows.map((w) => `(${windowClause(w.start, w.end, 'g.')})`).join(' OR ');
        rows.push(
          ...(await this.conn.query(
            c,
            `SELECT win.w, v.feature,
                    CASE WHEN v.x < v.lo THEN 0 WHEN v.x >= v.hi THEN v.n + 1 ELSE least(v.n, 1 + floor((v.x - v.lo) / (v.hi - v.lo) * v.n)::int) END AS bin,
                    count(*)::float8
             FROM ${groupTable(group)} g
             JOIN (VALUES ${windows.join(', ')}) AS win(w, lo, hi) ON g.${ident(TIME_COLUMN)} >= win.lo AND g.${ident(TIME_COLUMN)} <= win.hi
             CROSS JOIN LATERAL (VALUES ${values.join(', ')}) AS v(feature, x, lo, hi, n)
             WHERE (${any}) AND v.x IS NOT NULL
             GROUP BY 1, 2, 3`,
          )),
        );
      }
      return histogramFromRows(query, rows);
    });
  }

  /** Column by column, as summarize; with `sample`, a block sample (TABLESAMPLE SYSTEM) reads about that share of the pages. */
  async quantiles(query: QuantileQuery): Promise<{ count: number; quantiles: (number | null)[] }[]> {
    if (query.features.length === 0) return [];
    const empty = (): { count: number; quantiles: (number | null)[] } => ({ count: 0, quantiles: query.probabilities.map(() => null) });
    const percent = query.sample !== undefined && query.sample > 0 && query.sample < 1 ? Number(finiteList([query.sample * 100])[0]) : undefined;
    const probabilities = finiteList(query.probabilities);
    return this.read(query.features, async (c, catalog) => {
      const out = query.features.map(empty);
      for (const [group, all] of catalog.byTable(query.features)) {
        const members = all.filter((m) => isNumericValueType(m.valueType));
        if (members.length === 0) continue;
        const aggregates = members.flatMap((_, i) => [
          `count(x${i})::float8`,
          probabilities.length > 0 ? `percentile_cont(ARRAY[${probabilities.join(', ')}]::float8[]) WITHIN GROUP (ORDER BY x${i})` : 'NULL',
        ]);
        const [values] = await this.conn.query(c, `SELECT ${aggregates.join(', ')} FROM (${writtenColumns(group, members, query, percent)}) v`);
        members.forEach((m, i) => {
          const count = Number(values![2 * i]);
          const quantiles = Array.isArray(values![2 * i + 1]) ? (values![2 * i + 1] as unknown[]) : [];
          if (count > 0) out[m.position] = { count, quantiles: query.probabilities.map((_, j) => numberOrNull(quantiles[j])) };
        });
      }
      return out;
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
      // The mean as sum / count: float8 avg also keeps a sum of squares, which overflows past ~1e154.
      const rows = await this.conn.query(
        c,
        `SELECT feature, to_char(t AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS day, count(*)::float8, count(x)::float8, sum(x) / nullif(count(x), 0), min(x), max(x)
         FROM (${parts.join(' UNION ALL ')}) v GROUP BY 1, 2 ORDER BY 1, 2`,
      );
      return dailyFromRows(rows);
    });
  }

  async newestValues(query: NewestValuesQuery): Promise<NewestValue[]> {
    return this.read([query.feature], async (c, catalog) => {
      const stored = catalog.find(query.feature);
      if (!stored) return [];
      const col = ident(query.feature);
      const rows = await this.conn.query(
        c,
        `SELECT ${ident(KEY_COLUMN)}, ${msFromTs(ident(TIME_COLUMN))}::float8, ${pgToJson(col, stored.valueType)}
         FROM ${groupTable(stored.group)} WHERE ${col} IS NOT NULL AND ${ident(carriedTimeColumn(query.feature))} IS NULL
         ORDER BY ${ident(TIME_COLUMN)} DESC, ${ident(KEY_COLUMN)} COLLATE "C" LIMIT ${Math.max(1, Math.floor(query.limit))}`,
      );
      return rows.map((r) => ({ entityKey: String(r[0]), eventTime: Number(r[1]), value: String(r[2]) }));
    });
  }

  /** Runs `fn` in a read-only transaction with the catalog of the features. */
  private read<T>(features: readonly string[], fn: (c: Client, catalog: PgOfflineCatalog) => Promise<T>): Promise<T> {
    return this.conn.inTransaction(async (c) => fn(c, await PgOfflineCatalog.load(this.conn, c, { features })), 'read');
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

/**
 * A table's rows in a window with one column x<i> per member: the value written in that row (as
 * DOUBLE PRECISION for numeric features, typed for the rest), NULL where it was carried.
 */
function writtenColumns(group: string, members: readonly TableMember[], window: { start: number; end: number }, samplePercent?: number): string {
  const columns = members.map((m, i) => {
    const col = ident(m.feature);
    const value = m.valueType === 'INT' ? `${col}::float8` : col;
    return `CASE WHEN ${ident(carriedTimeColumn(m.feature))} IS NULL THEN ${value} END AS x${i}`;
  });
  const sample = samplePercent === undefined ? '' : ` TABLESAMPLE SYSTEM (${samplePercent})`;
  return `SELECT ${columns.join(', ')} FROM ${groupTable(group)}${sample} WHERE ${windowClause(window.start, window.end)}`;
}
