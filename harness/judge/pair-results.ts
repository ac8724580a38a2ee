/**
 * The subjects of two results files, paired by key (type, workload, id, scale and, in a
 * version matrix, the server's version): a subject on both sides is `unchanged` until a
 * rule finds something, one on a single side is `added` or `removed`. Findings are left
 * to the rules (judge.ts).
 */
import { caseId, type CaseResult, type ComparisonResult, type LoadResult, type MetricResult, type ResultsFile } from '../results/results-schema.ts';
import type { CaseDiff, CaseFacts, ComparisonDiff, ComparisonFacts, LoadDiff, LoadFacts, MetricDiff, MetricFacts } from './evidence.ts';
import type { Subject } from './finding.ts';

export interface PairedResults {
  cases: CaseDiff[];
  comparisons: ComparisonDiff[];
  metrics: MetricDiff[];
  loads: LoadDiff[];
}

type Located = { workload: string; scale: number; pgVersion?: string; file?: string };

export function subjectOf<T extends Subject['type']>(type: T, id: string, r: Located): Subject & { type: T } {
  return { type, id, workload: r.workload, scale: r.scale, ...(r.pgVersion === undefined ? {} : { pgVersion: r.pgVersion }) };
}

/** The pairing key of a subject. */
export const subjectKey = (s: Subject) => `${s.type}|${s.workload}|${s.id}|${s.scale ?? ''}|${s.pgVersion ?? ''}`;

/** The pairing key of a case (its diff's `key`). */
export const caseKey = (c: CaseResult) => subjectKey(subjectOf('case', caseId(c), c));

export function caseFacts(c: CaseResult): CaseFacts {
  return {
    p50: c.latency.p50,
    plan: c.plan ? { nodes: c.plan.nodes, indexes: c.plan.indexes, seqScans: c.plan.seqScans } : null,
    buffers: c.buffers ? c.buffers.hit + c.buffers.read : null,
    rows: c.rows,
    ...(c.sql === undefined ? {} : { sql: c.sql }),
    ...(c.rounds?.iterations === undefined ? {} : { iterations: c.rounds.iterations }),
  };
}

const comparisonFacts = (c: ComparisonResult): ComparisonFacts => ({
  speedup: c.speedup,
  threshold: c.threshold,
  verdict: c.verdict ?? null,
  passed: c.passed,
  failures: c.failures,
  baseline: c.baseline,
  candidate: c.candidate,
});

const metricFacts = (m: MetricResult): MetricFacts => ({ value: m.value, unit: m.unit });

/** `throughput with-index[clients=8]/without-index[clients=8]`, `p99 checkout a/b`. */
export const loadRatioLabel = (r: LoadResult['ratios'][number]) => `${r.metric}${r.transaction === 'all' ? '' : ` ${r.transaction}`} ${r.numerator}/${r.denominator}`;

const loadFacts = (l: LoadResult): LoadFacts => ({
  passed: l.passed,
  failures: l.failures,
  ratios: l.ratios.map((r) => ({ label: loadRatioLabel(r), ratio: r.ratio, threshold: r.threshold, verdict: r.verdict ?? null, passed: r.passed })),
});

/**
 * Pairs two lists by subject key, head's order first, then those only base has: each
 * pair becomes a diff of `type` with the facts `facts` reads from each side.
 */
function pairBy<R extends Located, F, T extends Subject['type']>(type: T, base: R[], head: R[], id: (r: R) => string, facts: (r: R) => F) {
  const subject = (r: R) => subjectOf(type, id(r), r);
  const keyed = (rs: R[]) => new Map(rs.map((r) => [subjectKey(subject(r)), r]));
  const [b, h] = [keyed(base), keyed(head)];
  const diff = (key: string, before: R | undefined, after: R | undefined) => ({
    subject: subject((after ?? before)!),
    key,
    status: (before && after ? 'unchanged' : after ? 'added' : 'removed') as 'unchanged' | 'added' | 'removed',
    ...(before ? { base: facts(before) } : {}),
    ...(after ? { head: facts(after) } : {}),
    ...((after ?? before)!.file === undefined ? {} : { file: (after ?? before)!.file! }),
    findings: [],
  });
  return [...[...h].map(([key, r]) => diff(key, b.get(key), r)), ...[...b].filter(([key]) => !h.has(key)).map(([key, r]) => diff(key, r, undefined))];
}

export function pairResults(base: ResultsFile, head: ResultsFile): PairedResults {
  return {
    cases: pairBy('case', base.cases, head.cases, caseId, caseFacts).map((d) => ({ ...d, latency: null })),
    comparisons: pairBy('comparison', base.comparisons, head.comparisons, (c) => c.name, comparisonFacts),
    metrics: pairBy('metric', base.metrics ?? [], head.metrics ?? [], (m) => m.name, metricFacts),
    loads: pairBy('load', base.loads ?? [], head.loads ?? [], (l) => l.name, loadFacts),
  };
}
