/**
 * Runs a load spec (harness/load/load-spec.ts) on the suite's server: the variants'
 * databases are prepared once, then each round runs every variant for one short
 * interval, alternating the order (AB, BA, ...), so drift of the shared machine hits
 * all variants alike. A throughput ratio is estimated like a speedup: per round,
 * d_r = ln(tps numerator_r) - ln(tps denominator_r), Student-t interval over rounds.
 * A tail-latency or lock-wait ratio is estimated the same way, from each round's
 * quantile: the estimate is the centre of the interval the test decides on (a merged-
 * histogram ratio as the estimate once sat outside its own interval: 2.64x against
 * [3.46, 7.39] on CI, and failed a ratio the rounds put above the bar). The ratio of the
 * histograms merged over all intervals is recorded beside it (`pooled`). A ratio with a bar is decided like a comparison's speedup
 * (sequential-test.ts): rounds are added until its per-round interval clears the bar
 * or falls below it, up to maxIntervals; still straddling there, it is inconclusive and
 * fails only when its estimate is below the bar.
 */
import pg from 'pg';
import type { DatasetCopy } from '../fixtures/dataset-cache.ts';
import { LatencyHistogram } from '../load/latency-histogram.ts';
import { LOAD_METRICS, type LoadEnvironment, type LoadSpec as AnyLoadSpec, type LoadRatio as AnyLoadRatio, type LoadVariant } from '../load/load-spec.ts';
import { runLoad, type LoadRun } from '../load/run-load.ts';
import type { Interval, LoadRatioResult, LoadResult, LoadTransactionResult, LoadVariantResult } from '../results/results-schema.ts';
import type { SuiteEnvironment } from './case-session.ts';
import type { ResultsCollector } from './results-collector.ts';
import { siteOf } from './run-comparison.ts';
import { decide, lookSchedule, type Look, type Verdict } from './sequential-test.ts';
import { logRatioInterval, mean } from './statistics.ts';

/** A load spec whose bars are resolved to numbers (benchmarkSuite resolves `calibrated()`). */
type LoadSpec = AnyLoadSpec<number>;
type LoadRatio = AnyLoadRatio<number>;

interface VariantState {
  variant: LoadVariant;
  env: LoadEnvironment;
  runs: LoadRun[];
}

function checkSpec(spec: LoadSpec): void {
  const names = new Set(spec.variants.map((v) => v.name));
  if (names.size !== spec.variants.length || names.size < 2) throw new RangeError(`load ${spec.name}: needs at least 2 variants with distinct names`);
  const intervals = spec.intervals ?? 4;
  if (!Number.isInteger(intervals) || intervals < 2) throw new RangeError(`load ${spec.name}: intervals must be an integer >= 2 (got ${spec.intervals})`);
  const max = spec.maxIntervals ?? 3 * intervals;
  if (!Number.isInteger(max) || max < intervals) throw new RangeError(`load ${spec.name}: maxIntervals must be an integer >= intervals (got ${spec.maxIntervals})`);
  for (const r of spec.ratios) {
    if (!names.has(r.numerator) || !names.has(r.denominator)) throw new RangeError(`load ${spec.name}: ratio ${r.metric} names an unknown variant (${r.numerator}, ${r.denominator})`);
    if (!LOAD_METRICS.includes(r.metric)) throw new RangeError(`load ${spec.name}: ratio metric must be one of ${LOAD_METRICS.join(', ')} (got ${JSON.stringify(r.metric)})`);
    if (r.metric === 'lockWaits' && !spec.sampleLockWaits) throw new RangeError(`load ${spec.name}: a lockWaits ratio needs sampleLockWaits: true`);
  }
}

async function withClient<T>(uri: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: uri, application_name: 'schemabench load setup' });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** Histogram and counts of one transaction type (or 'all') in one run. */
function histogramOf(run: LoadRun, transaction: string): LatencyHistogram {
  const merged = new LatencyHistogram();
  for (const t of run.transactions) if (transaction === 'all' || t.name === transaction) merged.add(t.histogram);
  return merged;
}
const completedOf = (run: LoadRun, transaction: string) => run.transactions.filter((t) => transaction === 'all' || t.name === transaction).reduce((a, t) => a + t.completed, 0);
const throughputOf = (run: LoadRun, transaction: string) => (completedOf(run, transaction) * 1000) / run.elapsedMs;

