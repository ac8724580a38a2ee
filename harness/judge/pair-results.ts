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

/** Pairs two lists by subject key: [base, head] on both sides, then those of one side. */
function pairBy<R extends Located, D>(
  base: R[],
  head: R[],
  subject: (r: R) => Subject,
  make: (s: Subject, key: string, b: R | undefined, h: R | undefined) => D,
): D[] {
  const keyed = (rs: R[]) => new Map(rs.map((r) => [subjectKey(subject(r)), r]));
  const [b, h] = [keyed(base), keyed(head)];
  const out: D[] = [];
  for (const [key, r] of h) out.push(make(subject(r), key, b.get(key), r));
  for (const [key, r] of b) if (!h.has(key)) out.push(make(subject(r), key, r, undefined));
  return out;
}

const status = (b: unknown, h: unknown) => (b && h ? 'unchanged' : h ? 'added' : 'removed') as 'unchanged' | 'added' | 'removed';
const fileOf = (b: Located | undefined, h: Located | undefined) => {
  const file = h?.file ?? b?.file;
  return file === undefined ? {} : { file };
};

export function pairResults(base: ResultsFile, head: ResultsFile): PairedResults {
  return {
    cases: pairBy(base.cases, head.cases, (c) => subjectOf('case', caseId(c), c), (subject, key, b, h) => ({
      subject: subject as CaseDiff['subject'],
      key,
      status: status(b, h),
      ...(b ? { base: caseFacts(b) } : {}),
      ...(h ? { head: caseFacts(h) } : {}),
      ...fileOf(b, h),
      latency: null,
      findings: [],
    })),
    comparisons: pairBy(base.comparisons, head.comparisons, (c) => subjectOf('comparison', c.name, c), (subject, key, b, h) => ({
      subject: subject as ComparisonDiff['subject'],
      key,
      status: status(b, h),
      ...(b ? { base: comparisonFacts(b) } : {}),
      ...(h ? { head: comparisonFacts(h) } : {}),
      ...fileOf(b, h),
      findings: [],
    })),
    metrics: pairBy(base.metrics ?? [], head.metrics ?? [], (m) => subjectOf('metric', m.name, m), (subject, key, b, h) => ({
      subject: subject as MetricDiff['subject'],
      key,
      status: status(b, h),
      ...(b ? { base: metricFacts(b) } : {}),
      ...(h ? { head: metricFacts(h) } : {}),
      ...fileOf(b, h),
      findings: [],
    })),
    loads: pairBy(base.loads ?? [], head.loads ?? [], (l) => subjectOf('load', l.name, l), (subject, key, b, h) => ({
      subject: subject as LoadDiff['subject'],
      key,
      status: status(b, h),
      ...(b ? { base: loadFacts(b) } : {}),
      ...(h ? { head: loadFacts(h) } : {}),
      ...fileOf(b, h),
      findings: [],
    })),
  };
}
