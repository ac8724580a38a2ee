/**
 * Names are unique across a run: a case (name[variant]), a comparison or a metric at a
 * given scale is measured by exactly one benchmark file. Two files measuring the same name
 * would give two rows with one name in the reports, two github-action-benchmark entries one
 * series, and a Bencher key the later file overwrites; merging refuses them instead.
 */
import { UsageError } from '../errors.ts';
import { caseId, type CaseResult, type ComparisonResult, type MetricResult } from './results-schema.ts';

export interface NamedSource {
  /** Where the results came from (a benchmark file, a results file). */
  source: string;
  cases: CaseResult[];
  comparisons: ComparisonResult[];
  metrics?: MetricResult[];
}

export function assertUniqueNames(sources: NamedSource[]): void {
  const seen = new Map<string, string>();
  const claim = (key: string, source: string) => {
    const first = seen.get(key);
    if (first !== undefined) {
      const where = first === source ? `twice in ${source}` : `in both ${first} and ${source}`;
      throw new UsageError(`${key} is measured ${where}: names must be unique across a run (rename one, or measure it once)`);
    }
    seen.set(key, source);
  };
  const on = (r: { pgVersion?: string }) => (r.pgVersion === undefined ? '' : ` on PostgreSQL ${r.pgVersion}`);
  for (const s of sources) {
    for (const c of s.cases) claim(`case ${caseId(c)} at scale ${c.scale}${on(c)}`, s.source);
    for (const c of s.comparisons) claim(`comparison ${c.name} at scale ${c.scale}${on(c)}`, s.source);
    for (const m of s.metrics ?? []) claim(`metric ${m.name} at scale ${m.scale}${on(m)}`, s.source);
  }
}
