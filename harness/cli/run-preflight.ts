/**
 * What `schemabench run` checks before vitest starts, so that bad input is one line and
 * exit code 2 (inside vitest's global setup it would become vitest's own error report
 * and exit 1): the output folder, and the server the provider names — a `url` server
 * is connected to once (reachable, the role may create databases); an explicit
 * `testcontainers` needs a Docker engine that answers. Nothing is created.
 */
import type { Config, PlanAtChoice } from '../config.ts';
import { snapshotIdentity } from '../stats/plan-at-production.ts';
import { resolveProvider } from '../postgres/start-postgres.ts';
import { probeUrl } from '../postgres/url-provider.ts';
import { checkOutputFolder } from './output-folder.ts';
import { checkFileDestination } from '../output-destination.ts';
import { UsageError } from '../errors.ts';
import { benchmarkFiles, checkHasBenchmarks } from '../workloads/benchmark-files.ts';
import { loadWorkload, workloadNames } from '../workloads/load-workload.ts';

/** Returns the absolute output folder. Throws UsageError on bad input. */
export async function preflightRun(config: Config): Promise<string> {
  const outDir = checkOutputFolder(config.outDir);
  // The run's report.md is appended there at the end.
  if (process.env.GITHUB_STEP_SUMMARY) checkFileDestination('GITHUB_STEP_SUMMARY', process.env.GITHUB_STEP_SUMMARY);
  if (config.provider === 'url') await probeUrl(config.databaseUrl);
  if (config.provider === 'testcontainers') await resolveProvider(config);
  return outDir;
}

/**
 * Loads the fixtures of the workloads a run measures (`all`: those with benchmarks), so
 * that a schema the generator cannot fill (columns of a type without a generator) is one
 * line naming every such column, before any server starts; with --plan-at production,
 * reads each workload's statistics snapshot too. A workload without benchmarks, or `all`
 * when none has any, is refused: there is nothing to run.
 */
export async function preflightWorkloads(workload: string, planAt: PlanAtChoice = 'dataset'): Promise<void> {
  if (workload !== 'all') checkHasBenchmarks(workload);
  const names = workload === 'all' ? workloadNames().filter((w) => benchmarkFiles(w).length) : [workload];
  if (!names.length) throw new UsageError('no workload has benchmarks (benchmarks/<name>/*.bench.ts): nothing to measure');
  for (const name of names) {
    await loadWorkload(name);
    // --plan-at production: each workload's snapshot is there and valid (one line, exit 2 otherwise).
    if (planAt === 'production') snapshotIdentity(name);
  }
}
