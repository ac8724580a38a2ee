/**
 * The regression gate: compares a run's results.json with a baseline.
 *  1. Deterministic signals first, strictly: a case's plan (node types, indexes), its
 *     shared buffers (beyond a small tolerance) and rows; deterministic metrics (sizes,
 *     flags). Any change is a finding with the diff; more buffers is a regression.
 *  2. Speedup ratios, which transfer across machines: a regression when the new 95%
 *     interval lies wholly below the baseline's AND the estimate lost more than
 *     `minSpeedupDrop` of its value (intervals from one run are narrower than run-to-run
 *     variation; the effect size keeps an A/A comparison passing). A comparison that failed its own
 *     assertion in the run is a regression. An inconclusive verdict is always reported: a
 *     regression when its estimate lost more than `minSpeedupDrop`, otherwise information.
 *  3. Absolute latencies only when the fingerprints match (same machine, server,
 *     settings, dataset); otherwise they are skipped, and the gate says why.
 * Missing cases are regressions (coverage dropped); new ones are reported.
 */
import { caseId, type CaseResult, type ComparisonResult, type Fingerprint, type MetricResult, type ResultsFile } from '../results/results-schema.ts';

export type Severity = 'regression' | 'improvement' | 'info';

export interface GateFinding {
  kind: 'plan' | 'buffers' | 'rows' | 'metric' | 'speedup' | 'latency' | 'failed' | 'inconclusive' | 'missing' | 'new';
  subject: string;
  detail: string;
  severity: Severity;
}

export interface GateOptions {
  /** Relative change of shared buffers tolerated. @default 0.1 */
  bufferTolerance?: number;
  /** Absolute change of shared buffers always tolerated (tiny plans). @default 8 */
  bufferSlack?: number;
  /**
   * Relative drop of a speedup estimate needed (with disjoint intervals) to call it a
   * regression. The 95% interval of one run is narrower than the spread between runs:
   * measured here, the same comparison gave 2.33x, 3.81x and 2.81x in three CI runs
   * (testcontainers), each with a tight interval. Half the speedup lost is a real
   * regression (a dropped index, COPY turned into INSERTs lose far more). @default 0.5
   */
  minSpeedupDrop?: number;
  /**
   * New median latency / baseline median above which (same fingerprint) it is a
   * regression. Medians of two runs on a shared 2-core machine move by 1.7x with the
   * neighbours (measured): the bar is 2x, and the median must also have grown by
   * `latencySlackMs`. @default 2
   */
  maxLatencyRatio?: number;
  /** Absolute growth of the median always tolerated, ms (round-trip noise). @default 0.5 */
  latencySlackMs?: number;
  /** Relative change tolerated for deterministic metrics (bytes). @default 0.05 */
  metricTolerance?: number;
  /** 'auto': compare absolute latencies when the fingerprints match; 'off': never. @default 'auto' */
  latency?: 'auto' | 'off';
}

export interface GateReport {
  findings: GateFinding[];
  /** Checks not made, with the reason. */
  skipped: string[];
  verdict: 'pass' | 'regression';
}

/** A baseline and results that cannot be compared meaningfully (exit code 2). */
export class GateInputError extends Error {
  override readonly name = 'GateInputError';
}

// 'statements': client round trips per iteration (receipts/insert/invariants), counted, not timed.
const DETERMINISTIC_UNITS = new Set(['bytes', 'bool', 'rows', 'statements']);
const caseKey = (c: CaseResult) => `${caseId(c)} @ scale ${c.scale}`;
const comparisonKey = (c: ComparisonResult) => `${c.name} @ scale ${c.scale}`;
const metricKey = (m: MetricResult) => `${m.name} @ scale ${m.scale}`;

/** Why two fingerprints are not the same measuring environment ([] when they are). */
export function fingerprintDifferences(a: Fingerprint, b: Fingerprint): string[] {
  const diffs: string[] = [];
  const same = (label: string, x: unknown, y: unknown) => {
    if (JSON.stringify(x) !== JSON.stringify(y)) diffs.push(`${label}: ${JSON.stringify(x)} vs ${JSON.stringify(y)}`);
  };
  same('provider', a.postgres.provider, b.postgres.provider);
  same('postgres version', a.postgres.version, b.postgres.version);
  same('server settings', a.postgres.settings, b.postgres.settings);
  same('cpu', a.machine.cpuModel, b.machine.cpuModel);
  same('cores', a.machine.cores, b.machine.cores);
  same('node', a.node, b.node);
  return diffs;
}

