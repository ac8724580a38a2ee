/**
 * What one server of a compare gathered for the judge: both sides' results and test
 * outcomes, head's new migrations traced on a copy of base's data (the dataset base left
 * on the server), and how many measurements of the sides overlapped. With `--pg`, the
 * evidence of each major is merged into one: every result tagged with its server version
 * (as `run --pg` does), tests and migrations named with their major.
 *
 * The migration forecast's datasets (base's workload at each forecast scale) are built
 * on the same server by this process: base's workload is loaded from base's worktree
 * (its schema, fixtures and migrations) and cached by its key like any dataset, so a
 * scale base's suites already built is copied, not built again.
 */
import { copyDataset, ensureDataset } from '../fixtures/dataset-cache.ts';
import type { MigrationTrace } from '../judge/evidence.ts';
import type { TestOutcome } from '../judge/judge.ts';
import type { ServerRef } from '../postgres/pg-server.ts';
import { mergeResults } from '../results/merge-results.ts';
import type { ResultsFile } from '../results/results-schema.ts';
import { tagWithVersion } from '../results/tag-with-version.ts';
import type { StatisticsSnapshot } from '../stats/statistics-snapshot.ts';
import { loadWorkloadAt } from '../workloads/load-workload.ts';
import type { Workload } from '../workloads/workload.ts';
import { defaultForecastScale, scaleTarget, snapshotTarget } from './forecast-target.ts';
import { traceChangeMigrations, type ForecastPlan } from './trace-change-migrations.ts';
import type { TurnRecord } from './turn-coordinator.ts';
import { machineFingerprint } from '../report/fingerprint.ts';
import type { RunDescriptor } from '../run-descriptor.ts';
import { measurementOverlaps } from './turn-log.ts';

export interface SideRun {
  results: ResultsFile;
  tests: TestOutcome;
  /** The side's project folder (its migrations/). */
  dir: string;
}

export interface ServerEvidence {
  base: SideRun;
  head: SideRun;
  migrations: MigrationTrace[];
  overlaps: number;
  notes: string[];
}

export interface GatherRequest {
  base: SideRun;
  head: SideRun;
  turns: readonly TurnRecord[];
  workloads: string[];
  server: ServerRef;
  log: (line: string) => void;
  /** Forecast the new migrations at production size; absent: no forecast (`--forecast-scales off`). */
  forecast?: ForecastOptions;
}

export interface ForecastOptions {
  scales: number[];
  /** Per workload, production's statistics snapshot and its path as shown (workloads without one are predicted at a scale). */
  snapshots: ReadonlyMap<string, { snapshot: StatisticsSnapshot; file: string }>;
}

/** The forecast's datasets: base's workloads at each scale, on `server`. */
function forecastPlan(options: ForecastOptions, r: GatherRequest, seed: number): ForecastPlan {
  const loaded = new Map<string, Promise<Workload>>();
  const baseWorkload = (name: string) => loaded.get(name) ?? loaded.set(name, loadWorkloadAt(r.base.dir, name)).get(name)!;
  return {
    scales: options.scales,
    copyAt: async (workload, scale) => copyDataset(r.server, await ensureDataset(r.server, { workload: await baseWorkload(workload), scale, seed }), `forecast${workload}`),
    target: async (workload) => {
      const given = options.snapshots.get(workload);
      return given ? snapshotTarget(given.snapshot, given.file) : scaleTarget(await baseWorkload(workload), seed, defaultForecastScale(options.scales));
    },
  };
}

/** Did a side take turns? A base from a schemabench without the run descriptor measured alone. */
export const tookTurns = (results: ResultsFile) => results.cases.some((c) => c.rounds?.turns?.length);

export async function gatherServerEvidence(r: GatherRequest): Promise<ServerEvidence> {
  const notes: string[] = [];
  const overlaps = measurementOverlaps(r.base.results.measurements ?? [], r.head.results.measurements ?? [], r.turns);
  for (const example of overlaps.examples) notes.push(`overlapping measurement: ${example}`);
  const b = r.base.results;
  const migrations = await traceChangeMigrations({
    baseDir: r.base.dir,
    headDir: r.head.dir,
    workloads: r.workloads,
    notes,
    log: r.log,
    ...(r.forecast ? { forecast: forecastPlan(r.forecast, r, b.fingerprint.seed) } : {}),
    // Base's dataset is still on the server: its template, named by the key base recorded.
    baseCopy: async (workload) => {
      const key = b.fingerprint.datasets[workload];
      if (!key) return undefined;
      return copyDataset(r.server, { key, template: `${r.server.databasePrefix}tpl_${key}` }, `migrate${workload}`);
    },
  });
  return { base: r.base, head: r.head, migrations, overlaps: overlaps.count, notes };
}

/** The evidence of several majors as one: results tagged and merged, tests and migrations named with their major. */
export function mergeMajors(evidence: ServerEvidence[], majors: number[]): ServerEvidence {
  const tag = (i: number) => ` [pg ${majors[i]}]`;
  const side = (pick: (e: ServerEvidence) => SideRun): SideRun => {
    const runs = evidence.map(pick);
    return {
      results: mergeResults(runs.map((s) => tagWithVersion(s.results))),
      tests: {
        failed: runs.flatMap((s, i) => s.tests.failed.map((t) => `${t}${tag(i)}`)),
        passed: runs.flatMap((s, i) => s.tests.passed.map((t) => `${t}${tag(i)}`)),
        messages: Object.fromEntries(runs.flatMap((s, i) => Object.entries(s.tests.messages ?? {}).map(([t, m]) => [`${t}${tag(i)}`, m]))),
      },
      dir: runs[0]!.dir,
    };
  };
  return {
    base: side((e) => e.base),
    head: side((e) => e.head),
    migrations: evidence.flatMap((e, i) => e.migrations.map((m) => ({ ...m, file: `${m.file}${tag(i)}` }))),
    overlaps: evidence.reduce((n, e) => n + e.overlaps, 0),
    notes: [...new Set(evidence.flatMap((e, i) => e.notes.map((n) => `${n}${tag(i)}`)))],
  };
}

/** The evidence of a compare that measured nothing (the change touched no benchmark's inputs): two empty results. */
export function unmeasuredEvidence(run: RunDescriptor, baseDir: string, headDir: string): ServerEvidence {
  const results: ResultsFile = {
    schemaVersion: 1,
    createdAt: new Date().toISOString(),
    fingerprint: {
      postgres: { version: 'none started', provider: 'none', settings: {} },
      ...machineFingerprint(),
      datasets: {},
      scale: run.scale,
      seed: run.seed,
    },
    cases: [],
    comparisons: [],
    metrics: [],
  };
  const side = (dir: string): SideRun => ({ results, tests: { failed: [], passed: [] }, dir });
  return { base: side(baseDir), head: side(headDir), migrations: [], overlaps: 0, notes: [] };
}
