/**
 * The rules for what the suites asserted themselves, the same in both modes: a
 * `compare()` or a load whose assertion fails on head (or in the results) is a
 * regression when it passed on base (or in the baseline), and evidence of a suite that
 * was already failing when it failed there too; an inconclusive verdict is always shown
 * with both sides, never as a pass. Deterministic metrics (sizes, counts, flags) must not
 * move: `bytes` within `metricTolerance`, the other units exactly. Across runs on the same
 * server (gate), a speedup or load ratio that lost more than `minSpeedupDrop` of its
 * value with disjoint intervals has drifted: a regression.
 */
import type { Interval } from '../results/results-schema.ts';
import type { ComparisonFacts, LoadFacts, MetricFacts } from './evidence.ts';
import { intervalText, requiredText } from './evidence-text.ts';
import { found, type Found } from './judge-case.ts';
import type { JudgeRules } from './judge-rules.ts';

const bar = (threshold: number | null) => (threshold === null ? 'reported' : `bar ${requiredText(threshold)}`);

/** A failure's text without the subject's name in front (the finding names its subject). */
const failureText = (failure: string | undefined, name: string) => failure?.replace(new RegExp(`^${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:\\s*`), '');

export function judgeComparison(b: ComparisonFacts | undefined, h: ComparisonFacts, name: string): Found[] {
  const evidence = [`speedup ${b ? `${intervalText(b.speedup)} -> ` : ''}${intervalText(h.speedup)} (${bar(h.threshold)})`];
  if (!h.passed) {
    const why = failureText(h.failures[0], name) ?? `verdict ${h.verdict ?? 'failed'}`;
    if (b && !b.passed) return [found('comparison-failed', 'change', `fails on both sides (already failing): ${why}`, evidence)];
    return [found('comparison-failed', 'regression', `${b ? 'passed before, fails now' : 'new and failing'}: ${why}`, evidence)];
  }
  if (h.verdict === 'inconclusive') {
    return [found('comparison-inconclusive', 'change', `inconclusive: ${intervalText(h.speedup)} straddles its ${bar(h.threshold)}${b ? ` (before ${intervalText(b.speedup)}, ${b.threshold === null ? 'reported' : (b.verdict ?? (b.passed ? 'pass' : 'fail'))})` : ''}`, evidence)];
  }
  return [];
}

export function judgeLoad(b: LoadFacts | undefined, h: LoadFacts, name: string): Found[] {
  if (h.passed) return [];
  const why = failureText(h.failures[0], `load ${name}`) ?? 'a ratio is below its bar';
  const evidence = h.ratios.filter((r) => !r.passed).map((r) => `${r.label} ${intervalText(r.ratio)} (${bar(r.threshold)})`);
  if (b && !b.passed) return [found('load-failed', 'change', `fails on both sides (already failing): ${why}`, evidence)];
  return [found('load-failed', 'regression', `${b ? 'passed before, fails now' : 'new and failing'}: ${why}`, evidence)];
}

/** Units whose values are counted, not timed: the same code on the same data gives the same value. */
const DETERMINISTIC_UNITS = new Set(['bytes', 'bool', 'rows', 'statements']);

export function judgeMetric(b: MetricFacts, h: MetricFacts, rules: JudgeRules): Found[] {
  if (!DETERMINISTIC_UNITS.has(h.unit)) return [];
  const tolerance = h.unit === 'bytes' ? rules.metricTolerance * Math.abs(b.value) : 0;
  if (Math.abs(h.value - b.value) <= tolerance) return [];
  const within = h.unit === 'bytes' ? ` (tolerance ${100 * rules.metricTolerance}%)` : '';
  return [found('metric-changed', 'regression', `${b.value} -> ${h.value} ${h.unit}${within}`, [`${b.value} -> ${h.value} ${h.unit}`])];
}

/** Gate, same server: a ratio (bigger is better) that lost more than `minSpeedupDrop` with disjoint intervals, or gained as much. */
function drift(b: Interval, h: Interval, inconclusive: boolean, rules: JudgeRules): 'dropped' | 'rose' | undefined {
  const lost = h.estimate < b.estimate * (1 - rules.minSpeedupDrop);
  // An inconclusive interval is wide by definition: disjoint intervals would rarely show, and could hide a drop.
  if (lost && (inconclusive || h.high < b.low)) return 'dropped';
  if (h.low > b.high && h.estimate * (1 - rules.minSpeedupDrop) > b.estimate) return 'rose';
  return undefined;
}

export function judgeSpeedupDrift(b: ComparisonFacts, h: ComparisonFacts, rules: JudgeRules): Found[] {
  if (!h.passed) return [];
  const moved = drift(b.speedup, h.speedup, h.verdict === 'inconclusive', rules);
  const text = `speedup ${intervalText(b.speedup)} -> ${intervalText(h.speedup)}`;
  if (moved === 'dropped') return [found('speedup-dropped', 'regression', `${text}: lost more than ${100 * rules.minSpeedupDrop}%`, [text])];
  if (moved === 'rose') return [found('speedup-rose', 'improvement', text, [text])];
  return [];
}

export function judgeLoadDrift(b: LoadFacts, h: LoadFacts, rules: JudgeRules): Found[] {
  if (!h.passed) return [];
  const out: Found[] = [];
  for (const r of h.ratios) {
    const before = b.ratios.find((x) => x.label === r.label);
    if (!before || r.threshold === null) continue;
    if (drift(before.ratio, r.ratio, r.verdict === 'inconclusive', rules) === 'dropped') {
      const text = `${r.label} ${intervalText(before.ratio)} -> ${intervalText(r.ratio)}`;
      out.push(found('load-ratio-dropped', 'regression', `${text}: lost more than ${100 * rules.minSpeedupDrop}%`, [text]));
    }
  }
  return out;
}
