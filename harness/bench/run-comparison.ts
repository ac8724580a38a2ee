/**
 * Runs a comparison end to end:
 *   1. open both cases (own connection, settings, setup, verify);
 *   2. correctness before timing: same rows from both statements, when asked;
 *   3. warm-up, then EXPLAIN (ANALYZE, BUFFERS) once each, outside timing;
 *   4. calibrate iterations, then interleaved rounds (AB, BA, ...) with tinybench;
 *   5. record results, then assert: plans, buffers, speedup lower bound.
 * All failures are collected and thrown together, after the results are recorded.
 */
import { caseId, type BenchmarkCase } from './benchmark-case.ts';
import { CaseSession, type SuiteEnvironment } from './case-session.ts';
import { iterationsFor, resolveMeasureOptions, type MeasureOptions } from './measure-options.ts';
import { checkPlan, expectationFor, type PlanExpectation } from './plan-expectation.ts';
import type { ResultsCollector } from './results-collector.ts';
import { pairedSpeedup, summarize } from './statistics.ts';
import type { CaseResult, ComparisonResult } from '../results/results-schema.ts';

export interface ComparisonSpec {
  /** @default `${candidate.name}: ${candidate.variant} vs ${baseline.variant}` */
  name?: string;
  /** The slower side (e.g. no index). */
  baseline: BenchmarkCase;
  /** The side expected to be faster. */
  candidate: BenchmarkCase;
  /** Assert the candidate is at least this many times faster: the 95% lower bound must clear it. */
  atLeast?: number;
  /** Check both statements return the same rows before timing. @default true when both have statements */
  sameAnswer?: boolean;
  baselinePlan?: PlanExpectation;
  candidatePlan?: PlanExpectation;
  /** Assert the candidate's chosen plan touches at least this many times fewer shared buffers. */
  fewerBuffers?: number;
  measure?: MeasureOptions;
}

export function comparisonName(spec: ComparisonSpec): string {
  return spec.name ?? `${spec.candidate.name}: ${spec.candidate.variant} vs ${spec.baseline.variant}`;
}

export function caseResult(session: CaseSession, scale: number): CaseResult {
  const c = session.benchmark;
  const plan = session.plan;
  return {
    name: c.name,
    workload: c.workload,
    variant: c.variant,
    params: { ...c.params, scale },
    scale,
    cache: c.cache ?? 'warm',
    latency: summarize(session.rounds.flat()),
    plan: plan ? { nodes: plan.nodes, indexes: plan.indexes, seqScans: plan.seqScans, tree: plan.tree } : null,
    buffers: plan ? plan.buffers : null,
    rows: plan ? plan.rows : (session.lastCount ?? null),
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

/** Warm up, explain and measure sessions in interleaved rounds. */
export async function measureSessions(sessions: CaseSession[], options: MeasureOptions = {}): Promise<void> {
  const opts = resolveMeasureOptions(options);
  for (const s of sessions) {
    await s.warmUp(opts.warmupIterations);
    await s.explain('chosen');
  }
  const iterations = [];
  for (const s of sessions) {
    const single = Math.min(await s.timeOnce(), await s.timeOnce(), await s.timeOnce());
    iterations.push(iterationsFor(single, opts));
  }
  for (let round = 0; round < opts.rounds; round++) {
    // Alternate the order so that neither case always runs first in a round.
    const order = round % 2 === 0 ? sessions.map((_, i) => i) : sessions.map((_, i) => sessions.length - 1 - i);
    for (const i of order) await sessions[i]!.measureRound(iterations[i]!);
  }
}

export async function runComparison(spec: ComparisonSpec, env: SuiteEnvironment, collector: ResultsCollector): Promise<ComparisonResult> {
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
    await measureSessions([b, c], spec.measure);

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
    const speedup = pairedSpeedup(b.rounds, c.rounds);
    if (spec.atLeast !== undefined && !(speedup.low >= spec.atLeast)) {
      const n = (s: CaseSession) => `${s.rounds.length} rounds, ${s.rounds.flat().length} samples, median ${summarize(s.rounds.flat()).p50.toFixed(3)} ms`;
      failures.push(
        `${name}: speedup ${speedup.estimate.toFixed(2)}x, 95% interval [${speedup.low.toFixed(2)}, ${speedup.high.toFixed(2)}]; ` +
          `the lower bound must be >= ${spec.atLeast}x (baseline ${b.id}: ${n(b)}; candidate ${c.id}: ${n(c)})`,
      );
    }
    collector.addCase(caseResult(b, env.scale));
    collector.addCase(caseResult(c, env.scale));
    const result: ComparisonResult = {
      name,
      workload: c.benchmark.workload,
      baseline: caseId(spec.baseline),
      candidate: caseId(spec.candidate),
      scale: env.scale,
      speedup,
      threshold: spec.atLeast ?? null,
      rounds: b.rounds.length,
      bufferRatio,
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
    await measureSessions([session!], measure);
    const result = caseResult(session!, env.scale);
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
