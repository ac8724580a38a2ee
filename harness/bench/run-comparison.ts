/**
 * Runs a comparison end to end:
 *   1. open both cases (own connection, settings, setup, verify);
 *   2. correctness before timing: same rows from both statements, when asked;
 *   3. warm-up, then EXPLAIN (ANALYZE, BUFFERS) once each, outside timing;
 *   4. calibrate iterations, then interleaved rounds (AB, BA, ...) with tinybench: against
 *      a bar, sequentially until the interval is decisive or a cap is hit (sequential-test.ts);
 *   5. record results, then assert: plans, buffers, the verdict (pass / fail / inconclusive:
 *      inconclusive fails the test only when the estimate itself is below the bar).
 * All failures are collected and thrown together, after the results are recorded.
 */
import { caseId, type BenchmarkCase } from './benchmark-case.ts';
import { CaseSession, type SuiteEnvironment } from './case-session.ts';
import { iterationsFor, resolveMeasureOptions, type MeasureOptions } from './measure-options.ts';
import { checkPlan, expectationFor, type PlanExpectation } from './plan-expectation.ts';
import type { ResultsCollector } from './results-collector.ts';
import { sequentialTest, type SequentialOutcome } from './sequential-test.ts';
import { pairedSpeedup, quantile, roundSpread, summarize } from './statistics.ts';
import { roundScheduler, type RoundScheduler } from './round-scheduler.ts';
import type { CaseResult, ComparisonResult } from '../results/results-schema.ts';
import type { Bar } from '../results/calibration-file.ts';

/** A comparison as a suite declares it; `B` is its bar's type (a resolved bar is a number). */
export interface ComparisonSpec<B extends Bar = Bar> {
  /** @default `${candidate.name}: ${candidate.variant} vs ${baseline.variant}` */
  name?: string;
  /** The slower side (e.g. no index). */
  baseline: BenchmarkCase;
  /** The side expected to be faster. */
  candidate: BenchmarkCase;
  /**
   * The bar: the candidate is at least this many times faster, or `calibrated()` (from the
   * data `schemabench calibrate` writes; bench/calibrated-bar.ts). Measured sequentially until
   * the interval's lower bound clears it (pass) or its upper bound falls below it (fail); at
   * the cap, inconclusive (a test failure only when the estimate is below the bar).
   */
  atLeast?: B;
  /** Check both statements return the same rows before timing. @default true when both have statements */
  sameAnswer?: boolean;
  baselinePlan?: PlanExpectation;
  candidatePlan?: PlanExpectation;
  /** Assert the candidate's chosen plan touches at least this many times fewer shared buffers. */
  fewerBuffers?: number;
  measure?: MeasureOptions;
}

export function comparisonName(spec: Pick<ComparisonSpec, 'name' | 'baseline' | 'candidate'>): string {
  return spec.name ?? `${spec.candidate.name}: ${spec.candidate.variant} vs ${spec.baseline.variant}`;
}

/** A case's result; `workload` names it when the case does not (the suite fills it in: its own workload). */
export function caseResult(session: CaseSession, scale: number, workload: string): CaseResult {
  const c = session.benchmark;
  const plan = session.plan;
  return {
    name: c.name,
    workload: c.workload ?? workload,
    variant: c.variant,
    params: { ...c.params, scale },
    scale,
    cache: c.cache ?? 'warm',
    latency: summarize(session.rounds.flat()),
    plan: plan ? { nodes: plan.nodes, indexes: plan.indexes, seqScans: plan.seqScans, tree: plan.tree } : null,
    buffers: plan ? plan.buffers : null,
    rows: plan ? plan.rows : (session.lastCount ?? null),
    ...(session.statement ? { sql: session.statement.text } : {}),
    rounds: {
      medians: session.rounds.map((r) => quantile(r, 0.5)),
      ...(session.turns.length ? { turns: session.turns } : {}),
      ...(session.iterations === undefined ? {} : { iterations: session.iterations }),
    },
  };
}

function firstDifference(a: unknown[], b: unknown[]): string {
  if (a.length !== b.length) return `${a.length} rows vs ${b.length} rows`;
  const i = a.findIndex((row, k) => JSON.stringify(row) !== JSON.stringify(b[k]));
  return `row ${i}: ${JSON.stringify(a[i])} vs ${JSON.stringify(b[i])}`;
}