function metricOf(runs: LoadRun[], ratio: LoadRatio, transaction: string): number {
  if (ratio.metric === 'throughput') return runs.reduce((a, r) => a + completedOf(r, transaction), 0) / runs.reduce((a, r) => a + r.elapsedMs / 1000, 0);
  if (ratio.metric === 'lockWaits') return mean(runs.map((r) => r.lockWaits ?? 0));
  const merged = new LatencyHistogram();
  for (const r of runs) merged.add(histogramOf(r, transaction));
  return merged.summary()[ratio.metric];
}

/** Per round r: d_r = ln(numerator's metric in r) - ln(denominator's), over the first `rounds` rounds. */
function roundLogs(ratio: LoadRatio, numerator: VariantState, denominator: VariantState, rounds: number): number[] {
  const transaction = ratio.transaction ?? 'all';
  return numerator.runs.slice(0, rounds).map((run, r) => {
    const other = denominator.runs[r]!;
    if (ratio.metric === 'throughput') return Math.log(throughputOf(run, transaction)) - Math.log(throughputOf(other, transaction));
    if (ratio.metric === 'lockWaits') return Math.log(Math.max(run.lockWaits ?? 0, 1e-3)) - Math.log(Math.max(other.lockWaits ?? 0, 1e-3));
    return Math.log(histogramOf(run, transaction).summary()[ratio.metric] || 1e-3) - Math.log(histogramOf(other, transaction).summary()[ratio.metric] || 1e-3);
  });
}

/** A ratio over the first `rounds` rounds: exp(mean d_r), its interval at `confidence`. */
function ratioValue(ratio: LoadRatio, numerator: VariantState, denominator: VariantState, rounds: number, confidence: number): Interval {
  return logRatioInterval(roundLogs(ratio, numerator, denominator, rounds), confidence);
}

/** The same ratio from the histograms merged over the first `rounds` rounds (latency, lock waits); shown beside the estimate, never judged. */
function pooledRatio(ratio: LoadRatio, numerator: VariantState, denominator: VariantState, rounds: number): number | undefined {
  if (ratio.metric === 'throughput') return undefined;
  const transaction = ratio.transaction ?? 'all';
  const [n, d] = [numerator.runs.slice(0, rounds), denominator.runs.slice(0, rounds)];
  return metricOf(n, ratio, transaction) / Math.max(metricOf(d, ratio, transaction), 1e-9);
}

/** Where a ratio's sequential test stopped: its verdict and the look it was taken at. */
interface RatioDecision {
  verdict: Verdict;
  rounds: number;
  confidence: number;
}

/**
 * The looks of the load's sequential test (sequential-test.ts: Pocock-type alpha spending,
 * Bonferroni-bounded), and the decision of every ratio with a bar at a look: a ratio keeps
 * the verdict of the first look that decides it, so each one is its own sequential test.
 */
function decideAtLook(spec: LoadSpec, byName: Map<string, VariantState>, look: Look, last: boolean, decisions: Map<LoadRatio, RatioDecision>): boolean {
  for (const r of spec.ratios) {
    if (r.atLeast === undefined || decisions.has(r)) continue;
    const value = ratioValue(r, byName.get(r.numerator)!, byName.get(r.denominator)!, look.rounds, 1 - look.alpha);
    const verdict = decide(value, r.atLeast) ?? (last ? 'inconclusive' : undefined);
    if (verdict) decisions.set(r, { verdict, rounds: look.rounds, confidence: 1 - look.alpha });
  }
  return spec.ratios.every((r) => r.atLeast === undefined || decisions.has(r));
}

