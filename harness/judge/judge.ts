/**
 * The one judge of `schemabench gate` and `schemabench compare`: the same rules
 * (judge-rules.ts) over the same evidence (two results files paired by key), in two modes.
 * - Both: plans, buffers, rows and SQL of every case (judge-case.ts); the suites' own
 *   comparisons and loads, deterministic metrics (judge-assertions.ts); subjects removed
 *   (a regression: coverage dropped, unless the change edited the file that declared it)
 *   and added (evidence); datasets that changed, per table.
 * - `paired` (compare): base and head measured together, round by round: the latency
 *   ratio of each case, head's failing tests, the change's migrations traced on base's
 *   data, and whether the sides' measurements overlapped.
 * - `cross-run` (gate): a run against a stored baseline: speedup and load-ratio drift on
 *   an equal server, absolute latency on an equal machine (measuring-environment.ts).
 * Findings are grouped by cause (group-findings.ts); the verdict counts the groups.
 */
import type { ResultsFile } from '../results/results-schema.ts';
import { forecastAtText, forecastFacts, locksText, migrationFlags, migrationName, msText } from './evidence-text.ts';
import { rewrittenTables } from './strongest-locks.ts';
import { comparableWorkloads, notJudgedLines, onlyWorkloads, workloadsOf } from './comparable-results.ts';
import { datasetChanges, formatDatasetChange, type DatasetChange } from './dataset-changes.ts';
import type { CaseDiff, MigrationTrace, Side, SubjectDiff } from './evidence.ts';
import type { Finding, Subject } from './finding.ts';
import { caseCause, groupFindings, removedBy, subjectCause, testCause, testSubject } from './group-findings.ts';
import { judgeComparison, judgeLoad, judgeLoadDrift, judgeMetric, judgeSpeedupDrift } from './judge-assertions.ts';
import { found, judgeCaseFacts, judgeCrossRunLatency, judgeIterations, judgePairedLatency, type Found } from './judge-case.ts';
import { judgeRules, type JudgeRules } from './judge-rules.ts';
import type { Judgement, Verdict } from './judgement.ts';
import { familyInterval, latencyFamily, type LatencyFamily } from './latency-family.ts';
import { MAX_TURN_GAP, MIN_PAIRS, pairedLogRatios } from './latency-ratio.ts';
import { environmentDifferences } from './measuring-environment.ts';
import { caseKey, pairResults, type PairedResults } from './pair-results.ts';

/** Full names of a side's tests that failed and passed (vitest's JSON report). */
export interface TestOutcome {
  failed: string[];
  passed: string[];
  /** A failed test's error, first line, by name (when known). */
  messages?: Record<string, string>;
}

export interface PairedEvidence {
  tests: { base: TestOutcome; head: TestOutcome };
  /** Head's migrations that base lacks, applied to base's data. */
  migrations: MigrationTrace[];
  /** Files the change edited (relative to the project): a subject declared in one of them may be removed on purpose. */
  changedFiles: ReadonlySet<string>;
  /** Measurements of one side that overlapped a measurement of the other (turn-log.ts). */
  overlaps: number;
  /** Both sides took turns round by round: latency ratios can be judged. */
  tookTurns: boolean;
}

export interface JudgeInput {
  command: Judgement['command'];
  base: ResultsFile;
  head: ResultsFile;
  sides: { base: Side; head: Side };
  rules?: Partial<Record<keyof JudgeRules, unknown>>;
  /** Given: the paired mode (compare). Absent: the cross-run mode (gate). */
  paired?: PairedEvidence;
  /** Cross-run: 'auto' compares absolute latencies when the machines match; 'off' never. @default 'auto' */
  latency?: 'auto' | 'off';
  notes?: string[];
  /** compare: what was not measured because the change cannot move it, one line each. */
  unmeasured?: string[];
  durationMs?: number;
}

/** Kinds a machine's timing cannot produce: they decide a verdict even when measurements overlapped. */
const DETERMINISTIC = new Set<Finding['kind']>(['index-lost', 'seq-scan-gained', 'buffers-up', 'rows-changed', 'metric-changed', 'removed', 'migration-flagged']);

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

function withSubject(diff: SubjectDiff, fs: Found[]): void {
  diff.findings.push(...fs.map((f) => ({ ...f, subject: diff.subject, cause: '' })));
}