export function assertComparable(baseline: ResultsFile, results: ResultsFile): void {
  for (const [label, file] of [['baseline', baseline], ['results', results]] as const) {
    if (!file || typeof file !== 'object' || !Array.isArray(file.cases) || !Array.isArray(file.comparisons) || !file.fingerprint) {
      throw new GateInputError(`${label} is not a schemabench results file (no cases, comparisons or fingerprint)`);
    }
  }
  if (baseline.fingerprint.seed !== results.fingerprint.seed) {
    throw new GateInputError(`baseline seed ${baseline.fingerprint.seed} vs results seed ${results.fingerprint.seed}: compare runs of the same seed`);
  }
  const scales = (f: ResultsFile) => [...new Set(f.cases.map((c) => c.scale))].sort().join(',');
  if (scales(baseline) !== scales(results) && baseline.cases.length && results.cases.length) {
    throw new GateInputError(`baseline was measured at scale ${scales(baseline)}, results at scale ${scales(results)}: compare runs of the same scales`);
  }
  for (const [workload, key] of Object.entries(results.fingerprint.datasets ?? {})) {
    const before = baseline.fingerprint.datasets?.[workload];
    if (before && before !== key) {
      throw new GateInputError(
        `the ${workload} dataset changed (${before} -> ${key}: schema, generator or faker version): plans and buffers are not comparable; review and run \`schemabench baseline update\``,
      );
    }
  }
}

function compareCase(base: CaseResult, now: CaseResult, o: Required<GateOptions>, sameMachine: boolean): GateFinding[] {
  const out: GateFinding[] = [];
  const subject = caseKey(now);
  if (base.plan && now.plan) {
    const shape = (p: NonNullable<CaseResult['plan']>) => `${p.nodes.join(' > ')} [${p.indexes.join(', ')}]`;
    if (shape(base.plan) !== shape(now.plan)) {
      out.push({ kind: 'plan', subject, severity: 'regression', detail: `plan changed: ${shape(base.plan)}  ->  ${shape(now.plan)}` });
    }
  }
  if (base.buffers && now.buffers) {
    const [b, n] = [base.buffers.hit + base.buffers.read, now.buffers.hit + now.buffers.read];
    if (Math.abs(n - b) > Math.max(o.bufferSlack, o.bufferTolerance * b)) {
      out.push({ kind: 'buffers', subject, severity: n > b ? 'regression' : 'improvement', detail: `shared buffers ${b} -> ${n} (${((100 * (n - b)) / Math.max(b, 1)).toFixed(0)}%)` });
    }
  }
  if (base.rows !== null && now.rows !== null && base.rows !== now.rows && base.plan) {
    out.push({ kind: 'rows', subject, severity: 'regression', detail: `rows ${base.rows} -> ${now.rows}` });
  }
  if (sameMachine && base.latency.p50 > 0) {
    const ratio = now.latency.p50 / base.latency.p50;
    if (ratio > o.maxLatencyRatio && now.latency.p50 - base.latency.p50 > o.latencySlackMs) {
      out.push({ kind: 'latency', subject, severity: 'regression', detail: `median ${base.latency.p50.toFixed(3)} -> ${now.latency.p50.toFixed(3)} ms (${ratio.toFixed(2)}x, limit ${o.maxLatencyRatio}x)` });
    }
  }
  return out;
}