function ratioResult(ratio: LoadRatio, numerator: VariantState, denominator: VariantState, decision: RatioDecision | undefined): LoadRatioResult {
  const rounds = decision?.rounds ?? numerator.runs.length;
  const confidence = decision?.confidence ?? 0.95;
  const value = ratioValue(ratio, numerator, denominator, rounds, confidence);
  const threshold = ratio.atLeast ?? null;
  // Inconclusive (the machine too noisy to be sure) fails only when the estimate itself is
  // below the bar: the estimate the interval is centred on, the statistic the test decided.
  const passed = threshold === null || decision?.verdict === 'pass' || (decision?.verdict === 'inconclusive' && value.estimate >= threshold);
  const pooled = pooledRatio(ratio, numerator, denominator, rounds);
  return {
    metric: ratio.metric,
    transaction: ratio.transaction ?? 'all',
    numerator: numerator.variant.name,
    denominator: denominator.variant.name,
    ratio: value,
    ...(pooled === undefined ? {} : { pooled }),
    threshold,
    verdict: decision?.verdict ?? null,
    confidence,
    intervals: rounds,
    passed,
  };
}

function variantResult(state: VariantState, clients: number): LoadVariantResult {
  const names = state.variant.transactions.map((t) => t.name);
  const seconds = state.runs.reduce((a, r) => a + r.elapsedMs / 1000, 0);
  const transaction = (name: string): LoadTransactionResult => {
    const histogram = new LatencyHistogram();
    const errors: Record<string, number> = {};
    let retries = 0;
    let late = 0;
    let skipped = 0;
    for (const run of state.runs) {
      for (const t of run.transactions) {
        if (name !== 'all' && t.name !== name) continue;
        histogram.add(t.histogram);
        for (const [code, n] of t.errors) errors[code] = (errors[code] ?? 0) + n;
        retries += t.retries;
        late += t.late;
        skipped += t.skipped;
      }
    }
    return { name, throughput: histogram.count / seconds, latency: histogram.summary(), errors, retries, late, skipped };
  };
  return {
    variant: state.variant.name,
    clients,
    intervalThroughput: state.runs.map((r) => (r.completed * 1000) / r.elapsedMs),
    lockWaits: state.runs.some((r) => r.lockWaits !== null) ? mean(state.runs.map((r) => r.lockWaits ?? 0)) : null,
    transactions: [...(names.length > 1 ? ['all'] : []), ...names].map(transaction),
  };
}

