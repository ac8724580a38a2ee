/**
 * The regression gate: compares a run's results.json with a baseline.
 *  1. Deterministic signals first, strictly: a case's plan (node types, indexes), its
 *     shared buffers (beyond a small tolerance) and rows; deterministic metrics (sizes,
 *     flags). More buffers is a regression. On the same dataset any plan change is one
 *     (the planner is deterministic for the same schema, rows and settings). On a changed
 *     dataset (a schema change: a dropped index, a new table) the cases are compared all
 *     the same, and a plan is a regression when it lost an index or gained a seq scan on
 *     a table with rows; the report says how the dataset changed.
 *  2. Speedup ratios, only between equal servers (provider, version, settings): a
 *     regression when the new 95% interval lies wholly below the baseline's AND the
 *     estimate lost more than `minSpeedupDrop` of its value (intervals from one run are
 *     narrower than run-to-run variation; the effect size keeps an A/A comparison
 *     passing). A comparison that failed its own assertion in the run is a regression
 *     wherever it ran. An inconclusive verdict is always reported: on the same server a
 *     regression when its estimate lost more than `minSpeedupDrop`, otherwise information.
 *  3. Absolute latencies only when the whole measuring environment matches (server and
 *     machine); otherwise they are skipped, and the gate says why.
 * Missing cases are regressions (coverage dropped); new ones are reported. A workload the
 * results do not cover at all (a run of one workload) is not judged, and the gate says so.
 */
import { caseId, type CaseResult, type ComparisonResult, type MetricResult, type ResultsFile } from '../results/results-schema.ts';
import { datasetChanges, type DatasetChange } from './dataset-changes.ts';
import { environmentDifferences } from './measuring-environment.ts';

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
  /** Checks not made, one line per reason (with how many were skipped). */
  skipped: string[];
  /** Workloads whose dataset changed, and how. */
  datasets: DatasetChange[];
  /** Baseline workloads the results do not cover, not judged (one line each). */
  notJudged: string[];
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

/** The workloads a results file covers: those whose suites ran, and those it has results of. */
function workloadsOf(file: ResultsFile): Set<string> {
  return new Set([...Object.keys(file.fingerprint.datasets ?? {}), ...file.cases.map((c) => c.workload), ...file.comparisons.map((c) => c.workload), ...(file.metrics ?? []).map((m) => m.workload)]);
}

/**
 * Checks that the files can be compared and returns the workloads to judge: those of the
 * baseline that the results cover. Another seed or scale is bad input: every row differs.
 */
export function assertComparable(baseline: ResultsFile, results: ResultsFile): Set<string> {
  for (const [label, file] of [['baseline', baseline], ['results', results]] as const) {
    if (!file || typeof file !== 'object' || !Array.isArray(file.cases) || !Array.isArray(file.comparisons) || !file.fingerprint) {
      throw new GateInputError(`${label} is not a schemabench results file (no cases, comparisons or fingerprint)`);
    }
  }
  if (baseline.fingerprint.seed !== results.fingerprint.seed) {
    throw new GateInputError(`baseline seed ${baseline.fingerprint.seed} vs results seed ${results.fingerprint.seed}: compare runs of the same seed`);
  }
  const covered = workloadsOf(results);
  const inBaseline = workloadsOf(baseline);
  const judged = new Set([...inBaseline].filter((w) => covered.has(w)));
  if (!judged.size && inBaseline.size && covered.size) {
    throw new GateInputError(`no workload in common: the baseline has ${[...inBaseline].sort().join(', ')}, the results ${[...covered].sort().join(', ')}`);
  }
  // The run's scale must match; scaling() cases at other scales are cases like any other
  // (missing when a filtered run left them out), unless no scale is shared at all.
  const scales = (f: ResultsFile) => [...new Set(f.cases.filter((c) => judged.has(c.workload)).map((c) => c.scale))].sort();
  const [before, after] = [scales(baseline), scales(results)];
  if (before.length && after.length && (baseline.fingerprint.scale !== results.fingerprint.scale || !before.some((s) => after.includes(s)))) {
    throw new GateInputError(`baseline was measured at scale ${before.join(',')}, results at scale ${after.join(',')}: compare runs of the same scales`);
  }
  return judged;
}

type Plan = NonNullable<CaseResult['plan']>;
const shape = (p: Plan) => `${p.nodes.join(' > ')} [${p.indexes.join(', ')}]`;

/**
 * A plan change on a changed dataset: a regression when the plan lost an index or gained
 * a seq scan on a table with rows (a seq scan of an empty table reads no page).
 */
function judgePlanChange(base: Plan, now: Plan, rows: Record<string, number> | null): { severity: Severity; why: string } {
  const lost = base.indexes.filter((i) => !now.indexes.includes(i));
  const seqScans = now.seqScans.filter((t) => !base.seqScans.includes(t) && (rows?.[t] ?? 1) > 0);
  if (lost.length || seqScans.length) {
    return { severity: 'regression', why: [lost.length ? `lost index ${lost.join(', ')}` : '', seqScans.length ? `new seq scan on ${seqScans.join(', ')}` : ''].filter(Boolean).join('; ') };
  }
  const gained = now.indexes.some((i) => !base.indexes.includes(i)) || base.seqScans.some((t) => !now.seqScans.includes(t));
  return gained ? { severity: 'improvement', why: 'uses a new index or one seq scan fewer' } : { severity: 'info', why: 'same indexes and seq scans' };
}

