/**
 * Queries whose plan may depend on a table's size, made from a statistics snapshot alone:
 * for every index of every big table (production reltuples >= 10,000) whose first key is a
 * plain column, an equality on that column's most common value and on a rare value (a
 * histogram bound), ranges over about 1% and 20% of its histogram, the first 100 rows in
 * its order, and a GROUP BY on it. Constants come from the snapshot, so the queries are
 * the same on every database and every run. The benchmark cases' own SQL hardly depends on
 * size (docs/production-statistics.md): these probes are where sizes show.
 */
import pg from 'pg';
import type { PlanCase } from '../../harness/stats/plan-match.ts';
import type { ColumnStatistics, StatisticsSnapshot } from '../../harness/stats/statistics-snapshot.ts';

const id = pg.escapeIdentifier;
const lit = pg.escapeLiteral;

/** The first key column of an index definition, when it is a plain column. */
function leadingColumn(definition: string): string | undefined {
  const m = /USING \w+ \(([^,)]+)/.exec(definition);
  const first = m?.[1]?.trim().replace(/ (ASC|DESC|NULLS (FIRST|LAST))$/i, '');
  if (!first) return undefined;
  if (/^[a-z_][a-z0-9_]*$/.test(first)) return first;
  return /^"([^"]+)"$/.exec(first)?.[1];
}

function probesFor(table: string, column: ColumnStatistics): PlanCase[] {
  const t = id(table);
  const c = id(column.name);
  const out: PlanCase[] = [];
  const add = (label: string, sql: string) => out.push({ id: `probe/${table}/${column.name}/${label}`, sql });
  const mcv = column.most_common_vals?.[0];
  if (mcv !== undefined) add('equals-most-common', `SELECT * FROM ${t} WHERE ${c} = ${lit(mcv)}`);
  const bounds = column.histogram_bounds ?? [];
  if (bounds.length >= 3) {
    add('equals-rare', `SELECT * FROM ${t} WHERE ${c} = ${lit(bounds[Math.floor(bounds.length / 2)]!)}`);
    const at = (share: number) => bounds[Math.min(bounds.length - 1, Math.round(share * (bounds.length - 1)))]!;
    add('range-1pct', `SELECT * FROM ${t} WHERE ${c} BETWEEN ${lit(at(0.5))} AND ${lit(at(0.51))}`);
    add('range-20pct', `SELECT * FROM ${t} WHERE ${c} BETWEEN ${lit(at(0.4))} AND ${lit(at(0.6))}`);
  }
  add('first-100', `SELECT * FROM ${t} ORDER BY ${c} LIMIT 100`);
  add('group-by', `SELECT ${c}, count(*) FROM ${t} GROUP BY ${c}`);
  return out;
}

export function probeQueries(snapshot: StatisticsSnapshot): PlanCase[] {
  const out: PlanCase[] = [];
  for (const table of snapshot.tables.filter((t) => t.reltuples >= 10_000)) {
    const columns = new Set(table.indexes.map((i) => leadingColumn(i.definition)).filter((c): c is string => Boolean(c)));
    for (const name of columns) {
      const column = table.columns.find((c) => c.name === name && !c.inherited);
      if (column) out.push(...probesFor(table.name, column));
    }
  }
  return out;
}
