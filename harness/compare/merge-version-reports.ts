/**
 * `compare --pg 17,18`: one report per PostgreSQL major, one after another, merged into
 * one. Every case, comparison and migration names its major (`… [pg 18]`), so a decision
 * that changes between versions reads as such; the verdict is a regression when any
 * major has one.
 */
import type { CompareReport } from './compare-report.ts';

export function mergeVersionReports(reports: CompareReport[], majors: number[]): CompareReport {
  const tag = (i: number) => ` [pg ${majors[i]}]`;
  const first = reports[0]!;
  return {
    ...first,
    server: { provider: first.server.provider, version: reports.map((r) => r.server.version).join(', ') },
    paired: reports.every((r) => r.paired),
    verdict: reports.some((r) => r.verdict === 'regression') ? 'regression' : 'pass',
    cases: reports.flatMap((r, i) => r.cases.map((c) => ({ ...c, id: `${c.id}${tag(i)}` }))),
    comparisons: reports.flatMap((r, i) => r.comparisons.map((c) => ({ ...c, name: `${c.name}${tag(i)}` }))),
    migrations: reports.flatMap((r, i) => r.migrations.map((m) => ({ ...m, file: `${m.file}${tag(i)}` }))),
    notes: [...new Set(reports.flatMap((r, i) => r.notes.map((n) => `${n}${tag(i)}`)))],
  };
}