/** Open sessions, run `body`, close them whatever happens. */
export async function withSessions<T>(cases: BenchmarkCase[], env: SuiteEnvironment, body: (s: CaseSession[]) => Promise<T>): Promise<T> {
  const sessions: CaseSession[] = [];
  try {
    for (const c of cases) sessions.push(await CaseSession.open(c, env));
    return await body(sessions);
  } finally {
    for (const s of sessions) await s.close().catch(() => undefined);
  }
}

/** Where a measurement happens: the suite file's scheduler, and the label of the test measuring (`file::test`). */
export interface MeasureSite {
  scheduler: RoundScheduler;
  label: string;
}

/** The site of a test named `test` in the suite `env` (alone when the suite takes no turns). */
export const siteOf = (env: SuiteEnvironment, test: string): MeasureSite => ({ scheduler: env.scheduler ?? roundScheduler(undefined), label: `${env.file ?? ''}::${test}` });

/** Warm up, explain and calibrate sessions; returns a function that measures one interleaved round. */
export async function prepareRounds(sessions: CaseSession[], opts: Required<MeasureOptions>, site: MeasureSite): Promise<() => Promise<void>> {
  for (const s of sessions) {
    await s.warmUp(opts.warmupIterations);
    await s.explain('chosen');
  }
  for (const s of sessions) {
    const single = Math.min(await s.timeOnce(), await s.timeOnce(), await s.timeOnce());
    // Under compare, base and head run the same iterations per round, agreed by the case's
    // label (file, test, case), never by the order of calls.
    s.iterations = await site.scheduler.agree(`${site.label}::${s.id}`, iterationsFor(single, opts));
  }
  let round = 0;
  return async () => {
    // Under `schemabench compare`, the other side measures its round of the same case now.
    const turn = await site.scheduler.pass(site.label);
    // Alternate the order so that neither case always runs first in a round.
    const order = round % 2 === 0 ? sessions.map((_, i) => i) : sessions.map((_, i) => sessions.length - 1 - i);
    round++;
    await site.scheduler.measure(`${site.label}::round ${round}`, async () => {
      for (const i of order) await sessions[i]!.measureRound(sessions[i]!.iterations!);
    });
    if (turn !== undefined) for (const s of sessions) s.turns.push(turn);
  };
}

/** Warm up, explain and measure sessions in `rounds` interleaved rounds (no bar to decide against). */
export async function measureSessions(sessions: CaseSession[], site: MeasureSite, options: MeasureOptions = {}): Promise<void> {
  const opts = resolveMeasureOptions(options);
  const round = await prepareRounds(sessions, opts, site);
  for (let r = 0; r < opts.rounds; r++) await round();
}

/**
 * Measure a pair against a bar with the sequential test: rounds are added until the
 * interval is decisive or a cap is reached (sequential-test.ts).
 */
export async function measureSequential(b: CaseSession, c: CaseSession, bar: number, site: MeasureSite, options: MeasureOptions = {}): Promise<SequentialOutcome> {
  const opts = resolveMeasureOptions(options);
  const round = await prepareRounds([b, c], opts, site);
  const started = performance.now();
  return sequentialTest(
    { minRounds: opts.minRounds, maxRounds: opts.maxRounds, maxMs: opts.maxMs, bar },
    async () => {
      await round();
      return { baseline: b.rounds, candidate: c.rounds };
    },
    () => performance.now() - started,
  );
}

/** The test's outcome for a verdict: inconclusive fails only when the estimate itself is below the bar. */
export function verdictFailure(name: string, outcome: SequentialOutcome, bar: number, detail: string): string | undefined {
  const { verdict, interval: s, confidence } = outcome;
  const ci = `${(100 * confidence).toFixed(2)}% interval [${s.low.toFixed(2)}, ${s.high.toFixed(2)}]`;
  if (verdict === 'pass') return undefined;
  if (verdict === 'fail') return `${name}: speedup ${s.estimate.toFixed(2)}x, ${ci} after ${outcome.rounds} rounds: below the bar ${bar}x (${detail})`;
  if (s.estimate < bar) {
    return `${name}: inconclusive after ${outcome.rounds} rounds (${outcome.stoppedBy} cap) and the estimate ${s.estimate.toFixed(2)}x is below the bar ${bar}x, ${ci}: a likely regression (${detail})`;
  }
  return undefined;
}