function compareSpeedup(base: ComparisonResult, now: ComparisonResult, o: Required<GateOptions>): GateFinding[] {
  const subject = comparisonKey(now);
  const b = base.speedup;
  const n = now.speedup;
  const fmt = (s: typeof b) => `${s.estimate.toFixed(2)}x [${s.low.toFixed(2)}, ${s.high.toFixed(2)}]`;
  if (!now.passed) return [{ kind: 'failed', subject, severity: 'regression', detail: `failed in the run: ${now.failures.join('; ')}` }];
  if (now.verdict === 'inconclusive') {
    // Its interval is wide by definition, so "disjoint intervals" would rarely fire and could hide
    // a drop: judge the estimate alone, and always say the verdict was inconclusive.
    const dropped = n.estimate < b.estimate * (1 - o.minSpeedupDrop);
    return [
      {
        kind: 'inconclusive',
        subject,
        severity: dropped ? 'regression' : 'info',
        detail: `inconclusive in the run (${now.rounds} rounds): speedup ${fmt(b)} -> ${fmt(n)}${dropped ? `, the estimate lost more than ${100 * o.minSpeedupDrop}%` : ', estimate still clears its bar'}`,
      },
    ];
  }
  if (n.high < b.low && n.estimate < b.estimate * (1 - o.minSpeedupDrop)) {
    return [{ kind: 'speedup', subject, severity: 'regression', detail: `speedup ${fmt(b)} -> ${fmt(n)}` }];
  }
  if (n.low > b.high && n.estimate * (1 - o.minSpeedupDrop) > b.estimate) {
    return [{ kind: 'speedup', subject, severity: 'improvement', detail: `speedup ${fmt(b)} -> ${fmt(n)}` }];
  }
  return [];
}

function compareMetric(base: MetricResult, now: MetricResult, o: Required<GateOptions>): GateFinding[] {
  if (!DETERMINISTIC_UNITS.has(now.unit)) return [];
  const tolerance = now.unit === 'bytes' ? o.metricTolerance * Math.abs(base.value) : 0;
  if (Math.abs(now.value - base.value) <= tolerance) return [];
  return [{ kind: 'metric', subject: metricKey(now), severity: 'regression', detail: `${base.value} -> ${now.value} ${now.unit}` }];
}

/** Pair items of two lists by key: [baseline, results] pairs, and the unpaired on each side. */
function pair<T>(a: T[], b: T[], key: (t: T) => string) {
  const mapA = new Map(a.map((t) => [key(t), t]));
  const mapB = new Map(b.map((t) => [key(t), t]));
  return {
    both: [...mapB.entries()].filter(([k]) => mapA.has(k)).map(([k, t]) => [mapA.get(k)!, t] as const),
    missing: [...mapA.keys()].filter((k) => !mapB.has(k)),
    added: [...mapB.keys()].filter((k) => !mapA.has(k)),
  };
}

export function gateResults(baseline: ResultsFile, results: ResultsFile, options: GateOptions = {}): GateReport {
  assertComparable(baseline, results);
  const o: Required<GateOptions> = { bufferTolerance: 0.1, bufferSlack: 8, minSpeedupDrop: 0.5, maxLatencyRatio: 2, latencySlackMs: 0.5, metricTolerance: 0.05, latency: 'auto', ...options };
  const differences = fingerprintDifferences(baseline.fingerprint, results.fingerprint);
  const sameMachine = differences.length === 0 && o.latency === 'auto';
  const skipped =
    o.latency === 'off'
      ? ['absolute latencies: --latency off']
      : differences.length
        ? [`absolute latencies: the fingerprints differ (${differences.join('; ')})`]
        : [];
  const findings: GateFinding[] = [];
  const report = <T>(kind: 'case' | 'comparison' | 'metric', p: ReturnType<typeof pair<T>>) => {
    for (const k of p.missing) findings.push({ kind: 'missing', subject: k, severity: 'regression', detail: `${kind} in the baseline, not in the results` });
    for (const k of p.added) findings.push({ kind: 'new', subject: k, severity: 'info', detail: `${kind} not in the baseline` });
  };
  const cases = pair(baseline.cases, results.cases, caseKey);
  report('case', cases);
  for (const [b, n] of cases.both) findings.push(...compareCase(b, n, o, sameMachine));
  const comparisons = pair(baseline.comparisons, results.comparisons, comparisonKey);
  report('comparison', comparisons);
  for (const [b, n] of comparisons.both) findings.push(...compareSpeedup(b, n, o));
  const metrics = pair(baseline.metrics ?? [], results.metrics ?? [], metricKey);
  report('metric', { ...metrics, missing: metrics.missing, added: metrics.added });
  for (const [b, n] of metrics.both) findings.push(...compareMetric(b, n, o));
  return { findings, skipped, verdict: findings.some((f) => f.severity === 'regression') ? 'regression' : 'pass' };
}
