/**
 * The suites' own `compare()` assertions, base vs head: a comparison that passed on base
 * and fails on head is a regression; one left inconclusive on head is shown as such (never
 * as a pass that hides a drop); the speedup on each side is evidence either way.
 */
import type { ComparisonResult, ResultsFile } from '../results/results-schema.ts';
import type { ComparisonDiff, Finding } from './compare-report.ts';

const key = (c: ComparisonResult) => `${c.workload} ${c.name} ${c.scale} ${c.pgVersion ?? ''}`;
const side = (c: ComparisonResult) => ({ speedup: c.speedup, verdict: c.verdict ?? null, passed: c.passed });
const fmt = (c: ComparisonResult) => `${c.speedup.estimate.toFixed(2)}x [${c.speedup.low.toFixed(2)}, ${c.speedup.high.toFixed(2)}]`;

export function diffComparisons(base: ResultsFile, head: ResultsFile): ComparisonDiff[] {
  const baseBy = new Map(base.comparisons.map((c) => [key(c), c]));
  const out: ComparisonDiff[] = [];
  for (const h of head.comparisons) {
    const b = baseBy.get(key(h));
    const findings: Finding[] = [];
    const bar = h.threshold === null ? 'reported' : `bar ${h.threshold}x`;
    if (b?.passed && !h.passed) {
      findings.push({ kind: 'comparison-failed', regression: true, message: `${h.name}: ${fmt(b)} -> ${fmt(h)} (${bar}): passed on base, fails on head: ${h.failures[0] ?? ''}`.trim() });
    } else if (!b && !h.passed) {
      findings.push({ kind: 'comparison-failed', regression: true, message: `${h.name}: new comparison fails on head: ${fmt(h)} (${bar})` });
    } else if (h.verdict === 'inconclusive') {
      findings.push({ kind: 'comparison-inconclusive', regression: false, message: `${h.name}: inconclusive on head: ${fmt(h)} straddles the ${bar}${b ? ` (base ${fmt(b)}, ${b.verdict ?? 'reported'})` : ''}` });
    }
    out.push({ name: h.name, workload: h.workload, threshold: h.threshold, ...(b ? { base: side(b) } : {}), head: side(h), findings });
  }
  const headKeys = new Set(head.comparisons.map(key));
  for (const b of base.comparisons) {
    if (!headKeys.has(key(b))) out.push({ name: b.name, workload: b.workload, threshold: b.threshold, base: side(b), findings: [{ kind: 'case-removed', regression: false, message: `${b.name}: comparison removed (not on head)` }] });
  }
  return out;
}