/** A subject on one side only: removed (coverage dropped, unless the change edited its file) or added. */
function oneSided(diff: SubjectDiff, changedFiles: ReadonlySet<string> | undefined): Found[] {
  if (diff.status === 'added') return [found('added', 'change', `new ${diff.subject.type}: not measured before`)];
  const edited = diff.file !== undefined && changedFiles?.has(diff.file);
  if (edited) return [found('removed', 'change', `${diff.subject.type} removed by the change (${diff.file} changed)`)];
  return [found('removed', 'regression', `${diff.subject.type} measured before, not now: coverage dropped`)];
}

interface RuleContext {
  rules: JudgeRules;
  paired: PairedEvidence | undefined;
  sameServer: boolean;
  sameMachine: boolean;
  datasets: DatasetChange[];
  head: ResultsFile;
}

/** Paired: every case's pairs d_k (those with iterations agreeing and enough pairs), and the family they are judged in. */
function pairedSamples(cases: CaseDiff[], base: ResultsFile, head: ResultsFile, ctx: RuleContext): { samples: Map<CaseDiff, number[]>; family: LatencyFamily } {
  const baseCases = new Map(base.cases.map((c) => [caseKey(c), c]));
  const headCases = new Map(head.cases.map((c) => [caseKey(c), c]));
  const samples = new Map<CaseDiff, number[]>();
  for (const diff of cases) {
    if (!diff.base || !diff.head || !ctx.paired?.tookTurns) continue;
    const d = pairedLogRatios(baseCases.get(diff.key)!, headCases.get(diff.key)!);
    if (d) samples.set(diff, d);
  }
  return { samples, family: latencyFamily([...samples.values()], ctx.rules) };
}

function judgeCases(cases: CaseDiff[], base: ResultsFile, head: ResultsFile, ctx: RuleContext): LatencyFamily | null {
  const { samples, family } = pairedSamples(cases, base, head, ctx);
  for (const diff of cases) {
    const { base: b, head: h, subject } = diff;
    if (!b || !h) {
      withSubject(diff, oneSided(diff, ctx.paired?.changedFiles));
      continue;
    }
    const rows = ctx.head.fingerprint.datasetDetails?.[subject.workload]?.rows;
    const sameData = !ctx.datasets.some((d) => d.workload === subject.workload);
    const fs = judgeCaseFacts(b, h, { rules: ctx.rules, tableRows: (t) => rows?.[t] ?? Number.POSITIVE_INFINITY, sameData });
    if (ctx.paired) {
      fs.push(...judgeIterations(b, h));
      const d = samples.get(diff);
      if (d) diff.latency = familyInterval(d, family);
      fs.push(...judgePairedLatency(diff, diff.latency, ctx.rules));
    } else if (ctx.sameMachine) {
      fs.push(...judgeCrossRunLatency(b, h, ctx.rules));
    }
    withSubject(diff, fs);
  }
  return ctx.paired?.tookTurns ? family : null;
}

function judgeSubjects(pairs: PairedResults, base: ResultsFile, head: ResultsFile, ctx: RuleContext): { speedupsSkipped: number; latencyFamily: LatencyFamily | null } {
  const latencyFamily = judgeCases(pairs.cases, base, head, ctx);
  let speedupsSkipped = 0;
  const crossRun = !ctx.paired;
  for (const diff of pairs.comparisons) {
    if (!diff.head) withSubject(diff, oneSided(diff, ctx.paired?.changedFiles));
    else {
      withSubject(diff, judgeComparison(diff.base, diff.head, diff.subject.id));
      if (!diff.base) withSubject(diff, oneSided(diff, ctx.paired?.changedFiles));
      else if (crossRun && ctx.sameServer) withSubject(diff, judgeSpeedupDrift(diff.base, diff.head, ctx.rules));
      else if (crossRun) speedupsSkipped++;
    }
  }
  for (const diff of pairs.metrics) withSubject(diff, diff.base && diff.head ? judgeMetric(diff.base, diff.head, ctx.rules) : oneSided(diff, ctx.paired?.changedFiles));
  for (const diff of pairs.loads) {
    if (!diff.head) withSubject(diff, oneSided(diff, ctx.paired?.changedFiles));
    else {
      withSubject(diff, judgeLoad(diff.base, diff.head, diff.subject.id));
      if (!diff.base) withSubject(diff, oneSided(diff, ctx.paired?.changedFiles));
      else if (crossRun && ctx.sameServer) withSubject(diff, judgeLoadDrift(diff.base, diff.head, ctx.rules));
    }
  }
  return { speedupsSkipped, latencyFamily };
}