export async function runComparison(spec: ComparisonSpec<number>, env: SuiteEnvironment, collector: ResultsCollector): Promise<ComparisonResult> {
  const name = comparisonName(spec);
  return withSessions([spec.baseline, spec.candidate], env, async ([baseline, candidate]) => {
    const b = baseline!;
    const c = candidate!;
    if (spec.sameAnswer ?? Boolean(b.statement && c.statement)) {
      const [x, y] = [await b.answer(), await c.answer()];
      if (JSON.stringify(x) !== JSON.stringify(y)) {
        throw new Error(`${name}: ${b.id} and ${c.id} answer differently (checked before timing): ${firstDifference(x, y)}`);
      }
    }
    const site = siteOf(env, name);
    const outcome = spec.atLeast !== undefined ? await measureSequential(b, c, spec.atLeast, site, spec.measure) : undefined;
    if (!outcome) await measureSessions([b, c], site, spec.measure);

    const failures: string[] = [];
    for (const [session, given] of [[b, spec.baselinePlan], [c, spec.candidatePlan]] as const) {
      if (!given) continue;
      const expectation = expectationFor(given, session.serverMajor);
      const plan = expectation.mode === 'usable' ? await session.explain('usable') : session.plan;
      if (!plan) failures.push(`${session.id} has no statement to explain`);
      else failures.push(...checkPlan(session.id, plan, expectation));
    }
    const total = (s: CaseSession) => (s.plan ? s.plan.buffers.hit + s.plan.buffers.read : undefined);
    const [bb, cb] = [total(b), total(c)];
    const bufferRatio = bb !== undefined && cb !== undefined ? bb / Math.max(cb, 1) : null;
    if (spec.fewerBuffers !== undefined && !(bufferRatio !== null && bufferRatio >= spec.fewerBuffers)) {
      failures.push(`${c.id} should touch at least ${spec.fewerBuffers}x fewer shared buffers than ${b.id}: ${cb} vs ${bb} (${bufferRatio?.toFixed(2)}x)`);
    }
    const speedup = outcome?.interval ?? pairedSpeedup(b.rounds, c.rounds);
    const spread = roundSpread(b.rounds, c.rounds);
    if (outcome) {
      const n = (s: CaseSession) => `${s.rounds.flat().length} samples, median ${summarize(s.rounds.flat()).p50.toFixed(3)} ms`;
      const failure = verdictFailure(name, outcome, spec.atLeast!, `baseline ${b.id}: ${n(b)}; candidate ${c.id}: ${n(c)}; round-to-round sd of ln ratio ${spread.toFixed(3)}`);
      if (failure) failures.push(failure);
      else if (outcome.verdict === 'inconclusive') {
        // Not a failure: the estimate clears the bar, the machine was too noisy to be sure.
        console.warn(
          `${name}: inconclusive on a noisy machine: ${speedup.estimate.toFixed(2)}x [${speedup.low.toFixed(2)}, ${speedup.high.toFixed(2)}] ` +
            `straddles the bar ${spec.atLeast}x after ${outcome.rounds} rounds (${outcome.stoppedBy} cap); round-to-round sd of ln ratio ${spread.toFixed(3)}`,
        );
      }
    }
    collector.addCase(caseResult(b, env.scale, collector.workload));
    collector.addCase(caseResult(c, env.scale, collector.workload));
    const result: ComparisonResult = {
      name,
      workload: c.benchmark.workload ?? collector.workload,
      baseline: caseId(spec.baseline),
      candidate: caseId(spec.candidate),
      scale: env.scale,
      speedup,
      threshold: spec.atLeast ?? null,
      rounds: b.rounds.length,
      bufferRatio,
      verdict: outcome?.verdict ?? null,
      confidence: outcome?.confidence ?? 0.95,
      roundSpread: spread,
      passed: failures.length === 0,
      failures,
    };
    collector.addComparison(result);
    if (failures.length) throw new Error(failures.join('\n'));
    return result;
  });
}

/** Measure one case alone (no comparison), with optional plan expectations. */
export async function runSingle(benchmark: BenchmarkCase, env: SuiteEnvironment, collector: ResultsCollector, given?: PlanExpectation, measure?: MeasureOptions): Promise<CaseResult> {
  return withSessions([benchmark], env, async ([session]) => {
    await measureSessions([session!], siteOf(env, caseId(benchmark)), measure);
    const result = caseResult(session!, env.scale, collector.workload);
    collector.addCase(result);
    if (given) {
      const expectation = expectationFor(given, session!.serverMajor);
      const plan = expectation.mode === 'usable' ? await session!.explain('usable') : session!.plan;
      const failures = plan ? checkPlan(session!.id, plan, expectation) : [`${session!.id} has no statement to explain`];
      if (failures.length) throw new Error(failures.join('\n'));
    }
    return result;
  });
}