function compareCase(base: CaseResult, now: CaseResult, o: Required<GateOptions>, sameMachine: boolean, dataset: DatasetChange | undefined): GateFinding[] {
  const out: GateFinding[] = [];
  const subject = caseKey(now);
  if (base.plan && now.plan && shape(base.plan) !== shape(now.plan)) {
    const detail = `plan changed: ${shape(base.plan)}  ->  ${shape(now.plan)}`;
    if (!dataset) out.push({ kind: 'plan', subject, severity: 'regression', detail });
    else {
      const judged = judgePlanChange(base.plan, now.plan, dataset.rows);
      out.push({ kind: 'plan', subject, severity: judged.severity, detail: `${detail} (${judged.why}; the ${dataset.workload} dataset changed)` });
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
  const judged = assertComparable(baseline, results);
  const o: Required<GateOptions> = { bufferTolerance: 0.1, bufferSlack: 8, minSpeedupDrop: 0.5, maxLatencyRatio: 2, latencySlackMs: 0.5, metricTolerance: 0.05, latency: 'auto', ...options };
  const serverDifferences = environmentDifferences(baseline.fingerprint, results.fingerprint, 'server');
  const machineDifferences = environmentDifferences(baseline.fingerprint, results.fingerprint, 'machine');
  const sameServer = serverDifferences.length === 0;
  const sameMachine = machineDifferences.length === 0 && o.latency === 'auto';
  const datasets = datasetChanges(baseline.fingerprint, results.fingerprint, judged);
  const changedDataset = new Map(datasets.map((d) => [d.workload, d]));

  const notJudged: string[] = [];
  const only = <T extends { workload: string }>(items: T[]) => items.filter((t) => judged.has(t.workload));
  for (const workload of [...workloadsOf(baseline)].filter((w) => !judged.has(w)).sort()) {
    const count = <T extends { workload: string }>(items: T[]) => items.filter((t) => t.workload === workload).length;
    const n = (items: { workload: string }[], noun: string) => `${count(items)} ${noun}${count(items) === 1 ? '' : 's'}`;
    notJudged.push(`workload ${workload}: not in the results (${n(baseline.cases, 'case')}, ${n(baseline.comparisons, 'comparison')}, ${n(baseline.metrics ?? [], 'metric')} of the baseline not judged)`);
  }

  const findings: GateFinding[] = [];
  const report = <T>(kind: 'case' | 'comparison' | 'metric', p: ReturnType<typeof pair<T>>) => {
    for (const k of p.missing) findings.push({ kind: 'missing', subject: k, severity: 'regression', detail: `${kind} in the baseline, not in the results` });
    for (const k of p.added) findings.push({ kind: 'new', subject: k, severity: 'info', detail: `${kind} not in the baseline` });
  };
  const cases = pair(only(baseline.cases), results.cases, caseKey);
  report('case', cases);
  for (const [b, n] of cases.both) findings.push(...compareCase(b, n, o, sameMachine, changedDataset.get(n.workload)));
  const comparisons = pair(only(baseline.comparisons), results.comparisons, comparisonKey);
  report('comparison', comparisons);
  let speedupsSkipped = 0;
  for (const [b, n] of comparisons.both) {
    // A comparison that failed its own assertion failed where it ran, whatever the baseline's server.
    if (!n.passed) findings.push({ kind: 'failed', subject: comparisonKey(n), severity: 'regression', detail: `failed in the run: ${n.failures.join('; ')}` });
    else if (sameServer) findings.push(...compareSpeedup(b, n, o));
    else {
      speedupsSkipped++;
      const s = n.speedup;
      if (n.verdict === 'inconclusive') {
        findings.push({ kind: 'inconclusive', subject: comparisonKey(n), severity: 'info', detail: `inconclusive in the run (${n.rounds} rounds): speedup ${s.estimate.toFixed(2)}x [${s.low.toFixed(2)}, ${s.high.toFixed(2)}]; not compared with the baseline (another server)` });
      }
    }
  }
  const metrics = pair(only(baseline.metrics ?? []), results.metrics ?? [], metricKey);
  report('metric', metrics);
  for (const [b, n] of metrics.both) findings.push(...compareMetric(b, n, o));

  const skipped: string[] = [];
  if (speedupsSkipped) skipped.push(`speedups of ${speedupsSkipped} comparison${speedupsSkipped === 1 ? '' : 's'}: measured on different servers (${serverDifferences.join('; ')})`);
  if (cases.both.length && !sameMachine) {
    skipped.push(`absolute latencies of ${cases.both.length} case${cases.both.length === 1 ? '' : 's'}: ${o.latency === 'off' ? '--latency off' : `the measuring environments differ (${machineDifferences.join('; ')})`}`);
  }
  return { findings, skipped, datasets, notJudged, verdict: findings.some((f) => f.severity === 'regression') ? 'regression' : 'pass' };
}