export async function runLoadComparison(spec: LoadSpec, env: SuiteEnvironment, collector: ResultsCollector, workload: string): Promise<LoadResult> {
  checkSpec(spec);
  const intervals = spec.intervals ?? 4;
  const maxIntervals = spec.maxIntervals ?? 3 * intervals;
  const intervalMs = spec.intervalMs ?? 1000;
  const states: VariantState[] = [];
  const byName = new Map<string, VariantState>();
  const decisions = new Map<LoadRatio, RatioDecision>();
  const copies = new Map<string, DatasetCopy>();
  try {
    for (const variant of spec.variants) {
      let copy: DatasetCopy | undefined;
      if (variant.ownDatabase) {
        if (!env.freshCopy) throw new Error(`load ${spec.name}: variant ${variant.name} wants its own database, and this suite cannot copy its dataset`);
        const key = typeof variant.ownDatabase === 'string' ? variant.ownDatabase : `variant:${variant.name}`;
        copy = copies.get(key) ?? (await env.freshCopy());
        copies.set(key, copy);
      }
      const state: VariantState = { variant, env: { uri: copy?.uri ?? env.uri, scale: env.scale, seed: env.seed }, runs: [] };
      states.push(state);
      byName.set(variant.name, state);
      if (variant.setup) await withClient(state.env.uri, (c) => variant.setup!(c, state.env));
    }
    const site = siteOf(env, spec.name);
    // Each interval is a measurement: it runs in the suite file's turn, and its window is recorded.
    const run = (state: VariantState, durationMs: number, round: number) =>
      site.scheduler.measure(`${site.label}::${state.variant.name} interval ${round}`, () => runLoad({
        uri: state.env.uri,
        transactions: state.variant.transactions,
        clients: state.variant.clients ?? spec.clients ?? 4,
        mode: spec.mode,
        rate: spec.rate,
        latencyLimitMs: spec.latencyLimitMs,
        durationMs,
        maxTransactions: spec.maxTransactionsPerInterval,
        // Each round draws other parameters; the same round draws the same ones for every variant.
        seed: env.seed + round,
        background: state.variant.background,
        sampleLockWaits: spec.sampleLockWaits,
        settings: spec.settings,
      }));
    const warmupMs = spec.warmupMs ?? 300;
    if (warmupMs > 0) for (const state of states) await run(state, warmupMs, -1);
    // Rounds until every ratio with a bar is decided, or the cap: the looks' schedule is fixed
    // in advance (intervals, then about x1.5, ending at maxIntervals), not chosen by the data.
    const looks = lookSchedule({ minRounds: intervals, maxRounds: maxIntervals });
    for (let round = 0; round < maxIntervals; round++) {
      const order = round % 2 === 0 ? states : [...states].reverse();
      for (const state of order) state.runs.push(await run(state, intervalMs, round));
      const look = looks.find((l) => l.rounds === round + 1);
      if (look && decideAtLook(spec, byName, look, round + 1 === maxIntervals, decisions)) break;
    }
  } finally {
    for (const state of states) {
      if (state.variant.teardown) await withClient(state.env.uri, (c) => state.variant.teardown!(c, state.env)).catch(() => undefined);
    }
    for (const copy of copies.values()) await copy.drop();
  }

  const ratios = spec.ratios.map((r) => ratioResult(r, byName.get(r.numerator)!, byName.get(r.denominator)!, decisions.get(r)));
  const variants = states.map((s) => variantResult(s, s.variant.clients ?? spec.clients ?? 4));
  const failures = ratios.filter((r) => !r.passed).map(ratioFailure);
  for (const r of ratios.filter((r) => r.passed && r.verdict === 'inconclusive')) {
    // Not a failure: the estimate clears the bar, the machine was too noisy to be sure.
    console.warn(`load ${spec.name}: ${ratioLabel(r)} inconclusive on a noisy machine: ${fmtRatio(r)} straddles the bar ${r.threshold}x after ${r.intervals} intervals`);
  }
  // Any transaction that failed is a failed benchmark: a ratio of broken transactions proves nothing.
  for (const v of variants) {
    for (const t of v.transactions) {
      if (t.name === 'all' && v.transactions.length > 1) continue;
      const codes = Object.entries(t.errors);
      if (codes.length) failures.push(`${v.variant}/${t.name}: errors ${codes.map(([c, n]) => `${c} x${n}`).join(', ')}`);
    }
  }
  const result: LoadResult = {
    name: spec.name,
    workload,
    scale: env.scale,
    mode: spec.mode ?? 'closed',
    rate: spec.rate ?? null,
    intervalMs,
    intervals: states[0]?.runs.length ?? 0,
    maxIntervals,
    variants,
    ratios,
    passed: failures.length === 0,
    failures,
  };
  collector.addLoad(result);
  if (failures.length) throw new Error(`load ${spec.name}:\n  ${failures.join('\n  ')}`);
  return result;
}

export const fmtRatio = (r: LoadRatioResult) =>
  `${r.ratio.estimate.toFixed(2)}x [${r.ratio.low.toFixed(2)}-${r.ratio.high.toFixed(2)}]${r.confidence !== undefined && r.confidence !== 0.95 ? ` (${(100 * r.confidence).toFixed(1)}% interval)` : ''}`;
const ratioLabel = (r: LoadRatioResult) => `${r.metric}${r.transaction === 'all' ? '' : ` of ${r.transaction}`} ${r.numerator}/${r.denominator}`;

function ratioFailure(r: LoadRatioResult): string {
  if (r.verdict === 'inconclusive') {
    return `${ratioLabel(r)} = ${fmtRatio(r)}: inconclusive after ${r.intervals} intervals and the estimate is below the bar ${r.threshold}x: a likely regression`;
  }
  return `${ratioLabel(r)} = ${fmtRatio(r)} after ${r.intervals} intervals, required >= ${r.threshold}`;
}