/** Causes: a case's first (its lost index, its new scan, or itself), then the subjects that depend on cases. */
function assignCauses(pairs: PairedResults): void {
  const cases = new Map(pairs.cases.map((d) => [d.key, d]));
  for (const diff of pairs.cases) {
    const cause = caseCause(diff);
    for (const f of diff.findings) f.cause = cause;
  }
  for (const diff of [...pairs.comparisons, ...pairs.metrics, ...pairs.loads]) {
    const cause = subjectCause(diff, cases);
    for (const f of diff.findings) f.cause = cause;
  }
  for (const diff of [...pairs.cases, ...pairs.comparisons, ...pairs.metrics, ...pairs.loads]) {
    const own = diff.findings.filter((f) => f.kind !== 'added' && f.kind !== 'removed');
    if (own.length) diff.status = 'changed';
  }
}

function runFinding(type: Subject['type'], id: string, workload: string, f: Found, cause: string): Finding {
  return { ...f, subject: { type, id, workload }, cause };
}

/** Head's failing tests that did not fail on base; those that did are listed as already failing. */
function testFindings(tests: PairedEvidence['tests'], subjects: SubjectDiff[]): { findings: Finding[]; alreadyFailing: string[] } {
  const failedOnBase = new Set(tests.base.failed);
  const findings: Finding[] = [];
  for (const name of tests.head.failed.filter((n) => !failedOnBase.has(n))) {
    const message = tests.head.messages?.[name] ?? '';
    const cause = testCause(name, message, subjects);
    // What this test would have measured, gone from head because it failed: one thing with the failure.
    for (const f of removedBy(name, subjects)) f.cause = cause;
    const wasThere = tests.base.passed.includes(name) ? 'passed on base' : 'not on base';
    const workload = testSubject(name, subjects)?.subject.workload ?? '';
    findings.push(runFinding('test', name, workload, found('test-failed', 'regression', `fails on head (${wasThere})${message ? `: ${message}` : ''}`), cause));
  }
  return { findings, alreadyFailing: tests.head.failed.filter((n) => failedOnBase.has(n)) };
}

function migrationFindings(migrations: MigrationTrace[]): Finding[] {
  const flagged = migrations.filter((m) => m.flags.length || m.error !== undefined);
  return flagged.map((m) => {
    const name = migrationName(m);
    const rewrites = rewrittenTables(m);
    const evidence = [`locks ${locksText(m)}${rewrites.length ? `; rewrites ${rewrites.join(', ')}` : ''}`, `${msText(m.durationMs)}, worst client wait ${msText(m.worstClientWaitMs)}`];
    if (m.forecast) evidence.push(`at ${forecastAtText(m.forecast)}: ${forecastFacts(m.forecast).join('; ')}`);
    return runFinding('migration', name, m.workload, found('migration-flagged', 'regression', migrationFlags(m).join('; '), evidence), `migration ${name}`);
  });
}

/**
 * Cases measured on both sides whose latency went unjudged for want of pairs (their rounds
 * ran too far apart in turns: the sides fell out of step): said, never silently passed.
 * A mismatch of iterations is a finding of its own.
 */
function unpairedLine(cases: CaseDiff[]): string[] {
  const unpaired = cases.filter((c) => c.base && c.head && !c.latency && !c.findings.some((f) => f.kind === 'iterations-differ'));
  if (!unpaired.length) return [];
  const shown = unpaired.slice(0, 3).map((c) => c.subject.id).join(', ');
  const measured = cases.filter((c) => c.base && c.head).length;
  return [
    `latency not judged for ${unpaired.length} of ${plural(measured, 'case')}: fewer than ${MIN_PAIRS} of their rounds ran within ${MAX_TURN_GAP} turns of the other side's (${shown}${unpaired.length > 3 ? ', ...' : ''})`,
  ];
}

