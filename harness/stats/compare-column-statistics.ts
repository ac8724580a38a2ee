/**
 * How closely a dataset's column statistics match a snapshot's (issue 22's tolerances for
 * data generated from a snapshot): per column of every table of the snapshot, null_frac,
 * n_distinct, the top MCVs and their frequencies, and correlation, each within its
 * tolerance. Both sides are snapshots: the expected one captured from production, the
 * actual one captured from the generated dataset after ANALYZE (at another scale).
 *
 * n_distinct is compared as a distinct count at the actual table's row count: a positive
 * n_distinct is a fixed count (a domain: 731 dates), a negative one a fraction of the rows
 * (-0.5: half the rows are distinct), which PostgreSQL uses when it expects the count to
 * grow with the table. Both sides negative: the fractions are compared instead.
 */
import type { ColumnStatistics, StatisticsSnapshot } from './statistics-snapshot.ts';

export interface ColumnTolerance {
  /** Absolute difference of null_frac. @default 0.02 */
  nullFrac: number;
  /** Relative difference of the distinct count (or of the fractions when both are negative). @default 0.1 */
  nDistinct: number;
  /** How many of the expected most common values are compared. @default 10 */
  mcvTop: number;
  /** Share of them that must also be among the actual top MCVs. @default 0.8 (8 of 10) */
  mcvOverlap: number;
  /** Relative difference of an overlapping value's frequency. @default 0.2 */
  mcvFrequency: number;
  /** Absolute difference of correlation. @default 0.1 */
  correlation: number;
}

export const DEFAULT_COLUMN_TOLERANCE: ColumnTolerance = { nullFrac: 0.02, nDistinct: 0.1, mcvTop: 10, mcvOverlap: 0.8, mcvFrequency: 0.2, correlation: 0.1 };

export interface ColumnVerdict {
  table: string;
  column: string;
  /** What is outside its tolerance, e.g. `null_frac 0.10 vs 0.00`; empty when the column is within all. */
  misses: string[];
}

export interface ColumnComparison {
  columns: ColumnVerdict[];
  within: number;
  /** Columns of the snapshot the actual dataset has no statistics for. */
  missing: string[];
}

const relative = (expected: number, actual: number) => (expected === 0 ? (actual === 0 ? 0 : Infinity) : Math.abs(actual - expected) / Math.abs(expected));
const f = (n: number) => (Math.abs(n) >= 100 ? Math.round(n).toString() : n.toFixed(3));

function distinctMiss(e: ColumnStatistics, a: ColumnStatistics, rows: number, tolerance: number): string | undefined {
  if (e.n_distinct < 0 && a.n_distinct < 0) {
    return relative(e.n_distinct, a.n_distinct) <= tolerance ? undefined : `n_distinct ${f(a.n_distinct)} vs ${f(e.n_distinct)}`;
  }
  const count = (n: number) => (n > 0 ? Math.min(n, rows) : -n * rows);
  const [expected, actual] = [count(e.n_distinct), count(a.n_distinct)];
  return relative(expected, actual) <= tolerance ? undefined : `n_distinct ${f(a.n_distinct)} vs ${f(e.n_distinct)} (${f(actual)} vs ${f(expected)} distinct at ${f(rows)} rows)`;
}

/** Top `n` values by frequency (MCV lists are stored most frequent first; sorted again to be sure). */
function top(c: ColumnStatistics, n: number): Map<string, number> {
  const pairs = (c.most_common_vals ?? []).map((v, i) => [v, c.most_common_freqs![i]!] as const);
  return new Map([...pairs].sort((x, y) => y[1] - x[1]).slice(0, n));
}

function mcvMisses(e: ColumnStatistics, a: ColumnStatistics, t: ColumnTolerance): string[] {
  const expected = top(e, t.mcvTop);
  if (!expected.size) return [];
  const actual = top(a, t.mcvTop);
  const shared = [...expected.keys()].filter((v) => actual.has(v));
  const misses: string[] = [];
  const needed = Math.ceil(t.mcvOverlap * expected.size);
  if (shared.length < needed) misses.push(`top MCVs overlap ${shared.length} of ${expected.size} (need ${needed})`);
  const off = shared.filter((v) => relative(expected.get(v)!, actual.get(v)!) > t.mcvFrequency);
  if (off.length) misses.push(`MCV frequencies off by more than ${Math.round(t.mcvFrequency * 100)}% for ${off.length} of ${shared.length}`);
  return misses;
}

function compareColumn(e: ColumnStatistics, a: ColumnStatistics, rows: number, t: ColumnTolerance): string[] {
  const misses: string[] = [];
  if (Math.abs(a.null_frac - e.null_frac) > t.nullFrac) misses.push(`null_frac ${f(a.null_frac)} vs ${f(e.null_frac)}`);
  const distinct = distinctMiss(e, a, rows, t.nDistinct);
  if (distinct) misses.push(distinct);
  misses.push(...mcvMisses(e, a, t));
  if (e.correlation !== null && a.correlation !== null && Math.abs(a.correlation - e.correlation) > t.correlation) misses.push(`correlation ${f(a.correlation)} vs ${f(e.correlation)}`);
  return misses;
}

/** Each column of `expected` (not the inherited rows) against the same column of `actual`. */
export function compareColumnStatistics(expected: StatisticsSnapshot, actual: StatisticsSnapshot, tolerance: Partial<ColumnTolerance> = {}): ColumnComparison {
  const t = { ...DEFAULT_COLUMN_TOLERANCE, ...tolerance };
  const columns: ColumnVerdict[] = [];
  const missing: string[] = [];
  for (const table of expected.tables) {
    const other = actual.tables.find((x) => x.schema === table.schema && x.name === table.name);
    for (const e of table.columns.filter((c) => !c.inherited)) {
      const a = other?.columns.find((c) => c.name === e.name && !c.inherited);
      if (!other || !a) {
        missing.push(`${table.name}.${e.name}`);
        continue;
      }
      columns.push({ table: table.name, column: e.name, misses: compareColumn(e, a, Math.max(other.reltuples, 0), t) });
    }
  }
  return { columns, within: columns.filter((c) => !c.misses.length).length, missing };
}
