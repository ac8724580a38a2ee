/**
 * `schemabench run`: its usage, its options and the checks of what was typed, in a module
 * that loads nothing heavy, so that bad arguments are one line and exit 2 before the
 * suites' modules (pg, drizzle, zod: run-benchmarks.ts) and TypeScript's loader load.
 *   --scales 0.1,0.3,1   one run per scale, merged; growth exponents per case
 *   --shard i/n          this machine's share of the files (merge shards with `schemabench merge`)
 *   --pg 17,18           one run per PostgreSQL major, merged; a version matrix
 *   --json               vitest's output to stderr, results.json to stdout
 */
import { parseScale } from '../config.ts';
import { UsageError } from '../errors.ts';
import { checkRunOptions } from './check-run-options.ts';
import { parseCommandLine } from './parse-command-line.ts';

export const RUN_USAGE = `schemabench run [--workload NAME|all] [--scale F | --scales F,F,...] [--seed N] [--provider P]
                [--profile benchmark|durable] [--plan-at dataset|production] [--out DIR] [--filter TEXT] [--shard i/n]
                [--pg 14,15,16,17,18] [--json]
  Run the benchmark suites (vitest project "benchmarks"), write DIR/results.json, report.html, report.md and
  CI formats (default DIR .schemabench/latest), and print a table per workload.
  --profile durable starts the server with fsync, synchronous_commit and full_page_writes on (default benchmark: off);
  --plan-at production plans with each workload's production statistics (fixtures/<workload>/production-stats.json,
  schemabench stats capture) injected into its copies: PostgreSQL 18 (--pg 18); before 18 one line says it is not
  available and the dataset's own statistics are used;
  --filter keeps the tests whose name contains TEXT: plain text, case-sensitive, matched in names as reports show them
  (receipts/index/purchase-date-week: btree vs seq-scan), not in the [scale=...] every name carries; one line, exit 2,
  when it matches none; --scales runs each scale and fits growth exponents;
  --shard i/n runs this machine's share (merge with schemabench merge); --json prints results.json on stdout;
  --pg runs the suites on one server per PostgreSQL major (SCHEMABENCH_PG_VERSIONS) and reports a version matrix.
  A comparison with a bar adds rounds until its verdict is decisive, up to 20 rounds or 60 s of measuring;
  SCHEMABENCH_MAX_ROUNDS and SCHEMABENCH_MAX_MS change those caps for the run.`;

const RUN_OPTIONS = {
  workload: { type: 'string', default: 'all' },
  scale: { type: 'string' },
  scales: { type: 'string' },
  seed: { type: 'string' },
  provider: { type: 'string' },
  profile: { type: 'string' },
  'plan-at': { type: 'string' },
  out: { type: 'string' },
  filter: { type: 'string' },
  shard: { type: 'string' },
  json: { type: 'boolean', default: false },
  pg: { type: 'string' },
} as const;

export type RunValues = ReturnType<typeof parseCommandLine<typeof RUN_OPTIONS>>;

function checkShard(value: string | undefined): void {
  if (value === undefined) return;
  const m = /^(\d+)\/(\d+)$/.exec(value);
  if (!m || Number(m[1]) < 1 || Number(m[1]) > Number(m[2])) throw new UsageError(`--shard must be i/n with 1 <= i <= n, e.g. 1/2 (got ${JSON.stringify(value)})`);
}

/**
 * The arguments as typed, checked on their own: unknown options, missing values, and the
 * values that need no project (scale, seed, provider, profile, shard, PostgreSQL majors).
 * What depends on the project's config or files (workload names, DATABASE_URL, the output
 * folder) is checked after it loads.
 */
export function parseRunArguments(args: string[]): RunValues {
  const values = parseCommandLine('run', args, RUN_OPTIONS);
  if (values.scale !== undefined && values.scales !== undefined) throw new UsageError('give --scale or --scales, not both');
  checkRunOptions(values);
  values.scales?.split(',').forEach((s) => parseScale(s.trim()));
  checkShard(values.shard);
  return values;
}

export async function runCommand(values: RunValues): Promise<number> {
  const { runBenchmarks } = await import('./run-benchmarks.ts');
  return runBenchmarks(values);
}
