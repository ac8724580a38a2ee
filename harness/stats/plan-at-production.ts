/**
 * What a suite runs on its own copy of a dataset to plan at production size (`--plan-at
 * production` on run and compare; benchmark-suite.ts): read the workload's statistics snapshot
 * and inject it (inject-statistics.ts). Call it after copyDataset and before any case
 * opens a connection: the copy's ANALYZE happened when the dataset was built, and the
 * page costs it sets apply to sessions opened afterwards. On PostgreSQL 14-17 it injects
 * nothing and logs one line saying so; the run goes on with the dataset's own statistics.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
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

/** Which snapshot a workload plans with: its file's hash and capture time (results record it). */
export function snapshotIdentity(workload: string, path = defaultSnapshotPath(workload)): { snapshot: string; capturedAt: string } {
  const snapshot = readStatisticsSnapshot(path);
  if (snapshot.workload !== workload) throw new UsageError(`${path}: a statistics snapshot of workload ${snapshot.workload}, not ${workload}`);
  return { snapshot: createHash('sha256').update(readFileSync(path)).digest('hex').slice(0, 16), capturedAt: snapshot.capturedAt };
}

/** Lines already said by this process: every copy is injected, a server before 18 is said once. */
const said = new Set<string>();
const once = (line: string) => (said.has(line) ? false : (said.add(line), true));

export async function planAtProduction(uri: string, workload: string, options: PlanAtProductionOptions = {}): Promise<InjectionResult> {
  const path = options.snapshot ?? defaultSnapshotPath(workload);
  const say = options.log ?? ((line: string) => console.error(line));
  const log = (line: string) => once(line) && say(line);
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