function verdictOf(findings: Finding[], overlaps: number, failingOnHead: boolean): Verdict {
  const regressions = findings.filter((f) => f.severity === 'regression');
  if (overlaps > 0 && !regressions.some((f) => DETERMINISTIC.has(f.kind))) return 'no-verdict';
  if (regressions.length) return 'regression';
  return failingOnHead ? 'failing' : 'pass';
}

export function judge(input: JudgeInput): Judgement {
  const rules = judgeRules(input.rules);
  const paired = input.paired;
  const notes = [...(input.notes ?? [])];
  // Cross-run: only the workloads both files cover are judged; paired runs measured the same ones.
  const judged = paired ? new Set([...workloadsOf(input.base), ...workloadsOf(input.head)]) : comparableWorkloads(input.base, input.head);
  if (!paired) notes.push(...notJudgedLines(input.base, judged));
  const base = onlyWorkloads(input.base, judged);
  const head = input.head;
  const serverDifferences = environmentDifferences(base.fingerprint, head.fingerprint, 'server');
  const machineDifferences = environmentDifferences(base.fingerprint, head.fingerprint, 'machine');
  const datasets = datasetChanges(base.fingerprint, head.fingerprint, judged);
  const ctx: RuleContext = { rules, paired, sameServer: serverDifferences.length === 0, sameMachine: machineDifferences.length === 0 && input.latency !== 'off', datasets, head };
  const pairs = pairResults(base, head);
  const { speedupsSkipped, latencyFamily } = judgeSubjects(pairs, base, head, ctx);
  assignCauses(pairs);
  const subjects: SubjectDiff[] = [...pairs.cases, ...pairs.comparisons, ...pairs.metrics, ...pairs.loads];
  const findings: Finding[] = subjects.flatMap((d) => d.findings);
  let alreadyFailing: string[] = [];
  if (paired) {
    const tests = testFindings(paired.tests, subjects);
    findings.push(...tests.findings, ...migrationFindings(paired.migrations));
    alreadyFailing = tests.alreadyFailing;
    if (!paired.tookTurns) notes.push('base and head did not take turns (base is a schemabench without compare?): latencies were not paired and are not judged');
    else notes.push(...unpairedLine(pairs.cases));
    if (paired.overlaps > 0) {
      const f = found('measurements-overlapped', 'change', `${plural(paired.overlaps, 'measurement')} of one side overlapped a measurement of the other: timings are not evidence`);
      findings.push(runFinding('run', 'turns', '', f, 'measurements of base and head overlapped'));
    }
  } else {
    if (speedupsSkipped) notes.push(`skipped: speedups of ${plural(speedupsSkipped, 'comparison')}: measured on different servers (${serverDifferences.join('; ')})`);
    const both = pairs.cases.filter((c) => c.base && c.head).length;
    if (both && !ctx.sameMachine) notes.push(`skipped: absolute latencies of ${plural(both, 'case')}: ${input.latency === 'off' ? '--latency off' : `the measuring environments differ (${machineDifferences.join('; ')})`}`);
  }
  for (const d of datasets) {
    const evidence = d.changes.length ? d.changes : ['the key changed'];
    findings.push(runFinding('dataset', d.workload, d.workload, found('dataset-changed', 'change', formatDatasetChange(d), evidence), `dataset ${d.workload} changed`));
  }
  const failingOnHead = alreadyFailing.length > 0 || findings.some((f) => (f.kind === 'comparison-failed' || f.kind === 'load-failed') && f.severity === 'change');
  const workloads = [...judged].sort();
  return {
    command: input.command,
    mode: paired ? 'paired' : 'cross-run',
    verdict: verdictOf(findings, paired?.overlaps ?? 0, failingOnHead),
    base: input.sides.base,
    head: input.sides.head,
    server: { provider: head.fingerprint.postgres.provider, version: head.fingerprint.postgres.version },
    workloads,
    scale: head.fingerprint.scale,
    seed: head.fingerprint.seed,
    rules,
    paired: paired?.tookTurns ?? false,
    latencyFamily,
    cases: pairs.cases,
    comparisons: pairs.comparisons,
    metrics: pairs.metrics,
    loads: pairs.loads,
    findings,
    groups: groupFindings(findings),
    migrations: paired?.migrations ?? [],
    alreadyFailing,
    datasets,
    overlaps: paired ? paired.overlaps : null,
    notes,
    unmeasured: input.unmeasured ?? [],
    durationMs: input.durationMs ?? 0,
  };
}
