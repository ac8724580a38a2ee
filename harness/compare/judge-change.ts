/**
 * From the two sides' results to the verdict: cases and comparisons paired by name,
 * tests that passed on base and fail on head, the change's migrations traced on base's
 * data; a regression anywhere makes the verdict.
 */
import type { ServerRef } from '../postgres/pg-server.ts';
import type { ResultsFile } from '../results/results-schema.ts';
import type { CompareReport, CompareSide, Finding } from './compare-report.ts';
import type { CompareRules } from './compare-rules.ts';
import { diffCases } from './diff-cases.ts';
import { diffComparisons } from './diff-comparisons.ts';
import { copyDataset } from '../fixtures/dataset-cache.ts';
import { traceChangeMigrations } from './trace-change-migrations.ts';

export interface JudgedSide {
  side: CompareSide;
  outcome: { results: ResultsFile | undefined; failed: string[]; passed: string[] };
  /** The side's project folder (its migrations/). */
  dir: string;
}

export interface JudgeRequest {
  base: JudgedSide;
  head: JudgedSide;
  workloads: string[];
  server: ServerRef;
  scale: number;
  seed: number;
  rules: CompareRules;
  notes: string[];
  log: (line: string) => void;
}

/** Did both sides take turns? Base from a schemabench without compare measures alone. */
function tookTurns(results: ResultsFile): boolean {
  return results.cases.some((c) => c.rounds?.turns?.length);
}

/** Tests failing on head that did not fail on base, other than comparisons already judged. */
function testFindings(base: JudgedSide, head: JudgedSide, judged: string[]): Finding[] {
  const failedOnBase = new Set(base.outcome.failed);
  return head.outcome.failed
    .filter((name) => !failedOnBase.has(name) && !judged.some((c) => name.includes(c)))
    .map((name) => ({ kind: 'test-failed' as const, regression: true, message: `${name}: fails on head${base.outcome.passed.includes(name) ? ', passed on base' : ' (not on base)'}` }));
}

export async function judgeChange(request: JudgeRequest): Promise<CompareReport> {
  const { base, head, rules, notes } = request;
  const b = base.outcome.results!;
  const h = head.outcome.results!;
  const paired = tookTurns(b) && tookTurns(h);
  if (!paired) notes.push('base and head did not take turns (base is a schemabench without compare?): latencies were not paired and are not judged');
  const cases = diffCases(b, h, rules, paired);
  const comparisons = diffComparisons(b, h);
  const judged = comparisons.filter((c) => c.findings.some((f) => f.kind === 'comparison-failed')).map((c) => c.name);
  const tests = testFindings(base, head, judged);
  for (const name of base.outcome.failed) notes.push(`failed on base: ${name}`);
  const migrations = await traceChangeMigrations({
    baseDir: base.dir,
    headDir: head.dir,
    workloads: request.workloads,
    notes,
    log: request.log,
    // Base's dataset is still on the server: its template, named by the key base recorded.
    baseCopy: async (workload) => {
      const key = b.fingerprint.datasets[workload];
      if (!key) return undefined;
      return copyDataset(request.server, { key, template: `${request.server.databasePrefix}tpl_${key}` }, `migrate${workload}`);
    },
  });
  const regression = [...cases.flatMap((c) => c.findings), ...comparisons.flatMap((c) => c.findings), ...tests].some((f) => f.regression) || migrations.some((m) => m.flags.length > 0);
  if (tests.length) cases.push({ id: 'tests', workload: request.workloads.join(','), status: 'changed', latency: null, findings: tests });
  return {
    base: base.side,
    head: head.side,
    workloads: request.workloads,
    scale: request.scale,
    seed: request.seed,
    server: { provider: h.fingerprint.postgres.provider, version: h.fingerprint.postgres.version },
    paired,
    latencyThreshold: rules.latencyThreshold,
    verdict: regression ? 'regression' : 'pass',
    cases,
    comparisons,
    migrations,
    notes,
    durationMs: 0,
  };
}
