/**
 * `schemabench compare`: its usage, its options and the checks of what was typed, in a
 * module that loads nothing heavy (the comparison is compare-change.ts): bad arguments
 * are one line and exit 2 before pg, drizzle, zod and TypeScript's loader load.
 */
import { parseForecastScales } from '../config.ts';
import { UsageError } from '../errors.ts';
import { DEFAULT_RULES } from '../judge/judge-rules.ts';
import { checkRunOptions } from './check-run-options.ts';
import { parseCommandLine } from './parse-command-line.ts';

export const COMPARE_USAGE = `schemabench compare --base REF [--head REF] [--workload NAME|all] [--scale F] [--seed N] [--provider P]
                    [--profile benchmark|durable] [--plan-at dataset|production] [--filter TEXT] [--out DIR] [--markdown FILE] [--json] [--latency-threshold X]
                    [--pg 17,18] [--all] [--forecast-scales 0.1,0.3,1|off]
  Judge a change: base (a temporary git worktree of REF) and head (the working tree, or --head REF) run their
  benchmark suites on one server, taking turns round by round; cases are paired by name. Plans, buffers and rows
  are compared exactly, latency as a head/base ratio with an interval over the paired rounds, the cases judged as
  one family (a regression when the interval lies wholly above --latency-threshold, default ${DEFAULT_RULES.latencyThreshold}; 5% false
  alarms in all); migrations of head that base lacks are applied to base's data
  with concurrent clients and their locks measured, then traced again on base's data at --forecast-scales (default
  0.1,0.3,1; off: not) and predicted at production size: the rows of fixtures/W/production-stats.json
  (schemabench stats capture), or at 10x the largest scale without one (docs/safe-migrations.md).
  Both sides are judged by the rules gate uses (docs/ci.md).
  Writes DIR/compare.json (default DIR .schemabench/compare), --markdown FILE a pull-request comment (also
  appended to $GITHUB_STEP_SUMMARY), --json the judgement on stdout.
  --plan-at production plans both sides with production's statistics (see run; PostgreSQL 18: --pg 18).
  Measures only what the change can move: a workload (or a benchmark file) none of whose inputs changed is
  listed as not measured, with why; --all measures everything.
  --pg compares on one server per PostgreSQL major, one after another (SCHEMABENCH_PG_VERSIONS); findings name the major.
  Exit 0: no regression; 1: a regression, or tests failing on head; 2: bad input; 3: no verdict (measurements of
  the sides overlapped).`;

const COMPARE_OPTIONS = {
  base: { type: 'string' },
  head: { type: 'string' },
  workload: { type: 'string', default: 'all' },
  scale: { type: 'string' },
  seed: { type: 'string' },
  provider: { type: 'string' },
  profile: { type: 'string' },
  'plan-at': { type: 'string' },
  filter: { type: 'string' },
  all: { type: 'boolean', default: false },
  out: { type: 'string' },
  markdown: { type: 'string' },
  json: { type: 'boolean', default: false },
  'latency-threshold': { type: 'string' },
  pg: { type: 'string' },
  'forecast-scales': { type: 'string' },
} as const;

export type CompareValues = ReturnType<typeof parseCommandLine<typeof COMPARE_OPTIONS>> & { base: string };

export function parseThreshold(value: string | undefined): number {
  if (value === undefined) return DEFAULT_RULES.latencyThreshold;
  const x = Number(value);
  if (!Number.isFinite(x) || x <= 1) throw new UsageError(`--latency-threshold must be a ratio above 1, e.g. 1.15 (got ${JSON.stringify(value)})`);
  return x;
}

/**
 * The arguments as typed, checked on their own: --base given, the numbers and choices
 * valid. Refs, workloads, the provider in effect and the output paths are checked after
 * the project's config loads.
 */
export function parseCompareArguments(args: string[]): CompareValues {
  const values = parseCommandLine('compare', args, COMPARE_OPTIONS);
  if (!values.base) throw new UsageError('compare needs --base REF (the git ref to compare against, e.g. origin/main)');
  parseThreshold(values['latency-threshold']);
  parseForecastScales(values['forecast-scales']);
  checkRunOptions(values);
  return { ...values, base: values.base };
}

export async function compareCommand(values: CompareValues): Promise<number> {
  const { compareChange } = await import('./compare-change.ts');
  return compareChange(values);
}
