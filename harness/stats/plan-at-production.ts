/**
 * What a suite runs on its own copy of a dataset to plan at production size (`--plan-at
 * production`, not wired into run/compare yet): read the workload's statistics snapshot
 * and inject it (inject-statistics.ts). Call it after copyDataset and before any case
 * opens a connection: the copy's ANALYZE happened when the dataset was built, and the
 * page costs it sets apply to sessions opened afterwards. On PostgreSQL 14-17 it injects
 * nothing and logs one line saying so; the run goes on with the dataset's own statistics.
 */
import { UsageError } from '../errors.ts';
import { withConnection } from '../postgres/with-connection.ts';
import { projectPath } from '../project-root.ts';
import { injectStatistics, type InjectionResult, type InjectOptions } from './inject-statistics.ts';
import { readStatisticsSnapshot } from './statistics-snapshot.ts';

/** Where `schemabench stats capture` writes a workload's snapshot by default: fixtures/<workload>/production-stats.json. */
export function defaultSnapshotPath(workload: string): string {
  return projectPath('fixtures', workload, 'production-stats.json');
}

export interface PlanAtProductionOptions extends InjectOptions {
  /** The snapshot file. @default defaultSnapshotPath(workload) */
  snapshot?: string;
  /** Where the one-line notes go (unavailable before 18, tables the database lacks, the server's warnings). @default console.error */
  log?: (line: string) => void;
}

export async function planAtProduction(uri: string, workload: string, options: PlanAtProductionOptions = {}): Promise<InjectionResult> {
  const path = options.snapshot ?? defaultSnapshotPath(workload);
  const log = options.log ?? ((line: string) => console.error(line));
  const snapshot = readStatisticsSnapshot(path);
  if (snapshot.workload !== workload) throw new UsageError(`${path}: a statistics snapshot of workload ${snapshot.workload}, not ${workload}`);
  const result = await withConnection(uri, (client) => injectStatistics(client, snapshot, options));
  if (!result.injected) {
    log(`schemabench: --plan-at production: ${result.reason}`);
    return result;
  }
  if (result.skipped.length) log(`schemabench: --plan-at production: not in this dataset, not injected: ${result.skipped.join(', ')}`);
  for (const warning of result.warnings) log(`schemabench: --plan-at production: ${warning}`);
  return result;
}
