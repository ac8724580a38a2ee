/**
 * A judge's outcome, the contract between the rules (judge.ts) and the renderers
 * (terminal, markdown, JSON) of both commands: `schemabench compare --json` prints it and
 * writes it to compare.json, `schemabench gate --json` prints it.
 */
import type { DatasetChange } from './dataset-changes.ts';
import type { CaseDiff, ComparisonDiff, LoadDiff, MetricDiff, MigrationTrace, Side } from './evidence.ts';
import type { Finding, Severity } from './finding.ts';
import type { JudgeRules } from './judge-rules.ts';
import type { LatencyFamily } from './latency-family.ts';

/**
 * - `pass`: nothing regressed and head's suite is green;
 * - `regression`: something costs more, fails or is gone (exit 1);
 * - `failing`: nothing regressed, but tests fail on head that already failed on base (exit 1: a red suite is never a pass);
 * - `no-verdict`: the evidence cannot be trusted (measurements of the sides overlapped) and no deterministic finding decides (exit 3).
 */
export type Verdict = 'pass' | 'regression' | 'failing' | 'no-verdict';

/** Findings with one cause: one thing that went wrong (or got better), counted once. */
export interface FindingGroup {
  cause: string;
  /** The worst severity of its findings. */
  severity: Severity;
  findings: Finding[];
}

export interface Judgement {
  command: 'compare' | 'gate';
  /** `paired`: base and head measured together, round by round; `cross-run`: results against a stored baseline. */
  mode: 'paired' | 'cross-run';
  verdict: Verdict;
  /** Base (compare) or the baseline (gate); head or the results. */
  base: Side;
  head: Side;
  /** Head's server: provider and version (several versions joined in a matrix). */
  server: { provider: string; version: string };
  workloads: string[];
  scale: number;
  seed: number;
  rules: JudgeRules;
  /** Latency ratios were judged from rounds taken in turns (compare); false in gate or when a side could not take turns. */
  paired: boolean;
  /** Paired: how the cases' latency ratios were judged together (latency-family.ts); null otherwise. */
  latencyFamily: LatencyFamily | null;
  cases: CaseDiff[];
  comparisons: ComparisonDiff[];
  metrics: MetricDiff[];
  loads: LoadDiff[];
  /** Every finding: the subjects' above, and those of tests, migrations, datasets and the run. */
  findings: Finding[];
  /** The findings grouped by cause, regressions first. */
  groups: FindingGroup[];
  /** The change's migrations applied to base's data (compare). */
  migrations: MigrationTrace[];
  /** Head's failing tests: new ones are findings; these failed on base too. */
  alreadyFailing: string[];
  /** Datasets that changed between the sides, per table. */
  datasets: DatasetChange[];
  /** Measurements of base and head that overlapped in time (compare); null when not checked. */
  overlaps: number | null;
  /** What the reader should know: checks skipped and why, workloads not judged, sides that could not take turns. */
  notes: string[];
  /** compare: workloads and benchmark files not measured because nothing they depend on changed, one line each. */
  unmeasured: string[];
  /** Wall time of the command, ms (0 when not timed). */
  durationMs: number;
}

/** Regression groups: the number of things that went wrong. */
export const regressionCount = (j: Pick<Judgement, 'groups'>) => j.groups.filter((g) => g.severity === 'regression').length;

/** Exit code of a verdict: 0 pass, 1 regression or a red suite, 3 no verdict (the environment failed). */
export const verdictExitCode = (v: Verdict) => (v === 'pass' ? 0 : v === 'no-verdict' ? 3 : 1);
